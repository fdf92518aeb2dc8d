"""Every channel type's URLs, at the paths gateways are configured with (each type's
`urls.py` spells its paths whole, e.g. `outreach/kannel/dlr`)."""

from django.urls import include, path

from cfmp.channels.registry import channel_types

urlpatterns = [path("", include(kind.urls)) for kind in channel_types().values() if kind.urls]

"""WSGI entry point serving only Kannel's delivery reports, for high volumes:
`gunicorn -k gthread --threads 32 -w 2 -b 127.0.0.1:8001 cfmp.channels.kannel.wsgi`, with
CFMP_DLR_BASE_URL=http://127.0.0.1:8001 so the dlr-url Kannel is given points at it.
No Django middleware or URL routing per request; the same checks and writes as the
/outreach/kannel/dlr view (cfmp.channels.kannel.reports)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")
django.setup()

from cfmp.channels.kannel.reports import application  # noqa: E402
from cfmp.core.checks import refuse_insecure_deployment  # noqa: E402

refuse_insecure_deployment()

__all__ = ["application"]

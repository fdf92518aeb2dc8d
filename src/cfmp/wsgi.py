"""WSGI entry point (gunicorn, uWSGI): `gunicorn cfmp.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")

application = get_wsgi_application()

from cfmp.core.checks import refuse_insecure_deployment  # noqa: E402

refuse_insecure_deployment()

# Everything loaded so far (Django, the apps, the URL patterns) lives as long as the
# process: keep it out of the garbage collector's way, so that a request that builds many
# objects (a report of 15,000 officials) does not pay for traversing all of it again.
gc.freeze()

"""WSGI entry point (gunicorn, uWSGI): `gunicorn cfmp.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")

application = get_wsgi_application()

from cfmp.core.checks import refuse_insecure_deployment  # noqa: E402

refuse_insecure_deployment()

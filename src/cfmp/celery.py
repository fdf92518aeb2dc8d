"""The Celery application: `celery -A cfmp worker` runs CFMP's background work."""

import os

from celery import Celery
from kombu.transport.sqlalchemy import Transport as SqlaTransport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")

# The embedded (SQLite) broker is polled, once a second by default: too slow for the demo's
# flow of short tasks. Its transport passes every transport option to SQLAlchemy, so the
# interval is set on the class.
SqlaTransport.polling_interval = 0.1

app = Celery("cfmp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""The Celery application: `celery -A cfmp worker` runs CFMP's background work."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")

app = Celery("cfmp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""Kannel's settings, read into the project's settings (CFMP_CHANNEL_TYPES)."""

import os

from cfmp.core.env import env_bool

CFMP_KANNEL_SENDSMS_URL = os.environ.get(
    "CFMP_KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms"
)
CFMP_KANNEL_USERNAME = os.environ.get("CFMP_KANNEL_USERNAME", "cfmp")
CFMP_KANNEL_PASSWORD = os.environ.get("CFMP_KANNEL_PASSWORD", "")
# Where Kannel sends delivery reports, if not to CFMP_PUBLIC_URL (`cfmp serve-delivery-reports`
# or `gunicorn cfmp.channels.kannel.wsgi` at volume).
CFMP_DLR_BASE_URL = os.environ.get("CFMP_DLR_BASE_URL", "")
# Delivery reports are written in group commits (see cfmp.channels.kannel.reports).
CFMP_BATCH_DELIVERY_REPORTS = env_bool("CFMP_BATCH_DELIVERY_REPORTS", True)

"""The Twilio-compatible voice channel's settings, read into the project's settings."""

import os

CFMP_TWILIO_ACCOUNT_SID = os.environ.get("CFMP_TWILIO_ACCOUNT_SID", "")
CFMP_TWILIO_AUTH_TOKEN = os.environ.get("CFMP_TWILIO_AUTH_TOKEN", "")
CFMP_TWILIO_API_URL = os.environ.get("CFMP_TWILIO_API_URL", "")  # a compatible provider's

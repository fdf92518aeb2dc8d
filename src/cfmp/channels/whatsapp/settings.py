"""WhatsApp's settings, read into the project's settings (CFMP_CHANNEL_TYPES)."""

import json
import os

# The Cloud API: where it is, which version of it, and the business phone number that sends.
CFMP_WHATSAPP_API_URL = os.environ.get("CFMP_WHATSAPP_API_URL", "https://graph.facebook.com")
CFMP_WHATSAPP_API_VERSION = os.environ.get("CFMP_WHATSAPP_API_VERSION", "v21.0")
CFMP_WHATSAPP_PHONE_NUMBER_ID = os.environ.get("CFMP_WHATSAPP_PHONE_NUMBER_ID", "")
# A system user's access token with the whatsapp_business_messaging permission.
CFMP_WHATSAPP_ACCESS_TOKEN = os.environ.get("CFMP_WHATSAPP_ACCESS_TOKEN", "")
# The app's secret, which signs each notification (X-Hub-Signature-256); several, separated
# by commas, while a new secret is rolled out.
CFMP_WHATSAPP_APP_SECRET = os.environ.get("CFMP_WHATSAPP_APP_SECRET", "")
# The token typed into the app dashboard's webhook form, checked on the subscription
# handshake (GET hub.mode=subscribe&hub.verify_token=…&hub.challenge=…).
CFMP_WHATSAPP_VERIFY_TOKEN = os.environ.get("CFMP_WHATSAPP_VERIFY_TOKEN", "")
# The approved template a survey goes as, by the plan's language ("ur", "en") or, for one
# plan, by "<plan id>:<language>": its name, its language code in WhatsApp Manager and the
# values its body's {{1}}, {{2}}, … take (citizen_name, service, office, date). Its two
# quick-reply buttons answer 1 (satisfied) and 2 (a complaint).
CFMP_WHATSAPP_TEMPLATES = json.loads(
    os.environ.get(
        "CFMP_WHATSAPP_TEMPLATES",
        json.dumps(
            {
                "ur": {"name": "cfmp_survey", "language": "ur", "parameters": ["service", "date"]},
                "en": {"name": "cfmp_survey", "language": "en", "parameters": ["service", "date"]},
            }
        ),
    )
)

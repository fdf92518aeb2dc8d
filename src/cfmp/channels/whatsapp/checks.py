"""`cfmp check`: a deployment sending surveys by WhatsApp has what the Cloud API needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from cfmp.channels.base import own_setting
from cfmp.channels.whatsapp.type import NAME

NEEDED = (
    "CFMP_WHATSAPP_PHONE_NUMBER_ID",
    "CFMP_WHATSAPP_ACCESS_TOKEN",
    "CFMP_WHATSAPP_APP_SECRET",
    "CFMP_WHATSAPP_VERIFY_TOKEN",
)


@checks.register(checks.Tags.compatibility)
def check_whatsapp_settings(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.CFMP_SMS_CHANNEL != NAME:
        return []
    return [
        checks.Error(
            f"{name} is empty: WhatsApp cannot send surveys or hear replies without it",
            hint="See src/cfmp/channels/whatsapp/README.md.",
            id="cfmp.whatsapp.E001",
        )
        for name in NEEDED
        if not own_setting(name)
    ]

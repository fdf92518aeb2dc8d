from typing import Any

from cfmp.channels.base import Channel, ChannelType

NAME = "whatsapp"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.whatsapp.adapter import WhatsAppChannel

    return WhatsAppChannel.from_settings()


def _openapi() -> dict[str, Any]:
    from cfmp.channels.whatsapp.openapi import paths

    return paths()


TYPE = ChannelType(
    name=NAME,
    carries=("sms",),
    adapter=_adapter,
    urls="cfmp.channels.whatsapp.urls",
    doors={"whatsapp-webhook": "whatsapp-signature"},
    credentials={
        "whatsapp-signature": (
            "Meta's X-Hub-Signature-256 over the body (CFMP_WHATSAPP_APP_SECRET); the "
            "subscription handshake's verify token (CFMP_WHATSAPP_VERIFY_TOKEN)"
        )
    },
    openapi=_openapi,
)

from typing import Any

from cfmp.channels.base import ChannelType

NAME = "webhook"


def _openapi() -> dict[str, Any]:
    from cfmp.channels.webhook.openapi import paths

    return paths()


TYPE = ChannelType(
    name=NAME,
    urls="cfmp.channels.webhook.urls",
    doors={"sms-webhook": "webhook-key"},
    credentials={"webhook-key": "the JSON webhook's key (CFMP_WEBHOOK_KEYS), an HMAC of the body"},
    openapi=_openapi,
)

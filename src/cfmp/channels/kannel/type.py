from typing import Any

from cfmp.channels.base import Channel, ChannelType

NAME = "kannel"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.kannel.adapter import KannelChannel

    return KannelChannel.from_settings()


def _openapi() -> dict[str, Any]:
    from cfmp.channels.kannel.openapi import paths

    return paths()


TYPE = ChannelType(
    name=NAME,
    carries=("sms",),
    adapter=_adapter,
    urls="cfmp.channels.kannel.urls",
    doors={
        "kannel-inbound": "inbound-sms-key",
        "kannel-dlr": "dlr-key",
        "command:kannel_config": "server-shell",
        "command:serve_delivery_reports": "server-shell",
    },
    credentials={
        "inbound-sms-key": "the inbound SMS key (CFMP_INBOUND_SMS_KEYS)",
        "dlr-key": "the delivery-report key (CFMP_DLR_KEYS)",
    },
    openapi=_openapi,
)

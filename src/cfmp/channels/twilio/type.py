from typing import Any

from cfmp.channels.base import Channel, ChannelType

NAME = "twilio"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.twilio.adapter import TwilioVoiceChannel

    return TwilioVoiceChannel.from_settings()


def _openapi() -> dict[str, Any]:
    from cfmp.channels.twilio.openapi import paths

    return paths()


TYPE = ChannelType(
    name=NAME,
    carries=("voice",),
    adapter=_adapter,
    urls="cfmp.channels.twilio.urls",
    doors={
        "voice-twilio-answer": "twilio-signature",
        "voice-twilio-gather": "twilio-signature",
        "voice-twilio-status": "twilio-signature",
    },
    credentials={"twilio-signature": "the provider's request signature (CFMP_TWILIO_AUTH_TOKEN)"},
    openapi=_openapi,
)

from cfmp.channels.base import Channel, ChannelType

NAME = "twilio"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.twilio.adapter import TwilioVoiceChannel

    return TwilioVoiceChannel.from_settings()


TYPE = ChannelType(
    name=NAME, carries=("voice",), adapter=_adapter, urls="cfmp.channels.twilio.urls"
)

from cfmp.channels.base import Channel, ChannelType

NAME = "kannel"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.kannel.adapter import KannelChannel

    return KannelChannel.from_settings()


TYPE = ChannelType(name=NAME, carries=("sms",), adapter=_adapter, urls="cfmp.channels.kannel.urls")

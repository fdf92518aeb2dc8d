from cfmp.channels.base import Channel, ChannelType

NAME = "sip"
LINES_PER_PROCESS = 4  # PJSUA_MAX_CALLS of the packaged PJSIP build


def _adapter(channel: str) -> Channel:
    from cfmp.channels.sip.adapter import SipChannel

    return SipChannel.from_settings()


# A voice worker's send task carries as many calls as its process has lines.
TYPE = ChannelType(name=NAME, carries=("voice",), adapter=_adapter, send_batch=LINES_PER_PROCESS)

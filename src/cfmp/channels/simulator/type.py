from cfmp.channels.base import Channel, ChannelType

NAME = "simulator"


def _adapter(channel: str) -> Channel:
    from cfmp.channels.simulator.adapter import SimulatorChannel

    return SimulatorChannel(channel)


# Its citizens are invented: never counted as real feedback outside the demo (0008).
TYPE = ChannelType(name=NAME, carries=("sms", "voice"), adapter=_adapter, simulated=True)

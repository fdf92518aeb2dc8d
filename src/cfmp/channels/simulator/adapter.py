"""The built-in citizen simulator: a channel that stands in for the phone network in the
default `make run`, and only there (and in CFMP's tests: CFMP_SIMULATOR_ALLOWED). It
accepts every message at once; then, unless turned off (CFMP_SIMULATOR_CITIZENS=0), the
simulated citizen reacts a few seconds later, through the same paths a real gateway uses:
a delivery report, and sometimes a reply (`citizens`, `reactions`)."""

from __future__ import annotations

import uuid

from django.conf import settings

from cfmp.channels.base import Accepted, ChannelError, OutboundMessage, own_setting
from cfmp.outreach.models import SIMULATOR_ID_PREFIX


class SimulatorChannel:
    parallel = False  # instant; and its citizens' reactions are scheduled from send()

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[OutboundMessage] = []  # what a test can inspect

    def send(self, message: OutboundMessage) -> Accepted:
        if not settings.CFMP_SIMULATOR_ALLOWED:
            # Outside the demo a simulated citizen's answer would be taken for a real one.
            raise ChannelError(
                f"the citizen simulator works only in the demo (CFMP_DEMO=1): configure a real "
                f"gateway for {self.name} (see `cfmp check --deploy`) or turn the channel off "
                f"in the survey plans (`cfmp plans`)",
                retryable=False,
            )
        self.sent.append(message)
        if message.attempt_id is not None and own_setting("CFMP_SIMULATOR_CITIZENS"):
            _schedule_reaction(message)
        return Accepted(gateway_id=f"{SIMULATOR_ID_PREFIX}{uuid.uuid4().hex}")


def _schedule_reaction(message: OutboundMessage) -> None:
    from cfmp.channels.simulator.citizens import reaction_to
    from cfmp.channels.simulator.tasks import simulated_reply_task, simulated_report_task

    assert message.attempt_id is not None
    reaction = reaction_to(attempt_id=message.attempt_id, channel=message.channel)
    # For a robocall, the report is the call's end, with the key pressed (if any).
    simulated_report_task.apply_async((message.attempt_id,), countdown=reaction.report_after)
    if reaction.reply is not None:
        simulated_reply_task.apply_async((message.attempt_id,), countdown=reaction.reply_after)

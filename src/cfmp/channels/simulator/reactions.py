"""A simulated citizen's reactions, landing through the paths a real gateway's do: the
delivery report (or, for a robocall, the call's end) through outreach, the reply through
feedback's inbound door."""

from __future__ import annotations

from django.conf import settings

from cfmp.channels.simulator.citizens import reaction_to
from cfmp.channels.simulator.type import NAME
from cfmp.feedback import services as feedback_services
from cfmp.outreach import dispatch
from cfmp.outreach.models import Channel, ContactAttempt
from cfmp.outreach.voice.results import record_call_result


def apply_simulated_report(attempt_id: int) -> bool:
    """The simulated citizen's phone reports delivery (or not) of one attempt."""
    attempt = ContactAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    reaction = reaction_to(attempt_id=attempt_id, channel=attempt.channel)
    if attempt.channel == Channel.VOICE:
        return record_call_result(
            attempt_id=attempt_id,
            outcome=reaction.call_outcome,
            digit=reaction.digit or "",
            seconds=reaction.call_seconds,
        )
    return dispatch.record_delivery_report(
        attempt_id=attempt_id,
        delivered=reaction.delivered,
        error=reaction.error,
        retryable=not reaction.delivered,
    )


def receive_simulated_reply(*, attempt_id: int) -> bool:
    """The simulated citizen's reply to one attempt, if they reply (`citizens`);
    delivered twice, it is stored once."""
    attempt = ContactAttempt.objects.select_related("survey").filter(pk=attempt_id).first()
    if attempt is None:
        return False
    reaction = reaction_to(attempt_id=attempt_id, channel=attempt.channel)
    if reaction.reply is None:
        return False
    return feedback_services.receive_sms(
        gateway=NAME,
        gateway_message_id=f"reply-to-{attempt_id}",
        sender=attempt.survey.mobile,
        recipient=settings.CFMP_SMS_SENDER,
        text=reaction.reply,
    ).created

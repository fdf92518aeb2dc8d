"""Writes of the feedback app: taking in what citizens send."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cfmp.feedback.amounts import bribe_amount
from cfmp.feedback.callcentre import call_back_if_unclear
from cfmp.feedback.classifier import Classification, get_classifier
from cfmp.feedback.models import Category, Feedback, FeedbackChannel, Gateway, InboundMessage
from cfmp.feedback.optout import is_opt_out_request
from cfmp.intake.phones import normalise_phone
from cfmp.outreach import selectors as outreach_selectors
from cfmp.outreach import services as outreach_services
from cfmp.outreach.models import OptOut

OPT_OUT_ACKNOWLEDGEMENT = (
    "آپ کو آئندہ کوئی پیغام نہیں بھیجا جائے گا۔ "
    "You will receive no more messages from the Citizen Feedback Monitoring Program."
)


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool  # False: the gateway repeated a message already stored


def receive_sms(
    *,
    gateway: str,
    gateway_message_id: str,
    sender: str,
    text: str,
    recipient: str = "",
    received_at: dt.datetime | None = None,
) -> Received:
    """Store one inbound SMS raw, once per gateway message id; tie it to the most recent
    survey of that number still awaiting a reply (else it is unsolicited); a STOP opts the
    number out at once and is acknowledged."""
    received_at = received_at or timezone.now()
    existing = InboundMessage.objects.filter(
        gateway=gateway, gateway_message_id=gateway_message_id
    ).first()
    if existing is not None:
        return Received(existing, created=False)
    mobile = normalise_phone(sender).e164 or sender.strip()[:32]
    wants_out = is_opt_out_request(text)
    try:
        with transaction.atomic():
            survey = outreach_selectors.survey_awaiting_reply(mobile=mobile, at=received_at)
            kind = (
                InboundMessage.Kind.OPT_OUT
                if wants_out
                else InboundMessage.Kind.REPLY
                if survey
                else InboundMessage.Kind.UNSOLICITED
            )
            message = InboundMessage.objects.create(
                gateway=gateway,
                gateway_message_id=gateway_message_id,
                sender=mobile,
                recipient=recipient[:32],
                text=text,
                received_at=received_at,
                kind=kind,
                survey=survey,
            )
            if survey is not None:
                outreach_services.record_answer(survey=survey, at=received_at)
            if wants_out and outreach_services.opt_out(
                mobile=mobile, source=OptOut.Source.SMS, note=text[:200]
            ):
                transaction.on_commit(functools.partial(_acknowledge_opt_out, mobile))
            transaction.on_commit(functools.partial(_classify_later, message.pk))
    except IntegrityError:
        # The same callback, delivered twice at once: the other delivery stored it.
        message = InboundMessage.objects.get(gateway=gateway, gateway_message_id=gateway_message_id)
        return Received(message, created=False)
    return Received(message, created=True)


def receive_simulated_reply(*, attempt_id: int) -> bool:
    """The simulated citizen's reply to one attempt, if they reply (see outreach.citizens);
    delivered twice, it is stored once."""
    from cfmp.outreach.citizens import reaction_to
    from cfmp.outreach.models import ContactAttempt

    attempt = ContactAttempt.objects.select_related("survey").filter(pk=attempt_id).first()
    if attempt is None:
        return False
    reaction = reaction_to(attempt_id=attempt_id, channel=attempt.channel)
    if reaction.reply is None:
        return False
    return receive_sms(
        gateway=Gateway.SIMULATOR,
        gateway_message_id=f"reply-to-{attempt_id}",
        sender=attempt.survey.mobile,
        recipient=settings.CFMP_SMS_SENDER,
        text=reaction.reply,
    ).created


def _classify_later(message_id: int) -> None:
    from cfmp.feedback.tasks import classify_message_task

    classify_message_task.delay(message_id)


def classify_message(*, message_id: int) -> Feedback | None:
    """The reply's feedback: classified once (a repeated task finds it done). Uncertain
    results are marked for review."""
    existing = Feedback.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    message = InboundMessage.objects.select_related("survey").filter(pk=message_id).first()
    if message is None:
        return None
    if message.kind == InboundMessage.Kind.OPT_OUT:
        result = Classification(Category.OPT_OUT, 1.0, None)
    else:
        result = get_classifier().classify(message.text)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                channel=FeedbackChannel.SMS,
                message=message,
                survey=message.survey,
                transaction_id=message.survey.transaction_id if message.survey else None,
                category=result.category,
                confidence=result.confidence,
                bribe_amount=result.bribe_amount,
                needs_review=result.confidence < settings.CFMP_REVIEW_BELOW,
            )
            call_back_if_unclear(feedback, mobile=message.sender)
            return feedback
    except IntegrityError:  # the same task, run twice at once
        return Feedback.objects.get(message_id=message_id)


def classify_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Classify replies whose task was lost (a broker restart): the periodic sweep."""
    cutoff = timezone.now() - older_than
    pending = list(
        InboundMessage.objects.filter(feedback__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for message_id in pending:
        classify_message(message_id=message_id)
    return len(pending)


def _acknowledge_opt_out(mobile: str) -> None:
    from cfmp.outreach.tasks import send_service_message_task

    send_service_message_task.delay(mobile, OPT_OUT_ACKNOWLEDGEMENT)


def review_feedback(*, feedback: Feedback, reviewer: Any, category: str) -> Feedback:
    """A reviewer confirms or corrects a category. The classifier's answer stays in
    `classified_as`; corrected replies train the next model (`cfmp train-classifier`)."""
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    feedback.classified_as = feedback.classified_as or feedback.category
    feedback.category = category
    text = feedback.message.text if feedback.message is not None else ""
    feedback.bribe_amount = bribe_amount(text) if category == Category.BRIBE else None
    feedback.needs_review = False
    feedback.reviewed_by = reviewer
    feedback.reviewed_at = timezone.now()
    feedback.save(
        update_fields=[
            "classified_as",
            "category",
            "bribe_amount",
            "needs_review",
            "reviewed_by",
            "reviewed_at",
        ]
    )
    return feedback

"""Writes of the feedback app: taking in what citizens send."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.channels import registry
from cfmp.core import quarantine
from cfmp.core.bounds import OutOfBounds, check_moment, clean_text
from cfmp.core.models import Pipeline
from cfmp.feedback import announce, callcentre
from cfmp.feedback.amounts import bribe_amount
from cfmp.feedback.classifier import Classification, get_classifier
from cfmp.feedback.models import (
    Category,
    Feedback,
    FeedbackChannel,
    FeedbackCorrection,
    InboundMessage,
)
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
class NewFeedback:
    """One feedback to record, whichever way the citizen answered: an SMS reply
    (`message`), a robocall's key (`attempt`, `keypad_digit`), an agent's call (`call`),
    a kiosk visit (a walk-in's `office` and `service` when no transaction is known)."""

    channel: str
    category: str
    confidence: float = 1.0
    simulated: bool = False
    message: InboundMessage | None = None
    survey_id: int | None = None
    transaction_id: int | None = None
    attempt_id: int | None = None
    call_id: int | None = None
    keypad_digit: str = ""
    bribe_amount: int | None = None
    needs_review: bool = False
    note: str = ""
    office_id: int | None = None
    service_id: int | None = None


def record_feedback(
    *,
    channel: str,
    category: str,
    confidence: float = 1.0,
    simulated: bool = False,
    message: InboundMessage | None = None,
    survey_id: int | None = None,
    transaction_id: int | None = None,
    attempt_id: int | None = None,
    call_id: int | None = None,
    keypad_digit: str = "",
    bribe_amount: int | None = None,
    needs_review: bool = False,
    note: str = "",
    office_id: int | None = None,
    service_id: int | None = None,
) -> Feedback:
    """The one way a Feedback is created (SMS, keypad, agent, kiosk): the row, and the
    `feedback_recorded` event once the transaction commits (cases files a complaint).
    Raises IntegrityError when the reply, attempt or call already has its feedback."""
    (feedback,) = record_feedback_many(
        items=[
            NewFeedback(
                channel=channel,
                category=category,
                confidence=confidence,
                simulated=simulated,
                message=message,
                survey_id=survey_id,
                transaction_id=transaction_id,
                attempt_id=attempt_id,
                call_id=call_id,
                keypad_digit=keypad_digit,
                bribe_amount=bribe_amount,
                needs_review=needs_review,
                note=note,
                office_id=office_id,
                service_id=service_id,
            )
        ]
    )
    return feedback


def record_feedback_many(*, items: Sequence[NewFeedback]) -> list[Feedback]:
    """`record_feedback` for many in one insert and one event (the classifier's batches)."""
    if any(item.category not in Category.values for item in items):
        raise ValueError("unknown category")
    if any(item.channel not in FeedbackChannel.values for item in items):
        raise ValueError("unknown channel")
    with transaction.atomic():
        rows = [Feedback(**{f.name: getattr(item, f.name) for f in fields(item)}) for item in items]
        made = Feedback.objects.bulk_create(rows)
        announce.recorded([feedback.pk for feedback in made])
    return made


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool  # False: the gateway repeated a message already stored


@dataclass(frozen=True)
class Sms:
    """One inbound SMS as a gateway hands it over."""

    gateway_message_id: str
    sender: str
    text: str
    recipient: str = ""
    received_at: dt.datetime | None = None


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
    sms = Sms(gateway_message_id, sender, text, recipient, received_at)
    return receive_sms_batch(gateway=gateway, messages=[sms])[0]


MAX_SMS_TEXT = 5000  # characters: a long concatenated SMS is ~1,500; more is kept cut
MAX_MESSAGE_ID = 100  # InboundMessage.gateway_message_id
MAX_NUMBER = 32  # InboundMessage.sender


def checked_sms(sms: Sms, *, prefix: str = "", now: dt.datetime | None = None) -> Sms:
    """The message as it may be stored, or OutOfBounds naming the field (after `prefix`):
    every gateway's message passes here. A citizen's text is never refused for its
    characters: control characters and broken surrogates are dropped, an overlong text cut."""
    message_id = clean_text(
        sms.gateway_message_id, field=f"{prefix}id", max_length=MAX_MESSAGE_ID, one_line=True
    )
    sender = clean_text(sms.sender, field=f"{prefix}from", max_length=MAX_NUMBER, one_line=True)
    if not message_id.strip():
        raise OutOfBounds(f"{prefix}id", "required")
    if not sender.strip():
        raise OutOfBounds(f"{prefix}from", "required")
    return Sms(
        gateway_message_id=message_id,
        sender=sender,
        text=clean_text(sms.text, field=f"{prefix}text", max_length=MAX_SMS_TEXT, strict=False),
        recipient=clean_text(
            sms.recipient, field=f"{prefix}to", max_length=MAX_NUMBER, strict=False, one_line=True
        ),
        received_at=None
        if sms.received_at is None
        else check_moment(sms.received_at, field=f"{prefix}received_at", now=now),
    )


def receive_sms_batch(*, gateway: str, messages: Sequence[Sms]) -> list[Received]:
    """`receive_sms` for many messages in a handful of queries (gateways that post in
    batches, and the webhook at volume); one Received per message, in order. A message that
    cannot be stored (`checked_sms`) refuses the batch with OutOfBounds, before anything is
    stored."""
    prefixed = len(messages) > 1
    messages = [
        checked_sms(sms, prefix=f"messages[{n}]." if prefixed else "")
        for n, sms in enumerate(messages)
    ]
    try:
        with transaction.atomic():
            return _store_messages(gateway, messages)
    except IntegrityError:
        # Some were stored meanwhile by a concurrent delivery of the same callback: take
        # them one at a time, each finding what is there.
        return [_store_one(gateway, sms) for sms in messages]


def _store_one(gateway: str, sms: Sms) -> Received:
    try:
        with transaction.atomic():
            return _store_messages(gateway, [sms])[0]
    except IntegrityError:
        message = InboundMessage.objects.get(
            gateway=gateway, gateway_message_id=sms.gateway_message_id
        )
        return Received(message, created=False)


def _store_messages(gateway: str, messages: Sequence[Sms]) -> list[Received]:
    now = timezone.now()
    known = {
        message.gateway_message_id: message
        for message in InboundMessage.objects.filter(
            gateway=gateway, gateway_message_id__in={sms.gateway_message_id for sms in messages}
        )
    }
    senders = {
        sms.sender: normalise_phone(sms.sender).e164 or sms.sender.strip()[:32] for sms in messages
    }
    surveys = outreach_selectors.surveys_awaiting_replies(
        queries=[(senders[sms.sender], sms.received_at or now) for sms in messages]
    )
    results: list[Received] = []
    fresh: list[InboundMessage] = []
    for sms in messages:
        if sms.gateway_message_id in known:  # stored before, or earlier in this batch
            results.append(Received(known[sms.gateway_message_id], created=False))
            continue
        mobile, at = senders[sms.sender], sms.received_at or now
        survey = surveys.get((mobile, at))
        message = InboundMessage(
            gateway=gateway,
            gateway_message_id=sms.gateway_message_id,
            sender=mobile,
            recipient=sms.recipient[:32],
            text=sms.text,
            received_at=at,
            kind=_kind(sms.text, survey),
            survey=survey,
        )
        known[sms.gateway_message_id] = message
        fresh.append(message)
        results.append(Received(message, created=True))
    InboundMessage.objects.bulk_create(fresh)
    first_answers: dict[int, dt.datetime] = {}
    for message in fresh:
        if message.survey_id is not None:
            earliest = first_answers.get(message.survey_id, message.received_at)
            first_answers[message.survey_id] = min(earliest, message.received_at)
    outreach_services.record_answers(first_answers=first_answers)
    wanting_out = {m.sender: m.text for m in fresh if m.kind == InboundMessage.Kind.OPT_OUT}
    for mobile in outreach_services.opt_out_many(notes=wanting_out, source=OptOut.Source.SMS):
        transaction.on_commit(functools.partial(_acknowledge_opt_out, mobile))
    if fresh:
        transaction.on_commit(functools.partial(_classify_later, [m.pk for m in fresh]))
    return results


def _mobile(sender: str) -> str:
    """E.164 when the sender can be read as a number, else as received."""
    return normalise_phone(sender).e164 or sender.strip()[:32]


def _kind(text: str, survey: object) -> str:
    if is_opt_out_request(text):
        return InboundMessage.Kind.OPT_OUT
    return InboundMessage.Kind.REPLY if survey is not None else InboundMessage.Kind.UNSOLICITED


def _classify_later(message_ids: list[int]) -> None:
    from cfmp.feedback.tasks import classify_messages_task

    classify_messages_task.delay(message_ids)


def _feedback_for(message: InboundMessage, result: Classification) -> NewFeedback:
    return NewFeedback(
        channel=FeedbackChannel.SMS,
        simulated=registry.is_simulated(message.gateway),
        message=message,
        survey_id=message.survey_id,
        transaction_id=message.survey.transaction_id if message.survey else None,
        category=result.category,
        confidence=result.confidence,
        bribe_amount=result.bribe_amount,
        needs_review=result.confidence < settings.CFMP_REVIEW_BELOW,
    )


def _classifications(messages: list[InboundMessage]) -> list[Classification]:
    """A STOP is an opt-out whatever the model says; the rest in one pass of the model."""
    texts = [m.text for m in messages if m.kind != InboundMessage.Kind.OPT_OUT]
    read = iter(get_classifier().classify_many(texts))
    return [
        Classification(Category.OPT_OUT, 1.0, None)
        if m.kind == InboundMessage.Kind.OPT_OUT
        else next(read)
        for m in messages
    ]


def classify_message(*, message_id: int) -> Feedback | None:
    """The reply's feedback: classified once (a repeated task finds it done). Uncertain
    results are marked for review; unclear ones put to the call centre."""
    existing = Feedback.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    message = InboundMessage.objects.select_related("survey").filter(pk=message_id).first()
    if message is None:
        return None
    (result,) = _classifications([message])
    try:
        with transaction.atomic():
            (feedback,) = record_feedback_many(items=[_feedback_for(message, result)])
            callcentre.call_back_unclear([(feedback, message.sender)])
            return feedback
    except IntegrityError:  # the same task, run twice at once
        return Feedback.objects.get(message_id=message_id)


BACKLOG = 500  # replies a classification task takes on beyond its own


def classify_messages(*, message_ids: list[int], with_backlog: bool = False) -> int:
    """`classify_message` for many replies in one pass of the model and one insert;
    returns how many were classified now (after a clash with another task, how many were
    asked for). With `with_backlog`, also the
    replies received since that no task has classified yet: under load, when one task per
    reply would queue up, the first task takes the whole backlog and the rest find their
    work done. Replies another worker is classifying are skipped, not waited for.

    One reply that cannot be classified never holds back the others (issue 18): a batch
    that fails is split until the culprit is alone, and it is quarantined with its error
    (`cfmp.core.quarantine`), left out of the sweeps until it is due to be tried again."""
    if not message_ids:
        return 0
    held = quarantine.held_ids(Pipeline.CLASSIFICATION)
    wanted = set(message_ids)
    if with_backlog:
        wanted |= set(_backlog_after(min(message_ids), held=held))
    ids = sorted(wanted - held)
    classified = 0

    def process(chunk: list[int]) -> None:
        nonlocal classified
        classified += _classify_batch(chunk)

    quarantine.run_isolated(pipeline=Pipeline.CLASSIFICATION, items=ids, process=process)
    return classified


def _classify_batch(message_ids: list[int]) -> int:
    try:
        with transaction.atomic():
            messages = list(
                InboundMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__in=message_ids, feedback__isnull=True)
                .select_related("survey")
                .order_by("pk")
            )
            if not messages:
                return 0
            results = _classifications(messages)
            made = record_feedback_many(
                items=[_feedback_for(m, r) for m, r in zip(messages, results, strict=True)]
            )
            callcentre.call_back_unclear(
                [(f, m.sender) for f, m in zip(made, messages, strict=True)]
            )
    except IntegrityError:  # another task classified some of them meanwhile
        for message_id in message_ids:
            classify_message(message_id=message_id)
        return len(message_ids)
    return len(messages)


def _backlog_after(first_id: int, *, held: set[int]) -> list[int]:
    return list(
        InboundMessage.objects.filter(pk__gt=first_id, feedback__isnull=True)
        .exclude(pk__in=held)
        .order_by("pk")
        .values_list("pk", flat=True)[:BACKLOG]
    )


def classify_pending(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> int:
    """Classify replies whose task was lost (a broker restart): the periodic sweep. Replies
    in quarantine wait for their next try, so a poison one cannot stop the sweep."""
    cutoff = timezone.now() - older_than
    pending = list(
        InboundMessage.objects.filter(feedback__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=quarantine.held_ids(Pipeline.CLASSIFICATION))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    return classify_messages(message_ids=pending) if pending else 0


def _acknowledge_opt_out(mobile: str) -> None:
    from cfmp.outreach.tasks import send_service_message_task

    send_service_message_task.delay(mobile, OPT_OUT_ACKNOWLEDGEMENT)


def correct_category(
    *,
    feedback: Feedback,
    by: User,
    category: str,
    reason: str = "",
    via: str = FeedbackCorrection.Via.REVIEW,
    now: dt.datetime | None = None,
) -> FeedbackCorrection | None:
    """A person changes what a feedback counts as; the change is recorded (who, from what,
    to what, why, when) and a bribe's amount read again from the citizen's words. A
    complaint no longer of its case's kind leaves that case (`cases` records why), and a
    new complaint is filed. None when the category was already that."""
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    now = now or timezone.now()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        previous = feedback.category
        feedback.classified_as = feedback.classified_as or previous
        feedback.needs_review = False
        feedback.reviewed_by, feedback.reviewed_at = by, now
        fields = ["classified_as", "needs_review", "reviewed_by", "reviewed_at"]
        correction = None
        if category != previous:
            feedback.category = category
            text = feedback.message.text if feedback.message is not None else feedback.note
            if category != Category.BRIBE:
                feedback.bribe_amount = None
            elif feedback.bribe_amount is None:
                feedback.bribe_amount = bribe_amount(text)
            fields += ["category", "bribe_amount"]
            correction = FeedbackCorrection.objects.create(
                feedback=feedback,
                by=by,
                at=now,
                from_category=previous,
                to_category=category,
                reason=reason.strip(),
                via=via,
            )
        feedback.save(update_fields=fields)
        if correction is not None:
            announce.corrected(correction)
        announce.recorded([feedback.pk])  # a complaint now, if it was not one before
    return correction


def review_feedback(
    *, feedback: Feedback, reviewer: User, category: str, reason: str = ""
) -> Feedback:
    """A reviewer confirms or corrects a category. The classifier's answer stays in
    `classified_as`, each correction in FeedbackCorrection; corrected replies train the
    next model (`cfmp train-classifier`)."""
    correct_category(feedback=feedback, by=reviewer, category=category, reason=reason)
    feedback.refresh_from_db()
    return feedback

"""Writes of the call-centre console: who must be called, one call at a time per agent, and
what each call found. Keypad answers from robocalls land here too, since a citizen pressing 9
asks for an agent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cfmp.feedback import services as feedback_services
from cfmp.feedback.classifier import get_classifier
from cfmp.feedback.models import CallRequest, Category, CitizenCall, Feedback, FeedbackChannel
from cfmp.feedback.questionnaire import QUESTIONS, Verdict, verdict_from_answers
from cfmp.intake.models import Transaction
from cfmp.outreach import dispatch
from cfmp.outreach import services as outreach_services
from cfmp.outreach.models import CALL_ME, ContactAttempt, OptOut, Survey

OPEN = (CallRequest.State.WAITING, CallRequest.State.IN_CALL)
Reason = CallRequest.Reason


def request_call(
    *,
    mobile: str,
    reason: str,
    survey: Survey | None = None,
    attempt: ContactAttempt | None = None,
    about_feedback: Feedback | None = None,
    now: dt.datetime | None = None,
) -> CallRequest:
    """Put a citizen in the call queue; if they are already in it, the more urgent reason
    wins and they are still called once."""
    now = now or timezone.now()
    priority = CallRequest.PRIORITY[Reason(reason)]
    with transaction.atomic():
        existing = CallRequest.objects.select_for_update().filter(mobile=mobile, state__in=OPEN)
        request = existing.first()
        if request is not None:
            if priority < request.priority:
                request.priority, request.reason = priority, reason
                request.about_feedback = about_feedback or request.about_feedback
                request.save(update_fields=["priority", "reason", "about_feedback"])
            return request
        try:
            with transaction.atomic():
                return CallRequest.objects.create(
                    reason=reason,
                    priority=priority,
                    mobile=mobile,
                    survey=survey,
                    transaction_id=survey.transaction_id if survey else None,
                    attempt=attempt,
                    about_feedback=about_feedback,
                    due_at=now,
                    created_at=now,
                )
        except IntegrityError:  # queued at the same moment by another worker
            return CallRequest.objects.get(mobile=mobile, state__in=OPEN)


def queue_manual_calls(*, now: dt.datetime | None = None) -> int:
    """The outreach plan's manual-call sample, due now, into the queue."""
    now = now or timezone.now()
    attempts = outreach_services.due_manual_calls(now=now)
    queued = []
    for attempt in attempts:
        request = request_call(
            mobile=attempt.survey.mobile,
            reason=Reason.SAMPLE,
            survey=attempt.survey,
            attempt=attempt,
            now=now,
        )
        if request.attempt_id == attempt.pk:
            queued.append(attempt.pk)
        else:  # the citizen is already in the queue for something else: one call will do
            outreach_services.hand_to_call_centre(attempt_ids=[attempt.pk], now=now)
            dispatch.finish_attempt(
                attempt_id=attempt.pk, reached=False, error="merged with an earlier call"
            )
    outreach_services.hand_to_call_centre(attempt_ids=queued, now=now)
    return len(attempts)


def _release_abandoned(now: dt.datetime) -> None:
    """Calls an agent took and never finished (closed the browser) go back to the queue."""
    CallRequest.objects.filter(
        state=CallRequest.State.IN_CALL,
        claimed_at__lt=now - dt.timedelta(minutes=settings.CFMP_CALL_HOLD_MINUTES),
    ).update(state=CallRequest.State.WAITING, agent=None, claimed_at=None)


def take_next_call(*, agent: Any, now: dt.datetime | None = None) -> CallRequest | None:
    """The agent's call: the one they hold, else the most urgent waiting one, which becomes
    theirs alone (two agents never get the same citizen)."""
    now = now or timezone.now()
    _release_abandoned(now)
    held = CallRequest.objects.filter(state=CallRequest.State.IN_CALL, agent=agent).first()
    if held is not None:
        return held
    with transaction.atomic():
        request = (
            CallRequest.objects.select_for_update(skip_locked=True)
            .filter(state=CallRequest.State.WAITING, due_at__lte=now)
            .order_by("priority", "due_at", "pk")
            .first()
        )
        if request is None:
            return None
        request.state, request.agent, request.claimed_at = CallRequest.State.IN_CALL, agent, now
        request.save(update_fields=["state", "agent", "claimed_at"])
        return request


def record_call(
    *,
    request: CallRequest,
    agent: Any,
    outcome: str,
    answers: dict,
    notes: str = "",
    now: dt.datetime | None = None,
) -> CitizenCall:
    """What the agent's call found. An answered call becomes the citizen's feedback (channel
    agent); a wrong number is a not-availed sign; no answer is tried again later, up to
    CFMP_CALL_TRIES; a refusal ends it."""
    now = now or timezone.now()
    _check_answers(outcome, answers)
    with transaction.atomic():
        request = CallRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != CallRequest.State.IN_CALL or request.agent_id != agent.pk:
            raise ValueError("this call is not yours to record")
        call = CitizenCall.objects.create(
            request=request,
            logged_by=agent,
            mobile=request.mobile,
            transaction_id=request.transaction_id,
            called_at=now,
            outcome=outcome,
            answers=answers,
            notes=notes,
        )
        request.tries += 1
        if outcome == CitizenCall.Outcome.NO_ANSWER and request.tries < settings.CFMP_CALL_TRIES:
            request.state, request.agent, request.claimed_at = CallRequest.State.WAITING, None, None
            request.due_at = now + dt.timedelta(minutes=settings.CFMP_CALL_RETRY_MINUTES)
        else:
            request.state = (
                CallRequest.State.GIVEN_UP
                if outcome == CitizenCall.Outcome.NO_ANSWER
                else CallRequest.State.DONE
            )
            request.closed_at = now
            if request.attempt_id:
                dispatch.finish_attempt(
                    attempt_id=request.attempt_id,
                    reached=outcome in (CitizenCall.Outcome.ANSWERED, CitizenCall.Outcome.REFUSED),
                    error="" if outcome == CitizenCall.Outcome.ANSWERED else outcome,
                )
        request.save()
        _feedback_from_call(call, survey_id=request.survey_id, at=now)
        return call


def log_direct_call(
    *,
    logged_by: Any,
    direct_caller: str,
    mobile: str,
    outcome: str,
    answers: dict,
    notes: str = "",
    called_at: dt.datetime | None = None,
) -> CitizenCall:
    """A senior official called a citizen themselves: kept on the record, and their answers
    count as feedback about the citizen's latest transaction."""
    called_at = called_at or timezone.now()
    _check_answers(outcome, answers)
    latest = latest_transaction_of(mobile)
    with transaction.atomic():
        call = CitizenCall.objects.create(
            logged_by=logged_by,
            direct_caller=direct_caller,
            mobile=mobile,
            transaction=latest,
            called_at=called_at,
            outcome=outcome,
            answers=answers,
            notes=notes,
        )
        survey_id = getattr(getattr(latest, "survey", None), "pk", None) if latest else None
        _feedback_from_call(call, survey_id=survey_id, at=called_at)
        return call


def _check_answers(outcome: str, answers: dict) -> None:
    """An answered call carries an explicit answer to every question, whatever channel or
    form recorded it (a question the citizen declined says so): nothing is assumed."""
    if outcome == CitizenCall.Outcome.ANSWERED:
        missing = [question for question in QUESTIONS if not answers.get(question)]
        if missing:
            raise ValueError(f"an answered call needs every answer; missing {missing}")
    elif answers:
        raise ValueError("only an answered call has answers")


def call_verdict(*, outcome: str, answers: dict) -> Verdict | None:
    """What a call will be recorded as: the answers' verdict for an answered call, a
    not-availed sign for a wrong number, nothing (None) otherwise."""
    if outcome == CitizenCall.Outcome.WRONG_NUMBER:
        return Verdict(Category.NOT_AVAILED, None)
    if outcome == CitizenCall.Outcome.ANSWERED:
        return verdict_from_answers(answers, classify_comment=get_classifier().classify)
    return None


def latest_transaction_of(mobile: str) -> Transaction | None:
    """The transaction a direct call to this number is about: the citizen's latest."""
    return (
        Transaction.objects.filter(mobile=mobile)
        .select_related("office", "official", "service")
        .order_by("-occurred_at", "-pk")
        .first()
    )


def summarise_call(
    *, outcome: str, answers: dict, about: Transaction | None, tries: int = 0
) -> str:
    """In words, what recording this call will put on the record, for the agent to confirm
    before it is saved: "Bribe of Rs 2,000 against <official> (<office>)"."""
    verdict = call_verdict(outcome=outcome, answers=answers)
    if outcome == CitizenCall.Outcome.NO_ANSWER:
        if tries + 1 < settings.CFMP_CALL_TRIES:
            return _("No answer: the citizen will be called again later.")
        return _("No answer, for the last time: the call is given up.")
    if outcome == CitizenCall.Outcome.REFUSED:
        return _("The citizen refused to talk: nothing is recorded against anyone.")
    assert verdict is not None
    target = _target(about)
    if verdict.category == Category.BRIBE:
        if verdict.bribe_amount:
            return _("Bribe of Rs %(amount)s against %(target)s.") % {
                "amount": f"{verdict.bribe_amount:,}",
                "target": target,
            }
        return _("Bribe (amount not said) against %(target)s.") % {"target": target}
    if verdict.category == Category.NOT_AVAILED:
        return _("Service not received (a sign the transaction may be fake), about %(target)s.") % {
            "target": target
        }
    if verdict.category == Category.SATISFIED:
        return _("Satisfied: no complaint against anyone.")
    if verdict.category == Category.UNCLEAR:
        return _("The citizen said nothing either way: recorded as unclear, no complaint.")
    return _("Complaint of %(kind)s against %(target)s.") % {
        "kind": Category(verdict.category).label,
        "target": target,
    }


def _target(about: Transaction | None) -> str:
    if about is None:
        return _("no known official (the transaction is not known)")
    if about.official is not None:
        return f"{about.official.name} ({about.office.name})"
    return _("the office %(office)s (no official named)") % {"office": about.office.name}


def _feedback_from_call(call: CitizenCall, *, survey_id: int | None, at: dt.datetime) -> None:
    verdict = call_verdict(outcome=call.outcome, answers=call.answers)
    if verdict is None:
        return
    category, amount = verdict.category, verdict.bribe_amount
    feedback_services.record_feedback(
        channel=FeedbackChannel.AGENT,
        call_id=call.pk,
        survey_id=survey_id,
        transaction_id=call.transaction_id,
        category=category,
        bribe_amount=amount,
        note=call.answers.get("comments", "") or call.notes,
    )
    if survey_id is not None:
        survey = Survey.objects.get(pk=survey_id)
        outreach_services.record_answer(survey=survey, at=at)


def record_keypad_answer(
    *, attempt_id: int, digit: str, at: dt.datetime | None = None
) -> Feedback | CallRequest | None:
    """A digit pressed on a robocall: feedback (channel ivr) by the plan's keypad, or, for
    the call-me digit, a place in the call queue. Once per attempt: a repeated callback
    changes nothing. Unknown digits are kept as unclear."""
    at = at or timezone.now()
    attempt = ContactAttempt.objects.select_related("survey__plan").filter(pk=attempt_id).first()
    if attempt is None:
        return None
    survey = attempt.survey
    meaning = survey.plan.keypad.get(digit, Category.UNCLEAR)
    outreach_services.record_answer(survey=survey, at=at, stop_contacts=False)
    if meaning == CALL_ME:
        if OptOut.objects.filter(mobile=survey.mobile).exists():
            return None
        asked = CallRequest.objects.filter(survey=survey, reason=Reason.CITIZEN_ASKED).first()
        if asked is not None:
            return asked
        return request_call(mobile=survey.mobile, reason=Reason.CITIZEN_ASKED, survey=survey)
    if meaning not in Category.values:
        meaning = Category.UNCLEAR
    try:
        with transaction.atomic():
            return feedback_services.record_feedback(
                channel=FeedbackChannel.IVR,
                simulated=attempt.made_by_simulator,
                attempt_id=attempt.pk,
                survey_id=survey.pk,
                transaction_id=survey.transaction_id,
                category=meaning,
                keypad_digit=digit[:1],
            )
    except IntegrityError:
        return Feedback.objects.get(attempt=attempt)


def call_back_unclear(pairs: list[tuple[Feedback, str]], *, now: dt.datetime | None = None) -> int:
    """SMS replies the classifier could not read (a question, "call me") are put to an agent,
    unless the number cannot be called back or opted out: (feedback, sender) pairs, in a few
    queries. A number already waiting keeps its one request; if that is only the sample,
    it is raised to the unclear reply's urgency."""
    now = now or timezone.now()
    unclear = {
        mobile: feedback
        for feedback, mobile in pairs
        if feedback.category == Category.UNCLEAR and mobile.startswith("+")
    }
    if not unclear:
        return 0
    opted_out = set(OptOut.objects.filter(mobile__in=unclear).values_list("mobile", flat=True))
    waiting = CallRequest.objects.filter(mobile__in=unclear, state__in=OPEN)
    sample = {
        r.mobile: r for r in waiting.filter(reason=Reason.SAMPLE) if r.mobile not in opted_out
    }
    skip = opted_out | set(waiting.values_list("mobile", flat=True))
    priority = CallRequest.PRIORITY[Reason.UNCLEAR_REPLY]
    # The sample is less urgent than an unclear reply: raise it, keep one call.
    for mobile, request in sample.items():
        request.reason, request.priority = Reason.UNCLEAR_REPLY, priority
        request.about_feedback = unclear[mobile]
    CallRequest.objects.bulk_update(sample.values(), ["reason", "priority", "about_feedback"])
    fresh = [
        CallRequest(
            reason=Reason.UNCLEAR_REPLY,
            priority=priority,
            mobile=mobile,
            survey_id=feedback.survey_id,
            transaction_id=feedback.transaction_id,
            about_feedback=feedback,
            due_at=now,
            created_at=now,
        )
        for mobile, feedback in unclear.items()
        if mobile not in skip
    ]
    # A number queued meanwhile by another worker keeps that request (one open per number).
    CallRequest.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh) + len(sample)

"""Writes of the outreach app: planning each transaction's survey under the contact rules."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from cfmp.core.clock import scaled
from cfmp.intake.models import SmsBlock, Transaction
from cfmp.outreach.models import Channel, ContactAttempt, OptOut, Survey, SurveyPlan
from cfmp.outreach.plans import default_plan
from cfmp.outreach.window import SendWindow

SURVEYED = (Survey.State.ACTIVE, Survey.State.COMPLETED, Survey.State.CLOSED)


def sampled_for_manual_call(*, transaction_id: int, rate: Decimal) -> bool:
    """The same transaction is always in or out of the call-centre sample (reproducible),
    and about `rate` of all transactions are in it."""
    seed = f"{settings.CFMP_MANUAL_SAMPLE_SEED}:{transaction_id}".encode()
    draw = int.from_bytes(hashlib.blake2b(seed, digest_size=8).digest(), "big") / 2**64
    return draw < float(rate)


def _plans() -> tuple[SurveyPlan, dict[int | None, SurveyPlan]]:
    default = default_plan()
    by_service = {p.service_id: p for p in SurveyPlan.objects.filter(service__isnull=False)}
    return default, by_service


def _skip(
    tx: Transaction, now: dt.datetime, *, opted_out: set[str], recent: set[str], plan: SurveyPlan
) -> tuple[str, str] | None:
    """Why this transaction's citizen must not be surveyed, or None."""
    landline_call = tx.sms_block == SmsBlock.LANDLINE and plan.robocall
    if not tx.is_sms_contactable and not landline_call:
        return Survey.SkipReason.UNCONTACTABLE, str(SmsBlock(tx.sms_block).label)
    if tx.mobile in opted_out:
        return Survey.SkipReason.OPTED_OUT, ""
    if tx.occurred_at < now - dt.timedelta(days=settings.CFMP_SURVEY_EXPIRY_DAYS):
        return Survey.SkipReason.EXPIRED, f"more than {settings.CFMP_SURVEY_EXPIRY_DAYS} days"
    if tx.mobile in recent:
        return Survey.SkipReason.FATIGUE, f"within {settings.CFMP_FATIGUE_DAYS} days"
    return None


def _attempts(
    tx: Transaction, survey: Survey, plan: SurveyPlan, window: SendWindow
) -> list[ContactAttempt]:
    attempts = []
    after = tx.occurred_at
    if plan.robocall:
        call_at = window.next_open(tx.occurred_at + scaled(plan.robocall_delay))
        attempts.append(ContactAttempt(survey=survey, channel=Channel.VOICE, due_at=call_at))
        after = call_at
    if tx.is_sms_contactable:
        sms_at = window.next_open(after + scaled(plan.sms_delay))
        attempts.append(ContactAttempt(survey=survey, channel=Channel.SMS, due_at=sms_at))
    if survey.manual_call:
        manual_at = window.next_open(tx.occurred_at + scaled(plan.robocall_delay))
        attempts.append(ContactAttempt(survey=survey, channel=Channel.MANUAL, due_at=manual_at))
    return attempts


def plan_surveys(*, now: dt.datetime | None = None, batch_size: int = 2000) -> Counter[str]:
    """Give the next transactions without a survey one: skipped with its reason, or active
    with its planned contact attempts. Returns how many of each. Run it repeatedly (a periodic
    task); a transaction is planned once (its survey is unique)."""
    now = now or timezone.now()
    transactions = list(Transaction.objects.filter(survey__isnull=True).order_by("id")[:batch_size])
    outcome: Counter[str] = Counter()
    if not transactions:
        return outcome
    mobiles = {tx.mobile for tx in transactions if tx.mobile}
    opted_out = set(OptOut.objects.filter(mobile__in=mobiles).values_list("mobile", flat=True))
    recent = set(
        Survey.objects.filter(
            mobile__in=mobiles,
            state__in=SURVEYED,
            created_at__gte=now - dt.timedelta(days=settings.CFMP_FATIGUE_DAYS),
        ).values_list("mobile", flat=True)
    )
    default_plan, plans = _plans()
    window = SendWindow.current()
    surveys: list[Survey] = []
    attempts: list[ContactAttempt] = []
    for tx in transactions:
        plan = plans.get(tx.service_id, default_plan)
        skip = _skip(tx, now, opted_out=opted_out, recent=recent, plan=plan)
        survey = Survey(transaction=tx, plan=plan, mobile=tx.mobile, created_at=now)
        if skip:
            survey.state, (survey.skip_reason, survey.skip_detail) = Survey.State.SKIPPED, skip
            outcome[f"skipped {skip[0]}"] += 1
        else:
            survey.state = Survey.State.ACTIVE
            survey.manual_call = sampled_for_manual_call(
                transaction_id=tx.pk, rate=plan.manual_call_rate
            )
            recent.add(tx.mobile)  # one survey per number, also within this batch
            attempts.extend(_attempts(tx, survey, plan, window))
            outcome["active"] += 1
        surveys.append(survey)
    with transaction.atomic():
        Survey.objects.bulk_create(surveys)
        for attempt in attempts:
            attempt.survey_id = attempt.survey.pk
        ContactAttempt.objects.bulk_create(attempts)
    return outcome


def record_answer(*, survey: Survey, at: dt.datetime, stop_contacts: bool = True) -> bool:
    """The citizen answered. Unless told otherwise the survey is complete and its remaining
    attempts are not sent (the dispatcher only sends for active surveys); a robocall's
    keypad answer does not stop the plan's SMS, which goes out whatever the call's outcome.
    False if the survey was already answered."""
    first = bool(
        Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(answered_at=at)
    )
    if stop_contacts:
        Survey.objects.filter(pk=survey.pk, state=Survey.State.ACTIVE).update(
            state=Survey.State.COMPLETED
        )
    return first


def record_answers(*, first_answers: dict[int, dt.datetime]) -> None:
    """`record_answer` for many surveys at once: {survey id: when its first reply came}."""
    if not first_answers:
        return
    Survey.objects.filter(pk__in=first_answers, answered_at__isnull=True).update(
        answered_at=Case(
            *(When(pk=pk, then=Value(at)) for pk, at in first_answers.items()),
            output_field=DateTimeField(),
        )
    )
    Survey.objects.filter(pk__in=first_answers, state=Survey.State.ACTIVE).update(
        state=Survey.State.COMPLETED
    )


def opt_out_many(*, notes: dict[str, str], source: str) -> set[str]:
    """Opt out many numbers ({number: what they wrote}); returns those not opted out
    before."""
    before = set(OptOut.objects.filter(mobile__in=notes).values_list("mobile", flat=True))
    fresh = [
        OptOut(mobile=mobile, source=source, note=note[:200])
        for mobile, note in notes.items()
        if mobile not in before
    ]
    OptOut.objects.bulk_create(fresh, ignore_conflicts=True)
    return {row.mobile for row in fresh}


def opt_out(*, mobile: str, source: str, note: str = "") -> bool:
    """Never contact this number again; True if it was not opted out before."""
    _, created = OptOut.objects.get_or_create(
        mobile=mobile, defaults={"source": source, "note": note}
    )
    return created


def due_manual_calls(*, now: dt.datetime, limit: int = 500) -> list[ContactAttempt]:
    """Manual-call attempts whose time has come, for the call centre's queue. The sample is
    a check on what citizens told the machines, so it is called whether or not the citizen
    has already answered; never a number that opted out."""
    return list(
        ContactAttempt.objects.filter(channel=Channel.MANUAL, state=ContactAttempt.State.PLANNED)
        .filter(due_at__lte=now)
        .exclude(survey__state=Survey.State.SKIPPED)
        .exclude(survey__mobile__in=OptOut.objects.values("mobile"))
        .select_related("survey")
        .order_by("due_at", "pk")[:limit]
    )


def hand_to_call_centre(*, attempt_ids: list[int], now: dt.datetime) -> int:
    """Manual attempts now in the call centre's queue count as submitted (the call centre is
    their gateway); their call's outcome finishes them."""
    return ContactAttempt.objects.filter(
        pk__in=attempt_ids, state=ContactAttempt.State.PLANNED
    ).update(state=ContactAttempt.State.SUBMITTED, queued_at=now, submitted_at=now)

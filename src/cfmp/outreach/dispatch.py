"""Sending contact attempts, exactly once in effect, over a queue that delivers at least once.

1. `queue_due_attempts` moves due attempts planned → queued (a conditional update) and
   enqueues one send task per batch of attempts once that is committed.
2. `send_attempts` claims the batch queued → sending (rows locked, skipping any another
   worker holds: a task delivered twice finds nothing to claim), hands the messages to the
   channel concurrently, and records sending → submitted with the gateway's ids.
3. `record_delivery_report` and `apply_delivery_reports` move sending/submitted → delivered |
   failed; a repeated report changes nothing. Reports name the attempt, so one that
   arrives before "submitted" was recorded (or after the worker died there) still lands.
4. `recover_attempts` re-enqueues attempts left queued (the broker lost the task), marks
   attempts left "sending" with no report "unknown" (the worker stopped while handing the
   message over, and whether the gateway took it cannot be known: they are not sent again —
   a citizen asked twice is worse than one survey lost), and SMS still "submitted" with no
   final report after CFMP_REPORT_WAIT_HOURS "unconfirmed" (sent, no report). A report that
   arrives later still lands on both; a delivered attempt never moves back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cfmp.channels import registry
from cfmp.channels.base import Accepted, ChannelError, DeliveryReport, OutboundMessage
from cfmp.channels.base import Channel as ChannelAdapter
from cfmp.channels.registry import adapter_for
from cfmp.core.clock import demo_clock_runs_fast, scaled
from cfmp.outreach import segments
from cfmp.outreach.models import Channel, ChannelSetting, ContactAttempt, OptOut, Survey
from cfmp.outreach.window import SendWindow

logger = logging.getLogger(__name__)
State = ContactAttempt.State
GATEWAY_CHANNELS = (Channel.VOICE, Channel.SMS)  # manual calls: the call-centre queue


VOICE_QUEUE = "voice"


def _enqueue_sends(
    attempt_ids: list[int], *, rate_per_second: int = 0, channel: str = Channel.SMS
) -> None:
    """One send task per batch of attempts; spread over time so the channel's rate is kept
    however many workers take them (the dispatcher is the one place that decides when).
    Robocalls go to their own queue ("voice"), so SMS never waits behind a call; a batch is
    as large as the channel's gateway takes at once (a SIP worker holds a few calls)."""
    from cfmp.outreach.tasks import send_attempts_task

    size = registry.send_batch(channel)
    route = {"queue": VOICE_QUEUE} if channel == Channel.VOICE else {}
    for start in range(0, len(attempt_ids), size):
        countdown = start / rate_per_second if rate_per_second else 0
        send_attempts_task.apply_async(
            (attempt_ids[start : start + size],), countdown=countdown, **route
        )


def _room_today(channel: str, setting: ChannelSetting, now: dt.datetime) -> int:
    day_start = dt.datetime.combine(
        timezone.localdate(now), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    used = ContactAttempt.objects.filter(channel=channel, queued_at__gte=day_start).count()
    return max(0, setting.daily_capacity - used)


QUEUE_HORIZON_SECONDS = 5  # how often the scheduler calls queue_due_attempts
MIN_RETRY_BACKOFF_IN_THE_DEMO = dt.timedelta(minutes=2)


def queue_due_attempts(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Queue the attempts that are due, channel by channel: as many as the channel may send
    at its rate before the next call (or `limit`), none for a paused channel, none beyond
    its daily capacity, none outside the send window."""
    now = now or timezone.now()
    if not SendWindow.current().contains(now):
        return []
    queued: list[int] = []
    for channel in GATEWAY_CHANNELS:
        setting, _ = ChannelSetting.objects.get_or_create(channel=channel)
        if setting.paused:
            continue
        per_call = limit or setting.rate_per_second * QUEUE_HORIZON_SECONDS
        room = min(per_call, _room_today(channel, setting, now))
        due = list(
            ContactAttempt.objects.filter(
                state=State.PLANNED,
                due_at__lte=now,
                channel=channel,
                survey__state=Survey.State.ACTIVE,
            )
            .order_by("due_at")
            .values_list("pk", flat=True)[:room]
        )
        if not due:
            continue
        with transaction.atomic():
            ContactAttempt.objects.filter(pk__in=due, state=State.PLANNED).update(
                state=State.QUEUED, queued_at=now
            )
            transaction.on_commit(
                functools.partial(
                    _enqueue_sends, due, rate_per_second=setting.rate_per_second, channel=channel
                )
            )
        queued.extend(due)
    return queued


def render_text(attempt: ContactAttempt) -> str:
    survey = attempt.survey
    tx = survey.transaction
    plan = survey.plan
    template = plan.sms_text_ur if plan.language == "ur" else plan.sms_text_en
    urdu = plan.language == "ur"
    values = {
        "citizen_name": tx.citizen_name,
        "service": tx.service.name_ur if urdu else tx.service.name,
        "office": tx.office.name,
        "date": timezone.localtime(tx.occurred_at).strftime("%d/%m/%Y"),
    }
    return template.format_map(values)


def send_attempt(
    attempt_id: int,
    *,
    now: dt.datetime | None = None,
    channel_for: Callable[[str], ChannelAdapter] = adapter_for,
) -> str:
    """Send one queued attempt; returns what happened ("submitted", "failed", ...)."""
    return send_attempts([attempt_id], now=now, channel_for=channel_for)[attempt_id]


def send_attempts(
    attempt_ids: list[int],
    *,
    now: dt.datetime | None = None,
    channel_for: Callable[[str], ChannelAdapter] = adapter_for,
) -> dict[int, str]:
    """Send queued attempts, handing them to the gateway concurrently (a gateway answers
    each request in tens of milliseconds; one at a time would leave it idle). Returns what
    happened to each: "submitted", "failed", "opted out", "outside the window", "not
    queued" (a repeated task), "claimed elsewhere"."""
    now = now or timezone.now()
    outcome = dict.fromkeys(attempt_ids, "not queued")
    attempts = list(
        ContactAttempt.objects.select_related(
            "survey__plan", "survey__transaction__service", "survey__transaction__office"
        ).filter(pk__in=attempt_ids, state=State.QUEUED)
    )
    if not attempts:
        return outcome
    if not SendWindow.current().contains(now):
        ContactAttempt.objects.filter(pk__in=[a.pk for a in attempts], state=State.QUEUED).update(
            state=State.PLANNED, queued_at=None
        )
        outcome.update(dict.fromkeys((a.pk for a in attempts), "outside the window"))
        return outcome
    opted_out = set(
        OptOut.objects.filter(
            mobile__in={a.survey.transaction.mobile for a in attempts}
        ).values_list("mobile", flat=True)
    )
    messages = {
        a.pk: OutboundMessage(a.pk, a.survey.transaction.mobile, render_text(a), a.channel)
        for a in attempts
    }
    sendable = []
    for attempt in attempts:
        refusal = _refusal(messages[attempt.pk], opted_out=opted_out)
        if refusal is None:
            sendable.append(attempt)
        else:
            outcome[attempt.pk], error = refusal
            _finish(attempt, State.QUEUED, State.FAILED, error=error)
    attempts = sendable
    claimed = _claim(attempts, now=now)
    for attempt in attempts:
        if attempt.pk not in claimed:
            outcome[attempt.pk] = "claimed elsewhere"
    to_send = [a for a in attempts if a.pk in claimed]
    results = _hand_to_gateway(to_send, messages, channel_for=channel_for)
    accepted = []
    for attempt in to_send:
        result = results[attempt.pk]
        if isinstance(result, ChannelError) and result.unknown:
            _finish(attempt, State.SENDING, State.UNKNOWN, error=str(result))
            outcome[attempt.pk] = "unknown"
        elif isinstance(result, ChannelError):
            _finish(attempt, State.SENDING, State.FAILED, error=str(result))
            if result.retryable:
                schedule_retry(attempt, now=now)
            outcome[attempt.pk] = "failed"
        else:
            attempt.gateway_id = result.gateway_id
            accepted.append(attempt)
            outcome[attempt.pk] = "submitted"
    _record_submitted(accepted)
    return outcome


def _refusal(message: OutboundMessage, *, opted_out: set[str]) -> tuple[str, str] | None:
    """Why a queued message must not go out (what happened, the error), or None: its number
    opted out, or the gateway would cut its text (the plan's editor refuses such texts; a
    long name filled in could still make one)."""
    if message.to in opted_out:
        return "opted out", "the number opted out"
    if message.channel == Channel.SMS:
        parts = segments.count(message.text).parts
        if parts > settings.CFMP_SMS_GATEWAY_MAX_PARTS:
            return "failed", (
                f"the text needs {parts} SMS; the gateway sends at most "
                f"{settings.CFMP_SMS_GATEWAY_MAX_PARTS} (shorten the plan's text)"
            )
    return None


def _claim(attempts: list[ContactAttempt], *, now: dt.datetime) -> set[int]:
    """queued → sending, the last write before the gateway call (see the module docstring).
    Rows another worker holds are skipped, not waited for; they are its to send."""
    with transaction.atomic():
        claimed = set(
            ContactAttempt.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[a.pk for a in attempts], state=State.QUEUED)
            .values_list("pk", flat=True)
        )
        ContactAttempt.objects.filter(pk__in=claimed).update(state=State.SENDING, sending_at=now)
    return claimed


def _hand_to_gateway(
    attempts: list[ContactAttempt],
    messages: dict[int, OutboundMessage],
    *,
    channel_for: Callable[[str], ChannelAdapter],
) -> dict[int, Accepted | ChannelError]:
    """Each message to its channel's gateway; HTTP only in the threads, no database."""

    def one(attempt: ContactAttempt) -> Accepted | ChannelError:
        try:
            return channel_for(attempt.channel).send(messages[attempt.pk])
        except ChannelError as problem:
            return problem

    parallel = all(getattr(channel_for(a.channel), "parallel", False) for a in attempts)
    if len(attempts) <= 1 or not parallel:
        return {a.pk: one(a) for a in attempts}
    futures = {a.pk: _sender_pool().submit(one, a) for a in attempts}
    return {pk: future.result() for pk, future in futures.items()}


_pool: ThreadPoolExecutor | None = None
_pool_pid = 0


def _sender_pool() -> ThreadPoolExecutor:
    """This process's threads for gateway calls (made after a fork: prefork workers)."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        # As many threads as a batch has attempts: a whole batch is in flight at once.
        threads = max(1, settings.CFMP_SEND_BATCH)
        _pool, _pool_pid = ThreadPoolExecutor(threads, "gateway-send"), os.getpid()
    return _pool


def _record_submitted(attempts: list[ContactAttempt]) -> None:
    if not attempts:
        return
    ids = [a.pk for a in attempts]
    with transaction.atomic():
        # A delivery report may already have landed (a fast gateway): keep its state. An
        # attempt the recovery sweep gave up on (a very slow worker) was sent after all.
        ContactAttempt.objects.filter(pk__in=ids, state__in=(State.SENDING, State.UNKNOWN)).update(
            state=State.SUBMITTED, finished_at=None, error=""
        )
        ContactAttempt.objects.filter(pk__in=ids, submitted_at__isnull=True).update(
            submitted_at=timezone.now()
        )
        _store_gateway_ids([(a.pk, a.gateway_id) for a in attempts])


def _store_gateway_ids(pairs: list[tuple[int, str]]) -> None:
    """One UPDATE … FROM (VALUES …) for a batch (PostgreSQL and SQLite alike): the ORM's
    bulk_update builds a CASE of one WHEN per row, which cost a fifth of a send's CPU."""
    table = ContactAttempt._meta.db_table
    rows = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET gateway_id = v.column2 FROM (VALUES {rows}) AS v "
            f"WHERE {table}.id = v.column1",
            [value for pair in pairs for value in pair],
        )


def send_service_message(*, to: str, text: str) -> bool:
    """A message that is not a survey (an acknowledgement): sent once, best effort, never
    retried; False if the gateway refused it."""
    try:
        adapter_for(Channel.SMS).send(OutboundMessage(None, to, text, Channel.SMS))
    except ChannelError as problem:
        logger.warning("service message to %s not sent: %s", to, problem)
        return False
    return True


def _finish(attempt: ContactAttempt, from_state: str, to_state: str, *, error: str = "") -> bool:
    return bool(
        ContactAttempt.objects.filter(pk=attempt.pk, state=from_state).update(
            state=to_state, error=error[:300], finished_at=timezone.now()
        )
    )


def finish_attempt(
    *,
    attempt_id: int,
    reached: bool,
    error: str = "",
    from_states: tuple[str, ...] = (State.SUBMITTED,),
    now: dt.datetime | None = None,
    **fields: Any,
) -> bool:
    """The end of an attempt that no gateway's delivery report tells (a robocall's end, an
    agent's call): delivered when the citizen was reached, failed otherwise, only from one of
    `from_states` (a repeat changes nothing); `fields` are the channel's own (a call's
    outcome and length). With the delivery reports above, the one place attempts end."""
    return bool(
        ContactAttempt.objects.filter(pk=attempt_id, state__in=from_states).update(
            state=State.DELIVERED if reached else State.FAILED,
            error=error[:300],
            finished_at=now or timezone.now(),
            **fields,
        )
    )


def schedule_retry(attempt: ContactAttempt, *, now: dt.datetime) -> ContactAttempt | None:
    """Another try later (exponential backoff, inside the window), up to the limit."""
    if attempt.try_number >= settings.CFMP_CONTACT_MAX_TRIES:
        return None
    backoff = scaled(
        dt.timedelta(minutes=settings.CFMP_RETRY_BACKOFF_MINUTES * 2 ** (attempt.try_number - 1))
    )
    if demo_clock_runs_fast():
        # The demo's fast clock runs plans, not outages: a gateway down for a few seconds
        # must not use up every try (and a failure report must leave time for the real
        # report, which the gateway retries, to call the retry off).
        backoff = max(backoff, MIN_RETRY_BACKOFF_IN_THE_DEMO)
    retry, _ = ContactAttempt.objects.get_or_create(
        survey_id=attempt.survey_id,
        channel=attempt.channel,
        try_number=attempt.try_number + 1,
        defaults={"due_at": SendWindow.current().next_open(now + backoff)},
    )
    return retry


def record_delivery_report(
    *, attempt_id: int, delivered: bool, error: str = "", retryable: bool = False
) -> bool:
    """Apply a gateway's final report on one attempt; False when it changes nothing (a
    repeat, or a report that would move a state backwards)."""
    if delivered:
        return bool(_deliver([attempt_id], now=timezone.now()))
    return _fail_reported(attempt_id, error=error, retryable=retryable)


def _accepted_now(now: dt.datetime) -> Coalesce:
    """A report proves the gateway took the message, whatever was recorded before: the
    worker may have died between the gateway's answer and writing it down."""
    return Coalesce(F("submitted_at"), Value(now), output_field=DateTimeField())


def _deliver(attempt_ids: list[int], *, now: dt.datetime) -> int:
    """Delivered: from any state awaiting a report, and from a failure (a failure report
    before it was wrong, or replayed by someone else): then a retry not yet sent is called
    off, so the citizen is not asked twice."""
    upgraded = list(
        ContactAttempt.objects.filter(pk__in=attempt_ids, state=State.FAILED)
        .exclude(submitted_at__isnull=True)
        .values_list("survey_id", "channel", "try_number")
    )
    deliverable = ContactAttempt.objects.filter(
        Q(state__in=State.awaiting_report()) | Q(state=State.FAILED, submitted_at__isnull=False),
        pk__in=attempt_ids,
    )
    fields = {"state": State.DELIVERED, "error": "", "finished_at": now}
    if not upgraded:  # the usual case: no retry to call off, no transaction to hold
        return deliverable.update(**fields, submitted_at=_accepted_now(now))
    with transaction.atomic():
        changed = deliverable.update(**fields, submitted_at=_accepted_now(now))
        for survey_id, channel, try_number in upgraded:
            ContactAttempt.objects.filter(
                survey_id=survey_id,
                channel=channel,
                try_number=try_number + 1,
                state__in=(State.PLANNED, State.QUEUED),
            ).update(
                state=State.EXPIRED,
                finished_at=now,
                error="not needed: the previous try was delivered after all",
            )
    return changed


def _fail_reported(attempt_id: int, *, error: str, retryable: bool) -> bool:
    """Failed, on the gateway's report: only from a state awaiting one (never back from
    delivered); another try is planned when one may help."""
    now = timezone.now()
    changed = ContactAttempt.objects.filter(
        pk=attempt_id, state__in=State.awaiting_report()
    ).update(
        state=State.FAILED, error=error[:300], finished_at=now, submitted_at=_accepted_now(now)
    )
    if changed and retryable:
        attempt = ContactAttempt.objects.get(pk=attempt_id)
        schedule_retry(attempt, now=now)
    return bool(changed)


def recover_attempts(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    lost = list(
        ContactAttempt.objects.filter(
            state=State.QUEUED,
            queued_at__lt=now - dt.timedelta(minutes=settings.CFMP_QUEUED_TIMEOUT_MINUTES),
        ).values_list("pk", "channel")
    )
    if lost:
        ContactAttempt.objects.filter(pk__in=[pk for pk, _ in lost]).update(queued_at=now)
        for channel in {channel for _, channel in lost}:
            ids = [pk for pk, its_channel in lost if its_channel == channel]
            transaction.on_commit(
                functools.partial(_enqueue_sends, ids, rate_per_second=10, channel=channel)
            )
    unknown = ContactAttempt.objects.filter(
        state=State.SENDING,
        sending_at__lt=now - dt.timedelta(minutes=settings.CFMP_SENDING_TIMEOUT_MINUTES),
    ).update(
        state=State.UNKNOWN,
        finished_at=now,
        error="outcome unknown: the worker stopped while handing it to the gateway; "
        "not sent again to avoid asking twice (a report from the gateway still lands)",
    )
    if unknown:
        logger.warning("%d attempts with an unknown outcome", unknown)
    unconfirmed = ContactAttempt.objects.filter(
        channel=Channel.SMS,
        state=State.SUBMITTED,
        submitted_at__lt=now - dt.timedelta(hours=settings.CFMP_REPORT_WAIT_HOURS),
    ).update(
        state=State.UNCONFIRMED,
        finished_at=now,
        error=f"sent; no delivery report within {settings.CFMP_REPORT_WAIT_HOURS:g} hours",
    )
    calls_lost = ContactAttempt.objects.filter(
        channel=Channel.VOICE,
        state=State.SUBMITTED,
        call_outcome="",
        submitted_at__lt=now - dt.timedelta(minutes=settings.CFMP_CALL_LOST_MINUTES),
    ).update(
        state=State.FAILED,
        finished_at=now,
        error="call outcome lost: no end of call was reported (its worker stopped?); "
        "not called again to avoid calling twice",
    )
    if calls_lost:
        logger.warning("%d robocalls failed with an unknown outcome", calls_lost)
    return {
        "requeued": len(lost),
        "unknown": unknown,
        "unconfirmed": unconfirmed,
        "calls_lost": calls_lost,
    }


def expire_attempts(*, now: dt.datetime | None = None) -> int:
    """Attempts not yet sent for services now too long ago are expired, never sent."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CFMP_SURVEY_EXPIRY_DAYS)
    return ContactAttempt.objects.filter(
        state__in=(State.PLANNED, State.QUEUED), survey__transaction__occurred_at__lt=cutoff
    ).update(state=State.EXPIRED, finished_at=now, error="service too long ago")


def apply_delivery_reports(reports: list[tuple[int, DeliveryReport]]) -> None:
    """Apply many gateways' reports (attempt id, what it says) at once. In the order a
    message lives them: submissions first, then deliveries, so a batch holding both for one
    attempt ends delivered; a report repeated or out of order changes nothing.

    Each UPDATE commits on its own and takes its rows in id order: batches written at once
    by several processes then never wait on each other in a cycle (one transaction around
    both would deadlock against another batch holding the same attempts the other way)."""
    submitted = sorted(a for a, report in reports if report.state == State.SUBMITTED)
    delivered = sorted(a for a, report in reports if report.state == State.DELIVERED)
    now = timezone.now()
    if submitted:
        ContactAttempt.objects.filter(
            pk__in=submitted, state__in=(State.SENDING, State.UNKNOWN)
        ).update(state=State.SUBMITTED, submitted_at=_accepted_now(now), finished_at=None)
    if delivered:
        _deliver(delivered, now=now)
    # Failures are few, and each may need a retry planned: one at a time.
    for attempt_id, report in reports:
        if report.state == State.FAILED:
            record_delivery_report(
                attempt_id=attempt_id,
                delivered=False,
                retryable=report.retryable,
                error=report.error,
            )

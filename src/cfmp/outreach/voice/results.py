"""What a robocall's end means: the attempt's outcome (delivered when the citizen picked
up, failed otherwise, retried by the outreach rules when another call may help) and the
key pressed (published as an event: feedback makes it feedback of channel ivr, or a place
in the call-centre queue for 9). Every
adapter reports through these two functions; a repeated report changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cfmp.core import events
from cfmp.core.bounds import OutOfBounds
from cfmp.outreach import dispatch
from cfmp.outreach.models import CallOutcome, ContactAttempt

State = ContactAttempt.State


def record_call_digit(*, attempt_id: int, digit: str) -> bool:
    """A key pressed during the call (reported as soon as it is pressed, before the call
    ends); False for a second key or a repeated report. What the key means (feedback, or
    the call centre's queue) is feedback's to decide: told by an event."""
    digit = digit[:1]
    if not digit:
        return False
    with transaction.atomic():  # the digit and what it means together, or neither
        if not ContactAttempt.objects.filter(pk=attempt_id, call_digit="", channel="voice").update(
            call_digit=digit
        ):
            return False
        events.publish_in_transaction(events.CALL_KEY_PRESSED, attempt_id=attempt_id, digit=digit)
    return True


KEYS = frozenset("0123456789*#")
MAX_CALL_SECONDS = 24 * 3600  # a survey call lasting a day is no call


def _check(*, outcome: str, digit: str, seconds: float | None) -> None:
    """Whatever an adapter reports is within bounds before anything is written (issue 18):
    a known outcome, one key, a duration from zero to a day."""
    if outcome not in CallOutcome.values:
        raise OutOfBounds("outcome", f"unknown outcome {outcome[:40]!r}")
    if digit and digit not in KEYS:
        raise OutOfBounds("digit", "must be one key: 0-9, * or #")
    if seconds is not None and not (
        isinstance(seconds, int | float) and 0 <= seconds <= MAX_CALL_SECONDS
    ):
        raise OutOfBounds("seconds", f"must be from 0 to {MAX_CALL_SECONDS:,}")


def record_call_result(
    *,
    attempt_id: int,
    outcome: str,
    digit: str = "",
    seconds: float | None = None,
    detail: str = "",
    now: dt.datetime | None = None,
) -> bool:
    """How the call ended. False when it changes nothing (a repeat, or a call already
    recorded)."""
    now = now or timezone.now()
    _check(outcome=outcome, digit=digit, seconds=seconds)
    if digit:
        record_call_digit(attempt_id=attempt_id, digit=digit)
    attempt = ContactAttempt.objects.filter(pk=attempt_id, channel="voice").first()
    if attempt is None:
        return False
    if outcome == CallOutcome.NO_INPUT and attempt.call_digit:
        outcome = CallOutcome.ANSWERED
    reached = outcome in CallOutcome.reached()
    changed = dispatch.finish_attempt(
        attempt_id=attempt_id,
        reached=reached,
        error="" if reached else str(detail or CallOutcome(outcome).label),
        from_states=(State.SENDING, State.SUBMITTED),
        now=now,
        call_outcome=outcome,
        call_seconds=seconds,
    )
    if changed and outcome in CallOutcome.worth_retrying():
        dispatch.schedule_retry(attempt, now=now)
    return bool(changed)


def replay_call_result(item: str, payload: dict) -> None:
    """A quarantined call result (the attempt's id, what the phone reported) recorded."""
    record_call_result(attempt_id=int(item), **payload)

"""Reads of outreach data, scoped like everything else."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from cfmp.accounts.models import User
from cfmp.accounts.scopes import can_view_citizen_identity, office_scope
from cfmp.intake.phones import normalise_phone
from cfmp.outreach.models import ContactAttempt, Survey

State = ContactAttempt.State
SENT = (State.SENDING, State.SUBMITTED)


def attempts_visible_to(user: User) -> QuerySet[ContactAttempt]:
    return ContactAttempt.objects.filter(office_scope(user, via="survey__transaction__office"))


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    return Survey.objects.filter(office_scope(user, via="transaction__office"))


GROUPINGS = {
    "office": ("transaction__office__code", "transaction__office__name"),
    "service": ("transaction__service__code", "transaction__service__name"),
}


def outreach_summary(
    user: User, *, by: str = "office", start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    """Per office (or service): attempts due in [start, end) by state, robocalls and SMS
    together, and the surveys answered in that period. Busiest first."""
    code, name = GROUPINGS[by]
    attempt_rows = (
        attempts_visible_to(user)
        .filter(due_at__gte=start, due_at__lt=end)
        .values(code=F(f"survey__{code}"), name=F(f"survey__{name}"))
        .annotate(
            planned=Count("id", filter=Q(state__in=(State.PLANNED, State.QUEUED))),
            sent=Count("id", filter=Q(state__in=SENT)),
            delivered=Count("id", filter=Q(state=State.DELIVERED)),
            failed=Count("id", filter=Q(state=State.FAILED)),
            expired=Count("id", filter=Q(state=State.EXPIRED)),
            total=Count("id"),
        )
    )
    answered = dict(
        surveys_visible_to(user)
        .filter(answered_at__gte=start, answered_at__lt=end)
        .values_list(code)
        .annotate(count=Count("id"))
        .values_list(code, "count")
    )
    rows = {row["code"]: {**row, "answered": answered.get(row["code"], 0)} for row in attempt_rows}
    return sorted(rows.values(), key=lambda row: (-row["total"], row["code"]))


def survey_awaiting_reply(*, mobile: str, at: dt.datetime) -> Survey | None:
    """The survey a message from this number answers: its most recent one (not skipped)
    started within the reply window before `at`."""
    return surveys_awaiting_replies(queries=[(mobile, at)]).get((mobile, at))


def surveys_awaiting_replies(
    *, queries: Iterable[tuple[str, dt.datetime]]
) -> dict[tuple[str, dt.datetime], Survey]:
    """`survey_awaiting_reply` for many (number, time) pairs in one query."""
    wanted = set(queries)
    if not wanted:
        return {}
    window = dt.timedelta(days=settings.CFMP_REPLY_WINDOW_DAYS)
    candidates = (
        Survey.objects.filter(
            mobile__in={mobile for mobile, _ in wanted},
            created_at__gte=min(at for _, at in wanted) - window,
            created_at__lte=max(at for _, at in wanted),
        )
        .exclude(state=Survey.State.SKIPPED)
        .order_by("-created_at", "-pk")
    )
    by_mobile: dict[str, list[Survey]] = defaultdict(list)
    for survey in candidates:
        by_mobile[survey.mobile].append(survey)
    found = {}
    for mobile, at in wanted:
        for survey in by_mobile.get(mobile, ()):
            if at - window <= survey.created_at <= at:
                found[(mobile, at)] = survey
                break
    return found


def contact_history(user: User, *, mobile: str) -> QuerySet[Survey] | None:
    """Every survey of one number with its attempts: for the roles that may see citizens'
    identities only (None for anyone else)."""
    if not can_view_citizen_identity(user):
        return None
    e164 = normalise_phone(mobile).e164
    return (
        surveys_visible_to(user)
        .filter(mobile=e164)
        .select_related("transaction__service", "transaction__office")
        .prefetch_related("attempts")
        .order_by("-created_at")
    )

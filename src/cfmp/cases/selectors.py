"""Reads of cases, for the roles allowed to see them. Officials read the complaints masked
and never learn who complained."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cfmp.accounts.models import User
from cfmp.accounts.scopes import (
    can_read_case_trail,
    can_see_cases,
    office_scope,
    sees_complaints_generalised,
)
from cfmp.cases.models import Action, Case, CaseEvent
from cfmp.cases.privacy import generalise_cases, held_case_ids, released_counts


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Cases about offices in the user's scope (office heads: their own office's). Below the
    identity roles, a case whose opening complaint is still held is not listed yet
    (`cfmp.feedback.anonymity`): when it appeared would date the complaint."""
    if not can_see_cases(user):
        return Case.objects.none()
    cases = Case.objects.filter(office_scope(user, via="office"))
    if sees_complaints_generalised(user):
        cases = cases.exclude(pk__in=held_case_ids(cases))
    return cases.select_related("office__district", "office__department", "official", "owner")


def my_cases(user: User) -> QuerySet[Case]:
    return cases_visible_to(user).filter(owner=user).order_by("-priority", "due_at")


def due_for_digest(user: User, *, now: dt.datetime, soon: dt.timedelta) -> QuerySet[Case]:
    """The user's active cases that are overdue or due within `soon`."""
    return my_cases(user).filter(
        state__in=(Case.State.OPEN, Case.State.UNDER_INQUIRY), due_at__lt=now + soon
    )


# Trail events written when a complaint arrived or was changed: their minute is the
# complaint's (issue 20).
COMPLAINT_TIMED = Q(kind__in=("opened", "joined", "corrected", "withdrawn")) | Q(
    kind="assigned", actor__isnull=True
)


def events_visible_to(user: User) -> QuerySet[CaseEvent]:
    """The trails of all cases, by the minute (the admin's list): the secretariat whole;
    auditors without the events timed by a complaint, which they read on the case page at
    the time `cfmp.feedback.anonymity` allows."""
    if not can_read_case_trail(user):
        return CaseEvent.objects.none()
    events = CaseEvent.objects.select_related("actor", "case")
    if sees_complaints_generalised(user):
        events = events.exclude(COMPLAINT_TIMED)
    return events


def official_history(user: User, official_id: int) -> dict[str, Any]:
    """An official's cases in the user's scope: past cases by kind, and complaints per
    month for the last twelve months. Each case's opening is counted in the month its
    shown period starts (`cfmp.feedback.anonymity`): a month's edge must not cut a week
    shown to an office head down to its last days."""
    cases = cases_visible_to(user).filter(official_id=official_id)
    listed = list(cases.order_by("-opened_at"))
    shown = generalise_cases(listed, user=user)
    counts = released_counts(listed, user=user)
    since = timezone.now() - dt.timedelta(days=365)
    by_month: Counter[str] = Counter()
    for case in listed:
        period = shown[case.pk].opened
        if period is not None and case.opened_at >= since:
            by_month[timezone.localtime(period.start).strftime("%Y-%m")] += 1
    return {
        "cases": [(case, shown[case.pk], counts[case.pk]) for case in listed],
        "by_kind": dict(cases.values_list("kind").annotate(n=Count("pk")).order_by()),
        "by_month": sorted(by_month.items()),
        "actions": Action.objects.filter(case__in=cases).order_by("-taken_on"),
    }


def action_counts(user: User, *, start: dt.date, end: dt.date) -> dict[str, int]:
    """Actions taken in [start, end] on cases in the user's scope, by kind (the reports'
    action counts)."""
    rows = (
        Action.objects.filter(
            case__in=cases_visible_to(user), taken_on__gte=start, taken_on__lte=end
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def days_to_first_action(user: User, *, start: dt.date, end: dt.date) -> float | None:
    """The median days from opening to first action, for cases opened in [start, end]."""
    cases = cases_visible_to(user).filter(
        Q(opened_at__date__gte=start) & Q(opened_at__date__lte=end), first_action_at__isnull=False
    )
    days = sorted(
        (acted - opened).total_seconds() / 86400
        for opened, acted in cases.values_list("opened_at", "first_action_at")
        if acted is not None
    )
    if not days:
        return None
    middle = len(days) // 2
    return days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2


def unowned_cases(user: User) -> QuerySet[Case]:
    """Active cases in the user's scope that nobody holds (issue 17): their level has no
    officer for their office. Shown on the secretariat's home and in its daily digest."""
    return cases_visible_to(user).filter(
        state__in=(Case.State.OPEN, Case.State.UNDER_INQUIRY), owner__isnull=True
    )

"""Keeping the rollups (DailyCount) true as data arrives.

A day's rows are recomputed from the raw tables for that day alone (indexed by the
service's time) and replaced in one transaction; `refresh_rollups` finds the days that
anything changed about since its last run and recomputes those. It runs every minute; it is
idempotent, so overlapping runs and a generous overlap of the change window are harmless.
`rebuild_rollups` recomputes every day (`cfmp rebuild-rollups`)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from cfmp.cases.models import Action, Case
from cfmp.feedback.models import Feedback
from cfmp.intake.models import Transaction
from cfmp.outreach.models import ContactAttempt, Survey
from cfmp.registry.models import Office
from cfmp.reports.models import COUNTERS, DailyCount, RollupState

# Changes committed late (a long transaction) still fall inside the next window.
OVERLAP = dt.timedelta(minutes=5)
Key = tuple[int, int | None, int | None]  # office, official, service


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants a local (Pakistan) day starts and ends."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=local_zone())
    return start, start + dt.timedelta(days=1)


def _add(
    counts: dict[Key, dict[str, int]], rows: Iterable[dict], counter: str, *, prefix: str = ""
) -> None:
    for row in rows:
        key = (row[f"{prefix}office_id"], row[f"{prefix}official_id"], row[f"{prefix}service_id"])
        counts[key][row.get("counter", counter)] += row["n"]


def _keys(prefix: str) -> list[str]:
    return [f"{prefix}office_id", f"{prefix}official_id", f"{prefix}service_id"]


def count_day(day: dt.date) -> dict[Key, dict[str, int]]:
    """Every counter of one day, by office, official and service, from the raw tables."""
    start, end = day_bounds(day)
    counts: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    on_day = Q(occurred_at__gte=start, occurred_at__lt=end)
    transactions = Transaction.objects.filter(on_day).order_by()
    _add(counts, transactions.values(*_keys("")).annotate(n=Count("pk")), "transactions")
    flagged = transactions.exclude(quality_flags=0)
    _add(counts, flagged.values(*_keys("")).annotate(n=Count("pk")), "flagged")
    surveys = Survey.objects.filter(
        transaction__occurred_at__gte=start, transaction__occurred_at__lt=end
    ).order_by()
    t = "transaction__"
    contacted = surveys.filter(attempts__submitted_at__isnull=False)
    _add(
        counts,
        contacted.values(*_keys(t)).annotate(n=Count("pk", distinct=True)),
        "contacted",
        prefix=t,
    )
    reached = surveys.filter(attempts__state=ContactAttempt.State.DELIVERED)
    _add(
        counts,
        reached.values(*_keys(t)).annotate(n=Count("pk", distinct=True)),
        "reached",
        prefix=t,
    )
    responded = transactions.filter(feedback__isnull=False)
    _add(counts, responded.values(*_keys("")).annotate(n=Count("pk", distinct=True)), "responded")
    feedback = Feedback.objects.filter(
        transaction__occurred_at__gte=start, transaction__occurred_at__lt=end
    ).order_by()
    by_category = feedback.values(*_keys(t), "category").annotate(n=Count("pk"))
    for row in by_category:
        key = (row[f"{t}office_id"], row[f"{t}official_id"], row[f"{t}service_id"])
        counts[key][row["category"]] += row["n"]
        counts[key]["feedback"] += row["n"]
    cases = Case.objects.filter(opened_at__gte=start, opened_at__lt=end).order_by()
    _add(counts, cases.values(*_keys("")).annotate(n=Count("pk")), "cases_opened")
    actions = Action.objects.filter(taken_on=day).order_by()
    _add(
        counts, actions.values(*_keys("case__")).annotate(n=Count("pk")), "actions", prefix="case__"
    )
    return counts


def recompute_day(day: dt.date) -> int:
    """Replace a day's rollup rows with fresh counts; returns how many rows it has."""
    counts = count_day(day)
    offices = {
        pk: (department, district)
        for pk, department, district in Office.objects.filter(
            pk__in={key[0] for key in counts}
        ).values_list("pk", "department_id", "district_id")
    }
    rows = [
        DailyCount(
            day=day,
            office_id=office,
            official_id=official,
            service_id=service,
            department_id=offices[office][0],
            district_id=offices[office][1],
            **values,
        )
        for (office, official, service), values in counts.items()
        if any(values.values())
    ]
    with transaction.atomic():
        DailyCount.objects.filter(day=day).delete()
        DailyCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _local_days(queryset, field: str) -> set[dt.date]:
    dates = queryset.annotate(local_day=TruncDate(field, tzinfo=local_zone()))
    return set(dates.values_list("local_day", flat=True).distinct().order_by())


def days_changed_since(since: dt.datetime) -> set[dt.date]:
    """The days whose counts anything written since `since` may have changed."""
    days: set[dt.date] = set()
    days |= _local_days(Transaction.objects.filter(created_at__gte=since), "occurred_at")
    touched_attempts = ContactAttempt.objects.filter(
        Q(submitted_at__gte=since) | Q(finished_at__gte=since)
    )
    days |= _local_days(
        Transaction.objects.filter(survey__attempts__in=touched_attempts), "occurred_at"
    )
    touched_feedback = Feedback.objects.filter(Q(created_at__gte=since) | Q(reviewed_at__gte=since))
    days |= _local_days(Transaction.objects.filter(feedback__in=touched_feedback), "occurred_at")
    days |= _local_days(Case.objects.filter(opened_at__gte=since), "opened_at")
    days |= set(
        Action.objects.filter(created_at__gte=since)
        .values_list("taken_on", flat=True)
        .distinct()
        .order_by()
    )
    return days


def refresh_rollups(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Recompute the days changed since the last refresh (all of them the first time)."""
    now = now or timezone.now()
    state, _ = RollupState.objects.get_or_create(pk=1)
    if state.changes_until is None:
        days = all_days()
    else:
        days = sorted(days_changed_since(state.changes_until - OVERLAP))
    for day in days:
        recompute_day(day)
    RollupState.objects.filter(pk=1).update(changes_until=now, refreshed_at=timezone.now())
    return days


def all_days() -> list[dt.date]:
    """Every day with a transaction, a case or an action."""
    bounds = Transaction.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    days = set()
    if bounds["first"] is not None:
        first = timezone.localtime(bounds["first"], local_zone()).date()
        last = timezone.localtime(bounds["last"], local_zone()).date()
        days |= {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    days |= _local_days(Case.objects.all(), "opened_at")
    days |= set(Action.objects.values_list("taken_on", flat=True).distinct().order_by())
    return sorted(days)


def rebuild_rollups(*, progress=None) -> int:
    """Recompute every day from the raw tables (for repair); returns how many days."""
    started = timezone.now()
    days = all_days()
    DailyCount.objects.exclude(day__in=days).delete()
    for n, day in enumerate(days, 1):
        recompute_day(day)
        if progress is not None:
            progress(n, len(days))
    RollupState.objects.update_or_create(
        pk=1, defaults={"changes_until": started, "refreshed_at": timezone.now()}
    )
    return len(days)

"""Keeping the rollups (DailyCount) true as data arrives.

A day's rows are recomputed from the raw tables for that day alone (indexed by the
service's time) and replaced in one transaction; `refresh_rollups` finds the days that
anything changed about since its last run and recomputes those. It runs every minute; it is
idempotent, so overlapping runs and a generous overlap of the change window are harmless.
`rebuild_rollups` recomputes every day (`cfmp rebuild-rollups`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cfmp.cases.models import Action, Case
from cfmp.core import quarantine
from cfmp.core.bounds import OutOfBounds, check_date, epoch
from cfmp.core.clock import day_bounds, local_zone, next_month
from cfmp.core.models import Pipeline
from cfmp.feedback.models import WALK_IN, Feedback, FeedbackChannel, real_feedback
from cfmp.intake.models import Transaction
from cfmp.outreach.models import ContactAttempt, Survey
from cfmp.registry.models import Office
from cfmp.reports import heard
from cfmp.reports.models import COUNTERS, DailyCount, PeriodCount, ResponseCount, RollupState

# Changes committed late (a long transaction) still fall inside the next window.
OVERLAP = dt.timedelta(minutes=5)
Key = tuple[int, int | None, int | None]  # office, official, service
# Recounting a period for more offices than this reads all its rows rather than `IN (…)`.
MANY_OFFICES = 500


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
    responded = transactions.filter(real_feedback("feedback__"), feedback__isnull=False)
    _add(counts, responded.values(*_keys("")).annotate(n=Count("pk", distinct=True)), "responded")
    feedback = Feedback.objects.filter(
        real_feedback(), transaction__occurred_at__gte=start, transaction__occurred_at__lt=end
    ).order_by()
    by_category = feedback.values(*_keys(t), "category", "channel").annotate(n=Count("pk"))
    for row in by_category:
        key = (row[f"{t}office_id"], row[f"{t}official_id"], row[f"{t}service_id"])
        counts[key][row["category"]] += row["n"]
        counts[key]["feedback"] += row["n"]
        if row["channel"] == FeedbackChannel.KIOSK:
            counts[key]["kiosk"] += row["n"]
    # A walk-in's kiosk feedback, about no transaction: on the day it was given, at the
    # kiosk's office, for the service chosen.
    walk_ins = Feedback.objects.filter(
        WALK_IN, real_feedback(), created_at__gte=start, created_at__lt=end
    ).order_by()
    for row in walk_ins.values("office_id", "service_id", "category").annotate(n=Count("pk")):
        key = (row["office_id"], None, row["service_id"])
        counts[key][row["category"]] += row["n"]
        counts[key]["feedback"] += row["n"]
        counts[key]["kiosk"] += row["n"]  # walk-ins give feedback only at kiosks
    cases = Case.objects.filter(opened_at__gte=start, opened_at__lt=end).order_by()
    _add(counts, cases.values(*_keys("")).annotate(n=Count("pk")), "cases_opened")
    actions = Action.objects.filter(taken_on=day).order_by()
    _add(
        counts, actions.values(*_keys("case__")).annotate(n=Count("pk")), "actions", prefix="case__"
    )
    return counts


def recompute_day(day: dt.date, *, with_periods: bool = True) -> int:
    """Replace a day's rollup rows with fresh counts, and recount the week's and month's
    rows of every key whose counts changed; returns how many rows the day has."""
    counts = count_day(day)
    offices = {
        pk: (department, district)
        for pk, department, district in Office.objects.filter(
            pk__in={key[0] for key in counts}
        ).values_list("pk", "department_id", "district_id")
    }
    after = {key: values for key, values in counts.items() if any(values.values())}
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
        for (office, official, service), values in after.items()
    ]
    with transaction.atomic():
        _lock_rollups()
        before = _day_counts(day) if with_periods else {}
        DailyCount.objects.filter(day=day).delete()
        DailyCount.objects.bulk_create(rows, batch_size=2000)
        heard.recount_day(day, *day_bounds(day))  # issue 23: who is heard, by channel and hour
        if with_periods:
            now = {key: tuple(values[c] for c in COUNTERS) for key, values in after.items()}
            changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
            for span, first, last in periods_of(day):
                recount_period(span, first, last, offices={key[0] for key in changed})
    return len(rows)


def _lock_rollups() -> None:
    """One rollup writer at a time (on PostgreSQL; SQLite serialises writers itself), so a
    period's rows are never recounted by two transactions at once."""
    RollupState.objects.get_or_create(pk=1)
    RollupState.objects.select_for_update().filter(pk=1).exists()
    if connection.vendor == "postgresql":
        # Rollups are derived data, and the WAL keeps commits in order: a crash can lose
        # only the last recounts, never the watermark without them (it is written after).
        # Not waiting for the flush halves a busy day's update.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _day_counts(day: dt.date) -> dict[Key, tuple[int, ...]]:
    rows = DailyCount.objects.filter(day=day).values_list(*_keys(""), *COUNTERS)
    return {tuple(row[:3]): tuple(row[3:]) for row in fetch_rows(rows)}


def periods_of(day: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The week (Monday to Sunday) and the calendar month a day belongs to."""
    monday = day - dt.timedelta(days=day.weekday())
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return [
        (PeriodCount.Span.WEEK, monday, monday + dt.timedelta(days=6)),
        (PeriodCount.Span.MONTH, first, following - dt.timedelta(days=1)),
    ]


def recount_period(
    span: str, first: dt.date, last: dt.date, *, offices: set[int] | None = None
) -> None:
    """Make a week's or month's rows the sum of its days' rows, for `offices` (all if
    None). The sums are made and written by the database (INSERT … SELECT): a day whose
    every office changed rewrites some 15,000 rows, too many to pass through Python."""
    if offices is not None and not offices:
        return
    existing = PeriodCount.objects.filter(span=span, start=first)
    daily = DailyCount.objects.filter(day__gte=first, day__lte=last)
    if offices is not None and len(offices) <= MANY_OFFICES:
        existing = existing.filter(office_id__in=offices)
        daily = daily.filter(office_id__in=offices)
    elif offices is not None:
        existing = existing.filter(office_id__in=Office.objects.filter(pk__in=offices))
        daily = daily.filter(office_id__in=Office.objects.filter(pk__in=offices))
    existing.delete()
    columns = [*_keys(""), "department_id", "district_id"]
    grouped = daily.values(*columns).annotate(**{c: Sum(c) for c in COUNTERS}).order_by()
    select, params = grouped.query.sql_with_params()
    quote = connections[grouped.db].ops.quote_name
    names = ", ".join(quote(name) for name in ["span", "start", *columns, *COUNTERS])
    values = ", ".join(quote(name) for name in [*columns, *COUNTERS])
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(PeriodCount._meta.db_table)} ({names}) "
            f"SELECT %s, %s, {values} FROM ({select}) AS summed",
            [span, first, *params],
        )


@dataclass
class Cover:
    """A range of days as rollup rows: whole months and weeks (by their first day), read
    from PeriodCount, and the day ranges left at the ends, read from DailyCount."""

    months: list[dt.date]
    weeks: list[dt.date]
    days: list[tuple[dt.date, dt.date]]


def covering(start: dt.date, end: dt.date) -> Cover:
    """[start, end] as the fewest rollup rows: whole calendar months, then whole weeks of
    what is left, then the remaining days. Every day is covered exactly once."""
    months, rest = _whole(start, end, _month_starting, next_month)
    cover = Cover(months=months, weeks=[], days=[])
    for piece_start, piece_end in rest:
        weeks, days = _whole(piece_start, piece_end, _week_starting, _next_week)
        cover.weeks += weeks
        cover.days += days
    return cover


def _month_starting(day: dt.date) -> bool:
    return day.day == 1


def _week_starting(day: dt.date) -> bool:
    return day.weekday() == 0


def _next_week(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def _whole(start, end, starts, following):
    """The periods (by their first day) wholly inside [start, end], and the day ranges
    before and after them."""
    first = start if starts(start) else following(start)
    periods = []
    while following(first) - dt.timedelta(days=1) <= end:
        periods.append(first)
        first = following(first)
    if not periods:
        return [], ([(start, end)] if start <= end else [])
    rest = []
    if start < periods[0]:
        rest.append((start, periods[0] - dt.timedelta(days=1)))
    if first <= end:
        rest.append((first, end))
    return periods, rest


def recount_all_periods() -> None:
    """Every week's and month's rows afresh from the days' rows: each period replaced in
    its own transaction, under the rollup writers' lock (a refresh running meanwhile never
    interleaves with it), so reports see every period whole throughout."""
    days = DailyCount.objects.values_list("day", flat=True).distinct().order_by()
    periods = sorted({period for day in days if reportable(day) for period in periods_of(day)})
    for span, first, last in periods:
        with transaction.atomic():
            _lock_rollups()
            recount_period(span, first, last)
    with transaction.atomic():
        _lock_rollups()
        stale = PeriodCount.objects.all()
        for span in PeriodCount.Span.values:
            starts = [first for its_span, first, _ in periods if its_span == span]
            stale = stale.exclude(span=span, start__in=starts)
        stale.delete()  # periods left with no day at all
    RollupState.objects.filter(pk=1).update(periods_counted=True)


def fetch_rows(queryset) -> list[tuple]:
    """A values() queryset's rows as tuples straight from the cursor. An official-level
    report sums some 15,000 groups, and Django's per-row conversion of them cost more than
    the query itself; only integers, dates and names come back, which need none."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # filtered by an empty list
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _local_days(queryset, field: str) -> set[dt.date]:
    earliest = epoch()
    latest = timezone.now() + dt.timedelta(days=366)
    queryset = queryset.filter(**{f"{field}__gte": earliest, f"{field}__lt": latest})
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
    days |= _local_days(touched_feedback.filter(WALK_IN), "created_at")
    days |= _local_days(Case.objects.filter(opened_at__gte=since), "opened_at")
    days |= set(
        Action.objects.filter(created_at__gte=since)
        .values_list("taken_on", flat=True)
        .distinct()
        .order_by()
    )
    return days


def reportable(day: dt.date) -> bool:
    """A day reports count: from the programme's epoch to a year ahead. No door takes a
    date outside (cfmp.core.bounds); a row from before that check is never counted, so it
    cannot stop the rollups (a day in year 1 or 9999 has no week or month to count in)."""
    try:
        check_date(day, field="day")
    except OutOfBounds:
        return False
    return True


def refresh_rollups(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Recompute the days changed since the last refresh (all of them the first time), and
    the quarantined days due again. A day that cannot be counted is quarantined alone
    (cfmp.core.quarantine) and tried again later: the other days, and the watermark, go on.
    Returns the days counted."""
    now = now or timezone.now()
    state, _ = RollupState.objects.get_or_create(pk=1)
    since = state.changes_until
    first_time = since is None
    changed = all_days() if since is None else days_changed_since(since - OVERLAP)
    retried = {dt.date.fromisoformat(day) for day in quarantine.due(Pipeline.ROLLUPS)}
    days = sorted(day for day in set(changed) | retried if reportable(day))

    # Each day in its own transaction, as always: a failing one is quarantined alone.
    counted = quarantine.run_each(
        pipeline=Pipeline.ROLLUPS,
        items=days,
        process=lambda day: recompute_day(day, with_periods=not first_time),
        key=dt.date.isoformat,
    ).done
    if first_time or not state.periods_counted:
        recount_all_periods()  # the first refresh, or the first since weeks and months came
    RollupState.objects.filter(pk=1).update(changes_until=now, refreshed_at=timezone.now())
    return sorted(counted)


def all_days() -> list[dt.date]:
    """Every day with a transaction, a case, an action or a walk-in's kiosk feedback."""
    earliest = epoch()
    reportable_rows = Transaction.objects.filter(
        occurred_at__gte=earliest, occurred_at__lt=timezone.now() + dt.timedelta(days=366)
    )
    bounds = reportable_rows.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    days = set()
    if bounds["first"] is not None:
        first = timezone.localtime(bounds["first"], local_zone()).date()
        last = timezone.localtime(bounds["last"], local_zone()).date()
        days |= {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    days |= _local_days(Case.objects.all(), "opened_at")
    days |= set(Action.objects.values_list("taken_on", flat=True).distinct().order_by())
    days |= _local_days(Feedback.objects.filter(WALK_IN), "created_at")
    return sorted(day for day in days if reportable(day))


def rebuild_rollups(*, progress=None) -> int:
    """Recompute every day from the raw tables (for repair), then every week and month from
    the days; returns how many days."""
    started = timezone.now()
    days = all_days()
    DailyCount.objects.exclude(day__in=days).delete()
    ResponseCount.objects.exclude(day__in=days).delete()
    for n, day in enumerate(days, 1):
        recompute_day(day, with_periods=False)
        if progress is not None:
            progress(n, len(days))
    recount_all_periods()
    RollupState.objects.update_or_create(
        pk=1, defaults={"changes_until": started, "refreshed_at": timezone.now()}
    )
    return len(days)

"""Running a catalogue report: a table (one row per value of the dimension, in the user's
scope) read from the rollups, and from the cases table for case metrics — never from the
raw transactions."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cfmp.accounts.models import Role
from cfmp.accounts.scopes import (
    can_read_replies_by_official,
    effective_role,
    office_scope,
    sees_complaints_generalised,
)
from cfmp.cases.models import Case
from cfmp.core.clock import day_bounds, next_month
from cfmp.feedback.anonymity import applies_to
from cfmp.registry.models import Department, District, Office, Official, Service
from cfmp.reports.catalogue import Report
from cfmp.reports.models import COUNTERS, DailyCount, PeriodCount
from cfmp.reports.rollups import covering, fetch_rows

LABELS = {
    "department_id": Department,
    "district_id": District,
    "office_id": Office,
    "official_id": Official,
    "service_id": Service,
}
# Above this many ids, reading a dimension's whole table is cheaper than `pk IN (…)`.
MANY_KEYS = 500
# Audiences close to the offices: a cell drawn from fewer than k replies is not shown.
SUPPRESSED_FOR = frozenset({Role.OFFICE_HEAD, Role.DATA_ENTRY_OPERATOR})


@dataclass(slots=True)
class Row:
    key: int | None
    label: str
    label_ur: str
    value: float | int | None  # None: suppressed, or no denominator
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False


@dataclass
class Table:
    report: Report
    start: dt.date
    end: dt.date
    rows: list[Row]
    total: Row
    k: int = 0
    notes: list[str] = field(default_factory=list)
    user: Any | None = None  # whose scope the table is in (None: the shell's, everything)


def rollups_visible_to(user: Any | None, start: dt.date, end: dt.date) -> list:
    """The rollup rows that add up to [start, end], in the user's scope (everything for
    None: the shell): querysets of whole months and weeks, and of the days at the ends."""
    cover = covering(start, end)
    parts: list = []
    if cover.days:
        days = Q()
        for first, last in cover.days:
            days |= Q(day__gte=first, day__lte=last)
        parts.append(DailyCount.objects.filter(days))
    if cover.weeks or cover.months:
        weeks = Q(span=PeriodCount.Span.WEEK, start__in=cover.weeks)
        months = Q(span=PeriodCount.Span.MONTH, start__in=cover.months)
        parts.append(PeriodCount.objects.filter(weeks | months))
    if user is not None:
        parts = [part.filter(office_scope(user, via="office")) for part in parts]
    return parts


def sum_rollups(parts: list, by: tuple[str, ...], counters) -> dict[tuple, dict[str, int]]:
    """{(values of `by`): {counter: sum}} over the parts, added up in one statement (the
    parts' rows UNION ALL'd, then grouped); `by` empty: one total, under ()."""
    counters = list(counters)
    selects, params = [], []
    for part in parts:
        try:
            sql, part_params = part.values(*by, *counters).order_by().query.sql_with_params()
        except EmptyResultSet:  # a scope that reaches no office
            continue
        selects.append(sql)
        params += part_params
    if not selects:
        return {} if by else {(): dict.fromkeys(counters, 0)}
    quote = connections[parts[0].db].ops.quote_name
    keys = ", ".join(quote(column) for column in by)
    sums = ", ".join(f"SUM({quote(c)})" for c in counters)
    union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS part{n}" for n, sql in enumerate(selects))
    sql = f"SELECT {keys + ', ' if by else ''}{sums} FROM ({union}) AS rollup"
    if by:
        sql += f" GROUP BY {keys}"
    width = len(by)
    with connections[parts[0].db].cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[:width]: dict(zip(counters, [value or 0 for value in row[width:]], strict=True))
            for row in cursor.fetchall()
        }


def _cases(user: Any | None):
    return (
        Case.objects.all()
        if user is None
        else Case.objects.filter(office_scope(user, via="office"))
    )


def _suppress_below(user: Any | None, report: Report) -> int:
    """k for this audience: office heads, and anyone but the secretariat and auditors
    looking at single officials, see no cell drawn from fewer than k replies."""
    if user is None or not report.metric.from_replies:
        return 0
    role = effective_role(user)
    if role in SUPPRESSED_FOR or (
        report.dimension.key == "official" and role not in (Role.SECRETARIAT, Role.AUDITOR)
    ):
        return settings.CFMP_REPORT_MIN_RESPONSES
    return 0


def _withheld_by_official(user: Any | None, report: Report) -> bool:
    return (
        user is not None
        and report.metric.from_replies
        and report.dimension.key == "official"
        and not can_read_replies_by_official(user)
    )


def _value(metric, sums: dict[str, int]) -> tuple[float | int | None, int, int | None]:
    if len(metric.numerator) == 1:
        numerator = sums.get(metric.numerator[0]) or 0
    else:
        numerator = sum(sums.get(counter) or 0 for counter in metric.numerator)
    if not metric.is_rate:
        return numerator, numerator, None
    denominator = sums.get(metric.denominator) or 0
    return (numerator / denominator if denominator else None), numerator, denominator


def labels_for(field_name: str | None, keys: list) -> dict:
    """{id: (English name, Urdu name)} of the dimension's objects."""
    if field_name is None:
        return {None: ("Punjab", "پنجاب")}
    model = LABELS[field_name]
    ur = "name_ur" if hasattr(model, "name_ur") else "name"
    rows = model._default_manager.all()
    if len(keys) <= MANY_KEYS:
        rows = rows.filter(pk__in=[k for k in keys if k is not None])
    labels = {
        pk: (name, name_ur) for pk, name, name_ur in fetch_rows(rows.values_list("pk", "name", ur))
    }
    labels[None] = ("(not known)", "(نامعلوم)")
    return labels


def run_report(report: Report, *, user: Any | None, start: dt.date, end: dt.date) -> Table:
    metric, dimension = report.metric, report.dimension
    k = _suppress_below(user, report)
    anonymity_k = released_k(user, report)
    notes: list[str] = []
    withheld: set = set()
    if anonymity_k:
        start, end = whole_periods(report, start, end)
    if metric.live:
        grouped = _live_rows(report, user=user, start=start, end=end)
        total_sums = _live_rows(report, user=user, start=start, end=end, total=True)[None]
    else:
        needed = sorted(set(metric.numerator) | {metric.denominator, "feedback"} - {""})
        by = (dimension.rollup_field,) if dimension.rollup_field else ()
        if anonymity_k:
            summed, withheld = _released_sums(user, start, end, by, needed, anonymity_k)
            notes.append(gettext(RELEASE_NOTE) % {"k": anonymity_k, "days": settle_days()})
        else:
            summed, withheld = sum_rollups(rollups_visible_to(user, start, end), by, needed), set()
        grouped = {key[0] if key else None: sums for key, sums in summed.items()}
        total_sums = _add_up(grouped.values(), needed)
        withheld = {key[0] if key else None for key in withheld}
    labels = labels_for(dimension.rollup_field, list(grouped))
    rows = [
        Row(key, labels[key][0], labels[key][1], None, suppressed=True)
        if key in withheld
        else _row(metric, key, labels[key], sums, k)
        for key, sums in grouped.items()
    ]
    if k:
        _suppress_a_complement(rows, grouped)
    if _withheld_by_official(user, report):
        rows = [Row(row.key, row.label, row.label_ur, None, suppressed=True) for row in rows]
    rows.sort(key=lambda row: (row.value is None, -(row.value or 0), row.label))
    total = _row(metric, None, ("Total", "میزان"), total_sums, k)
    if anonymity_k and not metric.live and set(grouped) <= withheld:  # nothing released
        total = Row(None, "Total", "میزان", value=None, suppressed=True)
    if k:
        notes.append(f"cells drawn from fewer than {k} replies are not shown")
    return Table(report, start, end, rows, total, k, notes, user)


# --- Complaint figures below the identity roles (docs/privacy.md, "Reports") -------------

RELEASE_NOTE = gettext_noop(
    "complaint figures for whole calendar weeks and months only; they count the replies about "
    "an official's service in each week (cut at the month's end) where that official served at "
    "least %(k)s citizens of that service, once the week is %(days)s days past"
)


def released_k(user: Any | None, report: Report) -> int:
    """k of the anonymity rule for this reader and report: figures drawn from what citizens
    said reach readers below the identity roles only through `_released_sums`; 0: not
    applied (the identity roles, the shell, other metrics, or CFMP_ANONYMITY_K = 1)."""
    if user is None or not report.metric.from_replies or not sees_complaints_generalised(user):
        return 0
    k = settings.CFMP_ANONYMITY_K
    return k if k > 1 else 0


def settle_days() -> int:
    """Days after a week ends before its complaint figures are released: by then its citizens'
    replies are in (their surveys have expired), so a figure never changes once shown and the
    day it changed cannot date a reply."""
    return max(settings.CFMP_REPORT_SETTLE_DAYS, 0)


def whole_periods(report: Report, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar-aligned period offered instead of [start, end]: a month report's whole
    calendar month; any other period widened to whole weeks, Monday to Sunday."""
    if report.period.key == "month":
        first = start.replace(day=1)
        return first, next_month(first) - dt.timedelta(days=1)
    return start - dt.timedelta(days=start.weekday()), end + dt.timedelta(days=6 - end.weekday())


def pieces(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut at every Monday and every first of a month: the smallest periods
    that whole weeks and whole months are both made of (a week across a month's end is two
    pieces). Every figure released is a sum over whole pieces."""
    cut, first = [], start
    while first <= end:
        last = min(
            first + dt.timedelta(days=6 - first.weekday()),
            next_month(first) - dt.timedelta(days=1),
            end,
        )
        cut.append((first, last))
        first = last + dt.timedelta(days=1)
    return cut


def _released_sums(
    user: Any | None, start: dt.date, end: dt.date, by: tuple[str, ...], counters: list[str], k: int
) -> tuple[dict[tuple, dict[str, int]], set[tuple]]:
    """({(values of `by`): {counter: sum}}, the keys nothing was released for) where only
    *atoms* with at least k transactions count: an atom is one office's official's service
    in one piece (`pieces`) that had ended `settle_days()` before today. Every figure is
    then a sum of whole atoms of k or more citizens, so no arithmetic on what the reader
    can download — totals, margins, other dimensions, overlapping or nested periods — can
    isolate fewer than k citizens. One statement: the atoms summed in a subquery, grouped
    again by `by`."""
    cutoff = timezone.localdate() - dt.timedelta(days=settle_days())
    released = [(a, b) for a, b in pieces(start, end) if b < cutoff]
    if not released:
        return {(): dict.fromkeys(counters, 0)} if not by else {}, ({()} if not by else set())
    piece = SqlCase(
        *[When(day__gte=a, day__lte=b, then=Value(n)) for n, (a, b) in enumerate(released)],
        output_field=IntegerField(),
    )
    rows = DailyCount.objects.filter(day__gte=released[0][0], day__lte=released[-1][1])
    if user is not None:
        rows = rows.filter(office_scope(user, via="office"))
    keys = list(dict.fromkeys(("office_id", "official_id", "service_id", *by)))
    atoms = (
        rows.annotate(piece=piece)
        .values(*keys, "piece")
        .annotate(atom_transactions=Sum("transactions"), **{f"atom_{c}": Sum(c) for c in counters})
        .order_by()
    )
    try:
        sql, params = atoms.query.sql_with_params()
    except EmptyResultSet:
        return ({(): dict.fromkeys(counters, 0)} if not by else {}), ({()} if not by else set())
    connection = connections[atoms.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in by)
    served = quote("atom_transactions")
    sums = ", ".join(
        f"SUM(CASE WHEN {served} >= %s THEN {quote('atom_' + c)} ELSE 0 END)" for c in counters
    )
    outer = (
        f"SELECT {columns + ', ' if by else ''}{sums}, SUM({served}), "
        f"SUM(CASE WHEN atom_transactions >= %s THEN atom_transactions ELSE 0 END) "
        f"FROM ({sql}) AS atoms"
    )
    if by:
        outer += f" GROUP BY {columns}"
    width = len(by)
    found: dict[tuple, dict[str, int]] = {}
    withheld: set[tuple] = set()
    with connection.cursor() as cursor:
        cursor.execute(outer, [*[k] * len(counters), k, *params])
        for row in cursor.fetchall():
            # int(): PostgreSQL's SUM of a sum is numeric (a Decimal)
            key, values = row[:width], [int(value or 0) for value in row[width:]]
            in_scope, released_served = values[-2], values[-1]
            if by and not in_scope:  # a key with no transactions (walk-ins only): no row
                continue
            found[key] = dict(zip(counters, values[:-2], strict=True))
            if not released_served:
                withheld.add(key)
    if not by and () not in found:
        found[()] = dict.fromkeys(counters, 0)
        withheld.add(())
    return found, withheld


def _suppress_a_complement(rows: list[Row], grouped: dict) -> None:
    """One hidden cell beside a shown total is the total minus the rest: when exactly one
    cell is suppressed, the next smallest is suppressed with it, so that only their sum can
    be worked out (docs/privacy.md, "Reports")."""
    hidden = [row for row in rows if row.suppressed]
    shown = [row for row in rows if not row.suppressed]
    if len(hidden) != 1 or not shown:
        return
    smallest = min(shown, key=lambda row: (grouped[row.key].get("feedback") or 0, row.label))
    smallest.value = smallest.numerator = smallest.denominator = None
    smallest.suppressed = True


def _add_up(groups, counters: list[str]) -> dict[str, int]:
    """The total of a report: its groups added up (every rollup row is in one group)."""
    return {c: sum(group.get(c) or 0 for group in groups) for c in counters}


def _row(metric, key, label: tuple[str, str], sums: dict, k: int) -> Row:
    if metric.live:
        value = sums.get("value")
        return Row(key, *label, value=value, numerator=sums.get("n"))
    value, numerator, denominator = _value(metric, sums)
    if k and (sums.get("feedback") or 0) < k:
        return Row(key, *label, value=None, suppressed=True)
    return Row(key, *label, value=value, numerator=numerator, denominator=denominator)


def _live_rows(
    report: Report, *, user: Any | None, start: dt.date, end: dt.date, total: bool = False
) -> dict:
    """Case metrics for cases opened in the period: how many are still open, and the
    median days from opening to first action."""
    first, _ = day_bounds(start)
    _, last = day_bounds(end)
    cases = _cases(user).filter(opened_at__gte=first, opened_at__lt=last)
    group = None if total else report.dimension.case_field
    if report.metric.live == "open_cases":
        active = Q(state__in=(Case.State.OPEN, Case.State.UNDER_INQUIRY))
        if group is None:
            n = cases.filter(active).count()
            return {None: {"value": n, "n": n}}
        rows = cases.filter(active).values(group).annotate(n=Count("pk")).order_by()
        return {row[group]: {"value": row["n"], "n": row["n"]} for row in rows}
    days: dict = {}
    acted = cases.filter(first_action_at__isnull=False)
    for key, opened, acted_at in acted.values_list(group or "pk", "opened_at", "first_action_at"):
        days.setdefault(None if group is None else key, []).append(
            (acted_at - opened).total_seconds() / 86400
        )
    if group is None and not days:
        days[None] = []
    return {
        key: {"value": round(statistics.median(values), 2) if values else None, "n": len(values)}
        for key, values in days.items()
    }


# Counters that count what citizens said (or a case it opened): withheld from the summary
# below the identity roles, which reads any days (the catalogue's reports give them whole
# weeks, released; docs/privacy.md).
SAID = frozenset(
    {"responded", "feedback", "satisfied", "bribe", "delay", "misbehaviour", "other_complaint",
     "not_availed", "opt_out", "unclear", "cases_opened", "kiosk"}
)  # fmt: skip
WITHHELD = "—"


def province_summary(
    *, user: Any | None = None, start: dt.date, end: dt.date
) -> dict[str, int | str]:
    """Totals over the period: transactions, contacts, replies, each category, cases opened
    and actions taken; below the identity roles, what citizens said is WITHHELD."""
    sums = sum_rollups(rollups_visible_to(user, start, end), (), COUNTERS)[()]
    withheld = user is not None and applies_to(user)
    return {
        counter: WITHHELD if withheld and counter in SAID else sums[counter] or 0
        for counter in COUNTERS
    }


def all_time() -> tuple[dt.date, dt.date]:
    first = DailyCount.objects.order_by("day").values_list("day", flat=True).first()
    today = timezone.localdate()
    return (first or today), today


# How many periods a report's trend shows: its own and those before it.
TREND_LENGTH = {"day": 14, "week": 10, "month": 6, "range": 6}


def trend_periods(period: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The report's period and the ones before it, oldest first: days, seven-day weeks
    ending on the same weekday, calendar months, or ranges of the same length."""
    count = TREND_LENGTH[period]
    if period == "month":
        spans, first, last = [], start, end
        for _ in range(count):
            spans.append((first, last))
            last = first - dt.timedelta(days=1)
            first = last.replace(day=1)
        return spans[::-1]
    length = (end - start).days + 1
    return [
        (start - dt.timedelta(days=length * n), end - dt.timedelta(days=length * n))
        for n in range(count - 1, -1, -1)
    ]


def trend(table: Table) -> list[tuple[dt.date, dt.date, Row]]:
    """The report's total over its period and the ones before it, in the same scope and
    under the same suppression as the table (a suppressed total has no value: not charted)."""
    return [
        (first, last, run_report(table.report, user=table.user, start=first, end=last).total)
        for first, last in trend_periods(table.report.period.key, table.start, table.end)
    ]


def categories(table: Table) -> dict[int | None, tuple[int, ...]]:
    """For a complaints report: each shown row's complaints by kind (COMPLAINT_COUNTERS'
    order), from the rollups in the table's scope; suppressed rows are left out."""
    from cfmp.reports.catalogue import COMPLAINT_COUNTERS

    field_name = table.report.dimension.rollup_field
    by = (field_name,) if field_name else ()
    summed = sum_rollups(
        rollups_visible_to(table.user, table.start, table.end), by, COMPLAINT_COUNTERS
    )
    shown = {row.key for row in table.rows if not row.suppressed and row.value is not None}
    out = {}
    for key, sums in summed.items():
        row_key = key[0] if key else None
        if row_key in shown:
            out[row_key] = tuple(sums[c] for c in COMPLAINT_COUNTERS)
    return out

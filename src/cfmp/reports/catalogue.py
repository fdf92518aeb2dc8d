"""The report catalogue: every report is a metric, by a dimension, over a period. From 6
dimensions, 13 metrics and 4 periods come 312 reports, each with a stable name
("bribe-rate-by-district-week"), a title in English and Urdu, a table, a chart and
exports; no report is written by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str
    title_ur: str
    rollup_field: str | None  # DailyCount's column to group by; None: the province, one row
    case_field: str | None  # the same, reached from a Case


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    title_ur: str
    numerator: tuple[str, ...]  # rollup counters summed; empty for metrics read from cases
    denominator: str = ""  # a rate's denominator counter; "" for a count
    from_replies: bool = False  # drawn from what citizens said: suppressed below k replies
    live: str = ""  # "open_cases" or "days_to_action": read from the cases table

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)


@dataclass(frozen=True)
class Period:
    key: str
    title: str
    title_ur: str


@dataclass(frozen=True)
class Report:
    dimension: Dimension
    metric: Metric
    period: Period

    @property
    def name(self) -> str:
        return f"{self.metric.key}-by-{self.dimension.key}-{self.period.key}"

    @property
    def title(self) -> str:
        return f"{self.metric.title} by {self.dimension.title}, {self.period.title}"

    @property
    def title_ur(self) -> str:
        return f"{self.metric.title_ur} بلحاظ {self.dimension.title_ur}، {self.period.title_ur}"


COMPLAINT_COUNTERS = ("bribe", "misbehaviour", "delay", "other_complaint", "not_availed")

DIMENSIONS = (
    Dimension("province", "province", "صوبہ", None, None),
    Dimension("department", "department", "محکمہ", "department_id", "office__department_id"),
    Dimension("district", "district", "ضلع", "district_id", "office__district_id"),
    Dimension("office", "office", "دفتر", "office_id", "office_id"),
    Dimension("official", "official", "اہلکار", "official_id", "official_id"),
    Dimension("service", "service", "خدمت", "service_id", "service_id"),
)
METRICS = (
    Metric("transactions", "Transactions", "لین دین", ("transactions",)),
    Metric("contacted", "Citizens contacted", "شہریوں سے رابطہ", ("contacted",)),
    Metric("response-rate", "Response rate", "جواب کی شرح", ("responded",), "contacted"),
    Metric("satisfaction", "Satisfied", "مطمئن", ("satisfied",), "feedback", True),
    Metric("bribe-rate", "Bribe reported", "رشوت کی شکایت", ("bribe",), "feedback", True),
    Metric("delay-rate", "Delay reported", "تاخیر کی شکایت", ("delay",), "feedback", True),
    Metric(
        "misbehaviour-rate", "Misbehaviour reported", "بدسلوکی کی شکایت",
        ("misbehaviour",), "feedback", True,
    ),
    Metric(
        "not-availed-rate", "Service not received", "خدمت نہیں ملی",
        ("not_availed",), "feedback", True,
    ),
    Metric("complaints", "Complaints", "شکایات", COMPLAINT_COUNTERS, "", True),
    Metric("actions", "Actions taken", "کی گئی کارروائیاں", ("actions",)),
    Metric("kiosk-feedback", "Feedback at kiosks", "کیوسک پر دی گئی رائے", ("kiosk",)),
    Metric("open-cases", "Open cases", "کھلے کیس", (), live="open_cases"),
    Metric(
        "days-to-action", "Median days to first action", "پہلی کارروائی تک دن (وسطانیہ)",
        (), live="days_to_action",
    ),
)  # fmt: skip
PERIODS = (
    Period("day", "one day", "ایک دن"),
    Period("week", "seven days", "سات دن"),
    Period("month", "one month", "ایک مہینہ"),
    Period("range", "custom range", "منتخب مدت"),
)

CATALOGUE = {
    report.name: report
    for report in (
        Report(dimension, metric, period)
        for metric in METRICS
        for dimension in DIMENSIONS
        for period in PERIODS
    )
}


def get_report(name: str) -> Report:
    try:
        return CATALOGUE[name]
    except KeyError:
        raise KeyError(f"no report named {name!r} (cfmp report list shows them)") from None


def period_range(
    period: str, *, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The first and last day a report covers. day: `start` (today); week: the seven days
    ending `end` (today); month: the calendar month of `start` (this month, to today);
    range: `start` to `end` (the last 30 days)."""
    today = timezone.localdate()
    if period == "day":
        day = start or end or today
        return day, day
    if period == "week":
        last = end or (start + dt.timedelta(days=6) if start else today)
        return last - dt.timedelta(days=6), last
    if period == "month":
        first = (start or today).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, min(following - dt.timedelta(days=1), max(today, first))
    last = end or today
    first = start or last - dt.timedelta(days=29)
    if first > last:
        raise ValueError("the range starts after it ends")
    return first, last

"""The figures of a report page (and of its PDF): the chart that fits the report, its trend,
and for reports by district the map, in the page's language. Built from a report's Table,
so in the same scope and under the same suppression (a suppressed cell is not drawn)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from cfmp.registry.models import District
from cfmp.reports.catalogue import Metric, Report
from cfmp.reports.charts import Bar, Point, Stack, bar_chart, line_chart, stacked_chart
from cfmp.reports.district_map import Place, district_map
from cfmp.reports.selectors import Row, Table, categories, trend

CHART_ROWS = 25
# The unit on a measure axis: "number" (of what the measure names) unless said here.
UNITS = {
    "open-cases": gettext_lazy("number of cases"),
    "days-to-action": gettext_lazy("days"),
}
RATE_UNITS = {
    "feedback": gettext_lazy("per cent of replies"),
    "contacted": gettext_lazy("per cent of citizens contacted"),
}
# The complaint kinds of a stacked chart, in COMPLAINT_COUNTERS' order.
KINDS = (
    gettext_lazy("Bribe"),
    gettext_lazy("Misbehaviour"),
    gettext_lazy("Delay"),
    gettext_lazy("Other complaint"),
    gettext_lazy("Service not received"),
)


def urdu() -> bool:
    return bool(get_language_bidi())


def title_of(report: Report) -> str:
    return report.title_ur if urdu() else report.title


def label_of(row: Row) -> str:
    return row.label_ur if urdu() and row.label_ur else row.label


def metric_title(metric: Metric) -> str:
    return metric.title_ur if urdu() else metric.title


def unit_of(metric: Metric) -> str:
    if metric.is_rate:
        return str(RATE_UNITS.get(metric.denominator, "%"))
    return str(UNITS.get(metric.key, _("number")))


def charted(metric: Metric, value: float | int) -> float:
    """The value in the chart's unit: a rate as a percentage."""
    return 100 * value if metric.is_rate else float(value)


def shown(metric: Metric, value: float | int | None) -> str:
    if value is None:
        return "—"
    if metric.is_rate:
        return f"{100 * value:.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def main_chart(table: Table, *, href=None) -> SafeString | None:
    """Stacked bars by kind for complaints; bars, largest first, for every other measure.
    None when no row has a figure to draw."""
    report, metric = table.report, table.report.metric
    rows = [row for row in table.rows if row.value is not None and not row.suppressed]
    rows = rows[:CHART_ROWS]
    if not rows:
        return None
    dimension = report.dimension.title_ur if urdu() else report.dimension.title.capitalize()
    title = title_of(report)
    if len(table.rows) > CHART_ROWS:
        title += " · " + _("the first %(n)s") % {"n": CHART_ROWS}
    axis = f"{metric_title(metric)} ({unit_of(metric)})"
    if metric.key == "complaints":
        parts = categories(table)
        stacks = [Stack(label_of(row), parts.get(row.key, (0,) * len(KINDS))) for row in rows]
        return stacked_chart(
            stacks, series=[str(kind) for kind in KINDS], title=title, axis=axis,
            category_axis=dimension, rtl=urdu(),
        )  # fmt: skip
    bars = [
        Bar(
            label_of(row),
            charted(metric, row.value or 0),
            shown(metric, row.value),
            href(row) if href else "",
        )
        for row in rows
    ]
    return bar_chart(bars, title=title, axis=axis, category_axis=dimension, rtl=urdu())


def period_label(period: str, first: dt.date, last: dt.date) -> str:
    if period == "month":
        return formats.date_format(first, "M Y")
    return formats.date_format(last, "j M")


def trend_chart(table: Table) -> tuple[SafeString, list[dict[str, Any]]]:
    """The report's total over its period and the ones before: a line, and its rows (for
    the table beside it)."""
    report, metric = table.report, table.report.metric
    points, rows = [], []
    for first, last, total in trend(table):
        value = None if total.suppressed else total.value
        label = period_label(report.period.key, first, last)
        points.append(
            Point(label, None if value is None else charted(metric, value), shown(metric, value))
        )
        rows.append({"first": first, "last": last, "shown": shown(metric, value), "row": total})
    periods = {
        "day": _("day"),
        "week": _("seven days ending"),
        "month": _("month"),
        "range": _("period ending"),
    }
    title = _("%(measure)s over time: this period and the ones before") % {
        "measure": metric_title(metric)
    }
    chart = line_chart(
        points,
        title=title,
        axis=f"{metric_title(metric)} ({unit_of(metric)})",
        time_axis=str(periods[report.period.key]),
        rtl=urdu(),
    )
    return chart, rows


def map_of_districts(
    values: Mapping[int, tuple[float | None, str]], *, title: str, legend: str, href=None,
    step_label=None,
) -> SafeString:  # fmt: skip
    """The tile map, each district shaded by values[district id] = (value, as written)."""
    places = []
    for pk, code, name, name_ur in District.objects.values_list("pk", "code", "name", "name_ur"):
        value, written = values.get(pk, (None, ""))
        places.append(
            Place(
                code,
                name_ur if urdu() and name_ur else name,
                value,
                written,
                href(pk) if href else "",
            )
        )
    return district_map(
        places,
        title=title,
        legend=legend,
        no_figure=_("no figure"),
        step_label=step_label or (lambda v: f"{v:g}"),
        rtl=urdu(),
    )


def report_map(table: Table, *, href=None) -> SafeString | None:
    """For a report by district: the map, shaded by the report's figure."""
    if table.report.dimension.key != "district":
        return None
    metric = table.report.metric
    values = {
        row.key: (charted(metric, row.value), shown(metric, row.value))
        for row in table.rows
        if row.key is not None and row.value is not None and not row.suppressed
    }
    unit = unit_of(metric)
    return map_of_districts(
        values,
        title=title_of(table.report),
        legend=f"{metric_title(metric)} ({unit})",
        href=href,
        step_label=lambda v: f"{v:.0f}%" if metric.is_rate else f"{v:,.0f}",
    )


def ranking_chart(entries, *, level_title: str, measure_title: str) -> SafeString | None:
    """The ranked offices or officials, worst first (the first 25): each one's complaint
    share written at its bar with the replies it is drawn from; the unranked are left out."""
    ranked = [entry for entry in entries if entry.rank is not None][:CHART_ROWS]
    if not ranked:
        return None
    bars = [
        Bar(
            f"{entry.rank}. {entry.label_ur if urdu() and entry.label_ur else entry.label}",
            100 * entry.rate,
            f"{100 * entry.rate:.0f}% ({entry.count}/{entry.responses})",
        )
        for entry in ranked
    ]
    return bar_chart(
        bars,
        title=_("%(measure)s: share of replies, worst first") % {"measure": measure_title},
        axis=_("share of replies (per cent)"),
        category_axis=level_title,
        rtl=urdu(),
    )

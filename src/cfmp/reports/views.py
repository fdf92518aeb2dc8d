"""Report pages: the catalogue, one report (table, chart drawn from its rows, exports), in
the user's scope. Thin: the figures come from `reports.selectors`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cfmp.accounts.permissions import requires
from cfmp.accounts.scopes import (
    can_acknowledge_alerts,
    can_use_command_centre,
    effective_role,
    office_scope,
)
from cfmp.core.bounds import OutOfBounds, query_date, query_int
from cfmp.core.lists import Listing, export_response, export_rows
from cfmp.feedback.anonymity import applies_to
from cfmp.kiosk.monitoring import open_events
from cfmp.reports import command_centre, figures, heard
from cfmp.reports.alerts import acknowledge_alert
from cfmp.reports.catalogue import CATALOGUE, DIMENSIONS, METRICS, PERIODS, get_report, period_range
from cfmp.reports.exports import FORMATS, PdfUnavailable, export
from cfmp.reports.lists import COLUMNS as ALERT_COLUMNS
from cfmp.reports.lists import AlertFilters
from cfmp.reports.models import Alert
from cfmp.reports.rankings import LEVELS, MEASURES, rank
from cfmp.reports.selectors import Table, run_report, settle_days

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _require_reader(request: HttpRequest) -> None:
    if effective_role(request.user) is None:
        raise PermissionDenied


def _dates(request: HttpRequest) -> tuple[dt.date | None, dt.date | None]:
    """?from= and ?to=, each a date within cfmp.core.bounds's window (else 400 naming it)."""
    start, end = query_date(request.GET, "from"), query_date(request.GET, "to")
    if start and end and start > end:
        raise OutOfBounds("from", "is after to")
    return start, end


def _period(key: str, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    try:
        return period_range(key, start=start, end=end)
    except ValueError as problem:  # a range starting after it ends
        raise OutOfBounds("from", str(problem)) from None


def _table(request: HttpRequest, name: str) -> Table:
    start, end = _dates(request)
    try:
        report = get_report(name)
    except KeyError as problem:
        raise Http404(str(problem)) from None
    start, end = _period(report.period.key, start, end)
    return run_report(report, user=request.user, start=start, end=end)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request,
        "reports/catalogue.html",
        {"metrics": METRICS, "dimensions": DIMENSIONS, "periods": PERIODS, "count": len(CATALOGUE)},
    )


def _drill_down(request: HttpRequest):
    """Where a district on a map leads: its command-centre page, for those who may open it."""
    if not can_use_command_centre(request.user):
        return None
    base = reverse("reports:command-centre")
    return lambda pk: f"{base}?level=district&key={pk}"


@login_required
def report(request: HttpRequest, name: str) -> HttpResponse:
    _require_reader(request)
    table = _table(request, name)
    trend, trend_rows = figures.trend_chart(table)
    drill = _drill_down(request)
    by_district = None
    if drill and table.report.dimension.key == "district":
        by_district = lambda row: drill(row.key) if row.key else ""  # noqa: E731
    return render(
        request,
        "reports/report.html",
        {
            "table": table,
            "title": figures.title_of(table.report),
            "chart": figures.main_chart(table, href=by_district),
            "trend": trend,
            "trend_rows": trend_rows,
            "map": figures.report_map(table, href=drill),
            "formats": FORMATS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    _require_reader(request)
    if fmt not in FORMATS:
        raise Http404("unknown format")
    table = _table(request, name)
    try:
        data = export(table, fmt)
    except PdfUnavailable:
        message = _("PDF files cannot be made on this server; CSV, Excel and JSON can.")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{name}_{table.start}_{table.end}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    """Offices or officials, worst first, ranked fairly (see `reports.rankings`)."""
    _require_reader(request)
    level = request.GET.get("level", "office")
    measure = request.GET.get("measure", "complaints")
    if level not in LEVELS or measure not in MEASURES:
        raise Http404("unknown ranking")
    start, end = _period("range", *_dates(request))
    entries = rank(level=level, measure=measure, user=request.user, start=start, end=end)
    chart = figures.ranking_chart(
        entries,
        level_title=_("Offices") if level == "office" else _("Officials"),
        measure_title=_("All complaints") if measure == "complaints" else _("Bribe"),
    )
    return render(
        request,
        "reports/rankings.html",
        {
            "entries": entries,
            "chart": chart,
            "level": level,
            "measure": measure,
            "start": start,
            "end": end,
            "minimum": settings.CFMP_RANKING_MIN_RESPONSES,
        },
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts about offices and officials in the user's scope, newest week first, paged,
    filtered and exported (`cfmp.reports.lists`)."""
    _require_reader(request)
    alerts = Alert.objects.filter(office_scope(request.user, via="office")).select_related(
        "office", "official", "acknowledged_by"
    )
    listing = Listing(request, alerts, filterset=AlertFilters, columns=ALERT_COLUMNS,
                      default_sort="-week", tie=("acknowledged_at", "q_value", "pk"))  # fmt: skip
    if listing.export_format:
        rows = export_rows(listing.queryset, lambda chunk: [
            [a.week_end.isoformat(), a.get_kind_display(), a.office.shown_name,
             a.official.shown_name if a.official else "", a.observed, a.out_of,
             a.baseline_rate, a.peer_rate, a.q_value,
             _("yes") if a.acknowledged_at else _("no")] for a in chunk])  # fmt: skip
        return export_response(
            name="alerts", fmt=listing.export_format,
            headers=[_("Week to"), _("Signal"), _("Office"), _("Official"), _("Observed"),
                     _("Out of"), _("Usual rate"), _("Peers' rate"), "q", _("Seen")],
            rows=list(rows),
        )  # fmt: skip
    page = listing.page()
    return render(
        request,
        "reports/alerts.html",
        {
            "alerts": list(page),
            "page": page,
            "listing": listing,
            "can_acknowledge": can_acknowledge_alerts(request.user),
        },
    )


@login_required
def who_is_heard(request: HttpRequest) -> HttpResponse:
    """The response rate by contact channel and hour of first contact (issue 23), in scope,
    over the services of ?from= to ?to= (the last 30 days)."""
    _require_reader(request)
    start, end = _period("range", *_dates(request))
    rates = heard.response_rates(user=request.user, start=start, end=end)
    return render(request, "reports/heard.html", {"rates": rates, "start": start, "end": end})


@requires("reports:acknowledge")
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_acknowledge_alerts(request.user):
        raise PermissionDenied
    alert = get_object_or_404(Alert.objects.filter(office_scope(request.user, via="office")), pk=pk)
    acknowledge_alert(alert=alert, user=request.user)
    return redirect("reports:alerts")


def _require_command_centre(request: HttpRequest) -> None:
    if not can_use_command_centre(request.user):
        raise PermissionDenied


def _worst_offices(user, *, released: bool = False) -> list:
    """The five worst-ranked offices of 30 days (`released`: of the four whole weeks that
    ended CFMP_REPORT_SETTLE_DAYS ago, so that the list does not move as complaints arrive).
    Kept a minute (the rollups they read change once a minute), so the page's 10-second
    refresh does not re-rank every office each time."""
    key = f"command-centre-worst:{user.pk}:{int(released)}"
    worst = cache.get(key)
    if worst is None:
        end = timezone.localdate()
        if released:
            end -= dt.timedelta(days=settle_days() + end.weekday() + 1)  # a Sunday
        ranked = rank(
            level="office",
            measure="complaints",
            user=user,
            start=end - dt.timedelta(days=27 if released else 29),
            end=end,
        )
        worst = [entry for entry in ranked if entry.rank is not None][:5]
        cache.set(key, worst, 60)
    return worst


# The measures the command centre's map can be shaded by: (title, source).
MAP_MEASURES = {
    "complaints": gettext_lazy("Complaints today"),
    "bribes": gettext_lazy("Bribe reports today"),
    "replies": gettext_lazy("Replies today"),
    "bribe-rate": gettext_lazy("Bribe reported, per cent of replies, 30 days"),
}


def _command_centre_map(request: HttpRequest, measure: str, rows: list[dict]):
    base = reverse("reports:command-centre")
    if measure == "bribe-rate":
        today = timezone.localdate()
        table = run_report(
            get_report("bribe-rate-by-district-range"),
            user=request.user,
            start=today - dt.timedelta(days=29),
            end=today,
        )
        values = {
            row.key: (100 * row.value, figures.shown(table.report.metric, row.value))
            for row in table.rows
            if row.key is not None and row.value is not None and not row.suppressed
        }
        step = lambda v: f"{v:.0f}%"  # noqa: E731
    else:
        # Counts withheld from this reader (below the identity roles) are no figure on the map.
        values = {
            row["key"]: (row[measure], f"{row[measure]:,}")
            for row in rows
            if isinstance(row[measure], int)
        }
        step = lambda v: f"{v:,.0f}"  # noqa: E731
    return figures.map_of_districts(
        values,
        title=_("Punjab's districts: %(measure)s") % {"measure": MAP_MEASURES[measure]},
        legend=str(MAP_MEASURES[measure]),
        href=lambda pk: f"{base}?level=district&key={pk}",
        step_label=step,
    )


def _command_centre_context(request: HttpRequest) -> dict:
    level = request.GET.get("level", "province")
    measure = request.GET.get("measure", "complaints")
    if measure not in MAP_MEASURES:
        raise Http404("unknown measure")
    if level not in ("province", "district", "office", "official"):
        raise Http404("unknown level")
    key = query_int(request.GET, "key", minimum=1)
    if level != "province" and key is None:
        raise Http404("which one?")
    # Below the identity roles, what citizens said today is not counted live (docs/privacy.md).
    withheld = applies_to(request.user)
    today = command_centre.today(level=level, key=key)
    if level == "official":
        rows = []
    elif withheld:
        rows = command_centre.breakdown_withheld(level=level, key=key)
    else:
        rows = command_centre.breakdown(level=level, key=key)
    return {
        "level": level,
        "key": key,
        "measure": measure,
        "measures": MAP_MEASURES,
        "map": _command_centre_map(request, measure, rows) if level == "province" else None,
        "name": command_centre.name_of(level, key),
        "today": today.withheld() if withheld else today,
        "rows": rows,
        "latest": command_centre.latest_complaints(user=request.user, level=level, key=key),
        "alerts": Alert.objects.filter(acknowledged_at__isnull=True)
        .select_related("office", "official")
        .order_by("-week_end", "q_value")[:5],
        "worst": _worst_offices(request.user, released=withheld),
        "kiosk_events": open_events(),
        "updated": timezone.now(),
    }


@login_required
def command_centre_page(request: HttpRequest) -> HttpResponse:
    """The secretariat's live view of today, with drill-down province → district → office →
    official → the masked feedback; the figures refresh every 10 s without a reload."""
    _require_command_centre(request)
    return render(request, "reports/command_centre.html", _command_centre_context(request))


@login_required
def command_centre_live(request: HttpRequest) -> HttpResponse:
    _require_command_centre(request)
    return render(request, "reports/_command_centre_live.html", _command_centre_context(request))

"""The public scorecards (issue 23): open to all, in both languages, the internal reports'
figures for published departments only, never an official, never a cell from fewer than
CFMP_PUBLIC_MIN_RESPONSES replies; served from the cache; open data; an embeddable widget."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.urls import get_resolver, reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.models import Action, Case
from cfmp.cases.services import file_complaints, record_action
from cfmp.public.selectors import period
from cfmp.registry.models import Department, Service
from cfmp.reports.catalogue import get_report
from cfmp.reports.models import DailyCount
from cfmp.reports.rollups import day_bounds, recount_all_periods
from cfmp.reports.selectors import run_report
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db
# The last complete month (the headline, in these tests) and the one before (in the trend).
LAST_DAY = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
EARLIER = LAST_DAY.replace(day=1) - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def rollup(office, day, *, official=None, service=None, satisfied=0, bribe=0, delay=0, other=0):
    DailyCount.objects.create(
        day=day, office=office, official=official, service=service,
        department_id=office.department_id, district_id=office.district_id,
        feedback=satisfied + bribe + delay + other, responded=satisfied + bribe + delay + other,
        satisfied=satisfied, bribe=bribe, delay=delay, other_complaint=other,
    )  # fmt: skip


@pytest.fixture
def published(world, settings):
    """Revenue published, police and health not. The headline: last month. Lahore revenue:
    43 replies then (with and without an official), 35 the month before; Multan revenue: 20
    (too few), for another service; Lahore police: 100, unpublished. One case at Lahore
    revenue last month, acted on after 3 days."""
    settings.CFMP_PUBLIC_MIN_CASES = 1
    settings.CFMP_PUBLIC_PERIOD_MONTHS = 1
    Department.objects.filter(code="revenue").update(published=True)
    fard = Service.objects.get(code="fard")
    officials = world.officials
    rollup(world.lahore_revenue, LAST_DAY, official=officials["LHR-REV"], service=fard,
           satisfied=20, bribe=6, delay=4)  # fmt: skip
    rollup(world.lahore_revenue, LAST_DAY - dt.timedelta(days=3), service=fard,
           satisfied=10, bribe=1, delay=1, other=1)  # fmt: skip
    rollup(world.lahore_revenue, EARLIER, official=officials["LHR-REV"], service=fard,
           satisfied=30, bribe=5)  # fmt: skip
    rollup(world.multan_revenue, LAST_DAY, official=officials["MUL-REV"],
           service=Service.objects.get(code="mutation"), satisfied=15, bribe=5)  # fmt: skip
    rollup(world.lahore_police, LAST_DAY, official=officials["LHR-POL"],
           satisfied=60, bribe=40)  # fmt: skip
    recount_all_periods()
    feedback = complaint("LHR-REV")
    file_complaints(feedback_ids=[feedback.pk])
    case = Case.objects.get(office=world.lahore_revenue)
    record_action(case=case, author=world.users[Role.SECRETARIAT], kind=Action.Kind.values[0],
                  taken_on=LAST_DAY)  # fmt: skip
    opened, _ = day_bounds(LAST_DAY - dt.timedelta(days=5))
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened, first_action_at=opened + dt.timedelta(days=3)
    )
    return world


def public_urls(world) -> dict[str, list[str]]:
    """Every public URL name, with the paths it is visited at."""
    urls = {
        "public:home": [reverse("public:home")],
        "public:download": [
            reverse("public:download", args=[name, fmt])
            for name, fmt in (("scorecards", "csv"), ("scorecards", "json"), ("trends", "csv"))
        ],
    }
    for lang in ("en", "ur"):
        for name in ("index", "rankings", "data"):
            urls.setdefault(f"public:{name}", []).append(reverse(f"public:{name}", args=[lang]))
        for office in (world.lahore_revenue, world.multan_revenue):
            for name in ("office", "widget"):
                urls.setdefault(f"public:{name}", []).append(
                    reverse(f"public:{name}", args=[lang, office.code])
                )
        urls.setdefault("public:service", []).append(reverse("public:service", args=[lang, "fard"]))
    return urls


def test_every_public_url_and_download_needs_no_login_and_shows_no_official(client, published):
    names = {
        f"public:{pattern.name}"
        for resolver in get_resolver().url_patterns
        if getattr(resolver, "namespace", None) == "public"
        for pattern in resolver.url_patterns
    }
    urls = public_urls(published)
    assert set(urls) == names, "a new public URL must be visited here"
    officials = [official.name for official in published.officials.values()]
    for paths in urls.values():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode("utf-8-sig")
            for name in officials:
                assert name not in body, (path, name)
                for word in name.split():
                    assert word not in body, (path, word)
            assert published.lahore_police.name not in body  # police is not published
            assert "LHR-POL" not in body
            assert "Set-Cookie" not in response.headers and not response.cookies
            assert "Vary" not in response.headers
            assert response.headers["Cache-Control"] == "public, max-age=3600"
    # The unpublished department's office has no page.
    assert client.get(reverse("public:office", args=["en", "LHR-POL"])).status_code == 404
    assert client.get(reverse("public:widget", args=["en", "LHR-POL"])).status_code == 404


def _check_no_cell_below(cells, minimum: int) -> int:
    checked = 0
    for cell in cells:
        if cell["replies"] is None:
            assert cell["shares"] == {}
            continue
        assert cell["replies"] >= minimum
        for share in cell["shares"].values():
            assert share["replies"] >= minimum
            checked += 1
    return checked


def test_no_cell_from_fewer_than_the_minimum_anywhere(client, published, settings):
    data = json.loads(client.get(reverse("public:download", args=["scorecards", "json"])).content)
    minimum = settings.CFMP_PUBLIC_MIN_RESPONSES
    assert data["min_responses"] == minimum == 30
    cards = data["offices"] + data["services"]
    months = [month for office in data["offices"] for month in office["trend"]]
    assert _check_no_cell_below(cards, minimum) > 0 and _check_no_cell_below(months, minimum) > 0
    multan = next(card for card in data["offices"] if card["code"] == "MUL-REV")
    assert multan["replies"] is None and multan["days_to_action"] is None
    for name in ("scorecards", "trends"):
        rows = list(csv.DictReader(io.StringIO(client.get(
            reverse("public:download", args=[name, "csv"])).content.decode("utf-8-sig"))))  # fmt: skip
        assert rows
        for row in rows:
            assert row["replies"] == "" or int(row["replies"]) >= minimum
            if row["replies"] == "":
                assert row["satisfied_share"] == row["bribe_share"] == row["delay_share"] == ""
    page = client.get(reverse("public:office", args=["en", "MUL-REV"])).content.decode()
    assert "Fewer than 30 citizens replied" in page and "%" not in page.split("<main>")[1]
    # Raising the minimum hides Lahore revenue too.
    settings.CFMP_PUBLIC_MIN_RESPONSES = 50
    cache.clear()
    data = json.loads(client.get(reverse("public:download", args=["scorecards", "json"])).content)
    assert all(card["replies"] is None for card in data["offices"])


def test_public_figures_equal_the_internal_reports(client, published):
    data = json.loads(client.get(reverse("public:download", args=["scorecards", "json"])).content)
    start, end = dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"])
    assert (start, end) == (LAST_DAY.replace(day=1), LAST_DAY)
    secretariat = published.users[Role.SECRETARIAT]
    checked = 0
    for kind, code in (("office", published.lahore_revenue.code), ("service", "fard")):
        card = next(c for c in data[f"{kind}s"] if c["code"] == code)
        for metric, share in (("satisfaction", "satisfied"), ("bribe-rate", "bribe"),
                              ("delay-rate", "delay")):  # fmt: skip
            table = run_report(
                get_report(f"{metric}-by-{kind}-range"), user=secretariat, start=start, end=end
            )
            row = next(r for r in table.rows if r.label == card["name"])
            assert card["shares"][share]["rate"] == pytest.approx(row.value)
            assert card["shares"][share]["count"] == row.numerator
            assert card["replies"] == card["shares"][share]["replies"] == row.denominator
            checked += 1
        days = run_report(
            get_report(f"days-to-action-by-{kind}-range"), user=secretariat, start=start, end=end
        )
        row = next(r for r in days.rows if r.label == card["name"])
        assert card["days_to_action"] == row.value == 3.0 and card["cases_acted"] == row.numerator
    assert checked == 6
    # Lahore revenue: 43 replies this period (both officials' rows, summed, never split).
    lahore = next(c for c in data["offices"] if c["code"] == "LHR-REV")
    assert lahore["replies"] == 43 and lahore["shares"]["bribe"]["count"] == 7
    assert lahore["shares"]["bribe"]["low"] < 7 / 43 < lahore["shares"]["bribe"]["high"]
    assert lahore["redress_rate"] is None
    # The trend's month a month ago equals the monthly report for that month.
    month = next(m for m in lahore["trend"] if m["end"] == EARLIER.isoformat())
    assert month["replies"] == 35
    table = run_report(
        get_report("satisfaction-by-office-range"), user=secretariat,
        start=dt.date.fromisoformat(month["start"]), end=dt.date.fromisoformat(month["end"]),
    )  # fmt: skip
    row = next(r for r in table.rows if r.label == lahore["name"])
    assert month["replies"] == row.denominator and month["shares"]["satisfied"]["rate"] == (
        pytest.approx(row.value)
    )
    assert len(lahore["trend"]) == 12 and lahore["trend"][-1]["end"] == LAST_DAY.isoformat()
    # Rankings: the internal ranking's order over published offices from the minimum.
    bribe = next(r for r in data["rankings"] if r["measure"] == "bribe")
    assert [e["code"] for e in bribe["entries"]] == ["LHR-REV"] and lahore["ranks"]["bribe"] == 1


def test_pages_in_both_languages_and_figures_shown(client, published):
    en = client.get(reverse("public:office", args=["en", "LHR-REV"])).content.decode()
    ur = client.get(reverse("public:office", args=["ur", "LHR-REV"])).content.decode()
    assert 'dir="ltr"' in en and 'dir="rtl"' in ur
    assert "43 replies heard" in en and "not yet measured" in en
    assert "16.3 %" in en  # bribe: 7 of 43
    assert "ابھی پیمائش نہیں ہوئی" in ur and "16.3 %" in ur
    assert 'href="/public/ur/office/LHR-REV/"' in en and 'href="/public/en/office/LHR-REV/"' in ur
    services = client.get(reverse("public:index", args=["ur"])).content.decode()
    assert Service.objects.get(code="fard").name_ur in services


def test_only_the_widget_may_be_framed(client, published):
    widget = client.get(reverse("public:widget", args=["en", "LHR-REV"]))
    assert "X-Frame-Options" not in widget.headers
    assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
    page = client.get(reverse("public:office", args=["en", "LHR-REV"]))
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    # The same from the cache.
    again = client.get(reverse("public:widget", args=["en", "LHR-REV"]))
    assert again.content == widget.content and "X-Frame-Options" not in again.headers
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_served_from_the_cache_even_to_a_signed_in_reader(
    client, published, django_assert_num_queries
):
    path = reverse("public:index", args=["en"])
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    client.force_login(published.users[Role.SECRETARIAT])
    cache.clear()
    signed_in = client.get(path)  # computed for a signed-in reader: still public, no cookie
    assert signed_in.headers["Cache-Control"] == "public, max-age=3600"
    assert "Vary" not in signed_in.headers and not signed_in.cookies
    assert "sec" not in signed_in.content.decode().split("<main>")[1].split("</main>")[0].split()
    # Internal pages keep no-store.
    assert "no-store" in client.get(reverse("reports:catalogue")).headers["Cache-Control"]


def test_publishing_is_the_secretariats_switch(client, published):
    Department.objects.filter(code="police").update(published=True)
    cache.clear()
    page = client.get(reverse("public:index", args=["en"])).content.decode()
    assert published.lahore_police.name in page
    Department.objects.update(published=False)
    cache.clear()
    page = client.get(reverse("public:index", args=["en"])).content.decode()
    assert "No department has published its scorecards yet." in page
    assert client.get(reverse("public:office", args=["en", "LHR-REV"])).status_code == 404


def test_the_period_is_whole_months_the_same_all_month(settings):
    """A window sliding by a day could be subtracted from the next day's: single days'
    replies would show."""
    settings.CFMP_PUBLIC_PERIOD_MONTHS = 3
    assert period(dt.date(2026, 3, 1)) == period(dt.date(2026, 3, 31))
    assert period(dt.date(2026, 3, 1)) == (dt.date(2025, 12, 1), dt.date(2026, 2, 28))


def _json(client) -> dict:
    return json.loads(client.get(reverse("public:download", args=["scorecards", "json"])).content)


def test_a_withheld_month_cannot_be_worked_out_from_the_headline(client, published, settings):
    """Multan revenue: 20 replies last month (withheld) and 40 the month before; over two
    months its headline (60) is shown, so the month before is withheld too: the headline minus
    the shown months would otherwise give last month's."""
    settings.CFMP_PUBLIC_PERIOD_MONTHS = 2
    mutation = Service.objects.get(code="mutation")
    rollup(published.multan_revenue, EARLIER, service=mutation, satisfied=30, bribe=10)
    recount_all_periods()
    multan = next(card for card in _json(client)["offices"] if card["code"] == "MUL-REV")
    assert multan["replies"] == 60
    assert [month["replies"] for month in multan["trend"][-2:]] == [None, None]
    lahore = next(card for card in _json(client)["offices"] if card["code"] == "LHR-REV")
    assert [month["replies"] for month in lahore["trend"][-2:]] == [35, 43]  # nothing withheld


def test_a_service_is_withheld_when_it_would_give_a_withheld_office(client, published):
    """Fard: Lahore revenue's 43 replies (shown) and now 5 of Multan revenue's 25 (withheld):
    the service's total minus Lahore's would give Multan's 5."""
    data = _json(client)
    assert next(c for c in data["services"] if c["code"] == "fard")["replies"] == 43
    fard = Service.objects.get(code="fard")
    rollup(published.multan_revenue, LAST_DAY - dt.timedelta(days=1), service=fard, satisfied=5)
    recount_all_periods()
    cache.clear()
    data = _json(client)
    assert next(c for c in data["offices"] if c["code"] == "MUL-REV")["replies"] is None
    assert next(c for c in data["services"] if c["code"] == "fard")["replies"] is None
    # With 30 more from Multan, Multan is shown (55); but mutation's 20 (withheld, Multan's
    # alone) would then be both offices' total minus fard's: fard is withheld with it.
    rollup(published.multan_revenue, LAST_DAY - dt.timedelta(days=2), service=fard, satisfied=30)
    recount_all_periods()
    cache.clear()
    data = _json(client)
    assert next(c for c in data["offices"] if c["code"] == "MUL-REV")["replies"] == 55
    assert next(c for c in data["offices"] if c["code"] == "LHR-REV")["replies"] == 43
    assert next(c for c in data["services"] if c["code"] == "mutation")["replies"] is None
    assert next(c for c in data["services"] if c["code"] == "fard")["replies"] is None
    # Once mutation has 30 replies of its own, everything is shown.
    mutation = Service.objects.get(code="mutation")
    rollup(
        published.multan_revenue, LAST_DAY - dt.timedelta(days=4), service=mutation, satisfied=10
    )
    recount_all_periods()
    cache.clear()
    data = _json(client)
    assert next(c for c in data["services"] if c["code"] == "mutation")["replies"] == 30
    assert next(c for c in data["services"] if c["code"] == "fard")["replies"] == 43 + 35
    assert next(c for c in data["offices"] if c["code"] == "MUL-REV")["replies"] == 65


def test_the_sign_in_page_points_to_the_scorecards(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("public:index", args=["en"])}"' in page
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert f'href="{reverse("public:index", args=["ur"])}"' in page

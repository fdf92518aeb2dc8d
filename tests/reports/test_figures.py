"""Report charts, trends and the district map, as the pages render them."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.registry.models import District
from cfmp.reports.catalogue import CATALOGUE
from cfmp.reports.charts import WIDTH
from cfmp.reports.district_map import TILES
from tests.reports.history import weeks_of_replies

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svgs(page: str) -> dict[str, ET.Element]:
    """The page's SVG figures by class (chart-bars, chart-stacked, chart-line, district-map)."""
    found = {}
    for markup in re.findall(r"<svg .*?</svg>", page, flags=re.S):
        element = ET.fromstring(markup)
        for name in element.get("class", "").split():
            if name != "chart":
                found[name] = element
    return found


def texts(element: ET.Element, cls: str) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text") if cls in t.get("class", "")]


def test_the_districts_are_the_registry_s_36():
    assert len(TILES) == 36 == len(set(TILES.values()))
    # The catalogue data migration loads them: every one has a square.
    assert set(District.objects.values_list("code", flat=True)) == set(TILES)


def test_a_ranking_report_draws_labelled_bars_and_its_trend(client, world):
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:report", args=["bribe-rate-by-office-week"])).content
    figures = svgs(page.decode())
    bars = figures["chart-bars"]
    assert bars.find(f"{SVG}title").text == CATALOGUE["bribe-rate-by-office-week"].title
    assert texts(bars, "value-axis-title") == ["Bribe reported (per cent of replies)"]
    assert texts(bars, "category-axis") == ["Office"]
    ticks = texts(bars, "tick")
    assert ticks[0] == "0" and len(ticks) >= 3
    # Every bar's value is written beside it, no hovering needed; largest first.
    values = texts(bars, "value-label")
    assert len(values) == 2 and all(v.endswith("%") for v in values)
    assert float(values[0][:-1]) >= float(values[1][:-1])
    # The trend: this week and the nine before, each labelled.
    line = figures["chart-line"]
    assert len(list(line.iter(f"{SVG}circle"))) == 10
    assert len(texts(line, "value-label")) == 10
    assert texts(line, "time-axis-title") == ["seven days ending"]


def test_a_complaints_report_stacks_its_kinds_with_a_legend(client, world):
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:report", args=["complaints-by-district-range"])).content
    stacked = svgs(page.decode())["chart-stacked"]
    legend = [
        t.text
        for g in stacked.iter(f"{SVG}g")
        if g.get("class") == "legend"
        for t in g.iter(f"{SVG}text")
    ]
    assert legend[:3] == ["Bribe", "Misbehaviour", "Delay"]
    # The parts of each bar add up to the total written at its tip.
    for bar in (g for g in stacked.iter(f"{SVG}g") if g.get("class") == "bar"):
        parts = [int(r.get("data-value")) for r in bar.iter(f"{SVG}rect")]
        total = texts(bar, "value-label")[0]
        assert sum(parts) == int(total.replace(",", "")) > 0


def test_a_district_report_maps_its_figures_and_links_each_district(client, world):
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:report", args=["complaints-by-district-month"])).content
    mapped = svgs(page.decode())["district-map"]
    squares = [g for g in mapped.iter(f"{SVG}g") if g.get("class") == "district"]
    assert len(squares) == 36
    lahore = District.objects.get(code="lahore")
    (square,) = [g for g in squares if g.get("data-code") == "lahore"]
    assert square.find(f"{SVG}title").text.startswith("Lahore: ")
    links = {a.get("href") for a in mapped.iter(f"{SVG}a")}
    assert f"{reverse('reports:command-centre')}?level=district&key={lahore.pk}" in links
    # A district without replies is grey and says it has no figure.
    (attock,) = [g for g in squares if g.get("data-code") == "attock"]
    assert attock.get("data-value") == "" and attock.find(f"{SVG}title").text == "Attock: no figure"


def test_in_urdu_bars_grow_from_the_right_and_time_runs_right_to_left(client, world):
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    client.cookies["django_language"] = "ur"
    page = client.get(reverse("reports:report", args=["bribe-rate-by-office-week"])).content
    figures = svgs(page.decode())
    bars = figures["chart-bars"]
    assert bars.get("data-direction") == "rtl"
    assert bars.find(f"{SVG}title").text == CATALOGUE["bribe-rate-by-office-week"].title_ur
    rects = list(bars.iter(f"{SVG}rect"))
    ends = {round(float(r.get("x")) + float(r.get("width"))) for r in rects}
    assert len(ends) == 1 and ends.pop() > WIDTH / 2  # one root, on the right
    for bar in (g for g in bars.iter(f"{SVG}g") if g.get("class") == "bar"):
        rect = bar.find(f"{SVG}rect")
        (value,) = [t for t in bar.iter(f"{SVG}text") if "value-label" in t.get("class", "")]
        assert float(value.get("x")) < float(rect.get("x"))  # written at the bar's left tip
    line = figures["chart-line"]
    xs = [float(c.get("cx")) for c in line.iter(f"{SVG}circle")]
    assert xs == sorted(xs, reverse=True)  # oldest on the right


def test_a_suppressed_figure_is_not_charted(client, world, settings):
    """An office head sees no cell drawn from fewer than k replies: not in the bars, not in
    the trend (a gap, marked —)."""
    settings.CFMP_REPORT_MIN_RESPONSES = 3
    world.users[Role.OFFICE_HEAD].office = world.lahore_revenue
    world.users[Role.OFFICE_HEAD].save()
    weeks_of_replies(per_week=lambda week: 4 if week % 2 else 1)
    client.force_login(world.users[Role.OFFICE_HEAD])
    page = client.get(reverse("reports:report", args=["satisfaction-by-office-week"])).content
    line = svgs(page.decode())["chart-line"]
    shown = [g for g in line.iter(f"{SVG}g") if g.get("class") == "point"]
    missing = [g for g in line.iter(f"{SVG}g") if g.get("class") == "point missing"]
    assert len(shown) == 5 and len(missing) == 5
    assert all(g.find(f"{SVG}title").text.endswith("—") for g in missing)


def test_the_command_centre_maps_the_36_districts_by_the_chosen_measure(client, world):
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    url = reverse("reports:command-centre")
    for measure in ("complaints", "bribes", "replies", "bribe-rate"):
        page = client.get(url, {"measure": measure}).content.decode()
        mapped = svgs(page)["district-map"]
        squares = [g for g in mapped.iter(f"{SVG}g") if g.get("class") == "district"]
        assert len(squares) == 36 and all(g.find(f"{SVG}title").text for g in squares)
        assert len(list(mapped.iter(f"{SVG}a"))) == 36
    multan = District.objects.get(code="multan")
    rate = next(g for g in mapped.iter(f"{SVG}g") if g.get("data-code") == "multan")
    assert rate.get("data-value") and float(rate.get("data-value")) > 0
    assert f"?level=district&amp;key={multan.pk}" in page
    assert client.get(url, {"measure": "nonsense"}).status_code == 404
    live = client.get(reverse("reports:command-centre-live"), {"measure": "bribes"})
    assert "district-map" in live.content.decode()


def test_a_pdf_carries_the_report_s_chart_and_trend(world, tmp_path):
    import pypdf

    from cfmp.reports.exports import as_pdf
    from cfmp.reports.selectors import run_report
    from tests.system import require_pango

    require_pango()
    weeks_of_replies()
    report = CATALOGUE["complaints-by-district-month"]
    today = timezone.localdate()
    pdf = as_pdf(run_report(report, user=None, start=today.replace(day=1), end=today))
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "Complaints (number)" in text  # the axes' title, drawn from the SVG
    assert "Misbehaviour" in text  # the stacked chart's legend
    assert "Complaints over time" in text  # the trend


def test_the_rankings_page_draws_the_ranked_worst_first(client, world, settings):
    settings.CFMP_RANKING_MIN_RESPONSES = 5
    weeks_of_replies()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:rankings"), {"level": "office"}).content.decode()
    bars = svgs(page)["chart-bars"]
    labels = texts(bars, "bar-label")
    assert [label.split(". ", 1)[0] for label in labels] == ["1", "2"]  # by rank
    values = texts(bars, "value-label")
    assert all(re.fullmatch(r"\d+% \(\d+/\d+\)", value) for value in values), values

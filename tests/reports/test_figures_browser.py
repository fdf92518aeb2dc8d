"""Charts and the district map in a real browser (Debian's Chromium, driven by Playwright),
in English and Urdu, at a desk's width and a phone's. Screenshots of each page go to
var/screenshots/ (CFMP_SCREENSHOTS to choose another folder) for a reviewer to look at."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from cfmp.accounts.models import Role
from tests.reports.history import weeks_of_replies

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("CFMP_SCREENSHOTS", Path(__file__).parents[2] / "var" / "screenshots"))


def logged_in(browser, live_server, user, *, language="en", width=1366):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in (
                (
                    django_settings.SESSION_COOKIE_NAME,
                    client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                ),
                (django_settings.LANGUAGE_COOKIE_NAME, language),
            )
        ]
    )
    return context.new_page()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    print(f"screenshot: {SHOTS / name}.png")


def texts_inside(page, selector: str) -> bool:
    """Every text of the figure lies within it (none run off an edge, as a text anchored
    the wrong way round in right-to-left would)."""
    return page.locator(selector).evaluate(
        """svg => { const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].every(t => {
                const r = t.getBoundingClientRect();
                return r.width === 0 || (r.left >= box.left - 1 && r.right <= box.right + 1);
            }); }"""
    )


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_command_centre_shows_36_named_linked_districts(live_server, browser, world):
    weeks_of_replies()
    page = logged_in(browser, live_server, world.users[Role.SECRETARIAT])
    page.goto(live_server.url + reverse("reports:command-centre") + "?measure=bribe-rate")
    squares = page.locator("svg.district-map g.district")
    assert squares.count() == 36
    names = squares.evaluate_all("gs => gs.map(g => g.querySelector('title').textContent)")
    assert all(name.split(":")[0].strip() for name in names) and len(set(names)) == 36
    assert page.locator("svg.district-map a").count() == 36
    assert page.locator("svg.district-map").is_visible()
    shoot(page, "command-centre-en-1366")
    # A district leads to its drill-down.
    page.locator("svg.district-map g.district[data-code=multan]").click()
    page.wait_for_url("**level=district**")
    assert "Multan" in page.locator("h1").inner_text()
    # In Urdu the districts are named in Urdu.
    urdu = logged_in(browser, live_server, world.users[Role.SECRETARIAT], language="ur", width=390)
    urdu.goto(live_server.url + reverse("reports:command-centre"))
    lahore = urdu.locator("svg.district-map g.district[data-code=lahore] title").text_content()
    assert lahore.startswith("لاہور")
    assert texts_inside(urdu, "svg.district-map")
    shoot(urdu, "command-centre-ur-390")


def test_a_report_chart_has_axes_and_labels_mirrored_in_urdu_and_a_trend(
    live_server, browser, world
):
    weeks_of_replies()
    url = live_server.url + reverse("reports:report", args=["bribe-rate-by-office-week"])
    boxes = {}
    for language in ("en", "ur"):
        page = logged_in(browser, live_server, world.users[Role.SECRETARIAT], language=language)
        page.goto(url)
        chart = page.locator("svg.chart-bars")
        assert chart.locator(".value-axis-title").text_content().strip()
        assert chart.locator(".tick").count() >= 3
        assert chart.locator(".value-label").count() == 2
        bar = chart.locator("g.bar rect").first.bounding_box()
        label = chart.locator("g.bar .bar-label").first.bounding_box()
        boxes[language] = (bar, label)
        # The trend: this week and the nine before, each value written.
        trend = page.locator("section.trend svg.chart-line")
        assert trend.locator("circle").count() == 10
        assert trend.locator(".value-label").count() == 10
        assert no_horizontal_overflow(page)
        assert texts_inside(page, "svg.chart-bars") and texts_inside(page, "svg.chart-line")
        shoot(page, f"report-bribe-rate-by-office-week-{language}-1366")
    (bar_en, label_en), (bar_ur, label_ur) = boxes["en"], boxes["ur"]
    assert label_en["x"] < bar_en["x"]  # English: the name, then the bar growing rightwards
    assert label_ur["x"] > bar_ur["x"]  # Urdu: the name on the right, the bar growing leftwards
    # A complaints report by district: stacked bars with a legend, and the map.
    page = logged_in(browser, live_server, world.users[Role.SECRETARIAT], width=390)
    page.goto(live_server.url + reverse("reports:report", args=["complaints-by-district-month"]))
    assert page.locator("svg.chart-stacked .legend-item").count() == 5
    assert page.locator("svg.district-map g.district").count() == 36
    shoot(page, "report-complaints-by-district-month-en-390")

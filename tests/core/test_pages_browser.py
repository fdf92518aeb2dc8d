"""Every page in each role's navigation, in Chromium at 1366 and 390 px wide, in English
and (at 390 px) in Urdu: the page never scrolls sideways, axe-core finds no serious or
critical accessibility violation, the navigation keeps Sign out and the language switch
reachable, and a list paged to page 2 keeps its filters. Screenshots are saved for a
reviewer under var/screenshots/ (or $CFMP_SCREENSHOTS), and the folder is printed.

One browser for the module; axe-core is vendored in tests/fixtures/axe (never served)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.services import file_complaints
from cfmp.feedback.models import Feedback
from cfmp.intake.models import Transaction
from tests.cases.support import complaint, transaction_at

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long passphrase of mine"
AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe" / "axe.min.js"
SHOTS = Path(os.environ.get("CFMP_SCREENSHOTS", Path.cwd() / "var" / "screenshots"))
WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}
# Pages not CFMP's own (Django's admin) are left to their makers.
SKIPPED = ("/admin/",)
ROLES = [
    Role.SECRETARIAT,
    Role.DEPARTMENT_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.OFFICE_HEAD,
    Role.CALL_CENTRE_AGENT,
    Role.DATA_ENTRY_OPERATOR,
    Role.AUDITOR,
]


@pytest.fixture(scope="module")
def chromium():
    from django.db import connections

    from tests.system import require_binary

    path = require_binary("chromium")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()
        connections.close_all()


def seed(world) -> None:
    file_complaints(feedback_ids=[complaint("LHR-REV").pk, complaint("MUL-HLT",
                                  official="MUL-HLT-1").pk])  # fmt: skip
    start = timezone.now() - dt.timedelta(days=120)
    for i in range(70):  # 56 delays: two pages of 50
        tx = transaction_at("LHR-REV")
        item = Feedback.objects.create(channel="agent", transaction=tx, confidence=1.0,
                                       category="delay" if i % 5 else "bribe",
                                       note=f"late by {i} days")  # fmt: skip
        at = start + dt.timedelta(hours=5 * i)
        Feedback.objects.filter(pk=item.pk).update(created_at=at)
        Transaction.objects.filter(pk=tx.pk).update(occurred_at=at)


def sign_in(context, live_server, user) -> object:
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    return page


def check(page, *, name: str, url: str, axe: bool = True) -> list[str]:
    """The page's problems: sideways scrolling, and axe's serious or critical findings."""
    problems = []
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        problems.append(f"{name} {url}: the page is {overflow[0]} px wide in {overflow[1]}")
    if not axe:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        return problems
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )
    problems += [f"{name} {url}: {violation}" for violation in found]
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return problems


def nav_links(page, live_server) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#main-nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    return [h for h in dict.fromkeys(hrefs) if not h.startswith(SKIPPED)]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_each_roles_pages_fit_and_pass_axe(live_server, chromium, world, role):
    seed(world)
    user = world.users[role]
    user.set_password(PASSWORD)
    user.save()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for width_name, (width, height) in WIDTHS.items():
        context = chromium.new_context(
            viewport={"width": width, "height": height}, bypass_csp=True
        )  # fmt: skip  (to inject axe)
        page = sign_in(context, live_server, user)
        links = ["/", *nav_links(page, live_server)]
        for href in links:
            page.goto(live_server.url + href)
            slug = href.strip("/").replace("/", "-") or "home"
            # axe reads the page's markup, the same at any width: run once per language
            problems += check(page, name=f"{role.value}-{width_name}-{slug}", url=href,
                              axe=width_name == "wide")  # fmt: skip
        if width_name == "phone":  # Sign out and the language switch within reach
            page.goto(live_server.url + "/")
            assert page.get_by_role("button", name="Sign out").is_visible()
            assert page.locator("button[name=language]").is_visible()
            page.get_by_role("button", name="Menu").click()
            assert page.locator("#main-nav a").first.is_visible()
            page.locator("button[name=language]").click()  # to Urdu
            page.wait_for_load_state()
            assert page.locator("html[dir=rtl]").count() == 1
            for href in links:
                page.goto(live_server.url + href)
                slug = href.strip("/").replace("/", "-") or "home"
                problems += check(page, name=f"{role.value}-{width_name}-ur-{slug}", url=href)
        context.close()
    print(f"\nscreenshots: {SHOTS}")
    assert problems == [], "\n".join(problems)


def test_a_list_paged_to_page_2_keeps_its_filters(live_server, chromium, world):
    seed(world)
    user = world.users[Role.SECRETARIAT]
    user.set_password(PASSWORD)
    user.save()
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = sign_in(context, live_server, user)
    page.goto(live_server.url + reverse("feedback-list"))
    page.select_option("select[name=category]", "delay")
    page.fill("input[name=q]", "late")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "Page 1 of 2" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Next").click()
    assert "page=2" in page.url and "category=delay" in page.url and "q=late" in page.url
    assert page.input_value("select[name=category]") == "delay"
    assert page.input_value("input[name=q]") == "late"
    assert "Page 2 of 2" in page.content()
    assert page.locator("tr.complaint").count() == 6
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "feedback-page-2-phone.png"), full_page=True)
    context.close()

"""The Content-Security-Policy in a real browser (Chromium, Playwright): signing in, the
moved behaviour (a filter that submits itself, the bars of an official's page), the admin
and the API docs run without one refusal in the console."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.cases.services import file_complaints
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long passphrase of mine"


def test_pages_run_under_the_policy_without_a_refusal(live_server, browser, world):
    file_complaints(feedback_ids=[complaint("LHR-REV").pk])
    secretariat = world.users[Role.SECRETARIAT]
    secretariat.set_password(PASSWORD)
    secretariat.save()
    page = browser.new_page()
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", secretariat.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))

    page.goto(live_server.url + reverse("intake:transaction-list"))
    with page.expect_navigation():
        page.select_option("select[name=office]", "LHR-REV")  # data-autosubmit, app.js
    assert "office=LHR-REV" in page.url

    official = world.officials["LHR-REV"]
    page.goto(live_server.url + reverse("cases:official", args=[official.pk]))
    widths = page.eval_on_selector_all(".bar[data-share]", "bars => bars.map(b => b.style.width)")
    assert widths and all(width.endswith("%") for width in widths)

    for url in ("/admin/", reverse("admin:kiosk_kiosk_changelist"), reverse("api-docs")):
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1  # the docs' split script ran
    assert refusals == []

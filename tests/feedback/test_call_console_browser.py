"""The call console in a real browser (Debian's Chromium, driven by Playwright), as an
agent works it (issue 17): a call marked answered with nothing answered is refused; the
answers of a satisfied citizen, confirmed, become satisfied feedback; a bribe with its amount
becomes bribe feedback with that amount, after the agent saw it summarised."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.feedback import callcentre
from cfmp.feedback.models import CitizenCall, Feedback
from cfmp.intake.models import Transaction
from tests.feedback.test_call_centre import survey_citizens

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def take_the_next_call(page, live_server):
    page.goto(live_server.url + reverse("call-console"))
    page.get_by_role("button", name="Take the next call").click()
    page.wait_for_selector("text=Call a citizen")


def answer(page, **answers: str) -> None:
    for question, value in answers.items():
        page.check(f"input[name={question}][value={value}]")


def test_an_agent_records_calls_in_the_browser(live_server, browser, world):
    survey_citizens("03001110001", "03001110002")
    Transaction.objects.update(official=world.officials["LHR-REV"])
    callcentre.queue_manual_calls(now=timezone.now())
    page = logged_in_page(browser, live_server, world.users[Role.CALL_CENTRE_AGENT])

    # Answered, nothing answered: refused, each question named, nothing stored.
    take_the_next_call(page, live_server)
    assert page.locator("input[type=radio]:checked").count() == 0
    page.check("input[name=outcome][value=answered]")
    page.get_by_role("button", name="Check the answers").click()
    page.wait_for_selector(".error")
    assert page.locator("fieldset.choices .error").count() == 4
    assert not CitizenCall.objects.exists()
    # The radio buttons sit on their labels' line, not stretched across the page.
    radio = page.locator("input[name=money_asked][value=no]").bounding_box()
    text = page.locator("input[name=money_asked][value=no] + span").bounding_box()
    assert radio["width"] < 40 and abs(radio["y"] - text["y"]) < text["height"]

    # No money asked, on time, treated well: summarised as satisfied, then recorded.
    answer(
        page,
        received_service="yes",
        money_asked="no",
        timeliness="on_time",
        treatment="good",
    )
    page.get_by_role("button", name="Check the answers").click()
    page.wait_for_selector("#summary")
    assert "Satisfied" in page.inner_text("#summary")
    assert not CitizenCall.objects.exists()
    page.get_by_role("button", name="Confirm and record the call").first.click()
    page.wait_for_selector("text=Call recorded.")
    assert Feedback.objects.get().category == "satisfied"

    # A bribe of Rs 2,000: the summary names the official before anything is stored.
    take_the_next_call(page, live_server)
    page.check("input[name=outcome][value=answered]")
    answer(page, received_service="yes", money_asked="yes", timeliness="late", treatment="fair")
    page.fill("input[name=amount]", "2000")
    page.get_by_role("button", name="Check the answers").click()
    page.wait_for_selector("#summary")
    official = world.officials["LHR-REV"]
    assert f"Bribe of Rs 2,000 against {official.name}" in page.inner_text("#summary")
    assert Feedback.objects.count() == 1
    page.get_by_role("button", name="Confirm and record the call").first.click()
    page.wait_for_selector("text=Call recorded.")
    bribe = Feedback.objects.exclude(category="satisfied").get()
    assert (bribe.category, bribe.bribe_amount, bribe.channel) == ("bribe", 2000, "agent")

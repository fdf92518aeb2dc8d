"""The kiosk in a real browser (Debian's Chromium, driven by Playwright): the flow in Urdu,
feedback given while the network is down kept on the device, and delivered exactly once
when it returns — even when the first delivery reaches the server and its answer is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.feedback.models import Feedback
from cfmp.kiosk import services

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(page, expression: str, timeout: float = 15000) -> None:
    """Polls from outside the page: Playwright's wait_for_function evaluates a string inside
    it, which the kiosk's Content-Security-Policy (no eval) refuses."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} ms: {expression}"
        page.wait_for_timeout(100)


def give_feedback(page, *, rating: str, comment_keys: list[str]) -> None:
    page.click("[data-action=start]")
    page.click("[data-service=fard]")
    page.click(f"[data-rating={rating}]")
    page.click("#comment")
    for key in comment_keys:
        page.click(f'#keyboard [data-key="{key}"]')
    page.click("[data-action=scan]")
    page.click("[data-action=send]")


def test_the_kiosk_in_urdu_delivers_feedback_given_offline_exactly_once(
    live_server, browser, world
):
    _, code = services.register_kiosk(
        office=world.lahore_revenue, name="LHR-REV gate", by=world.users[Role.SECRETARIAT]
    )
    context = browser.new_context(locale="ur-PK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("kiosk-app"))
    page.fill("#enrol-code", code)
    page.click("[data-action=enrol]")
    page.wait_for_selector("#screen-welcome:not([hidden])")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text("#screen-welcome h1") == "اپنی رائے دیں"
    assert world.lahore_revenue.name in page.inner_text("#office")
    # The page is installable and cached: it loads with the network down.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed and active
    page.reload()
    page.wait_for_selector("#screen-welcome:not([hidden])")

    # The network goes down; a citizen gives feedback in Urdu with the on-screen keyboard.
    context.set_offline(True)
    page.reload()  # a kiosk restarted offline still works (the service worker's cache)
    page.wait_for_selector("#screen-welcome:not([hidden])")
    give_feedback(page, rating="money", comment_keys=["پ", "ی", "س", "ے"])
    page.wait_for_selector("#screen-thanks:not([hidden])")
    wait_for(page, "CFMPKiosk.outbox().length === 1")
    assert "نیٹ ورک بحال" in page.inner_text("#thanks-detail")
    assert not Feedback.objects.exists()

    # The network returns, but the first delivery's answer is lost on the way back: the
    # server has the visit, the kiosk does not know it and sends it again.
    lost = []

    def deliver_then_lose_the_answer(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort()
        else:
            route.continue_()

    page.route("**/kiosk/api/visits", deliver_then_lose_the_answer)
    context.set_offline(False)
    page.evaluate("CFMPKiosk.flush()")
    wait_for(page, "CFMPKiosk.outbox().length === 0", timeout=30000)
    assert lost == [200]
    feedback = Feedback.objects.get()  # exactly once
    assert (feedback.channel, feedback.category, feedback.note) == ("kiosk", "bribe", "پیسے")

    # It is on the command centre.
    secretariat = Client()
    secretariat.force_login(world.users[Role.SECRETARIAT])
    live = secretariat.get(reverse("reports:command-centre-live")).content.decode()
    assert "پیسے" in live and world.lahore_revenue.name in live
    context.close()

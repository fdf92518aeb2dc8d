"""SMS through a real Kannel (bearerbox + smsbox + fakesmsc on loopback): the message
reaches the SMSC intact in Urdu, and Kannel's delivery reports update the attempt."""

import time

import pytest
from django.urls import reverse

from cfmp.outreach import dispatch
from cfmp.outreach.channels.kannel import KannelChannel, attempt_signature
from cfmp.outreach.models import ContactAttempt
from tests.kannel import start_kannel
from tests.outreach.support import SMS_DUE, queued_sms_attempt

URDU = "{citizen_name}، کیا آپ مطمئن ہیں؟ 1 یا 2 بھیجیں"


@pytest.fixture
def kannel(tmp_path):
    running = start_kannel(tmp_path)
    yield running
    running.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_urdu_sms_through_kannel_arrives_intact_and_reports_delivery(
    kannel, live_server, settings, world, monkeypatch
):
    settings.CFMP_PUBLIC_URL = live_server.url
    attempt = queued_sms_attempt(monkeypatch, citizen_name="زاہدہ", language="ur", sms_text_ur=URDU)
    gateway = KannelChannel(
        sendsms_url=kannel.sendsms_url,
        username=kannel.username,
        password=kannel.password,
        sender="8070",
    )
    assert dispatch.send_attempt(attempt.pk, now=SMS_DUE, channel_for=lambda c: gateway) == (
        "submitted"
    )

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        attempt.refresh_from_db()
        if attempt.state == "delivered" and kannel.received():
            break
        time.sleep(0.2)
    assert kannel.received() == [
        ("8070", "+923005551234", "زاہدہ، کیا آپ مطمئن ہیں؟ 1 یا 2 بھیجیں")
    ]
    assert attempt.state == "delivered"


@pytest.mark.django_db
def test_a_forged_delivery_report_is_refused(client, world):
    url = reverse("kannel-dlr")
    assert client.get(url, {"attempt": 1, "type": 1, "sig": "forged"}).status_code == 403
    assert client.get(url, {"attempt": "x", "type": 1}).status_code == 400
    assert (
        client.get(url, {"attempt": 1, "type": 1, "sig": attempt_signature(1)}).status_code == 200
    )


@pytest.mark.django_db
def test_kannel_down_is_a_retryable_failure(world, monkeypatch):
    from tests.kannel import free_port

    attempt = queued_sms_attempt(monkeypatch)
    gateway = KannelChannel(
        sendsms_url=f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms",
        username="u",
        password="p",
        sender="8070",
        timeout=2,
    )
    assert dispatch.send_attempt(attempt.pk, now=SMS_DUE, channel_for=lambda c: gateway) == "failed"
    attempt.refresh_from_db()
    assert "unreachable" in attempt.error
    assert ContactAttempt.objects.filter(try_number=2, state="planned").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_through_kannel_reach_cfmp_intact(tmp_path, live_server, settings, world):
    from cfmp.feedback.models import InboundMessage

    kannel = start_kannel(
        tmp_path,
        inbound_url=f"{live_server.url}{reverse('kannel-inbound')}",
        secret=settings.CFMP_WEBHOOK_SECRET,
    )
    try:
        kannel.send_mo("+923005551234", "دفتر میں 500 روپے مانگے")
        kannel.send_mo("03005551234", "STOP")
        # Generous: the first reply also trains the classifier (seconds, on a busy machine).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and InboundMessage.objects.count() < 2:
            time.sleep(0.2)
    finally:
        kannel.stop()
    messages = list(InboundMessage.objects.order_by("pk").values_list("sender", "text", "kind"))
    assert messages == [
        ("+923005551234", "دفتر میں 500 روپے مانگے", "unsolicited"),
        ("+923005551234", "STOP", "opt_out"),
    ]
    assert InboundMessage.objects.filter(gateway="kannel", recipient="8070").count() == 2

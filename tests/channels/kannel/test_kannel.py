"""SMS through a real Kannel (bearerbox + smsbox + fakesmsc on loopback): the message
reaches the SMSC intact in Urdu, and Kannel's delivery reports update the attempt."""

import time

import pytest
from django.urls import reverse

from cfmp.channels.kannel.adapter import KannelChannel, attempt_signature
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt
from tests.channels.kannel.support import start_kannel
from tests.outreach.support import SMS_DUE, queued_sms_attempt

URDU = "{citizen_name}، کیا آپ مطمئن ہیں؟ 1 یا 2 بھیجیں"


@pytest.fixture
def kannel(tmp_path):
    running = start_kannel(tmp_path)
    yield running
    running.stop()


@pytest.mark.django_db(transaction=True)
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
    from tests.channels.kannel.support import free_port

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


@pytest.mark.django_db(transaction=True)
def test_replies_through_kannel_reach_cfmp_intact(tmp_path, live_server, settings, world):
    from cfmp.feedback.models import InboundMessage

    settings.CFMP_INBOUND_SMS_KEYS = ["kannel-inbound-key-0123456789"]
    kannel = start_kannel(
        tmp_path,
        inbound_url=f"{live_server.url}{reverse('kannel-inbound')}",
        secret="kannel-inbound-key-0123456789",
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


ROMAN_URDU = (
    "{citizen_name}, aap ne {date} ko {office} se {service} ki khidmat hasil ki. Agar aap "
    "mutmain hain to 1 bhejein, agar nahin to 2 bhejein, ya likh kar batayein ke kya hua. "
    "Paighamat band karne ke liye STOP bhejein."
)


def _wait_for(kannel, count: int, seconds: float = 20) -> list[tuple[str, str, str]]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(kannel.received()) < count:
        time.sleep(0.2)
    return kannel.received()


@pytest.mark.django_db(transaction=True)
def test_long_texts_arrive_whole_at_the_operator(kannel, live_server, settings, world, monkeypatch):
    """The default Urdu survey (near 200 characters: three UCS-2 parts), a Roman Urdu and an
    English survey (7-bit, two parts each), the STOP acknowledgement and the thank-you sent
    after a sanction: what the operator's SMSC receives, reassembled, is exactly what CFMP
    meant to send."""
    from cfmp.cases.services import THANK_YOU_SMS
    from cfmp.channels.base import OutboundMessage
    from cfmp.feedback.services import OPT_OUT_ACKNOWLEDGEMENT
    from cfmp.outreach import segments
    from cfmp.outreach.models import DEFAULT_SMS_EN, DEFAULT_SMS_UR, SurveyPlan

    settings.CFMP_PUBLIC_URL = live_server.url
    attempt = queued_sms_attempt(
        monkeypatch, citizen_name="محمد عبدالرحمٰن قریشی", language="ur", sms_text_ur=DEFAULT_SMS_UR
    )
    gateway = KannelChannel(
        sendsms_url=kannel.sendsms_url,
        username=kannel.username,
        password=kannel.password,
        sender="8070",
    )
    urdu = dispatch.render_text(attempt)
    assert len(urdu) > 180 and segments.count(urdu).parts >= 3
    assert dispatch.send_attempt(attempt.pk, now=SMS_DUE, channel_for=lambda c: gateway) == (
        "submitted"
    )
    plan = SurveyPlan.objects.get(is_default=True)
    plan.language = "en"
    others = []
    for template in (ROMAN_URDU, DEFAULT_SMS_EN):
        plan.sms_text_en = template
        attempt.survey.plan = plan
        others.append(dispatch.render_text(attempt))
    others += [OPT_OUT_ACKNOWLEDGEMENT, THANK_YOU_SMS]
    for text in others:
        gateway.send(OutboundMessage(None, "+923005551234", text, "sms"))
    expected = [("8070", "+923005551234", text) for text in [urdu, *others]]
    assert [segments.count(text).parts > 1 for text in [urdu, *others]] == [True] * 5

    assert _wait_for(kannel, len(expected)) == expected
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and attempt.state != "delivered":
        time.sleep(0.2)
        attempt.refresh_from_db()
    assert attempt.state == "delivered"  # one report for the whole message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"attempt": "1", "type": "1", "sig": "é" * 32}, 403),
        ({"attempt": "9" * 40, "type": "1", "sig": "x"}, 400),
        ({"attempt": "-1", "type": "1", "sig": "x"}, 400),
        ({"attempt": "١٢", "type": "1", "sig": "x"}, 403),  # another script's 12: not signed
        ({"attempt": "1", "type": "99999999999999999999", "sig": "x"}, 400),
        ({"attempt": "1", "type": "", "sig": "x"}, 400),
        ({"type": "1"}, 400),
    ],
)
def test_hostile_delivery_reports_are_refused_with_a_4xx(client, world, params, status):
    assert client.get(reverse("kannel-dlr"), params).status_code == status


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_signature_is_refused(client, world):
    url = reverse("kannel-dlr") + "?attempt=1&type=1&sig=%ED%A0%80%FF"
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_bare_receivers_refuse_hostile_reports_too():
    from cfmp.channels.kannel.reports import parse_kannel_report

    assert parse_kannel_report({"attempt": ["1"], "type": ["1"], "sig": ["ü"]})[0] == 403
    assert parse_kannel_report({"attempt": ["1" * 30], "type": ["1"]})[0] == 400


@pytest.mark.django_db
def test_a_replayed_report_with_another_type_changes_nothing_and_sends_nothing(
    client, world, monkeypatch, settings
):
    """Report URLs appear in smsbox's log with their signature; the type is Kannel's to fill
    in, so it cannot be signed. Replayed with another type, before or after the real report,
    it never leads to a second survey."""
    import datetime as dt

    settings.CFMP_BATCH_DELIVERY_REPORTS = False
    attempt = queued_sms_attempt(monkeypatch)
    sent = []

    class Gateway:
        def send(self, message):
            sent.append(message)
            return dispatch.Accepted(gateway_id="k1")

    dispatch.send_attempt(attempt.pk, now=SMS_DUE, channel_for=lambda c: Gateway())
    url = reverse("kannel-dlr")
    signature = attempt_signature(attempt.pk)

    def report(kind: int) -> int:
        return client.get(url, {"attempt": attempt.pk, "sig": signature, "type": kind}).status_code

    assert report(2) == 200  # a replay with "undeliverable" before the real report...
    assert report(1) == 200  # ...which smsbox delivers when it retries
    for kind in (2, 16, 8, 4):  # and replays after it
        assert report(kind) == 200
    attempt.refresh_from_db()
    assert attempt.state == "delivered"
    retry = ContactAttempt.objects.get(try_number=2)
    assert retry.state == "expired"
    later = SMS_DUE + dt.timedelta(days=1)
    assert dispatch.queue_due_attempts(now=later) == []
    assert len(sent) == 1


def test_a_gateway_that_answers_nothing_after_taking_the_request_is_an_unknown_outcome():
    """Connected, request sent, connection closed without an answer (smsbox stopping): the
    message may have been taken, so it is not tried again; a gateway that cannot be reached
    at all took nothing, so it is."""
    import socket
    import threading

    from cfmp.channels.base import ChannelError, OutboundMessage
    from tests.channels.kannel.support import free_port

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def take_and_hang_up() -> None:
        peer, _ = listener.accept()
        peer.recv(65536)
        peer.close()

    threading.Thread(target=take_and_hang_up, daemon=True).start()
    message = OutboundMessage(1, "+923001234567", "x", "sms")
    silent = KannelChannel(
        sendsms_url=f"http://127.0.0.1:{listener.getsockname()[1]}/cgi-bin/sendsms",
        username="u", password="p", sender="8070", timeout=5,
    )  # fmt: skip
    with pytest.raises(ChannelError) as lost:
        silent.send(message)
    assert lost.value.unknown and not lost.value.retryable
    listener.close()
    closed = KannelChannel(
        sendsms_url=f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms",
        username="u", password="p", sender="8070", timeout=5,
    )  # fmt: skip
    with pytest.raises(ChannelError) as refused:
        closed.send(message)
    assert refused.value.retryable and not refused.value.unknown


def test_kannel_coding_follows_the_encoding():
    from cfmp.channels.base import OutboundMessage
    from cfmp.channels.kannel.adapter import KannelChannel

    kannel = KannelChannel(sendsms_url="http://k/s", username="u", password="p", sender="1")
    for text, coding in (("Reply 1 or 2", "coding=0"), ("1 بھیجیں", "coding=2")):
        assert coding in kannel.request_url(OutboundMessage(None, "+923001234567", text, "sms"))

"""WhatsApp through Meta's Cloud API: contract tests against the requests and webhook
notifications Meta documents (tests/channels/whatsapp/meta.py), the 24-hour customer-service
window, statuses as the attempt's reports, buttons and words as feedback, STOP as an opt-out."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.channels import registry
from cfmp.channels.base import ChannelError, OutboundMessage
from cfmp.channels.whatsapp.adapter import WhatsAppChannel
from cfmp.feedback.models import Feedback, InboundMessage
from cfmp.feedback.services import receive_sms
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt, OptOut
from tests.channels.whatsapp import meta
from tests.outreach.support import SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
CITIZEN = "923005551234"  # the survey's number (+92 300 5551234), as WhatsApp writes it
REPLY_AT = int((SMS_DUE + dt.timedelta(minutes=5)).timestamp())


@pytest.fixture
def cloud(settings, monkeypatch):
    """A fake Cloud API, and CFMP configured to send surveys by WhatsApp through it."""
    api = meta.FakeCloudApi()
    settings.CFMP_SMS_CHANNEL = "whatsapp"
    settings.CFMP_WHATSAPP_API_URL = api.url
    settings.CFMP_WHATSAPP_API_VERSION = "v21.0"
    settings.CFMP_WHATSAPP_PHONE_NUMBER_ID = meta.PHONE_NUMBER_ID
    settings.CFMP_WHATSAPP_ACCESS_TOKEN = meta.ACCESS_TOKEN
    settings.CFMP_WHATSAPP_APP_SECRET = f"old-secret,{meta.APP_SECRET}"
    settings.CFMP_WHATSAPP_VERIFY_TOKEN = meta.VERIFY_TOKEN
    api.adapter = WhatsAppChannel.from_settings()
    monkeypatch.setitem(registry._ADAPTERS, "sms", api.adapter)
    yield api
    api.stop()


def send(attempt: ContactAttempt, cloud) -> str:
    return dispatch.send_attempt(attempt.pk, now=SMS_DUE, channel_for=lambda c: cloud.adapter)


# The subscription handshake and the signature.


def test_the_handshake_answers_the_challenge_only_to_the_verify_token(client, cloud, settings):
    url = reverse("whatsapp-webhook")
    good = {"hub.mode": "subscribe", "hub.verify_token": meta.VERIFY_TOKEN,
            "hub.challenge": "1158201444"}  # fmt: skip
    answer = client.get(url, good)
    assert answer.status_code == 200 and answer.content == b"1158201444"
    assert answer["Content-Type"].startswith("text/plain")
    assert client.get(url, {**good, "hub.verify_token": "guess"}).status_code == 403
    assert client.get(url, {**good, "hub.mode": "unsubscribe"}).status_code == 403
    assert client.get(url).status_code == 403
    settings.CFMP_WHATSAPP_VERIFY_TOKEN = ""  # none configured: nobody verifies
    assert client.get(url, {**good, "hub.verify_token": ""}).status_code == 403


def test_a_notification_must_be_signed_with_the_app_secret(client, cloud):
    payload = meta.notification(messages=[meta.text(CITIZEN, "wamid.IN1", "hello", REPLY_AT)])
    assert meta.post(client, payload, signature="").status_code == 403
    assert meta.post(client, payload, signature="sha256=" + "0" * 64).status_code == 403
    forged = meta.sign(b"{}")  # a signature of another body
    assert meta.post(client, payload, signature=forged).status_code == 403
    assert not InboundMessage.objects.exists()
    # Either secret of a rotation opens it; a repeat of the same message is stored once.
    assert meta.post(client, payload).status_code == 200
    body = __import__("json").dumps(payload).encode()
    assert meta.post(client, payload, signature=meta.sign(body, "old-secret")).status_code == 200
    assert InboundMessage.objects.get().gateway_message_id == "wamid.IN1"


def test_a_notification_cfmp_cannot_read_is_refused_naming_the_field(client, cloud):
    payload = meta.notification(messages=[{"from": CITIZEN, "id": "wamid.X", "type": "text",
                                            "timestamp": "yesterday", "text": {"body": "1"}}])  # fmt: skip
    answer = meta.post(client, payload)
    assert answer.status_code == 400
    assert b"entry[0].changes[0].value.messages[0].timestamp" in answer.content
    assert meta.post(client, {"object": "page", "entry": []}).status_code == 400


# Sending: a template outside the window, buttons inside it.


def test_a_survey_outside_the_window_goes_as_the_plans_approved_template(
    cloud, world, monkeypatch, settings
):
    settings.CFMP_WHATSAPP_TEMPLATES = {
        "ur": {"name": "cfmp_survey_ur", "language": "ur", "parameters": ["service", "date"]},
        "en": {
            "name": "cfmp_survey",
            "language": "en_US",
            "parameters": ["service", "office", "date"],
        },
    }
    attempt = queued_sms_attempt(monkeypatch)
    assert send(attempt, cloud) == "submitted"
    (request,) = cloud.requests
    assert request["path"] == f"/v21.0/{meta.PHONE_NUMBER_ID}/messages"
    assert request["auth"] == f"Bearer {meta.ACCESS_TOKEN}"
    office = attempt.survey.transaction.office.name
    assert request["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CITIZEN,
        "type": "template",
        "template": {
            "name": "cfmp_survey",
            "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [
                    {"type": "text", "text": attempt.survey.transaction.service.name},
                    {"type": "text", "text": office},
                    {"type": "text", "text": "02/03/2026"},
                ]},
                {"type": "button", "sub_type": "quick_reply", "index": "0",
                 "parameters": [{"type": "payload", "payload": "1"}]},
                {"type": "button", "sub_type": "quick_reply", "index": "1",
                 "parameters": [{"type": "payload", "payload": "2"}]},
            ],
        },
        "biz_opaque_callback_data": f"cfmp-attempt:{attempt.pk}",
    }  # fmt: skip
    attempt.refresh_from_db()
    assert (attempt.state, attempt.gateway_id) == ("submitted", "wamid.TEST0001")


def test_an_urdu_plan_uses_the_urdu_template_and_one_plan_may_have_its_own(
    cloud, world, monkeypatch, settings
):
    attempt = queued_sms_attempt(monkeypatch, language="ur")
    plan_id = attempt.survey.plan_id
    settings.CFMP_WHATSAPP_TEMPLATES = {
        "ur": {"name": "cfmp_survey", "language": "ur", "parameters": ["service"]},
        f"{plan_id}:ur": {"name": "fard_survey", "language": "ur", "parameters": ["date"]},
    }
    send(attempt, cloud)
    template = cloud.requests[0]["body"]["template"]
    assert (template["name"], template["language"]) == ("fard_survey", {"code": "ur"})
    assert template["components"][0]["parameters"] == [{"type": "text", "text": "02/03/2026"}]


def test_a_language_without_a_template_fails_the_attempt_without_a_retry(
    cloud, world, monkeypatch, settings
):
    settings.CFMP_WHATSAPP_TEMPLATES = {"ur": {"name": "cfmp_survey", "language": "ur"}}
    attempt = queued_sms_attempt(monkeypatch)  # English
    assert send(attempt, cloud) == "failed"
    assert cloud.requests == []
    attempt.refresh_from_db()
    assert "no WhatsApp template" in attempt.error
    assert ContactAttempt.objects.count() == 1  # no second try planned


def test_inside_the_window_the_survey_goes_as_its_text_with_two_reply_buttons(
    cloud, world, monkeypatch
):
    attempt = queued_sms_attempt(monkeypatch)
    receive_sms(gateway="whatsapp", gateway_message_id="wamid.EARLIER", sender="+923005551234",
                text="salam", received_at=timezone.now() - dt.timedelta(hours=23))  # fmt: skip
    send(attempt, cloud)
    body = cloud.requests[0]["body"]
    assert body["type"] == "interactive"
    assert body["interactive"]["body"]["text"] == dispatch.render_text(attempt)
    assert body["interactive"]["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "1", "title": "1 Satisfied"}},
        {"type": "reply", "reply": {"id": "2", "title": "2 Complaint"}},
    ]
    assert body["biz_opaque_callback_data"] == f"cfmp-attempt:{attempt.pk}"


def test_a_message_older_than_a_day_does_not_open_the_window(cloud, world, monkeypatch):
    attempt = queued_sms_attempt(monkeypatch)
    receive_sms(gateway="whatsapp", gateway_message_id="wamid.OLD", sender="+923005551234",
                text="salam", received_at=timezone.now() - dt.timedelta(hours=25))  # fmt: skip
    receive_sms(
        gateway="kannel",
        gateway_message_id="sms-1",
        sender="+923005551234",
        text="salam",
        received_at=timezone.now() - dt.timedelta(hours=1),
    )  # an SMS: no
    send(attempt, cloud)
    assert cloud.requests[0]["body"]["type"] == "template"


def test_meta_refusals_fail_the_attempt_and_throttling_is_tried_again(cloud, world, monkeypatch):
    attempt = queued_sms_attempt(monkeypatch)
    cloud.error = (400, {"error": {"message": "(#131026) Message undeliverable", "type": "OAuthException", "code": 131026, "fbtrace_id": "A"}})  # fmt: skip
    assert send(attempt, cloud) == "failed"
    assert ContactAttempt.objects.count() == 1
    message = OutboundMessage(attempt.pk, "+923005551234", "x", "sms")
    cloud.error = (429, {"error": {"message": "(#130429) Rate limit hit", "code": 130429}})
    with pytest.raises(ChannelError) as throttled:
        cloud.adapter.send(message)
    assert throttled.value.retryable
    cloud.error = (500, {"error": {"message": "Service unavailable", "code": 131016}})
    with pytest.raises(ChannelError) as down:
        cloud.adapter.send(message)
    assert down.value.retryable


# Statuses: the attempt's reports.


def test_statuses_sent_delivered_and_read_report_the_attempt(client, cloud, world, monkeypatch):
    attempt = queued_sms_attempt(monkeypatch)
    send(attempt, cloud)
    wamid = "wamid.TEST0001"
    meta.post(client, meta.notification(statuses=[meta.status(wamid, "sent", CITIZEN, REPLY_AT)]))
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    meta.post(client, meta.notification(statuses=[meta.status(wamid, "read", CITIZEN, REPLY_AT)]))
    attempt.refresh_from_db()
    assert attempt.state == "delivered"
    # A later "delivered" (or a repeat) changes nothing; another business's wamid is ignored.
    statuses = [meta.status(wamid, "delivered", CITIZEN, REPLY_AT),
                meta.status("wamid.SOMEONE-ELSES", "failed", CITIZEN, REPLY_AT, error=(131026, "x"))]  # fmt: skip
    assert meta.post(client, meta.notification(statuses=statuses)).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == "delivered"


def test_a_failed_status_fails_the_attempt_and_retries_what_may_succeed(
    client, cloud, world, monkeypatch
):
    attempt = queued_sms_attempt(monkeypatch)
    send(attempt, cloud)
    failed = meta.status("wamid.TEST0001", "failed", CITIZEN, REPLY_AT,
                         error=(131026, "Message undeliverable"))  # fmt: skip
    meta.post(client, meta.notification(statuses=[failed]))
    attempt.refresh_from_db()
    assert (attempt.state, attempt.error) == ("failed", "WhatsApp 131026: Message undeliverable")
    assert ContactAttempt.objects.count() == 1  # not a number WhatsApp can reach: no retry


def test_a_missed_window_is_retried_and_the_retry_goes_as_a_template(
    client, cloud, world, monkeypatch
):
    attempt = queued_sms_attempt(monkeypatch)
    send(attempt, cloud)
    missed = meta.status("wamid.TEST0001", "failed", CITIZEN, REPLY_AT,
                         error=(131047, "Re-engagement message"))  # fmt: skip
    meta.post(client, meta.notification(statuses=[missed]))
    assert ContactAttempt.objects.filter(try_number=2).exists()


def test_a_status_finds_its_attempt_by_the_sends_opaque_data_when_the_id_was_lost(
    client, cloud, world, monkeypatch
):
    attempt = queued_sms_attempt(monkeypatch)
    ContactAttempt.objects.filter(pk=attempt.pk).update(state="unknown", gateway_id="")
    delivered = meta.status("wamid.LOST", "delivered", CITIZEN, REPLY_AT,
                            opaque=f"cfmp-attempt:{attempt.pk}")  # fmt: skip
    meta.post(client, meta.notification(statuses=[delivered]))
    attempt.refresh_from_db()
    assert attempt.state == "delivered"


# Replies: buttons and words become feedback; STOP opts out.


def test_buttons_and_free_text_become_the_surveys_feedback(
    client, cloud, world, monkeypatch, django_capture_on_commit_callbacks
):
    attempt = queued_sms_attempt(monkeypatch)
    send(attempt, cloud)
    with django_capture_on_commit_callbacks(execute=True):
        pressed = meta.template_button(CITIZEN, "wamid.IN1", "1", REPLY_AT, "wamid.TEST0001")
        assert meta.post(client, meta.notification(messages=[pressed])).status_code == 200
    reply = InboundMessage.objects.get(gateway_message_id="wamid.IN1")
    assert (reply.gateway, reply.sender, reply.text, reply.kind) == (
        "whatsapp",
        "+923005551234",
        "1",
        "reply",
    )
    assert reply.survey_id == attempt.survey_id
    assert Feedback.objects.get(message=reply).category == "satisfied"
    with django_capture_on_commit_callbacks(execute=True):
        words = meta.text(CITIZEN, "wamid.IN2", "clerk ne fard ke 2000 rupay liye", REPLY_AT + 60)
        interactive = meta.reply_button(CITIZEN, "wamid.IN3", "2", REPLY_AT + 90, "wamid.TEST0001")
        meta.post(client, meta.notification(messages=[words, interactive]))
    assert Feedback.objects.get(message__gateway_message_id="wamid.IN2").category == "bribe"
    assert InboundMessage.objects.get(gateway_message_id="wamid.IN3").text == "2"


def test_stop_opts_out_and_is_acknowledged_inside_the_window(
    client, cloud, world, django_capture_on_commit_callbacks
):
    now = int(time.time())
    with django_capture_on_commit_callbacks(execute=True):
        meta.post(client, meta.notification(messages=[meta.text(CITIZEN, "wamid.S", "STOP", now)]))
    assert OptOut.objects.filter(mobile="+923005551234").exists()
    (ack,) = cloud.requests
    assert ack["body"]["type"] == "text" and ack["body"]["to"] == CITIZEN
    assert "no more messages" in ack["body"]["text"]["body"]


def test_a_service_message_is_never_sent_outside_the_window(cloud, world):
    with pytest.raises(ChannelError, match="24-hour"):
        cloud.adapter.send(OutboundMessage(None, "+923005551234", "thanks", "sms"))
    assert cloud.requests == []
    assert not dispatch.send_service_message(to="+923005551234", text="thanks")


def test_cfmp_check_names_what_whatsapp_is_missing(settings):
    from cfmp.channels.whatsapp.checks import check_whatsapp_settings

    settings.CFMP_SMS_CHANNEL = "whatsapp"
    settings.CFMP_WHATSAPP_ACCESS_TOKEN = ""
    settings.CFMP_WHATSAPP_APP_SECRET = "s"
    settings.CFMP_WHATSAPP_VERIFY_TOKEN = "v"
    settings.CFMP_WHATSAPP_PHONE_NUMBER_ID = "1"
    problems = check_whatsapp_settings(None)
    assert [p.msg.split(" ")[0] for p in problems] == ["CFMP_WHATSAPP_ACCESS_TOKEN"]
    settings.CFMP_SMS_CHANNEL = "kannel"
    assert check_whatsapp_settings(None) == []

"""Inbound SMS: stored raw once per gateway message, matched to the citizen's survey, STOP
obeyed at once; the gateways' endpoints refuse forged calls."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cfmp.feedback.models import InboundMessage
from cfmp.feedback.optout import is_opt_out_request
from cfmp.feedback.services import OPT_OUT_ACKNOWLEDGEMENT, receive_sms
from cfmp.feedback.webhooks import body_signature
from cfmp.outreach import dispatch
from cfmp.outreach.channels import adapter_for
from cfmp.outreach.models import ContactAttempt, OptOut, Survey
from tests.outreach.support import SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
REPLY_AT = SMS_DUE + dt.timedelta(minutes=5)
CITIZEN = "+923005551234"


@pytest.fixture
def survey(world, monkeypatch):
    return queued_sms_attempt(monkeypatch).survey


def reply(text, *, message_id="m1", sender="0300-5551234", at=REPLY_AT, gateway="kannel"):
    return receive_sms(
        gateway=gateway, gateway_message_id=message_id, sender=sender, text=text, received_at=at
    )


def test_a_reply_answers_the_citizens_survey(survey):
    received = reply("2 paisay mangay 500")
    assert received.created
    message = received.message
    assert (message.kind, message.survey, message.sender) == ("reply", survey, CITIZEN)
    survey.refresh_from_db()
    assert (survey.state, survey.answered_at) == ("completed", REPLY_AT)


def test_an_answered_survey_sends_nothing_more(survey):
    ContactAttempt.objects.update(state="planned", queued_at=None)
    reply("1")
    assert dispatch.queue_due_attempts(now=SMS_DUE + dt.timedelta(minutes=10)) == []


def test_a_repeated_callback_changes_nothing(survey):
    first = reply("1", message_id="k-77")
    again = reply("1", message_id="k-77", at=REPLY_AT + dt.timedelta(minutes=1))
    assert not again.created and again.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1
    survey.refresh_from_db()
    assert survey.answered_at == REPLY_AT


def test_the_same_id_from_another_gateway_is_another_message(survey):
    reply("1", message_id="7", gateway="kannel")
    assert reply("1", message_id="7", gateway="webhook").created


def test_a_message_from_an_unknown_number_is_kept_as_unsolicited(survey):
    message = reply("mera kaam nahi hua", sender="0321-7654321").message
    assert (message.kind, message.survey, message.sender) == ("unsolicited", None, "+923217654321")


def test_a_reply_after_the_reply_window_is_unsolicited(survey, settings):
    settings.CFMP_REPLY_WINDOW_DAYS = 3
    message = reply("1", at=REPLY_AT + dt.timedelta(days=4)).message
    assert message.kind == "unsolicited"
    survey.refresh_from_db()
    assert survey.state == "active"


def test_a_reply_goes_to_the_latest_survey_of_the_number(survey):
    later = Survey.objects.create(
        transaction=survey.transaction.__class__.objects.create(
            source=survey.transaction.source,
            reference="B",
            occurred_at=survey.transaction.occurred_at,
            service=survey.transaction.service,
            office=survey.transaction.office,
            citizen_name="Asif",
            mobile=CITIZEN,
        ),
        plan=survey.plan,
        mobile=CITIZEN,
        state="active",
        created_at=survey.created_at + dt.timedelta(minutes=1),
    )
    assert reply("1").message.survey == later


def test_stop_opts_out_at_once_and_is_acknowledged_once(survey, django_capture_on_commit_callbacks):
    simulator = adapter_for("sms")
    simulator.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = reply("STOP").message
    with django_capture_on_commit_callbacks(execute=True):
        reply("stop", message_id="m2")
    assert message.kind == "opt_out"
    assert OptOut.objects.get(mobile=CITIZEN).source == "sms"
    assert [(m.to, m.text, m.attempt_id) for m in simulator.sent] == [
        (CITIZEN, OPT_OUT_ACKNOWLEDGEMENT, None)
    ]
    ContactAttempt.objects.update(state="queued")
    assert dispatch.send_attempt(survey.attempts.get().pk, now=SMS_DUE) == "opted out"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", True),
        ("stop please", True),
        ("Band karo", True),
        ("پیغامات بند کریں", True),
        ("sms mat bhejo!", True),
        ("kaam band tha teen din", False),
        ("dont stop the work", False),
        ("", False),
    ],
)
def test_only_a_request_to_stop_opts_out(text, expected):
    assert is_opt_out_request(text) is expected


def test_kannel_inbound_needs_the_shared_secret(client, settings):
    url = reverse("kannel-inbound")
    query = {"id": "x1", "from": CITIZEN, "text": "1", "charset": "UTF-8"}
    assert client.get(url, {**query, "secret": "guess"}).status_code == 403
    assert client.get(url, query).status_code == 403
    assert not InboundMessage.objects.exists()
    ok = client.get(url, {**query, "secret": settings.CFMP_WEBHOOK_SECRET})
    assert ok.status_code == 200 and ok.content == b""
    assert InboundMessage.objects.get().gateway == "kannel"


def test_kannel_inbound_reads_utf16_and_utf8_text(client, settings):
    url = reverse("kannel-inbound")
    secret = settings.CFMP_WEBHOOK_SECRET
    ucs2 = "".join(f"%{b:02X}" for b in "رشوت مانگی".encode("utf-16-be"))
    response = client.get(
        f"{url}?secret={secret}&id=u1&from=%2B923005551234&to=8070&charset=UTF-16BE"
        f"&time=1772431200&text={ucs2}"
    )
    assert response.status_code == 200
    client.get(url, {"secret": secret, "id": "u2", "from": CITIZEN, "text": "پیسے مانگے"})
    texts = dict(InboundMessage.objects.values_list("gateway_message_id", "text"))
    assert texts == {"u1": "رشوت مانگی", "u2": "پیسے مانگے"}
    first = InboundMessage.objects.get(gateway_message_id="u1")
    assert first.received_at == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    assert first.recipient == "8070"


def test_kannel_inbound_without_a_message_id_is_a_bad_request(client, settings):
    response = client.get(
        reverse("kannel-inbound"), {"secret": settings.CFMP_WEBHOOK_SECRET, "text": "1"}
    )
    assert response.status_code == 400


def post_json(client, payload, signature=None):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("sms-webhook"),
        body,
        content_type="application/json",
        headers={"X-CFMP-Signature": signature or body_signature(body)},
    )


def test_the_json_webhook_stores_once_and_refuses_forgeries(client):
    payload = {"id": "agg-1", "from": "03005551234", "text": "1", "to": "8070"}
    assert post_json(client, payload, signature="sha256=00").status_code == 403
    first = post_json(client, payload)
    assert first.status_code == 201 and first.json()["created"] is True
    again = post_json(client, payload)
    assert again.status_code == 200 and again.json()["created"] is False
    assert InboundMessage.objects.get().sender == CITIZEN


def test_the_json_webhook_explains_a_bad_payload(client):
    response = post_json(client, {"from": "03005551234"})
    assert response.status_code == 400
    assert response.content == b"id: required"  # the field named
    naive = post_json(client, {"id": 1, "from": "0300", "text": "x", "received_at": "2026-03-02"})
    assert naive.status_code == 400


def test_the_json_webhook_takes_a_batch_in_order_once_each(
    client, survey, django_capture_on_commit_callbacks
):
    stamp = REPLY_AT.isoformat()
    messages = [
        {"id": "b1", "from": "0300-5551234", "text": "2 clerk ne 500 liye", "received_at": stamp},
        {"id": "b2", "from": "0311-0000000", "text": "hello?", "received_at": stamp},
        {"id": "b1", "from": "0300-5551234", "text": "2 clerk ne 500 liye", "received_at": stamp},
        {"id": "b3", "from": "0300-5551234", "text": "STOP", "received_at": stamp},
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_json(client, {"messages": messages})
    results = response.json()["results"]
    assert response.status_code == 200
    assert [(r["kind"], r["created"]) for r in results] == [
        ("reply", True),
        ("unsolicited", True),
        ("reply", False),  # the same message twice in one push: stored once
        ("opt_out", True),
    ]
    assert results[0]["id"] == results[2]["id"]
    assert InboundMessage.objects.count() == 3
    survey.refresh_from_db()
    assert survey.state == "completed" and survey.answered_at == REPLY_AT
    assert OptOut.objects.filter(mobile=CITIZEN).exists()
    assert len(callbacks) == 2  # one acknowledgement of the STOP, one classification task
    again = post_json(client, {"messages": messages[:2]}).json()["results"]
    assert [r["created"] for r in again] == [False, False]
    too_many = post_json(client, {"messages": [messages[0]] * 1001})
    assert too_many.status_code == 400 and b"1 to 1000" in too_many.content


def test_receive_sms_command_takes_the_same_path(survey, capsys):
    Survey.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    call_command("receive_sms", "--from", "0300 5551234", "--text", "1 shukriya")
    out = capsys.readouterr().out
    message = InboundMessage.objects.get()
    assert message.gateway == "operator" and message.survey == survey
    assert f"stored message {message.pk} from {CITIZEN}: reply, survey {survey.pk}" in out


def test_inbound_messages_in_the_admin_are_for_identity_roles_and_read_only(client, world):
    from cfmp.accounts.models import Role

    receive_sms(gateway="kannel", gateway_message_id="a1", sender=CITIZEN, text="pesay mangay")
    url = reverse("admin:feedback_inboundmessage_changelist")
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(url)
    assert page.status_code == 200 and "pesay mangay" in page.content.decode()
    message = InboundMessage.objects.get()
    change = reverse("admin:feedback_inboundmessage_change", args=[message.pk])
    client.post(change, {"text": "edited", "kind": "reply", "sender": CITIZEN})
    message.refresh_from_db()
    assert message.text == "pesay mangay"
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # staff: the admin opens, empty
    page = client.get(url)
    assert page.status_code == 200 and "pesay mangay" not in page.content.decode()

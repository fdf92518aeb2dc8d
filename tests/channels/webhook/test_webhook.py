"""The JSON webhook: one message or a batch, stored once each, forgeries refused."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from cfmp.channels.webhook.auth import body_signature
from cfmp.feedback.models import InboundMessage
from cfmp.outreach.models import OptOut
from tests.outreach.support import SMS_DUE, queued_sms_attempt

pytestmark = pytest.mark.django_db
REPLY_AT = SMS_DUE + dt.timedelta(minutes=5)
CITIZEN = "+923005551234"


@pytest.fixture
def survey(world, monkeypatch):
    return queued_sms_attempt(monkeypatch).survey


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


def post_json(client, payload, signature=None):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("sms-webhook"),
        body,
        content_type="application/json",
        headers={"X-CFMP-Signature": signature or body_signature(body)},
    )

"""SMS through a real Kannel (bearerbox + smsbox + fakesmsc on loopback): the message
reaches the SMSC intact in Urdu, and Kannel's delivery reports update the attempt."""

import datetime as dt
import time

import pytest
from django.urls import reverse

from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach import dispatch
from cfmp.outreach.channels.kannel import KannelChannel, attempt_signature
from cfmp.outreach.models import Channel, ContactAttempt, SurveyPlan
from cfmp.outreach.services import plan_surveys
from tests.factories import department
from tests.kannel import start_kannel

URDU = "{citizen_name}، کیا آپ مطمئن ہیں؟ 1 یا 2 بھیجیں"


@pytest.fixture
def kannel(tmp_path):
    running = start_kannel(tmp_path)
    yield running
    running.stop()


def _attempt(world, monkeypatch):
    # The send tasks are driven by the test itself, with its own clock.
    monkeypatch.setattr(dispatch, "_enqueue_sends", lambda ids: None)
    SurveyPlan.objects.update_or_create(
        is_default=True,
        service=None,
        defaults={"robocall": False, "manual_call_rate": 0, "language": "ur", "sms_text_ur": URDU},
    )
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference="K-1",
                    occurred_at="2026-03-02T11:00:00+05:00",
                    service="fard",
                    office="LHR-REV",
                    citizen_name="زاہدہ",
                    mobile="0300-5551234",
                ),
            )
        ],
    )
    due = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC) + dt.timedelta(hours=-5)
    plan_surveys(now=due - dt.timedelta(hours=1))
    dispatch.queue_due_attempts(now=due)
    return ContactAttempt.objects.get(channel=Channel.SMS), due


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_urdu_sms_through_kannel_arrives_intact_and_reports_delivery(
    kannel, live_server, settings, world, monkeypatch
):
    settings.CFMP_PUBLIC_URL = live_server.url
    attempt, due = _attempt(world, monkeypatch)
    gateway = KannelChannel(
        sendsms_url=kannel.sendsms_url,
        username=kannel.username,
        password=kannel.password,
        sender="8070",
    )
    assert dispatch.send_attempt(attempt.pk, now=due, channel_for=lambda c: gateway) == (
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

    attempt, due = _attempt(world, monkeypatch)
    gateway = KannelChannel(
        sendsms_url=f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms",
        username="u",
        password="p",
        sender="8070",
        timeout=2,
    )
    assert dispatch.send_attempt(attempt.pk, now=due, channel_for=lambda c: gateway) == "failed"
    attempt.refresh_from_db()
    assert "unreachable" in attempt.error
    assert ContactAttempt.objects.filter(try_number=2, state="planned").exists()

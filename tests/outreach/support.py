import datetime as dt
import zoneinfo

from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach import dispatch
from cfmp.outreach.models import Channel, ContactAttempt, SurveyPlan
from cfmp.outreach.services import plan_surveys
from tests.factories import department
from tests.processes import query_all

PKT = zoneinfo.ZoneInfo("Asia/Karachi")
SMS_DUE = dt.datetime(2026, 3, 2, 13, 0, tzinfo=PKT)  # two hours after the service


def queued_sms_attempt(monkeypatch, *, citizen_name: str = "Asif", **plan) -> ContactAttempt:
    """A transaction at 11:00 on 2 March 2026 whose survey (SMS only) is queued at 13:00.
    The test drives the send itself, with its own clock: no send task is enqueued."""
    monkeypatch.setattr(dispatch, "_enqueue_sends", lambda ids, **kwargs: None)
    SurveyPlan.objects.update_or_create(
        is_default=True,
        service=None,
        defaults={"robocall": False, "manual_call_rate": 0, "language": "en", **plan},
    )
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference="A",
                    occurred_at="2026-03-02T11:00:00+05:00",
                    service="fard",
                    office="LHR-REV",
                    citizen_name=citizen_name,
                    mobile="0300-5551234",
                ),
            )
        ],
    )
    plan_surveys(now=SMS_DUE - dt.timedelta(hours=1))
    assert dispatch.queue_due_attempts(now=SMS_DUE)
    return ContactAttempt.objects.get(channel=Channel.SMS)


CALL_DUE = dt.datetime(2026, 3, 3, 11, 0, tzinfo=PKT)  # a day after the service


def queued_voice_attempt(monkeypatch, *, mobile: str = "0300-5551234", **plan) -> ContactAttempt:
    """A transaction at 11:00 on 2 March 2026 whose robocall is queued a day later (the
    test places it itself, at CALL_DUE)."""
    monkeypatch.setattr(dispatch, "_enqueue_sends", lambda ids, **kwargs: None)
    SurveyPlan.objects.update_or_create(
        is_default=True,
        service=None,
        defaults={"robocall": True, "manual_call_rate": 0, "language": "en", **plan},
    )
    source, _ = SourceSystem.objects.get_or_create(code="plra")
    source.departments.set([department("revenue")])
    reference = f"V{mobile[-4:]}"
    ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference=reference, occurred_at="2026-03-02T11:00:00+05:00",
                    service="fard", office="LHR-REV", citizen_name="Asif", mobile=mobile,
                ),
            )
        ],
    )  # fmt: skip
    plan_surveys(now=CALL_DUE - dt.timedelta(days=1))
    queued = dispatch.queue_due_attempts(now=CALL_DUE)
    attempt = ContactAttempt.objects.get(
        channel=Channel.VOICE, survey__transaction__reference=reference
    )
    assert attempt.pk in queued
    return attempt


def submitted_voice_attempt(monkeypatch, *, mobile: str = "0300-5551234", **plan) -> ContactAttempt:
    """As `queued_voice_attempt`, placed through a silent simulator (no citizen reacts):
    the call is under way."""
    from cfmp.channels.simulator.adapter import SimulatorChannel

    attempt = queued_voice_attempt(monkeypatch, mobile=mobile, **plan)
    silent = SimulatorChannel("voice")
    assert dispatch.send_attempt(attempt.pk, now=CALL_DUE, channel_for=lambda _: silent) == (
        "submitted"
    )
    attempt.refresh_from_db()
    return attempt


# For tests running CFMP as separate processes on a scratch database (`cfmp shell -c`):
# two SMS attempts due now at a demo office, queued; prints their ids as JSON.
PLAN_TWO_SMS = """
import datetime as dt
import json
from django.utils import timezone
from cfmp.core.demo import demo_source
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach.dispatch import queue_due_attempts
from cfmp.outreach.models import SurveyPlan
from cfmp.outreach.services import plan_surveys
SurveyPlan.objects.update_or_create(is_default=True, service=None,
    defaults={"robocall": False, "manual_call_rate": 0, "sms_delay": dt.timedelta(0)})
now = timezone.now()
ingest_transactions(source=demo_source(), items=[
    (n, TransactionInput(reference=f"K{n}", occurred_at=now, service="fard",
                         office="LHR-REV-AIT", citizen_name="Citizen", mobile=f"0300-555000{n}"))
    for n in range(2)])
plan_surveys(now=now)
print(json.dumps(queue_due_attempts(now=now)))
"""


def attempt_rows(database_url: str) -> list[tuple]:
    """(id, state, error) of every contact attempt in a scratch database."""
    return query_all(
        database_url, "SELECT id, state, error FROM outreach_contactattempt ORDER BY id"
    )

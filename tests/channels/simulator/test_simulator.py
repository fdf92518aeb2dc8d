"""The built-in citizen simulator: citizens react through the real paths (delivery reports,
replies into feedback), reproducibly, and a replayed reaction changes nothing."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from cfmp.channels.simulator.citizens import REPLIES, reaction_to
from cfmp.channels.simulator.reactions import apply_simulated_report, receive_simulated_reply
from cfmp.feedback.models import InboundMessage
from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach import dispatch
from cfmp.outreach.models import ContactAttempt, Survey, SurveyPlan
from cfmp.outreach.services import plan_surveys
from cfmp.outreach.window import SendWindow
from tests.factories import department

pytestmark = pytest.mark.django_db
ALL_REPLIES = {text for texts in REPLIES.values() for text in texts}


@pytest.fixture
def surveyed(world, settings):
    """300 citizens surveyed by SMS just now, every hour open, citizens simulated."""
    settings.CFMP_OUTREACH_WINDOW = "00:00-24:00"
    settings.CFMP_SIMULATOR_CITIZENS = True
    SurveyPlan.objects.update_or_create(
        is_default=True, service=None, defaults={"robocall": False, "manual_call_rate": 0}
    )
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    now = timezone.now()
    ingest_transactions(
        source=source,
        items=[
            (
                n,
                TransactionInput(
                    reference=f"S{n}",
                    occurred_at=now - dt.timedelta(hours=3),
                    service="fard",
                    office="LHR-REV",
                    citizen_name="Citizen",
                    mobile=f"0300-1{n:06d}",
                ),
            )
            for n in range(300)
        ],
    )
    plan_surveys(now=now)
    return now


def test_simulated_citizens_answer_through_the_real_paths(
    surveyed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = dispatch.queue_due_attempts(now=surveyed, limit=300)  # eager: sent at once
    assert len(queued) == 300
    states = Counter(ContactAttempt.objects.filter(try_number=1).values_list("state", flat=True))
    assert set(states) == {"delivered", "failed"}
    assert 0.85 < states["delivered"] / 300 < 0.99
    replies = InboundMessage.objects.filter(gateway="simulator")
    assert 0.15 < replies.count() / 300 < 0.45
    assert set(replies.values_list("text", flat=True)) <= ALL_REPLIES
    assert not replies.exclude(kind="opt_out").filter(survey__isnull=True).exists()
    answered = Survey.objects.filter(state="completed")
    assert answered.count() == replies.values("survey").distinct().count()
    # A citizen whose message was not delivered never replies.
    failed_surveys = ContactAttempt.objects.filter(state="failed").values("survey")
    assert not replies.filter(survey__in=failed_surveys).exists()


def test_a_replayed_reaction_changes_nothing(surveyed):
    attempt = ContactAttempt.objects.first()
    ContactAttempt.objects.filter(pk=attempt.pk).update(state="submitted")
    assert apply_simulated_report(attempt.pk) is True
    assert apply_simulated_report(attempt.pk) is False
    replied = [
        a
        for a in ContactAttempt.objects.all()[:200]
        if reaction_to(attempt_id=a.pk, channel="sms").reply
    ]
    assert replied
    assert receive_simulated_reply(attempt_id=replied[0].pk) is True
    assert receive_simulated_reply(attempt_id=replied[0].pk) is False
    assert InboundMessage.objects.count() == 1


def test_reactions_are_reproducible_and_answered_calls_press_keys_not_text():
    assert reaction_to(attempt_id=41, channel="sms") == reaction_to(attempt_id=41, channel="sms")
    calls = [reaction_to(attempt_id=n, channel="voice") for n in range(400)]
    assert all(call.reply is None for call in calls)
    assert 0.45 < sum(call.delivered for call in calls) / 400 < 0.65
    assert {call.call_outcome for call in calls if not call.delivered} == {"no_answer", "busy"}
    assert {call.call_outcome for call in calls if call.delivered} == {
        "answered",
        "no_input",
        "hung_up",
    }
    assert all((call.call_outcome == "answered") == bool(call.digit) for call in calls)
    assert all(call.digit is None for call in calls if not call.delivered)
    pressed = [call.digit for call in calls if call.digit]
    assert set(pressed) == {"1", "2", "3", "4", "9", "7"} and pressed.count("1") > len(pressed) / 2


def test_the_demo_clock_compresses_a_plans_days_into_seconds(world, settings):
    settings.CFMP_TIME_SCALE = 5760
    settings.CFMP_OUTREACH_WINDOW = "00:00-24:00"
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    occurred = timezone.now().replace(microsecond=0)
    ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference="T",
                    occurred_at=occurred,
                    service="fard",
                    office="LHR-REV",
                    citizen_name="X",
                    mobile="03005551234",
                ),
            )
        ],
    )
    plan_surveys(now=occurred)
    due = dict(ContactAttempt.objects.values_list("channel", "due_at"))
    assert due["voice"] - occurred == dt.timedelta(seconds=15)  # one day
    assert due["sms"] - due["voice"] == dt.timedelta(seconds=1.25)  # two hours


def test_a_window_to_24_00_is_open_all_day(settings):
    settings.CFMP_OUTREACH_WINDOW = "00:00-24:00"
    window = SendWindow.current()
    late = dt.datetime(2026, 3, 2, 23, 59, 59, tzinfo=window.zone)
    assert window.contains(late) and window.contains(late.replace(hour=0, minute=0, second=0))

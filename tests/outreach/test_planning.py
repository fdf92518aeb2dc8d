import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from cfmp.intake.models import SourceSystem
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.outreach.models import Channel, Holiday, OptOut, Survey, SurveyPlan
from cfmp.outreach.services import plan_surveys, sampled_for_manual_call
from cfmp.outreach.window import SendWindow
from tests.factories import department

pytestmark = pytest.mark.django_db
PKT = zoneinfo.ZoneInfo("Asia/Karachi")
NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=PKT)


def pkt(*args):
    return dt.datetime(*args, tzinfo=PKT)


@pytest.fixture(autouse=True)
def no_call_centre_sample(db):
    """Which transactions fall in the random call-centre sample depends on their ids; tests
    that count attempts must not depend on it (the sample has its own test)."""
    SurveyPlan.objects.update_or_create(
        is_default=True, service=None, defaults={"manual_call_rate": 0}
    )


@pytest.fixture
def source(world):
    source = SourceSystem.objects.create(code="plra")
    source.departments.set([department("revenue")])
    return source


def add(
    source, reference, *, mobile="0300-5551234", when="2026-03-02T11:00:00+05:00", no_mobile=False
):
    return ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference=reference,
                    occurred_at=when,
                    service="fard",
                    office="LHR-REV",
                    citizen_name="Asif",
                    mobile=mobile,
                    no_mobile=no_mobile,
                ),
            )
        ],
    )


def survey(reference):
    return Survey.objects.select_related("transaction").get(transaction__reference=reference)


def test_window_moves_contacts_into_working_hours_and_past_holidays():
    window = SendWindow(
        opens=dt.time(9), closes=dt.time(20), zone=PKT, holidays=frozenset({dt.date(2026, 3, 23)})
    )
    assert window.next_open(pkt(2026, 3, 2, 7, 30)) == pkt(2026, 3, 2, 9, 0)
    assert window.next_open(pkt(2026, 3, 2, 14, 0)) == pkt(2026, 3, 2, 14, 0)
    assert window.next_open(pkt(2026, 3, 2, 20, 0)) == pkt(2026, 3, 3, 9, 0)
    assert window.next_open(pkt(2026, 3, 22, 21, 0)) == pkt(2026, 3, 24, 9, 0)  # Pakistan Day
    assert not window.contains(pkt(2026, 3, 23, 12, 0))


def test_an_active_survey_plans_a_robocall_then_an_sms_inside_the_window(source):
    Holiday.objects.create(date=dt.date(2026, 3, 3), name="test holiday")
    add(source, "A", when="2026-03-02T19:30:00+05:00")
    assert plan_surveys(now=NOW) == {"active": 1}
    attempts = {a.channel: a for a in survey("A").attempts.all()}
    # Robocall a day later falls on the holiday: the next morning; the SMS two hours after.
    assert attempts[Channel.VOICE].due_at == pkt(2026, 3, 4, 9, 0)
    assert attempts[Channel.SMS].due_at == pkt(2026, 3, 4, 11, 0)
    assert all(a.state == "planned" for a in attempts.values())


def test_no_contact_to_opted_out_uncontactable_or_expired_numbers(source):
    OptOut.objects.create(mobile="+923005550001", source=OptOut.Source.SMS)
    add(source, "stop", mobile="0300-5550001")
    assert add(source, "mistyped", mobile="12345").rejected  # refused at the door
    add(source, "none", mobile="", no_mobile=True)  # a citizen with no mobile, as recorded
    add(source, "old", mobile="0300-5550002", when="2026-01-02T11:00:00+05:00")
    outcome = plan_surveys(now=NOW)
    assert outcome == {"skipped opted_out": 1, "skipped uncontactable": 1, "skipped expired": 1}
    assert survey("none").skip_detail == "no number given"
    assert not survey("stop").attempts.exists()


def test_one_survey_per_number_within_the_fatigue_period_across_services(source, world):
    add(source, "first", mobile="0300-5550003")
    plan_surveys(now=NOW)
    add(source, "same-batch-1", mobile="0300-5550004")
    add(source, "same-batch-2", mobile="0300-5550004")
    add(source, "second", mobile="0300-5550003")
    outcome = plan_surveys(now=NOW + dt.timedelta(days=5))
    assert outcome == {"active": 1, "skipped fatigue": 2}
    assert survey("second").skip_reason == "fatigue"
    add(source, "much-later", mobile="0300-5550003", when="2026-04-10T11:00:00+05:00")
    assert plan_surveys(now=pkt(2026, 4, 10, 12, 0)) == {"active": 1}


def test_a_landline_gets_the_robocall_but_no_sms(source):
    add(source, "land", mobile="042-35880062")
    plan_surveys(now=NOW)
    assert [a.channel for a in survey("land").attempts.all()] == [Channel.VOICE]


def test_a_transaction_is_planned_once(source):
    add(source, "A")
    plan_surveys(now=NOW)
    assert plan_surveys(now=NOW) == {}
    assert survey("A").attempts.count() == 2


def test_manual_call_sample_is_reproducible_and_near_its_rate():
    rate = Decimal("0.05")
    picks = [sampled_for_manual_call(transaction_id=n, rate=rate) for n in range(20_000)]
    assert picks == [sampled_for_manual_call(transaction_id=n, rate=rate) for n in range(20_000)]
    assert 0.04 < sum(picks) / len(picks) < 0.06


def test_a_service_plan_overrides_the_default(source):
    from cfmp.registry.models import Service

    SurveyPlan.objects.create(
        service=Service.objects.get(code="fard"),
        robocall=False,
        sms_delay=dt.timedelta(hours=3),
        manual_call_rate=1,
    )
    add(source, "A")
    plan_surveys(now=NOW)
    channels = {a.channel: a.due_at for a in survey("A").attempts.all()}
    assert set(channels) == {Channel.SMS, Channel.MANUAL}
    assert channels[Channel.SMS] == pkt(2026, 3, 2, 14, 0)

"""Who is heard (issue 23, item 4): the response rate by contact channel and hour of first
contact, counted with the rollups from the raw contacts and replies, in the reader's scope."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.feedback.models import Feedback
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.outreach.models import ContactAttempt, Survey, SurveyPlan
from cfmp.registry.models import Service
from cfmp.reports.heard import response_rates
from cfmp.reports.rollups import rebuild_rollups, refresh_rollups

pytestmark = pytest.mark.django_db
PKT = zoneinfo.ZoneInfo("Asia/Karachi")
DAY = dt.date(2026, 3, 2)
_n = iter(range(1, 10_000))


def surveyed(office, *, contacts, answered_on=(), service=None):
    """A transaction on DAY, its survey, an attempt per (channel, local hour) in `contacts`
    (a second try on a channel later the same day), and feedback on each channel answered."""
    n = next(_n)
    occurred = dt.datetime.combine(DAY, dt.time(8, 0), PKT)
    source, _ = SourceSystem.objects.get_or_create(code="heard")
    tx = Transaction.objects.create(
        source=source, reference=f"H{n}", occurred_at=occurred, office=office,
        service=service or Service.objects.get(code="fard"), citizen_name="C",
        mobile=f"+92300{n:07d}",
    )  # fmt: skip
    plan, _ = SurveyPlan.objects.get_or_create(is_default=True, service=None)
    survey = Survey.objects.create(
        transaction=tx, plan=plan, mobile=tx.mobile, state="active", created_at=occurred
    )
    for try_number, (channel, hour) in enumerate(contacts, 1):
        at = dt.datetime.combine(DAY, dt.time(hour, 10), PKT)
        ContactAttempt.objects.create(
            survey=survey, channel=channel, try_number=try_number, state="delivered",
            due_at=at, submitted_at=at, finished_at=at + dt.timedelta(minutes=1),
        )  # fmt: skip
    for channel in answered_on:
        Feedback.objects.create(
            channel=channel, transaction=tx, survey=survey, category="satisfied", confidence=1
        )
    return tx


@pytest.fixture
def contacted(world):
    """Lahore revenue: 4 by SMS at 10:00 (one answered; one tried again at 15:00, which does
    not count again), 2 by robocall at 18:00 (both answered by key, one also by SMS, which is
    not the robocall's answer); Multan health: 3 by SMS at 10:00, none answered; a planned
    attempt never sent is not a contact."""
    lahore, multan = world.lahore_revenue, world.multan_health
    surveyed(lahore, contacts=[("sms", 10)], answered_on=["sms"])
    surveyed(lahore, contacts=[("sms", 10), ("sms", 15)])
    surveyed(lahore, contacts=[("sms", 10)])
    surveyed(lahore, contacts=[("sms", 10)])
    surveyed(lahore, contacts=[("voice", 18)], answered_on=["ivr"])
    surveyed(lahore, contacts=[("voice", 18)], answered_on=["ivr", "sms"])
    health = Service.objects.get(code="hospital-opd")
    for _ in range(3):
        surveyed(multan, contacts=[("sms", 10)], service=health)
    planned = surveyed(multan, contacts=[], service=health)
    ContactAttempt.objects.create(
        survey=planned.survey, channel="sms", try_number=1, state="planned", due_at=planned.occurred_at
    )  # fmt: skip
    refresh_rollups()
    return world


def _table(rates):
    return {(r.channel, r.hour): (r.contacted, r.responded) for r in rates}


def test_response_rate_by_channel_and_hour(contacted):
    rates = response_rates(user=None, start=DAY, end=DAY)
    assert _table(rates) == {
        ("sms", None): (7, 1),
        ("sms", 10): (7, 1),
        ("voice", None): (2, 2),
        ("voice", 18): (2, 2),
    }
    sms = next(r for r in rates if (r.channel, r.hour) == ("sms", None))
    assert sms.rate == pytest.approx(1 / 7) and sms.low < 1 / 7 < sms.high
    assert sms.channel_label == "SMS"
    # A rebuild gives the same rows.
    rebuild_rollups()
    assert _table(response_rates(user=None, start=DAY, end=DAY)) == _table(rates)


def test_the_page_is_in_the_readers_scope(client, contacted):
    client.force_login(contacted.users[Role.DISTRICT_OFFICER])  # Lahore
    page = client.get(reverse("reports:who-is-heard"), {"from": "2026-03-01", "to": "2026-03-05"})
    assert page.status_code == 200
    rates = page.context["rates"]
    assert _table(rates)[("sms", None)] == (4, 1)  # Lahore's only
    text = page.content.decode()
    assert "robocall" in text and "18:00" in text and "0.143" not in text
    client.force_login(contacted.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:who-is-heard"), {"from": "2026-03-01", "to": "2026-03-05"})
    assert "0.143" in page.content.decode()  # 1 of 7 by SMS, province-wide

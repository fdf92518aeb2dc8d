"""A case owner below the identity roles reads each case's due date in the daily digest as
the case pages show it — generalised, by the day — so the email does not give the
complaint's minute (issue 20)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.cases.digests import send_case_digests
from cfmp.cases.models import Case
from cfmp.cases.services import file_complaints
from cfmp.feedback.models import Feedback
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.registry.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, settings):
    """A bribe complaint filed at noon yesterday about one of the six citizens the official
    served between nine and three: its day is the finest period with five of them."""
    settings.CFMP_ANONYMITY_K = 5
    officer = world.users[Role.DISTRICT_OFFICER]
    officer.email = "do@example.pk"
    officer.save()
    source, _ = SourceSystem.objects.get_or_create(code="digest-privacy")
    office = world.lahore_revenue
    service = Service.objects.filter(department=office.department_id).first()
    morning = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    morning -= dt.timedelta(days=1)
    served = [
        Transaction.objects.create(
            source=source, reference=f"D{n}", occurred_at=morning + dt.timedelta(hours=n),
            office=office, service=service, official=world.officials["LHR-REV"],
            citizen_name=f"Citizen {n}", mobile=f"+9230000000{n:02d}",
        )
        for n in range(6)
    ]  # fmt: skip
    feedback = Feedback.objects.create(channel="agent", transaction=served[2], category="bribe",
                                       confidence=1.0)  # fmt: skip
    file_complaints(feedback_ids=[feedback.pk], now=morning + dt.timedelta(hours=3, minutes=17))
    return Case.objects.get()


def test_the_digest_gives_the_generalised_day_not_the_minute(case, mailoutbox):
    # An hour past the exact due moment: overdue by the minute, not yet by the shown day.
    assert send_case_digests(now=case.due_at + dt.timedelta(hours=1)) == 1
    (mail,) = mailoutbox
    assert "0 overdue, 1 due soon" in mail.subject
    assert not re.search(r"\d{2}:\d{2}", mail.body)  # no minute
    shown_day = (timezone.localdate(case.opened_at) + dt.timedelta(days=1)) + (
        case.due_at - case.opened_at
    )
    assert f"due {shown_day:%Y-%m-%d}" in mail.body
    assert f"due {timezone.localtime(case.due_at):%Y-%m-%d %H:%M}" not in mail.body


def test_the_identity_roles_still_read_the_minute(case, world, mailoutbox):
    Case.objects.update(owner=world.users[Role.SECRETARIAT])
    world.users[Role.SECRETARIAT].email = "sec@example.pk"
    world.users[Role.SECRETARIAT].save()
    assert send_case_digests(now=case.due_at + dt.timedelta(hours=1)) >= 1
    mail = next(m for m in mailoutbox if m.to == ["sec@example.pk"] and "overdue" in m.subject)
    assert "1 overdue" in mail.subject

"""The data-entry operator who typed a transaction sees what they typed while correcting
it, and never what citizens said about their own offices' officials (issue 20)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cfmp.accounts.models import Role
from cfmp.feedback.selectors import feedback_visible_to
from cfmp.reports.catalogue import get_report
from cfmp.reports.rollups import rebuild_rollups
from cfmp.reports.selectors import run_report
from tests.cases.support import complaint
from tests.forms import form_with

pytestmark = pytest.mark.django_db


def test_an_operator_reads_no_feedback_about_their_offices(client, world):
    operator = world.users[Role.DATA_ENTRY_OPERATOR]  # types for LHR-POL and MUL-REV
    about_theirs = complaint("LHR-POL", official="LHR-POL-1")
    client.force_login(operator)
    page = client.get(reverse("feedback-list")).content.decode()
    assert "clerk ne 2000 liye" not in page
    assert not feedback_visible_to(operator).exists()
    head = world.users[Role.DISTRICT_OFFICER]  # Lahore: reads it, masked
    assert feedback_visible_to(head).filter(pk=about_theirs.pk).exists()


def test_reports_by_official_of_what_citizens_said_are_withheld_from_operators(world):
    for _ in range(6):
        complaint("LHR-POL", official="LHR-POL-1")
    rebuild_rollups()
    start, end = dt.date(2026, 1, 1), max(timezone.localdate(), dt.date(2026, 12, 31))
    report = get_report("bribe-rate-by-official-range")
    operator = run_report(report, user=world.users[Role.DATA_ENTRY_OPERATOR], start=start, end=end)
    assert operator.rows and all(row.value is None for row in operator.rows)
    district = run_report(report, user=world.users[Role.DISTRICT_OFFICER], start=start, end=end)
    assert any(row.value for row in district.rows)


def test_an_operator_sees_what_they_typed_while_correcting_it(client, world):
    client.force_login(world.users[Role.DATA_ENTRY_OPERATOR])
    form = form_with(client.get(reverse("intake:transaction-new")), "citizen_name")
    office = next(o for o in form.options("office") if o)
    typed = form.fill(
        office=office,
        occurred_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        citizen_name="Zahida Parveen",
        mobile="12",  # refused: the page comes back to be corrected
    )
    page = client.post(form.action, typed.data()).content.decode()
    assert "Zahida Parveen" in page and 'value="12"' in page

"""Who is heard (issue 23, item 4): an office whose citizens answer far less often than its
peers' is alerted — a sign of wrong numbers being recorded — and volume matters."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.reports import alerts as alerts_module
from cfmp.reports.models import Alert, DailyCount
from cfmp.reports.rollups import recount_all_periods
from tests.factories import OfficeFactory, department, district

pytestmark = pytest.mark.django_db
WEEK_END = dt.date(2026, 3, 29)


def contacts(office, *, contacted, responded, day=WEEK_END):
    DailyCount.objects.create(
        day=day, office=office, department_id=office.department_id,
        district_id=office.district_id, contacted=contacted, responded=responded,
        feedback=responded, satisfied=responded,
    )  # fmt: skip


def detect():
    recount_all_periods()  # as `rollups.recompute_day` would
    return alerts_module.detect_alerts(week_end=WEEK_END)


@pytest.fixture
def peers(world):
    """Ten revenue offices whose citizens answer 25 % of the time."""
    offices = [
        OfficeFactory(
            code=f"REV-{n}", district=district("lahore"), department=department("revenue")
        )
        for n in range(10)
    ]
    for office in offices:
        contacts(office, contacted=200, responded=50)
    return offices


def low_response(alerts):
    return {alert.office.code for alert in alerts if alert.kind == Alert.Kind.LOW_RESPONSE}


def test_an_office_far_below_its_peers_is_alerted(world, peers):
    far = OfficeFactory(
        code="REV-FAR", district=district("multan"), department=department("revenue")
    )
    contacts(far, contacted=300, responded=9)  # 3 %, against peers' 25 %
    somewhat = OfficeFactory(
        code="REV-LOW", district=district("multan"), department=department("revenue")
    )
    contacts(somewhat, contacted=300, responded=60)  # 20 %: lower, not far below
    small = OfficeFactory(
        code="REV-FEW", district=district("multan"), department=department("revenue")
    )
    contacts(small, contacted=10, responded=0)  # too few contacted to tell
    alerts = detect()
    assert low_response(alerts) == {"REV-FAR"}
    alert = next(a for a in alerts if a.kind == Alert.Kind.LOW_RESPONSE)
    assert (alert.observed, alert.out_of) == (9, 300) and alert.official_id is None
    assert alert.peer_rate == pytest.approx(0.25, abs=0.01)
    assert alert.reference_rate == pytest.approx(alert.peer_rate * 0.5)
    # Bribe alerts are not raised by replies being few.
    assert {a.kind for a in alerts} == {Alert.Kind.LOW_RESPONSE}


def test_the_factor_is_a_setting(world, peers, settings):
    office = OfficeFactory(
        code="REV-X", district=district("multan"), department=department("revenue")
    )
    contacts(office, contacted=300, responded=36)  # 12 %: about half of 25 %, far below 80 % of it
    assert low_response(detect()) == set()
    settings.CFMP_LOW_RESPONSE_FACTOR = 0.8
    assert low_response(detect()) == {"REV-X"}


def test_the_alerts_page_names_it_in_words(client, world, peers):
    office = OfficeFactory(
        code="REV-FAR", district=district("lahore"), department=department("revenue")
    )
    contacts(office, contacted=300, responded=9)
    detect()
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get(reverse("reports:alerts"), {"week": WEEK_END.isoformat()}).content.decode()
    assert "response rate far below its peers" in page
    shown = re.sub(r"<[^>]*>", " ", page)  # what a person reads (a filter's option values aside)
    assert "low_response" not in shown

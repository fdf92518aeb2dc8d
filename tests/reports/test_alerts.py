"""Emerging patterns: a week significantly above its own baseline and its peers', after a
false-discovery control; volume matters."""

import datetime as dt

import pytest

from cfmp.registry.models import Official
from cfmp.reports import alerts as alerts_module
from cfmp.reports.alerts import benjamini_hochberg
from cfmp.reports.models import Alert, DailyCount
from cfmp.reports.rollups import recount_all_periods
from tests.factories import OfficeFactory, department, district

pytestmark = pytest.mark.django_db
WEEK_END = dt.date(2026, 3, 29)


def week(office, *, replies, bribes, day=WEEK_END, official=None, transactions=0, flagged=0):
    DailyCount.objects.create(
        day=day, office=office, official=official, department_id=office.department_id,
        district_id=office.district_id, feedback=replies, bribe=bribes, satisfied=replies - bribes,
        transactions=transactions, flagged=flagged,
    )  # fmt: skip


def detect_alerts(**kwargs):
    """These tests write days' rows directly; their weeks and months are recounted from
    them first, as `rollups.recompute_day` does for real data."""
    recount_all_periods()
    return alerts_module.detect_alerts(**kwargs)


@pytest.fixture
def revenue_offices(world):
    """Twenty revenue offices with a steady 3 % of bribe reports, this week and before."""
    offices = [
        OfficeFactory(
            code=f"REV-{n}", district=district("lahore"), department=department("revenue")
        )
        for n in range(20)
    ]
    for office in offices:
        week(office, replies=100, bribes=3)
        week(office, replies=400, bribes=12, day=WEEK_END - dt.timedelta(days=20))
    return offices


def test_an_office_far_above_its_baseline_and_peers_raises_one_alert(revenue_offices):
    spiking = revenue_offices[0]
    DailyCount.objects.filter(office=spiking, day=WEEK_END).update(bribe=25, satisfied=75)
    alerts = detect_alerts(week_end=WEEK_END)
    bribe_alerts = [a for a in alerts if a.kind == "bribe" and a.official_id is None]
    assert [a.office for a in bribe_alerts] == [spiking]
    alert = bribe_alerts[0]
    assert (alert.observed, alert.out_of) == (25, 100) and alert.q_value <= 0.05
    assert alert.baseline_rate == pytest.approx(12.5 / 401) and alert.peer_rate < 0.04
    # Run again: the week's alerts are replaced, not repeated.
    detect_alerts(week_end=WEEK_END)
    assert Alert.objects.filter(kind="bribe", office=spiking).count() == 1


def test_volume_matters_the_same_share_alerts_only_with_enough_replies(revenue_offices):
    few, many = revenue_offices[1], revenue_offices[2]
    DailyCount.objects.filter(office=few, day=WEEK_END).update(feedback=100, bribe=5, satisfied=95)
    DailyCount.objects.filter(office=many, day=WEEK_END).update(
        feedback=1000, bribe=50, satisfied=950
    )
    alerts = [
        a for a in detect_alerts(week_end=WEEK_END) if a.kind == "bribe" and not a.official_id
    ]
    assert [a.office for a in alerts] == [many]  # 5 % of 1,000 is news; 5 % of 100 is not


def test_above_its_peers_but_not_its_own_usual_level_is_no_alert(revenue_offices):
    usual = revenue_offices[2]  # always at 10 %: a known problem, not an emerging one
    DailyCount.objects.filter(office=usual).update(bribe=10, satisfied=90)
    DailyCount.objects.filter(office=usual, day__lt=WEEK_END).update(
        feedback=400, bribe=40, satisfied=360
    )
    assert not [a for a in detect_alerts(week_end=WEEK_END) if a.kind == "bribe"]


def test_officials_and_data_quality_spikes(revenue_offices, world):
    office = revenue_offices[3]
    official = Official.objects.create(employee_code="X-1", name="X", office=office)
    peer = Official.objects.create(employee_code="X-2", name="Y", office=revenue_offices[4])
    week(office, replies=60, bribes=20, official=official)
    for office_ in revenue_offices[4:12]:
        week(office_, replies=60, bribes=1, official=peer)
    week(revenue_offices[5], replies=0, bribes=0, transactions=200, flagged=80)
    for office_ in revenue_offices[6:]:
        week(office_, replies=0, bribes=0, transactions=200, flagged=4)
    alerts = detect_alerts(week_end=WEEK_END)
    assert any(a.official == official and a.kind == "bribe" for a in alerts)
    assert [a.office for a in alerts if a.kind == "data_quality"] == [revenue_offices[5]]


def test_benjamini_hochberg_matches_the_textbook():
    p = [0.01, 0.04, 0.03, 0.005, 0.5]
    q = benjamini_hochberg(p)
    # sorted: 0.005→0.025, 0.01→0.025, 0.03→0.05, 0.04→0.05, 0.5→0.5
    assert q == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])


def test_acknowledged_alerts_are_kept_and_not_raised_again(revenue_offices, world):
    from cfmp.accounts.models import Role

    spiking = revenue_offices[0]
    DailyCount.objects.filter(office=spiking, day=WEEK_END).update(bribe=25, satisfied=75)
    (alert,) = [
        a for a in detect_alerts(week_end=WEEK_END) if a.kind == "bribe" and not a.official_id
    ]
    Alert.objects.filter(pk=alert.pk).update(
        acknowledged_by=world.users[Role.SECRETARIAT], acknowledged_at=dt.datetime.now(dt.UTC)
    )
    detect_alerts(week_end=WEEK_END)
    assert Alert.objects.filter(kind="bribe", office=spiking, official=None).count() == 1


def test_the_alerts_page_is_scoped_and_the_secretariat_marks_alerts_seen(
    client, revenue_offices, world
):
    from django.urls import reverse

    from cfmp.accounts.models import Role

    mul = OfficeFactory(code="MUL-X", district=district("multan"), department=department("revenue"))
    spiking = revenue_offices[0]
    DailyCount.objects.filter(office=spiking, day=WEEK_END).update(bribe=25, satisfied=75)
    week(mul, replies=100, bribes=40)
    detect_alerts(week_end=WEEK_END)
    client.force_login(world.users[Role.DISTRICT_OFFICER])  # Lahore
    page = client.get(reverse("reports:alerts")).content.decode()
    assert spiking.name in page and mul.name not in page
    alert = Alert.objects.filter(office=spiking, kind="bribe").first()
    assert client.post(reverse("reports:acknowledge", args=[alert.pk])).status_code == 403
    client.force_login(world.users[Role.SECRETARIAT])
    client.post(reverse("reports:acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users[Role.SECRETARIAT]

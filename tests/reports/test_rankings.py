"""Fair rankings: a few replies cannot put an office at the top by chance."""

import datetime as dt

import pytest
from django.urls import reverse

from cfmp.accounts.models import Role
from cfmp.reports.models import DailyCount
from cfmp.reports.rankings import rank
from cfmp.reports.rollups import recount_all_periods

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def counts(office, *, replies: int, complaints: int, bribes: int = 0):
    DailyCount.objects.create(
        day=DAY, office=office, department_id=office.department_id, district_id=office.district_id,
        feedback=replies, satisfied=replies - complaints, delay=complaints - bribes, bribe=bribes,
    )  # fmt: skip
    recount_all_periods()  # as `rollups.recompute_day` would


def test_one_complaint_in_two_replies_does_not_outrank_forty_in_a_hundred(world):
    counts(world.lahore_revenue, replies=2, complaints=1)
    counts(world.lahore_police, replies=100, complaints=40)
    counts(world.multan_revenue, replies=300, complaints=15, bribes=15)
    for minimum in (1, 10):  # whatever the threshold
        ranked = rank(
            level="office",
            measure="complaints",
            user=None,
            start=DAY,
            end=DAY,
            min_responses=minimum,
        )
        position = {entry.label: entry for entry in ranked}
        small, big = position[world.lahore_revenue.name], position[world.lahore_police.name]
        assert small.rate == 0.5 > big.rate == 0.4
        assert big.rank == 1
        assert small.rank is None if minimum == 10 else small.rank > big.rank
        assert big.low < 0.4 < big.high
    bribes = rank(level="office", measure="bribe", user=None, start=DAY, end=DAY)
    assert bribes[0].label == world.multan_revenue.name and bribes[0].count == 15


def test_the_rankings_page_explains_the_method_and_respects_scope(client, world):
    counts(world.lahore_police, replies=100, complaints=40)
    counts(world.multan_revenue, replies=100, complaints=10)
    client.force_login(world.users[Role.DISTRICT_OFFICER])
    page = client.get(
        reverse("reports:rankings"), {"from": "2026-03-01", "to": "2026-03-05"}
    ).content.decode()
    assert "Wilson" in page and world.lahore_police.name in page
    assert world.multan_revenue.name not in page
    assert client.get(reverse("reports:rankings"), {"level": "nope"}).status_code == 404

"""Transactions stored before the doors bounded dates (issue 18): a row dated in year 1 or
9999 broke every page that listed it; the migration gives it the time CFMP received it,
flagged for the data-quality report, and the reports go on refreshing."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps

from cfmp.accounts.models import Role
from cfmp.intake.models import QualityFlag, Transaction
from cfmp.reports.rollups import refresh_rollups
from tests.cases.support import transaction_at

pytestmark = pytest.mark.django_db

EXTREMES = (
    dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
)


@pytest.fixture
def absurd_transactions(world) -> list[Transaction]:
    rows = []
    for moment in EXTREMES:
        row = transaction_at("MUL-REV")
        Transaction.objects.filter(pk=row.pk).update(occurred_at=moment)  # as stored long ago
        rows.append(row)
    return rows


def repair() -> None:
    migration = importlib.import_module("cfmp.intake.migrations.0004_i18_occurred_at_window")
    migration.occurred_within_the_window(apps, None)


def test_the_reports_refresh_even_before_the_repair(world, absurd_transactions):
    transaction_at("MUL-REV")  # a good one, on 2 March 2026
    refreshed = refresh_rollups(now=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    assert dt.date(2026, 3, 2) in refreshed


def test_the_repair_dates_them_when_received_and_flags_them(world, absurd_transactions):
    untouched = transaction_at("MUL-REV")
    repair()
    for row in absurd_transactions:
        row.refresh_from_db()
        assert row.occurred_at == row.created_at
        assert QualityFlag.IMPOSSIBLE_DATE in QualityFlag(row.quality_flags)
    untouched.refresh_from_db()
    assert untouched.quality_flags & QualityFlag.IMPOSSIBLE_DATE == 0
    assert untouched.occurred_at == dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)


def test_pages_listing_them_answer_after_the_repair(client, world, absurd_transactions):
    repair()
    pages = {
        Role.SECRETARIAT: [
            "/transactions/",
            "/transactions/data-quality/",
            f"/outreach/history/?mobile={absurd_transactions[0].mobile}",
        ],
        Role.DATA_ENTRY_OPERATOR: ["/transactions/"],
        Role.OFFICE_HEAD: ["/transactions/"],
    }
    for role, urls in pages.items():
        client.force_login(world.users[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    client.force_login(world.users[Role.SECRETARIAT])
    quality = client.get("/transactions/data-quality/").content.decode()
    assert "Impossible date" in quality
    last_cells = re.findall(r"<td>(\d+)</td></tr>", " ".join(quality.split()))
    assert last_cells == ["2"]  # the office's row: both repaired transactions

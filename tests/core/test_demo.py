"""The demo's transactions go through intake like any source's."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cfmp.core.demo import add_demo_transactions, load_demo_registry
from cfmp.intake.models import Transaction

pytestmark = pytest.mark.django_db


def test_demo_transactions_land_at_demo_offices_within_the_period():
    load_demo_registry()
    end = timezone.now()
    start = end - dt.timedelta(days=2)
    assert add_demo_transactions(count=60, start=start, end=end) == 60
    stored = Transaction.objects.all()
    assert stored.count() == 60
    assert all(start <= tx.occurred_at <= end for tx in stored)
    assert all(tx.service.department_id == tx.office.department_id for tx in stored)
    assert stored.filter(source__code="demo").count() == 60


def test_load_demo_adds_the_transactions_asked_for(capsys):
    call_command("load_demo", "--transactions", "25", "--history-weeks", "0")
    assert "demo transactions: 25 added" in capsys.readouterr().out
    assert Transaction.objects.count() == 25


def test_the_demo_s_history_gives_trends_cases_alerts_and_a_review_queue(capsys, settings):
    """The first look at the demo: weeks of replies behind each report's trend, cases filed
    on their days, the review queue, and an office whose bribe share jumped in the last
    weeks, raised as an alert."""
    from cfmp.cases.models import Case
    from cfmp.feedback.models import Feedback
    from cfmp.reports.catalogue import CATALOGUE
    from cfmp.reports.models import Alert
    from cfmp.reports.selectors import run_report, trend_periods

    call_command("load_demo", "--transactions", "0", "--history-weeks", "10")
    out = capsys.readouterr().out
    assert "demo history: 1680 transactions" in out
    report = CATALOGUE["response-rate-by-province-week"]
    today = timezone.localdate()
    weeks = trend_periods("week", today - dt.timedelta(days=6), today)
    replied = [
        run_report(report, user=None, start=first, end=last).total.numerator
        for first, last in weeks[:-1]  # the last week holds the two days of live demo only
    ]
    assert all(replied), replied  # every week of the trend has replies
    assert Feedback.objects.filter(needs_review=True).exists()
    opened = {timezone.localdate(at) for at in Case.objects.values_list("opened_at", flat=True)}
    # Opened on their days over the ten weeks, not all at once today (later complaints
    # about the same official join the case already open).
    assert min(opened) < today - dt.timedelta(weeks=8) and len(opened) > 10
    assert Alert.objects.filter(office__code="MUL-REV-DOM", kind=Alert.Kind.BRIBE).exists()
    # Run again: nothing more is added.
    call_command("load_demo", "--transactions", "0")
    assert "demo history" not in capsys.readouterr().out

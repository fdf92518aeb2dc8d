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
    call_command("load_demo", "--transactions", "25")
    assert "demo transactions: 25 added" in capsys.readouterr().out
    assert Transaction.objects.count() == 25

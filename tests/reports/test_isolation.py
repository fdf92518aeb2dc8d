"""One bad day, row or complaint never stops the rollups or the filing of the others
(issue 18): it is quarantined with its reason and tried again when due."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from cfmp.cases.models import Evidence
from cfmp.cases.services import file_complaints, file_unfiled_complaints
from cfmp.core.models import Pipeline, QuarantinedItem
from cfmp.intake.models import Transaction
from cfmp.reports import rollups
from cfmp.reports.models import DailyCount, RollupState
from tests.cases.support import complaint

pytestmark = pytest.mark.django_db


def test_a_transaction_dated_in_year_1_or_9999_never_stops_the_rollups(world):
    from tests.cases.support import transaction_at

    complaint("LHR-REV")
    for year in (1, 9999):  # stored before the doors refused such dates
        tx = transaction_at("LHR-REV")
        Transaction.objects.filter(pk=tx.pk).update(
            occurred_at=dt.datetime(year, 6, 1, tzinfo=dt.UTC)
        )
    assert rollups.refresh_rollups()  # the first refresh: every reportable day
    rollups.refresh_rollups()  # and every one after (it raised before the fix)
    assert DailyCount.objects.aggregate(n=Sum("bribe"))["n"] == 1
    assert rollups.rebuild_rollups() >= 1


def test_a_day_that_cannot_be_counted_is_quarantined_and_the_others_are_counted(world, monkeypatch):
    first = complaint("LHR-REV")
    rollups.refresh_rollups()
    bad_day = timezone.localtime(first.transaction.occurred_at, rollups.local_zone()).date()
    other = complaint("MUL-REV", official="MUL-REV-1")
    Transaction.objects.filter(pk=other.transaction_id).update(
        occurred_at=first.transaction.occurred_at - dt.timedelta(days=3)
    )
    Transaction.objects.filter(pk=first.transaction_id).update(created_at=timezone.now())
    real = rollups.count_day

    def broken(day):
        if day == bad_day:
            raise ZeroDivisionError("a row this code cannot count")
        return real(day)

    monkeypatch.setattr(rollups, "count_day", broken)
    counted = rollups.refresh_rollups()
    assert bad_day not in counted and bad_day - dt.timedelta(days=3) in counted
    kept = QuarantinedItem.objects.get()
    assert (kept.pipeline, kept.item) == (Pipeline.ROLLUPS, bad_day.isoformat())
    assert "ZeroDivisionError" in kept.error
    watermark = RollupState.objects.get().changes_until
    assert watermark is not None  # the refresh went on
    # Fixed, and due: the next refresh counts the quarantined day and releases it.
    monkeypatch.setattr(rollups, "count_day", real)
    QuarantinedItem.objects.update(next_try_at=timezone.now())
    assert bad_day in rollups.refresh_rollups()
    assert not QuarantinedItem.objects.exists()


def test_one_complaint_that_cannot_be_filed_does_not_stop_the_others(world, monkeypatch):
    from cfmp.cases import services

    good, bad, also_good = (complaint("LHR-REV") for _ in range(3))
    real = services._file

    def broken(feedback, **kwargs):
        if feedback.pk == bad.pk:
            raise RuntimeError("could not file")
        return real(feedback, **kwargs)

    monkeypatch.setattr(services, "_file", broken)
    assert file_complaints(feedback_ids=[good.pk, bad.pk, also_good.pk]) == 2
    assert set(Evidence.objects.values_list("feedback_id", flat=True)) == {good.pk, also_good.pk}
    assert QuarantinedItem.objects.get().item == str(bad.pk)
    assert file_unfiled_complaints() == 0  # the sweep leaves it until it is due
    monkeypatch.setattr(services, "_file", real)
    QuarantinedItem.objects.update(next_try_at=timezone.now())
    assert file_unfiled_complaints() == 1
    assert not QuarantinedItem.objects.exists()


def test_one_officers_digest_that_fails_does_not_stop_the_others(world, mailoutbox, monkeypatch):
    import datetime as dt

    from cfmp.accounts.models import Role
    from cfmp.reports import digests

    for role, email in ((Role.DISTRICT_OFFICER, "do@x.pk"), (Role.SECRETARIAT, "sec@x.pk")):
        world.users[role].email = email
        world.users[role].save()
    real = digests.digest_for

    def broken(user, **kwargs):
        if user.email == "do@x.pk":
            raise ValueError("a figure that cannot be drawn")
        return real(user, **kwargs)

    monkeypatch.setattr(digests, "digest_for", broken)
    assert digests.send_report_digests(today=dt.date(2026, 3, 5)) == 1
    assert [mail.to for mail in mailoutbox] == [["sec@x.pk"]]
    kept = QuarantinedItem.objects.get()
    assert kept.pipeline == Pipeline.DIGESTS and "figure" in kept.error
    # Fixed, and due: the same day's digest is sent to the officer who missed it.
    from cfmp.core.tasks import replay_quarantined_task

    monkeypatch.setattr(digests, "digest_for", real)
    QuarantinedItem.objects.update(next_try_at=timezone.now())
    assert replay_quarantined_task.apply().result == 1
    assert mailoutbox[-1].to == ["do@x.pk"] and "2026-03-04" in mailoutbox[-1].subject
    assert not QuarantinedItem.objects.exists()


def test_one_signal_that_cannot_be_tested_does_not_stop_the_other_alerts(world, monkeypatch):
    import datetime as dt

    from cfmp.reports import alerts

    week_end = dt.date(2026, 3, 29)
    real = alerts.tests_for_week
    seen = []

    def broken(week, *, level):
        seen.append(level)
        if level == "official":
            raise ArithmeticError("a row this test cannot read")
        return real(week, level=level)

    monkeypatch.setattr(alerts, "tests_for_week", broken)
    alerts.detect_alerts(week_end=week_end)
    assert "office" in seen  # the office-level signals were all tested
    kept = set(QuarantinedItem.objects.values_list("pipeline", "item"))
    assert kept == {(Pipeline.ALERTS, f"{week_end}:official:{kind}") for kind in alerts.SIGNALS}

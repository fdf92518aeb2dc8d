"""Ten weeks of replies at the world's offices, for charts, trends and maps."""

import datetime as dt

from django.utils import timezone

from cfmp.feedback.models import Feedback
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.reports.rollups import day_bounds, rebuild_rollups
from tests.factories import department

CATEGORIES = ("bribe", "delay", "satisfied", "misbehaviour", "satisfied", "bribe")


def weeks_of_replies(weeks: int = 10, per_week=lambda week: 2 + week % 3) -> None:
    """Each of the last `weeks` seven-day periods ending today: replies at LHR-REV and
    MUL-REV about transactions of that week (per_week(n) each, n = 0 for the oldest)."""
    source, _ = SourceSystem.objects.get_or_create(code="history-tests")
    for code in ("revenue", "police", "health"):
        source.departments.add(department(code))
    today = timezone.localdate()
    n = 0
    for week in range(weeks):
        day = today - dt.timedelta(days=7 * (weeks - 1 - week) + 2)
        at = day_bounds(day)[0] + dt.timedelta(hours=11)
        for office in ("LHR-REV", "MUL-REV"):
            for _ in range(per_week(week)):
                n += 1
                ingest_transactions(
                    source=source,
                    items=[
                        (
                            0,
                            TransactionInput(
                                reference=f"H{n}",
                                occurred_at=at.isoformat(),
                                service="fard",
                                office=office,
                                official=f"{office}-1",
                                citizen_name="Asif Khan",
                                mobile=f"0301{n:07d}",
                            ),
                        )
                    ],
                )
                Feedback.objects.create(
                    channel="agent",
                    transaction=Transaction.objects.get(reference=f"H{n}"),
                    category=CATEGORIES[n % len(CATEGORIES)],
                    confidence=1.0,
                )
    rebuild_rollups()

import datetime as dt

from cfmp.feedback.models import Feedback
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from tests.factories import department

_counter = iter(range(1, 1_000_000))


def transaction_at(office: str, *, official: str = "", mobile: str = "") -> Transaction:
    """One transaction at this office (service by its department), served by `official`."""
    source, _ = SourceSystem.objects.get_or_create(code="cases-tests")
    for code in ("revenue", "police", "health"):
        source.departments.add(department(code))
    n = next(_counter)
    service = {"REV": "fard", "POL": "character-certificate", "HLT": "hospital-opd"}[
        office.split("-")[1]
    ]
    ingest_transactions(
        source=source,
        items=[
            (
                0,
                TransactionInput(
                    reference=f"C{n}",
                    occurred_at="2026-03-02T11:00:00+05:00",
                    service=service,
                    office=office,
                    official=official,
                    citizen_name="Asif Khan",
                    mobile=mobile or f"0300{n:07d}",
                ),
            )
        ],
    )
    return Transaction.objects.get(reference=f"C{n}")


def complaint(
    office: str = "LHR-REV", *, category: str = "bribe", official: str = "LHR-REV-1"
) -> Feedback:
    """A classified complaint (channel agent, so no SMS is needed) about a new transaction."""
    tx = transaction_at(office, official=official)
    return Feedback.objects.create(
        channel="agent",
        transaction=tx,
        category=category,
        confidence=1.0,
        note="clerk ne 2000 liye, mera number 0300-1234567",
    )


DAY = dt.timedelta(days=1)

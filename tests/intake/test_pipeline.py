"""Large imports store chunks on a writer thread (PostgreSQL, outside a transaction) while the
next chunk is validated. These tests commit for real so that thread sees the registry; on
SQLite the same calls run synchronously and must give the same results."""

import pytest
from django.db import connection

from cfmp.intake import services
from cfmp.intake.models import SourceSystem, Transaction
from cfmp.intake.services import ingest_transactions
from cfmp.intake.validation import TransactionInput
from tests.factories import OfficeFactory, department, district

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def source():
    OfficeFactory(code="LHR-REV", district=district("lahore"), department=department("revenue"))
    source = SourceSystem.objects.create(code="bulk")
    source.departments.set([department("revenue")])
    return source


def items(count, start=0):
    for n in range(start, start + count):
        yield (
            n,
            TransactionInput(
                reference=f"P-{n}",
                occurred_at="2026-03-01T10:00:00+05:00",
                service="fard",
                office="LHR-REV",
                official=f"E-{n % 7}",
                citizen_name=f"Citizen\t{n}",
                mobile=f"0300{5000000 + n}",
                cnic="35202-1234567-1" if n % 3 == 0 else "",
            ),
        )


def test_pipelined_import_stores_every_chunk_once(source):
    results = []
    report = ingest_transactions(
        source=source, items=items(2500), chunk_size=300, pipelined=True, on_result=results.append
    )
    assert (report.created, report.rejected) == (2500, 0)
    assert len(results) == 2500
    assert Transaction.objects.count() == 2500
    assert Transaction.objects.get(reference="P-7").citizen_name == "Citizen\t7"
    # Unknown officials were created once each, by whichever thread met them first.
    assert Transaction.objects.values("official").distinct().count() == 7

    again = ingest_transactions(source=source, items=items(2600), chunk_size=300, pipelined=True)
    assert (again.created, again.already_present) == (100, 2500)


def test_a_failure_on_the_writer_thread_reaches_the_caller(source, monkeypatch):
    def broken(chunk):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "store_chunk", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_transactions(source=source, items=items(1000), chunk_size=100, pipelined=True)


def test_a_race_for_a_reference_falls_back_to_insert_on_conflict(source, monkeypatch):
    """Another import stores a reference between our look-up and our COPY."""
    from cfmp.intake import writers

    if connection.vendor != "postgresql":
        # SQLite serialises writers (IMMEDIATE transactions): look-up and insert cannot race.
        pytest.skip("the COPY race exists only on PostgreSQL")
    ingest_transactions(source=source, items=items(10))
    monkeypatch.setattr(writers, "_existing_references", lambda chunk: set())
    report = ingest_transactions(source=source, items=items(20), chunk_size=50)
    assert (report.created, report.already_present) == (10, 10)
    assert Transaction.objects.count() == 20

import datetime as dt

import pytest

from cfmp.intake.models import QualityFlag, SmsBlock, Transaction
from cfmp.intake.services import ItemStatus, ingest_transactions
from cfmp.intake.validation import TransactionInput
from cfmp.registry.models import Official

pytestmark = pytest.mark.django_db


def tx(**overrides) -> TransactionInput:
    values = {
        "reference": "R-1",
        "occurred_at": "2026-03-01T10:30:00+05:00",
        "service": "property-registration",
        "office": "LHR-REV",
        "official": "LHR-REV-1",
        "citizen_name": "Muhammad Asif",
        "mobile": "0300-1234567",
        "cnic": "",
    }
    values.update(overrides)
    return TransactionInput(**values)


def run(source, *items, user=None, chunk_size=5000):
    results = []
    report = ingest_transactions(
        source=source,
        items=list(enumerate(items)),
        recorded_by=user,
        on_result=results.append,
        chunk_size=chunk_size,
    )
    return report, {r.key: r for r in results}


def test_a_good_transaction_is_stored_normalised(revenue_system):
    report, results = run(revenue_system, tx(cnic="35202-1234567-1"))
    assert report.created == 1
    assert results[0].status == ItemStatus.CREATED
    stored = Transaction.objects.get()
    assert stored.mobile == "+923001234567"
    assert stored.mobile_raw == "0300-1234567"
    assert stored.is_sms_contactable
    assert stored.occurred_at == dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)
    assert stored.official.employee_code == "LHR-REV-1"
    assert stored.cnic_last4 == "5671"
    assert "3520212345671" not in str(Transaction.objects.values().get())


def test_resubmitting_is_idempotent(revenue_system):
    run(revenue_system, tx(), tx(reference="R-2"))
    report, results = run(revenue_system, tx(), tx(reference="R-2"), tx(reference="R-3"))
    assert (report.created, report.already_present) == (1, 2)
    assert results[0].status == ItemStatus.ALREADY_PRESENT
    assert Transaction.objects.count() == 3


@pytest.mark.parametrize("chunk_size", [1, 2, 5000])
def test_a_reference_repeated_within_one_submission_lands_once(revenue_system, chunk_size):
    report, results = run(
        revenue_system,
        tx(),
        tx(reference="R-2"),
        tx(citizen_name="Someone else"),
        chunk_size=chunk_size,
    )
    assert (report.created, report.already_present) == (2, 1)
    assert results[2].status == ItemStatus.ALREADY_PRESENT
    assert Transaction.objects.get(reference="R-1").citizen_name == "Muhammad Asif"


def test_the_same_reference_from_two_sources_is_two_transactions(revenue_system, world):
    from cfmp.intake.models import SourceSystem
    from tests.factories import department

    other = SourceSystem.objects.create(code="other")
    other.departments.set([department("revenue")])
    run(revenue_system, tx())
    run(other, tx())
    assert Transaction.objects.count() == 2


def test_bad_items_are_rejected_with_field_errors_and_good_ones_land(revenue_system):
    report, results = run(
        revenue_system,
        tx(reference="ok"),
        tx(reference="", occurred_at="31/02/2026 10:00"),
        tx(reference="svc", service="passport"),
        tx(reference="off", office="NOPE"),
        tx(reference="name", citizen_name=""),
        tx(reference="cnic", cnic="12345"),
        tx(reference="future", occurred_at="2099-01-01T00:00:00+05:00"),
        tx(reference="wrong-dept", service="driving-licence"),
    )
    assert (report.created, report.rejected) == (1, 7)
    assert set(results[1].errors) == {"reference", "occurred_at"}
    assert results[2].errors == {"service": ["unknown service 'passport'"]}
    assert results[3].errors == {"office": ["unknown office 'NOPE'"]}
    assert "citizen_name" in results[4].errors
    assert "cnic" in results[5].errors
    assert results[6].errors == {"occurred_at": ["is in the future"]}
    assert "not a service of office" in results[7].errors["service"][0]
    assert list(Transaction.objects.values_list("reference", flat=True)) == ["ok"]


def test_dates_in_iso_8601_or_day_month_year_local_time(revenue_system):
    run(
        revenue_system,
        tx(reference="iso-utc", occurred_at="2026-03-01T05:30:00Z"),
        tx(reference="iso-naive", occurred_at="2026-03-01 10:30"),
        tx(reference="dmy", occurred_at="01/03/2026 10:30"),
    )
    moments = set(Transaction.objects.values_list("occurred_at", flat=True))
    assert moments == {dt.datetime(2026, 3, 1, 5, 30, tzinfo=dt.UTC)}


def test_landlines_are_kept_unusable_numbers_refused_unless_marked_no_mobile(revenue_system):
    report, results = run(
        revenue_system,
        tx(reference="land", mobile="042-35880062"),
        tx(reference="bad", mobile="12345"),
        tx(reference="none", mobile=""),
        tx(reference="foreign", mobile="+44 20 7946 0958"),
        tx(reference="declared", mobile="", no_mobile=True),
        tx(reference="both", mobile="0300-5551234", no_mobile=True),
    )
    rows = {t.reference: t for t in Transaction.objects.all()}
    assert set(rows) == {"land", "declared"}
    assert rows["land"].sms_block == SmsBlock.LANDLINE
    assert rows["land"].flags & QualityFlag.LANDLINE
    assert rows["declared"].sms_block == SmsBlock.NO_MOBILE
    assert rows["declared"].flags & QualityFlag.NO_MOBILE
    assert not any(t.is_sms_contactable for t in rows.values())
    refused = {r.reference: r.errors for r in results.values() if r.status == "rejected"}
    assert set(refused) == {"bad", "none", "foreign", "both"}
    assert all(list(errors) == ["mobile"] for errors in refused.values())
    assert "'12345' is not a valid Pakistani mobile number." in refused["bad"]["mobile"]
    assert report.rejected == 4 and report.created == 2


def test_an_officials_own_number_is_flagged_and_never_surveyed(revenue_system, world):
    Official.objects.filter(employee_code="LHR-REV-1").update(mobile="+923219876543")
    run(revenue_system, tx(mobile="0321-9876543"))
    stored = Transaction.objects.get()
    assert stored.sms_block == SmsBlock.OFFICIAL_NUMBER
    assert stored.flags & QualityFlag.OFFICIAL_NUMBER


def test_an_unknown_official_is_created_unverified_under_the_office(revenue_system, world):
    report, results = run(
        revenue_system, tx(official="NEW-99"), tx(reference="R-2", official="NEW-99")
    )
    official = Official.objects.get(employee_code="NEW-99")
    assert not official.is_verified
    assert official.office == world.lahore_revenue
    assert official.postings.count() == 1
    assert report.created == 2
    assert all(r.flags & QualityFlag.UNVERIFIED_OFFICIAL for r in results.values())


def test_a_source_cannot_write_for_another_systems_offices(revenue_system, police_system):
    _, results = run(
        police_system,
        tx(),
        tx(reference="R-2", office="LHR-POL", service="driving-licence", official="LHR-POL-1"),
    )
    assert results[0].errors["office"] == ["office 'LHR-REV' is not one this source may write for"]
    assert results[1].status == ItemStatus.CREATED


def test_an_operator_writes_only_for_their_offices(world):
    from cfmp.accounts.models import Role
    from cfmp.intake.models import WEB_SOURCE_CODE, SourceSystem

    web = SourceSystem.objects.get(code=WEB_SOURCE_CODE)
    operator = world.users[Role.DATA_ENTRY_OPERATOR]  # LHR-POL and MUL-REV
    _, results = run(
        web,
        tx(),
        tx(reference="R-2", office="MUL-REV", official=""),
        user=operator,
    )
    assert results[0].status == ItemStatus.REJECTED
    assert results[1].status == ItemStatus.CREATED
    assert Transaction.objects.get().recorded_by == operator


def test_an_official_posted_outside_the_sources_offices_is_refused(police_system):
    _, results = run(
        police_system, tx(office="LHR-POL", service="driving-licence", official="LHR-REV-1")
    )
    assert results[0].errors == {
        "official": ["official 'LHR-REV-1' is posted at an office this source does not write for"]
    }
    assert not Transaction.objects.exists()


@pytest.mark.parametrize("field", ["citizen_name", "reference", "mobile"])
def test_text_a_database_cannot_store_is_a_field_error(revenue_system, field):
    for bad in ("A\x00B", "A\ud800B"):
        _, results = run(revenue_system, tx(**{field: bad}))
        assert results[0].status == ItemStatus.REJECTED
        assert field in results[0].errors
    assert not Transaction.objects.exists()


def test_json_values_that_are_not_text_are_field_errors():
    item = TransactionInput.from_mapping(
        {"reference": ["a"], "mobile": 3001234567, "cnic": 3520212345671.0, "office": True}
    )
    assert item.problems == {"reference": ["must be a string"], "office": ["must be a string"]}
    assert (item.mobile, item.cnic) == ("3001234567", "3520212345671")

"""`cfmp import-registry`: offices and officials in bulk from a CSV file.

Columns: district, department, office_code, office_name, official_code, official_name,
designation; optionally office_name_ur and official_name_ur (the names in Urdu: a file
without those columns leaves the Urdu names as they are). Offices are upserted by
office_code and officials by official_code; an official listed under a different office
than their current one is transferred.
Each row lands in its own transaction, so a bad row is reported and the rest still land.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from cfmp.core.modelinfo import max_length_of
from cfmp.core.tabular import CsvRecord, ImportReport, RowRejected
from cfmp.registry.models import Department, District, Office, Official
from cfmp.registry.services import upsert_office, upsert_official

REGISTRY_COLUMNS = (
    "district",
    "department",
    "office_code",
    "office_name",
    "official_code",
    "official_name",
    "designation",
)
OPTIONAL_COLUMNS = ("office_name_ur", "official_name_ur")


class _Lookup:
    """Districts and departments by code or by name, case-insensitively; loaded once."""

    def __init__(self) -> None:
        self.districts: dict[str, District] = {}
        for district in District.objects.all():
            self.districts[district.code.lower()] = district
            self.districts[district.name.lower()] = district
            self.districts[district.name_ur] = district
        self.departments: dict[str, Department] = {}
        for department in Department.objects.all():
            self.departments[department.code.lower()] = department
            self.departments[department.name.lower()] = department
            self.departments[department.name_ur] = department

    def district(self, value: str) -> District:
        if not value:
            raise RowRejected("a district is required", column="district")
        try:
            return self.districts[value.lower()]
        except KeyError:
            raise RowRejected(
                f"unknown district {value!r} (use a Punjab district's code, English or Urdu name)",
                column="district",
            ) from None

    def department(self, value: str) -> Department:
        if not value:
            raise RowRejected("a department is required", column="department")
        try:
            return self.departments[value.lower()]
        except KeyError:
            codes = ", ".join(sorted({d.code for d in self.departments.values()}))
            raise RowRejected(
                f"unknown department {value!r} (known codes: {codes})", column="department"
            ) from None


def _require_length(record: CsvRecord, column: str, max_length: int) -> str:
    value = record.get(column)
    if len(value) > max_length:
        raise RowRejected(f"longer than {max_length} characters", column=column)
    return value


def _optional(record: CsvRecord, column: str, max_length: int) -> str | None:
    """An optional column's value; None when the file has no such column."""
    if column not in record.index:
        return None
    return _require_length(record, column, max_length)


def _import_row(record: CsvRecord, *, lookup: _Lookup, effective_on: dt.date) -> list[str]:
    record.reject_extra_values()
    district = lookup.district(record.get("district"))
    department = lookup.department(record.get("department"))
    office_code = _require_length(record, "office_code", max_length_of(Office, "code"))
    office_name = _require_length(record, "office_name", max_length_of(Office, "name"))
    if not office_code:
        raise RowRejected("an office code is required", column="office_code")
    if not office_name:
        raise RowRejected("an office name is required", column="office_name")

    official_code = _require_length(
        record, "official_code", max_length_of(Official, "employee_code")
    )
    official_name = _require_length(record, "official_name", max_length_of(Official, "name"))
    designation = _require_length(record, "designation", max_length_of(Official, "designation"))
    if official_name and not official_code:
        raise RowRejected(
            "an official name was given without an official code", column="official_code"
        )
    if official_code and not official_name:
        raise RowRejected(
            "an official code was given without an official name", column="official_name"
        )

    office_ur = _optional(record, "office_name_ur", max_length_of(Office, "name_ur"))
    official_ur = _optional(record, "official_name_ur", max_length_of(Official, "name_ur"))
    office, office_outcome = upsert_office(
        code=office_code,
        name=office_name,
        name_ur=office_ur,
        department=department,
        district=district,
    )
    outcomes = [f"offices {office_outcome}"]
    if official_code:
        _official, official_outcome = upsert_official(
            employee_code=official_code,
            name=official_name,
            designation=designation,
            office=office,
            effective_on=effective_on,
            name_ur=official_ur,
        )
        outcomes.append(f"officials {official_outcome}")
    return outcomes


def import_registry_records(records: Iterable[CsvRecord], *, effective_on: dt.date) -> ImportReport:
    """Import each record in its own transaction; bad rows are reported, good rows land."""
    report = ImportReport()
    lookup = _Lookup()
    for record in records:
        report.read += 1
        try:
            with transaction.atomic():
                report.counts.update(_import_row(record, lookup=lookup, effective_on=effective_on))
        except RowRejected as rejection:
            report.reject(record.row, rejection)
        except ValidationError as error:
            report.reject(record.row, RowRejected("; ".join(error.messages)))
    return report

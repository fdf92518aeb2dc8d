"""Writes to the registry: offices, officials and their transfers."""

from __future__ import annotations

import datetime as dt
import enum

from django.core.exceptions import ValidationError
from django.db import transaction

from cfmp.registry.models import Department, District, Office, Official, Posting


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    TRANSFERRED = "transferred"


def upsert_office(
    *,
    code: str,
    name: str,
    department: Department,
    district: District,
    name_ur: str | None = None,
) -> tuple[Office, Outcome]:
    """`name_ur` None: the Urdu name is left as it is (a file without that column)."""
    office = Office.objects.filter(code=code).first()
    if office is None:
        return Office.objects.create(
            code=code, name=name, name_ur=name_ur or "", department=department, district=district
        ), Outcome.CREATED
    urdu = office.name_ur if name_ur is None else name_ur
    changed = (office.name, office.name_ur, office.department_id, office.district_id) != (
        name,
        urdu,
        department.pk,
        district.pk,
    )
    if not changed:
        return office, Outcome.UNCHANGED
    office.name, office.name_ur = name, urdu
    office.department, office.district = department, district
    office.save(update_fields=["name", "name_ur", "department", "district", "updated_at"])
    return office, Outcome.UPDATED


@transaction.atomic
def create_official(
    *,
    employee_code: str,
    name: str,
    designation: str,
    office: Office,
    started_on: dt.date,
    is_verified: bool = True,
) -> Official:
    official = Official.objects.create(
        employee_code=employee_code,
        name=name,
        designation=designation,
        office=office,
        is_verified=is_verified,
    )
    Posting.objects.create(official=official, office=office, started_on=started_on)
    return official


@transaction.atomic
def transfer_official(*, official: Official, to_office: Office, effective_on: dt.date) -> Posting:
    """Move an official to another office from `effective_on`, closing the current posting so
    that their history answers "where did they serve on date D"."""
    current = (
        Posting.objects.select_for_update().filter(official=official, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.office_id == to_office.pk:
            return current
        if effective_on < current.started_on:
            raise ValidationError(
                f"transfer date {effective_on} is before the current posting began "
                f"({current.started_on})"
            )
        if effective_on == current.started_on:
            # Same-day correction of a posting that has not really started: re-point it.
            current.office = to_office
            current.save(update_fields=["office"])
            posting = current
        else:
            current.ended_on = effective_on
            current.save(update_fields=["ended_on"])
            posting = Posting.objects.create(
                official=official, office=to_office, started_on=effective_on
            )
    else:
        posting = Posting.objects.create(
            official=official, office=to_office, started_on=effective_on
        )
    official.office = to_office
    official.save(update_fields=["office", "updated_at"])
    return posting


@transaction.atomic
def upsert_official(
    *,
    employee_code: str,
    name: str,
    designation: str,
    office: Office,
    effective_on: dt.date,
    name_ur: str | None = None,
) -> tuple[Official, Outcome]:
    """Create the official, or update their details; a different office is a transfer.
    `name_ur` None: the Urdu name is left as it is."""
    official = Official.objects.select_for_update().filter(employee_code=employee_code).first()
    if official is None:
        created = create_official(
            employee_code=employee_code,
            name=name,
            designation=designation,
            office=office,
            started_on=effective_on,
        )
        if name_ur:
            Official.objects.filter(pk=created.pk).update(name_ur=name_ur)
            created.name_ur = name_ur
        return created, Outcome.CREATED

    outcome = Outcome.UNCHANGED
    urdu = official.name_ur if name_ur is None else name_ur
    now = (official.name, official.name_ur, official.designation, official.is_verified)
    if now != (name, urdu, designation, True):
        official.name, official.name_ur = name, urdu
        official.designation, official.is_verified = designation, True
        official.save(update_fields=["name", "name_ur", "designation", "is_verified", "updated_at"])
        outcome = Outcome.UPDATED
    if official.office_id != office.pk:
        transfer_official(official=official, to_office=office, effective_on=effective_on)
        outcome = Outcome.TRANSFERRED
    return official, outcome

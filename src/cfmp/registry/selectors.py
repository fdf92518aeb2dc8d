"""Reads of the registry. Everything a user is shown goes through a `*_visible_to` function."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from cfmp.accounts.models import User
from cfmp.accounts.scopes import department_scope, district_scope, office_scope
from cfmp.registry.models import Department, District, Office, Official, Posting, Service


def departments_visible_to(user: User) -> QuerySet[Department]:
    return Department.objects.filter(department_scope(user))


def services_visible_to(user: User) -> QuerySet[Service]:
    return Service.objects.filter(department_scope(user, via="department")).select_related(
        "department"
    )


def districts_visible_to(user: User) -> QuerySet[District]:
    return District.objects.filter(district_scope(user)).select_related("division")


def offices_visible_to(user: User) -> QuerySet[Office]:
    return Office.objects.filter(office_scope(user)).select_related("department", "district")


def officials_visible_to(user: User) -> QuerySet[Official]:
    """Officials whose current office is in scope; officials with no posting (retired,
    dismissed) are visible only to province-wide roles."""
    return Official.objects.filter(office_scope(user, via="office")).select_related(
        "office", "office__district"
    )


def office_of_official_on(*, official: Official, day: dt.date) -> Office | None:
    """The office an official served in on a given date, from their posting history."""
    posting = (
        Posting.objects.filter(official=official, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("office")
        .first()
    )
    return posting.office if posting else None

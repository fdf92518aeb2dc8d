"""Role × resource: each role sees exactly its scope, through the same selectors every door uses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cfmp.accounts.models import Role
from cfmp.accounts.scopes import can_manage_registry, can_view_citizen_identity, can_write
from cfmp.registry.models import Department, District
from cfmp.registry.selectors import (
    departments_visible_to,
    districts_visible_to,
    offices_visible_to,
    officials_visible_to,
    services_visible_to,
)
from tests.factories import UserFactory

ALL_OFFICES = {"LHR-REV", "LHR-POL", "MUL-REV", "MUL-HLT"}
EXPECTED_OFFICES = {
    Role.SECRETARIAT: ALL_OFFICES,
    Role.DEPARTMENT_OFFICER: {"LHR-REV", "MUL-REV"},
    Role.DISTRICT_OFFICER: {"LHR-REV", "LHR-POL"},
    Role.OFFICE_HEAD: {"MUL-HLT"},
    Role.CALL_CENTRE_AGENT: ALL_OFFICES,
    Role.DATA_ENTRY_OPERATOR: {"LHR-POL", "MUL-REV"},
    Role.AUDITOR: ALL_OFFICES,
}
ALL = None  # every row of the table
EXPECTED_DISTRICTS = {
    Role.SECRETARIAT: ALL,
    Role.DEPARTMENT_OFFICER: ALL,
    Role.DISTRICT_OFFICER: {"lahore"},
    Role.OFFICE_HEAD: {"multan"},
    Role.CALL_CENTRE_AGENT: ALL,
    Role.DATA_ENTRY_OPERATOR: {"lahore", "multan"},
    Role.AUDITOR: ALL,
}
EXPECTED_DEPARTMENTS = {
    Role.SECRETARIAT: ALL,
    Role.DEPARTMENT_OFFICER: {"revenue"},
    Role.DISTRICT_OFFICER: ALL,
    Role.OFFICE_HEAD: {"health"},
    Role.CALL_CENTRE_AGENT: ALL,
    Role.DATA_ENTRY_OPERATOR: {"police", "revenue"},
    Role.AUDITOR: ALL,
}


def _codes(queryset, field="code"):
    return set(queryset.values_list(field, flat=True))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_offices_and_officials(world, role):
    user = world.users[role]
    assert _codes(offices_visible_to(user)) == EXPECTED_OFFICES[role]
    assert _codes(officials_visible_to(user), "office__code") == EXPECTED_OFFICES[role]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_districts(world, role):
    expected = EXPECTED_DISTRICTS[role] or _codes(District.objects.all())
    assert _codes(districts_visible_to(world.users[role])) == expected


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_its_departments_and_services(world, role):
    user = world.users[role]
    expected = EXPECTED_DEPARTMENTS[role] or _codes(Department.objects.all())
    assert _codes(departments_visible_to(user)) == expected
    assert _codes(services_visible_to(user), "department__code") == expected


def test_district_officer_of_lahore_sees_no_office_of_multan(world):
    lahore_officer = world.users[Role.DISTRICT_OFFICER]
    assert not offices_visible_to(lahore_officer).filter(district__code="multan").exists()
    assert not officials_visible_to(lahore_officer).filter(office__district__code="multan").exists()


@pytest.mark.parametrize(
    ("role", "sees_identity"),
    [
        (Role.SECRETARIAT, True),
        (Role.CALL_CENTRE_AGENT, True),
        (Role.DEPARTMENT_OFFICER, False),
        (Role.DISTRICT_OFFICER, False),
        (Role.OFFICE_HEAD, False),
        (Role.DATA_ENTRY_OPERATOR, False),
        (Role.AUDITOR, False),
    ],
)
def test_only_secretariat_and_call_centre_see_citizen_identities(world, role, sees_identity):
    assert can_view_citizen_identity(world.users[role]) is sees_identity


def test_auditor_reads_everything_but_writes_nothing(world):
    auditor = world.users[Role.AUDITOR]
    assert _codes(offices_visible_to(auditor)) == ALL_OFFICES
    assert not can_write(auditor)
    assert not can_manage_registry(auditor)
    assert not can_view_citizen_identity(auditor)


@pytest.mark.django_db
def test_users_without_a_role_inactive_users_and_anonymous_see_nothing(world):
    no_role = UserFactory(role="", username="norole")
    inactive = UserFactory(role=Role.SECRETARIAT, username="gone", is_active=False)
    for user in (no_role, inactive, AnonymousUser()):
        assert not offices_visible_to(user).exists()
        assert not officials_visible_to(user).exists()
        assert not districts_visible_to(user).exists()
        assert not departments_visible_to(user).exists()
        assert not can_view_citizen_identity(user)


@pytest.mark.django_db
def test_superuser_without_role_is_treated_as_secretariat(world):
    root = UserFactory(role="", username="root", is_superuser=True)
    assert _codes(offices_visible_to(root)) == ALL_OFFICES
    assert can_view_citizen_identity(root)


def test_an_operator_with_no_assigned_office_sees_none(world):
    operator = UserFactory(role=Role.DATA_ENTRY_OPERATOR, username="op2")
    assert not offices_visible_to(operator).exists()
    assert not departments_visible_to(operator).exists()

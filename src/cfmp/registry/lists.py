"""The offices and officials lists (`cfmp.core.lists`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cfmp.core.lists import Column, NamedChoiceFilter, SearchFilterSet
from cfmp.registry.models import Department, District, Office
from cfmp.registry.selectors import departments_visible_to, districts_visible_to
from cfmp.registry.selectors import offices_visible_to as _offices_of


def _districts(request: Any) -> QuerySet:
    return districts_visible_to(request.user) if request else District.objects.none()


def _departments(request: Any) -> QuerySet:
    return departments_visible_to(request.user) if request else Department.objects.none()


def _offices(request: Any) -> QuerySet:
    return _offices_of(request.user) if request else Office.objects.none()


class OfficeFilters(SearchFilterSet):
    search_fields = ("name", "name_ur", "code")

    district = NamedChoiceFilter(queryset=_districts, label=_("District"))
    department = NamedChoiceFilter(queryset=_departments, label=_("Department"))
    is_active = django_filters.BooleanFilter(
        label=_("Active"), widget=django_filters.widgets.BooleanWidget
    )


OFFICE_COLUMNS = [
    Column("code", _("Code"), ("code",)),
    Column("office", _("Office"), ("name",)),
    Column("department", _("Department"), ("department__name",)),
    Column("district", _("District"), ("district__name",)),
]


class OfficialFilters(SearchFilterSet):
    search_fields = ("name", "name_ur", "employee_code", "designation")

    office = NamedChoiceFilter(queryset=_offices, label=_("Office"))
    district = NamedChoiceFilter(
        queryset=_districts, field_name="office__district", label=_("District")
    )
    department = NamedChoiceFilter(
        queryset=_departments, field_name="office__department", label=_("Department")
    )
    is_verified = django_filters.BooleanFilter(
        label=_("In the registry"), widget=django_filters.widgets.BooleanWidget
    )


OFFICIAL_COLUMNS = [
    Column("name", _("Official"), ("name",)),
    Column("code", _("Employee code"), ("employee_code",)),
    Column("designation", _("Designation"), ("designation",)),
    Column("office", _("Office"), ("office__name",)),
    Column("district", _("District"), ("office__district__name",)),
]

"""The transactions list (`cfmp.core.lists`): its filters, sorts and columns. Citizens'
names and numbers are searched only by the roles that may see them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cfmp.accounts.scopes import can_view_citizen_identity
from cfmp.core.lists import Column, NamedChoiceFilter, SearchFilterSet, date_filter
from cfmp.registry.models import Office, Service
from cfmp.registry.selectors import offices_visible_to, services_visible_to


def _offices(request: Any) -> QuerySet:
    return offices_visible_to(request.user) if request else Office.objects.none()


def _services(request: Any) -> QuerySet:
    return services_visible_to(request.user) if request else Service.objects.none()


class TransactionFilters(SearchFilterSet):
    search_fields: tuple[str, ...] = ("reference", "official__name", "official__employee_code")

    office = NamedChoiceFilter(
        queryset=_offices,
        label=_("Office"),
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    service = NamedChoiceFilter(
        empty_label=_("Any"), queryset=_services, to_field_name="code", label=_("Service")
    )
    since = date_filter("occurred_at", label=_("From"), lookup="gte")
    until = date_filter("occurred_at", label=_("To"), lookup="lt")


class IdentityTransactionFilters(TransactionFilters):
    search_fields = (*TransactionFilters.search_fields, "citizen_name", "mobile", "mobile_raw")


def filters_for(user: Any) -> type[SearchFilterSet]:
    return IdentityTransactionFilters if can_view_citizen_identity(user) else TransactionFilters


COLUMNS = [
    Column("when", _("When"), ("occurred_at",)),
    Column("reference", _("Reference"), ("reference",)),
    Column("service", _("Service"), ("service__name",)),
    Column("office", _("Office"), ("office__name",)),
    Column("official", _("Official"), ("official__name",)),
    Column("citizen", _("Citizen")),
    Column("mobile", _("Mobile")),
    Column("quality", _("Data quality")),
]

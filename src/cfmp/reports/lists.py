"""The alerts list (`cfmp.core.lists`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cfmp.core.lists import Column, NamedChoiceFilter, SearchFilterSet
from cfmp.registry.models import Office
from cfmp.registry.selectors import offices_visible_to
from cfmp.reports.models import Alert


def _offices(request: Any) -> QuerySet:
    return offices_visible_to(request.user) if request else Office.objects.none()


class AlertFilters(SearchFilterSet):
    search_fields = ("office__name", "office__name_ur", "official__name", "official__name_ur")

    state = django_filters.ChoiceFilter(
        empty_label=_("Any"),
        choices=[("open", _("not seen yet")), ("seen", _("seen"))],
        method="by_state",
        label=_("State"),
    )
    kind = django_filters.ChoiceFilter(
        empty_label=_("Any"), choices=Alert.Kind.choices, label=_("Signal")
    )
    office = NamedChoiceFilter(queryset=_offices, label=_("Office"))
    since = django_filters.DateFilter(
        field_name="week_end",
        lookup_expr="gte",
        label=_("Week to, from"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="week_end",
        lookup_expr="lte",
        label=_("Week to, until"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    def by_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(acknowledged_at__isnull=value == "open")


COLUMNS = [
    Column("week", _("Week to"), ("week_end",)),
    Column("signal", _("Signal"), ("kind",)),
    Column("office", _("Office"), ("office__name",)),
    Column("official", _("Official"), ("official__name",)),
    Column("observed", _("This week"), ("observed",)),
    Column("usual", _("Usual"), ("baseline_rate",)),
    Column("peers", _("Peers"), ("peer_rate",)),
    Column("q", "q", ("q_value",)),
    Column("seen", _("Seen"), ("acknowledged_at",)),
]

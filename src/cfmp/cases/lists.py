"""The cases list (`cfmp.core.lists`): filters, sorts and columns. Below the identity roles a
case's dates are periods (`cfmp.cases.privacy`): those readers filter and sort by the month
it opened at the finest, ties broken by `SCRAMBLE`, never by the exact time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfmp.cases.models import Case, Kind, Level
from cfmp.core.lists import (
    SCRAMBLE,
    Column,
    NamedChoiceFilter,
    SearchFilterSet,
    date_filter,
    month_filter,
)
from cfmp.feedback.anonymity import applies_to
from cfmp.registry.models import Office
from cfmp.registry.selectors import offices_visible_to

ACTIVE = (Case.State.OPEN, Case.State.UNDER_INQUIRY)


def _offices(request: Any) -> QuerySet:
    return offices_visible_to(request.user) if request else Office.objects.none()


class CaseFilters(SearchFilterSet):
    search_fields = ("office__name", "office__name_ur", "official__name", "official__name_ur")

    state = django_filters.ChoiceFilter(
        empty_label=_("Any"),
        choices=[("active", _("active")), *Case.State.choices],
        method="by_state",
        label=_("State"),
    )
    kind = django_filters.ChoiceFilter(empty_label=_("Any"), choices=Kind.choices, label=_("Kind"))
    level = django_filters.ChoiceFilter(
        empty_label=_("Any"), choices=Level.choices, label=_("Level")
    )
    office = NamedChoiceFilter(
        empty_label=_("Any"), queryset=_offices, to_field_name="code", label=_("Office")
    )
    overdue = django_filters.BooleanFilter(
        method="by_overdue", label=_("Overdue"), widget=django_filters.widgets.BooleanWidget
    )
    due_within = django_filters.NumberFilter(
        method="by_due_within", label=_("Due within (days)"), min_value=1, max_value=366
    )
    unowned = django_filters.BooleanFilter(
        method="by_unowned", label=_("With nobody"), widget=django_filters.widgets.BooleanWidget
    )

    def by_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return queryset.filter(state__in=ACTIVE)
        return queryset.filter(state=value)

    def by_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return due_between(queryset, user=self.request.user, start=None, end=timezone.now())

    def by_due_within(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        now = timezone.now()
        end = now + dt.timedelta(days=int(value))
        return due_between(queryset, user=self.request.user, start=now, end=end)

    def by_unowned(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(state__in=ACTIVE, owner__isnull=True) if value else queryset


def due_between(
    queryset: QuerySet, *, user: Any, start: dt.datetime | None, end: dt.datetime
) -> QuerySet:
    """Active cases due in [start, end) as this reader is shown their due dates: exact for
    the identity roles; below them, by the due date the page shows (the end of the opening's
    period plus the case's time), so a filter polled minute by minute cannot date the
    opening more finely than the page does."""
    active = queryset.filter(state__in=ACTIVE)
    if not applies_to(user):
        if start is not None:
            active = active.filter(due_at__gte=start)
        return active.filter(due_at__lt=end)
    from cfmp.cases.privacy import generalise_cases

    cases = list(
        active.select_related(None).only(
            "pk", "opened_at", "due_at", "office_id", "service_id", "official_id"
        )
    )
    shown = generalise_cases(cases, user=user)
    wanted = [
        case.pk
        for case in cases
        if (due := shown[case.pk].due_by) is not None
        and due < end
        and (start is None or due >= start)
    ]
    return queryset.filter(pk__in=wanted)


class ExactCaseFilters(CaseFilters):
    since = date_filter("opened_at", label=_("Opened from"), lookup="gte")
    until = date_filter("opened_at", label=_("Opened to"), lookup="lt")


class GeneralisedCaseFilters(CaseFilters):
    since = month_filter("opened_at", label=_("Opened from (month)"), lookup="gte")
    until = month_filter("opened_at", label=_("Opened to (month)"), lookup="lt")


def filters_for(user: Any) -> type[SearchFilterSet]:
    return GeneralisedCaseFilters if applies_to(user) else ExactCaseFilters


def columns_for(user: Any, *, bulk: bool) -> tuple[list[Column], str, tuple[Any, ...]]:
    month = TruncMonth("opened_at", tzinfo=timezone.get_current_timezone())
    coarse = applies_to(user)
    opened = (month,) if coarse else ("opened_at",)
    columns = [
        Column("number", "#", () if coarse else ("pk",)),
        Column("kind", _("Kind"), ("kind",)),
        Column("complaints", _("Complaints")),
        Column("office", _("Office"), ("office__name",)),
        Column("official", _("Official"), ("official__name",)),
        Column("state", _("State"), ("state",)),
        Column("with", _("With"), ("level",)),
        Column("opened", _("Opened"), opened),
        Column("due", _("Due"), () if coarse else ("due_at",)),
        Column("priority", _("Priority"), ("-priority",)),
    ]
    return columns, "priority", ((month, SCRAMBLE) if coarse else ("due_at", "pk"))

"""The feedback list and the review queue as lists (`cfmp.core.lists`): their filters, sorts
and export rows.

Below the identity roles the anonymity rule decides how precisely a complaint is shown
(`cfmp.feedback.anonymity`): for those readers the list searches only what every row shows
(office, service, category: never the words, which they read masked), filters and sorts by
month at the finest, breaks ties by `SCRAMBLE` rather than by arrival, and leaves the held
complaints out before paging (so neither the page count nor a page's length dates them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfmp.core.lists import (
    SCRAMBLE,
    Column,
    NamedChoiceFilter,
    SearchFilterSet,
    date_filter,
    month_filter,
)
from cfmp.feedback.anonymity import applies_to, generalise
from cfmp.feedback.models import Category, CitizenCall, FeedbackChannel
from cfmp.registry.models import Office, Service
from cfmp.registry.selectors import offices_visible_to, services_visible_to


def _offices(request: Any) -> QuerySet:
    return offices_visible_to(request.user) if request else Office.objects.none()


def _services(request: Any) -> QuerySet:
    return services_visible_to(request.user) if request else Service.objects.none()


class _Base(SearchFilterSet):
    category = django_filters.ChoiceFilter(
        empty_label=_("Any"), choices=Category.choices, label=_("Category")
    )
    channel = django_filters.ChoiceFilter(
        empty_label=_("Any"), choices=FeedbackChannel.choices, label=_("Channel")
    )
    office = NamedChoiceFilter(
        empty_label=_("Any"),
        queryset=_offices,
        to_field_name="code",
        method="by_office",
        label=_("Office"),
    )
    service = NamedChoiceFilter(
        empty_label=_("Any"),
        queryset=_services,
        to_field_name="code",
        method="by_service",
        label=_("Service"),
    )

    def by_office(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(Q(transaction__office=value) | Q(office=value))

    def by_service(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(Q(transaction__service=value) | Q(service=value))


class FeedbackFilters(_Base):
    """For the identity roles: words, sender and reference searched; days."""

    search_fields = (
        "message__text",
        "note",
        "message__sender",
        "transaction__reference",
        "transaction__office__name",
        "transaction__service__name",
    )
    since = date_filter("created_at", label=_("From"), lookup="gte")
    until = date_filter("created_at", label=_("To"), lookup="lt")


class GeneralisedFeedbackFilters(_Base):
    """Below the identity roles: what every row shows, and months."""

    search_fields = (
        "transaction__office__name",
        "office__name",
        "transaction__office__name_ur",
        "office__name_ur",
    )
    since = month_filter("created_at", label=_("From (month)"), lookup="gte")
    until = month_filter("created_at", label=_("To (month)"), lookup="lt")


def filters_for(user: Any) -> type[SearchFilterSet]:
    return GeneralisedFeedbackFilters if applies_to(user) else FeedbackFilters


def columns_for(user: Any) -> tuple[list[Column], str, tuple[Any, ...]]:
    """The columns, default sort and tie-breaker for this reader."""
    if applies_to(user):
        month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
        return (
            [
                Column("received", _("Received"), (month,)),
                Column("category", _("Category"), ("category",)),
                Column("reply", _("Reply")),
                Column("service", _("Service")),
                Column("office", _("Office"), ("transaction__office__name", "office__name")),
                Column("official", _("Official")),
            ],
            "-received",
            (SCRAMBLE,),
        )
    return (
        [
            Column("received", _("Received"), ("created_at",)),
            Column("category", _("Category"), ("category",)),
            Column("reply", _("Reply")),
            Column("service", _("Service"), ("transaction__service__name", "service__name")),
            Column("office", _("Office"), ("transaction__office__name", "office__name")),
            Column("official", _("Official"), ("transaction__official__name",)),
        ],
        "-received",
        ("-pk",),
    )


HOLD_HORIZON = dt.timedelta(days=62)


# How long a reader's held complaints are remembered between pages: a complaint appears at
# most this long after its period ends (later, never earlier, so nothing is dated finer).
HELD_FOR = 60


def without_held(queryset: QuerySet, *, user: Any) -> QuerySet:
    """The complaints listed to this reader: below the identity roles, those whose period
    has not ended (or whose office is too quiet) left out before paging."""
    if not applies_to(user):
        return queryset
    held = held_feedback_ids(user)
    return queryset.exclude(pk__in=held) if held else queryset


def held_feedback_ids(user: Any) -> list[int]:
    """Of the complaints in this reader's scope, those the anonymity rule holds: the last
    two months' read through `generalise` (older ones have left any hold of a period),
    remembered for HELD_FOR seconds so paging through a list reads the registers once.
    Remembered only while the same complaints are in scope (their number and newest id are
    in the key): a new complaint is never counted before the rule has seen it."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    from cfmp.feedback.selectors import feedback_visible_to

    window = feedback_visible_to(user).filter(created_at__gte=timezone.now() - HOLD_HORIZON)
    seen = window.order_by().aggregate(n=Count("pk"), newest=Max("pk"))
    key = f"cfmp:held-feedback:{user.pk}:{seen['n']}:{seen['newest']}"
    held = cache.get(key)
    if held is not None:
        return held
    recent = list(
        window.select_related("transaction")
        .only(
            "pk",
            "created_at",
            "office_id",
            "service_id",
            "transaction__office_id",
            "transaction__service_id",
            "transaction__official_id",
        )
        .order_by()
    )
    shown = generalise(recent, user=user)
    held = [item.pk for item, s in zip(recent, shown, strict=True) if s.period is None]
    cache.set(key, held, HELD_FOR)
    return held


class ReviewFilters(_Base):
    """The review queue (reviewers are identity roles: the words are searched)."""

    search_fields = ("message__text", "note", "transaction__office__name", "office__name")


REVIEW_COLUMNS = [
    Column("received", _("Received"), ("created_at",)),
    Column("reply", _("Reply")),
    Column("about", _("About"), ("transaction__office__name", "office__name")),
    Column("classifier", _("Classifier"), ("confidence",)),
    Column("category", _("Category"), ("category",)),
]


class CallFilters(SearchFilterSet):
    """An agent's own calls."""

    search_fields = ("mobile", "notes", "direct_caller")

    outcome = django_filters.ChoiceFilter(
        empty_label=_("Any"), choices=CitizenCall.Outcome.choices, label=_("Outcome")
    )
    since = date_filter("called_at", label=_("From"), lookup="gte")
    until = date_filter("called_at", label=_("To"), lookup="lt")


CALL_COLUMNS = [
    Column("when", _("When"), ("called_at",)),
    Column("number", _("Number"), ("mobile",)),
    Column("outcome", _("Outcome"), ("outcome",)),
    Column("feedback", _("Feedback"), ("feedback__category",)),
]

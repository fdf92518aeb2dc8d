"""Rollups: what reports read instead of the raw tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cfmp.feedback.models import Category

# The counters of a rollup row, in the order exports print them.
COUNTERS = (
    "transactions",
    "flagged",
    "contacted",
    "reached",
    "responded",
    "feedback",
    *Category.values,  # one counter per feedback category, in their order
    "cases_opened",
    "actions",
    "kiosk",
)


class Counts(models.Model):
    """The keys and counters a rollup row carries.

    The keys are foreign keys without database constraints: rollups are derived from rows
    that already satisfy them, and checking five constraints for each of a busy day's
    ~40,000 rewritten rows at commit took longer than counting the day."""

    office = models.ForeignKey(
        "registry.Office", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    official = models.ForeignKey(
        "registry.Official",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    service = models.ForeignKey(
        "registry.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # Copied from the office, so reports by department or district need no join.
    department = models.ForeignKey(
        "registry.Department", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "registry.District", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    transactions = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)  # transactions with a data-quality flag
    contacted = models.PositiveIntegerField(default=0)  # a contact reached the gateway
    reached = models.PositiveIntegerField(default=0)  # a contact was delivered / answered
    responded = models.PositiveIntegerField(default=0)  # transactions with any feedback
    feedback = models.PositiveIntegerField(default=0)  # feedback rows, all categories
    satisfied = models.PositiveIntegerField(default=0)
    bribe = models.PositiveIntegerField(default=0)
    delay = models.PositiveIntegerField(default=0)
    misbehaviour = models.PositiveIntegerField(default=0)
    other_complaint = models.PositiveIntegerField(default=0)
    not_availed = models.PositiveIntegerField(default=0)
    opt_out = models.PositiveIntegerField(default=0)
    unclear = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    kiosk = models.PositiveIntegerField(default=0)  # feedback rows given at a kiosk

    class Meta:
        abstract = True


class DailyCount(Counts):
    """Counts for one day (Pakistan time) × office × official × service.

    Transactions, contacts, replies and feedback are counted on the day of the service
    (a reply a week later adds to the service's day, so rates never exceed 100 %); cases on
    the day they were opened, actions on the day they were taken. A day's rows are replaced
    whole whenever anything about that day changes (`rollups.refresh_rollups`)."""

    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["day", "district"]),
            models.Index(fields=["day", "department"]),
            models.Index(fields=["day", "office"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} office {self.office_id} official {self.official_id}"


class PeriodCount(Counts):
    """The same counts summed over a week (Monday to Sunday) or a calendar month, so that a
    30-day report reads a few weeks' rows and the days at its ends rather than 30 days of
    rows. Always the sum of its days' DailyCount rows: `rollups.recompute_day` recounts
    the week's and month's rows of every key whose day changed."""

    class Span(models.TextChoices):
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    span = models.CharField(max_length=5, choices=Span.choices)
    start = models.DateField()  # the Monday, or the first of the month

    class Meta:
        indexes = [models.Index(fields=["span", "start", "office"])]

    def __str__(self) -> str:
        return f"{self.span} of {self.start} office {self.office_id} official {self.official_id}"


class RollupState(models.Model):
    """One row: up to when the rollups have taken changes in."""

    changes_until = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    # Weeks and months counted from the days at least once (an upgraded database's first
    # refresh counts them).
    periods_counted = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"rollups up to {self.changes_until}"


class Alert(models.Model):
    """An office or official whose week stands out: significantly above both its own
    baseline and its peers', after a false-discovery control over every office (or official)
    tested. Recomputed daily for the week just ended; acknowledged by the secretariat."""

    class Kind(models.TextChoices):
        BRIBE = "bribe", _("bribe reports rising")
        COMPLAINTS = "complaints", _("complaints rising")
        NOT_AVAILED = "not_availed", _("services not received rising (fake transactions?)")
        DATA_QUALITY = "data_quality", _("data-quality flags rising")
        LOW_RESPONSE = "low_response", _("response rate far below its peers (wrong numbers?)")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    office = models.ForeignKey("registry.Office", on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(
        "registry.Official", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    week_end = models.DateField()
    observed = models.PositiveIntegerField()
    out_of = models.PositiveIntegerField()
    reference_rate = models.FloatField()  # the higher of its own baseline and its peers'
    baseline_rate = models.FloatField(null=True, blank=True)
    peer_rate = models.FloatField()
    p_value = models.FloatField()
    q_value = models.FloatField()
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["week_end", "kind"])]

    def __str__(self) -> str:
        who = self.official or self.office
        return f"{self.get_kind_display()}: {who} (week to {self.week_end})"

    @property
    def rate(self) -> float:
        return self.observed / self.out_of if self.out_of else 0.0


class ResponseCount(models.Model):
    """Who is heard (issue 23): citizens contacted on a channel and those who answered on it,
    per day of the service × office × service × channel × the local hour of the survey's
    first contact on that channel. Recounted with the day's DailyCount rows
    (`rollups.recompute_day`, `reports.heard.recount_day`)."""

    day = models.DateField()
    office = models.ForeignKey(
        "registry.Office", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    service = models.ForeignKey(
        "registry.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    department = models.ForeignKey(
        "registry.Department", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    district = models.ForeignKey(
        "registry.District", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    channel = models.CharField(max_length=8)  # outreach's ContactAttempt.Channel
    hour = models.PositiveSmallIntegerField()  # 0–23, Pakistan time
    contacted = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "office"])]

    def __str__(self) -> str:
        return f"{self.day} office {self.office_id} {self.channel} {self.hour}h"

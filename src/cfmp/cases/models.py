"""Cases against officials and offices, opened by citizens' complaints, and the actions
taken on them. Every change is written to the case's append-only trail (CaseEvent)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cfmp.feedback.models import Category


class Kind(models.TextChoices):
    """What a case is about: the complaint categories (cfmp.feedback.models.COMPLAINTS),
    with their words."""

    BRIBE = Category.BRIBE.value, Category.BRIBE.label
    MISBEHAVIOUR = Category.MISBEHAVIOUR.value, Category.MISBEHAVIOUR.label
    DELAY = Category.DELAY.value, Category.DELAY.label
    OTHER_COMPLAINT = Category.OTHER_COMPLAINT.value, Category.OTHER_COMPLAINT.label
    NOT_AVAILED = Category.NOT_AVAILED.value, Category.NOT_AVAILED.label


class Level(models.TextChoices):
    """Who answers for a case, from the first level to the last."""

    DISTRICT = "district", _("district officer")
    DEPARTMENT = "department", _("department officer")
    SECRETARIAT = "secretariat", _("secretariat")


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        UNDER_INQUIRY = "under_inquiry", _("under inquiry")
        ACTION_TAKEN = "action_taken", _("action taken")
        CLOSED = "closed", _("closed")
        DISMISSED = "dismissed", _("dismissed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    office = models.ForeignKey("registry.Office", on_delete=models.PROTECT, related_name="cases")
    # Null when the transaction named no official in the registry: the case is the office's.
    official = models.ForeignKey(
        "registry.Official", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    # The service of the complaint that opened it (for reports by service).
    service = models.ForeignKey(
        "registry.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority = models.PositiveIntegerField()  # higher first
    level = models.CharField(max_length=12, choices=Level.choices)
    owner = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    first_action_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(  # null: opened by a citizen's complaint
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaints = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One active case per official and kind (per office, when no official is known):
            # a new complaint joins it.
            models.UniqueConstraint(
                fields=["official", "kind"],
                condition=models.Q(state__in=["open", "under_inquiry"], official__isnull=False),
                name="cases_one_active_case_per_official",
            ),
            models.UniqueConstraint(
                fields=["office", "kind"],
                condition=models.Q(state__in=["open", "under_inquiry"], official__isnull=True),
                name="cases_one_active_case_per_office",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["official", "kind", "state"]),
            models.Index(fields=["office", "kind", "state"]),
            models.Index(fields=["owner", "state"]),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}: {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.OPEN, self.State.UNDER_INQUIRY)


class Evidence(models.Model):
    """A complaint behind a case. A feedback is evidence in one case at most."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    feedback = models.OneToOneField(
        "feedback.Feedback", on_delete=models.PROTECT, related_name="case_evidence"
    )
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"feedback {self.feedback_id} in case {self.case_id}"


class Audience(models.TextChoices):
    """Who may open an action's attachment, chosen by its author at upload (issue 20). A
    letter often names the complainant: the narrower audience is the default."""

    IDENTITY = "identity", _("the secretariat only (it may name the complainant)")
    CASE = "case", _("everyone who may see the case")


class Action(models.Model):
    class Kind(models.TextChoices):
        EXPLANATION_CALLED = "explanation", _("explanation called")
        WARNING = "warning", _("warning")
        SHOW_CAUSE = "show_cause", _("show-cause notice")
        COACHING = "coaching", _("coaching session")
        TRANSFER = "transfer", _("transfer")
        SUSPENSION = "suspension", _("suspension")
        ACE_REFERRAL = "ace_referral", _("referral to the Anti-Corruption Establishment")
        COMMENDATION = "commendation", _("commendation")
        NO_ACTION = "no_action", _("no action")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    taken_on = models.DateField()
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    attachment = models.FileField(upload_to="case-actions/%Y/%m/", blank=True)
    attachment_audience = models.CharField(
        max_length=8, choices=Audience.choices, default=Audience.IDENTITY
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["taken_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on} (case {self.case_id})"


class CaseEvent(models.Model):
    """The case's trail: every state change, assignment, escalation, action and view of the
    evidence. Append-only (PostgreSQL refuses changes by trigger)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        JOINED = "joined", _("complaint joined")
        STATE = "state", _("state changed")
        ASSIGNED = "assigned", _("assigned")
        ESCALATED = "escalated", _("escalated")
        ACTION = "action", _("action recorded")
        VIEWED = "viewed", _("evidence viewed")
        CITIZEN_THANKED = "thanked", _("citizen told action was taken")
        # A complaint's category corrected by a person (from_state/to_state hold the
        # categories), and a complaint that left the case because of it (issue 17).
        CORRECTED = "corrected", _("complaint's category corrected")
        WITHDRAWN = "withdrawn", _("complaint withdrawn from the case")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(  # null: CFMP itself
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id} at {self.at:%Y-%m-%d %H:%M}"


class RoutingRule(models.Model):
    """Where a department's cases of one kind start, and how long they may stay open at each
    level. Rules without a department or kind apply to all; the most specific wins."""

    department = models.ForeignKey(
        "registry.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.DISTRICT)
    sla_days = models.PositiveSmallIntegerField(
        help_text=_("Days a case may stay open at each level before it escalates.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "kind"], name="cases_one_rule_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.department or 'all departments'} / {self.kind or 'all kinds'}: {self.level}"

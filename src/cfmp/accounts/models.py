"""Users, their role and the part of the province they answer for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    OFFICE_HEAD = "office_head", _("Office head")
    CALL_CENTRE_AGENT = "call_centre_agent", _("Call-centre agent")
    DATA_ENTRY_OPERATOR = "data_entry_operator", _("Data-entry operator")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    """A person who signs in. Their role and scope fields decide what they may see; the rules
    themselves live in `cfmp.accounts.scopes`, never in views."""

    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For department officers: the department they oversee."),
    )
    district = models.ForeignKey(
        "registry.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For district officers: the district they oversee."),
    )
    office = models.ForeignKey(
        "registry.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="heads",
        help_text=_("For office heads: the office they run."),
    )
    assigned_offices = models.ManyToManyField(
        "registry.Office",
        blank=True,
        related_name="operators",
        help_text=_("For data-entry operators: the offices they submit transactions for."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="department_officer") | Q(department__isnull=False),
                name="accounts_department_officer_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(role="district_officer") | Q(district__isnull=False),
                name="accounts_district_officer_has_district",
            ),
            models.CheckConstraint(
                condition=~Q(role="office_head") | Q(office__isnull=False),
                name="accounts_office_head_has_office",
            ),
        ]


class IdentityView(models.Model):
    """One look at citizens' identities (name, number, CNIC) by a user allowed to see them.

    Append-only: nothing in CFMP updates or deletes a row, and on PostgreSQL a trigger makes
    the database refuse it too. Read by the secretariat and auditors."""

    class Purpose(models.TextChoices):
        TRANSACTIONS = "transactions", _("transaction list")
        FEEDBACK = "feedback", _("feedback list")
        REVIEW = "review", _("review queue")
        CONTACT_HISTORY = "contact_history", _("contact history of a number")
        CALL = "call", _("call-centre call")
        DIRECT_CALL = "direct_call", _("senior official's direct call")
        ADMIN = "admin", _("admin site")
        CALL_CONSOLE = "call_console", _("call console's recent calls")
        IMPORT_ERRORS = "import_errors", _("an import's error file")
        LIST_EXPORT = "list_export", _("a list's export")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    # What was shown: a model label ("intake.transaction") and the primary keys on the page
    # (never the names, numbers or CNICs themselves; `path` is kept without its query string).
    subject = models.CharField(max_length=50)
    object_ids = models.JSONField(default=list)
    path = models.CharField(max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["viewed_at"]), models.Index(fields=["user", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} saw {len(self.object_ids)} {self.subject} ({self.purpose})"


class SignInEvent(models.Model):
    """A sign-in, a failed attempt, a lockout, a sign-out or a credential change: the
    secretariat's view of who tried to get in, from where. Append-only like the access log.
    The password tried is never recorded; the name typed is (it is how guessing shows)."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("signed in")
        FAILED = "failed", _("wrong name or password")
        LOCKED_OUT = "locked_out", _("refused: too many failures")
        SIGNED_OUT = "signed_out", _("signed out")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        RESET_REQUESTED = "reset_requested", _("password reset link asked for")
        PASSWORD_RESET = "password_reset", _("password set through a reset link")
        SECOND_FACTOR_ON = "second_factor_on", _("second factor turned on")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("wrong second-factor code")

    at = models.DateTimeField()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["at"]), models.Index(fields=["username", "at"])]

    def __str__(self) -> str:
        return f"{self.username or self.user}: {self.get_kind_display()}"

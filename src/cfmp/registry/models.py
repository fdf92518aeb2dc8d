"""Who delivers which public service where: departments, services, districts, offices, officials."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Named:
    """The name to show: in Urdu (`name_ur`) when the page is in Urdu and it is known."""

    name: str
    name_ur: str

    @property
    def shown_name(self) -> str:
        if self.name_ur and get_language() == "ur":
            return self.name_ur
        return self.name


class Division(Named, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(Named, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(Named, models.Model):
    code = models.SlugField(unique=True, help_text=_("Stable identifier other tools rely on."))
    name = models.CharField(max_length=150)
    name_ur = models.CharField(_("name (Urdu)"), max_length=150)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Show this department's offices and services on the public scorecards "
            "(no login; figures only, never officials)."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(Named, models.Model):
    code = models.SlugField(unique=True, help_text=_("Stable identifier other tools rely on."))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=150)
    name_ur = models.CharField(_("name (Urdu)"), max_length=150)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["department__name", "name"]

    def __str__(self) -> str:
        return self.name


class Office(Named, models.Model):
    """A service-delivery point: a registry branch, a licence centre, a health unit."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offices")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="offices")
    is_active = models.BooleanField(default=True)
    mobile = models.CharField(
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("The office's own mobile (E.164): transactions entered with it are flagged."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["district__name", "name"]
        indexes = [models.Index(fields=["district", "department"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Official(Named, models.Model):
    """A public servant who serves citizens; complaints and actions attach to them."""

    employee_code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    designation = models.CharField(max_length=200, blank=True)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="officials",
        null=True,
        blank=True,
        help_text=_("Current posting; the history is in postings."),
    )
    mobile = models.CharField(
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_(
            "The official's registered mobile (E.164): transactions entered with it are "
            "flagged and never surveyed."
        ),
    )
    is_verified = models.BooleanField(
        default=True,
        help_text=_("False when the official was first seen in a transaction, not the registry."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_code})"


class Posting(models.Model):
    """One stretch of an official's service at one office: [started_on, ended_on)."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="postings")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="postings")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["official", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["official"],
                condition=Q(ended_on__isnull=True),
                name="registry_one_open_posting_per_official",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="registry_posting_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["official", "started_on"])]

    def __str__(self) -> str:
        return f"{self.official} at {self.office} from {self.started_on}"

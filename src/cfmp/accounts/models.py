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

"""What CFMP keeps for itself, about no one domain."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormToken(models.Model):
    """One rendering of a form that writes, spent by its first submission. A second
    submission of the same page (the back button, a double click, a retry after a timeout)
    finds its token spent and changes nothing (issue 17)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40)
    # Where the first submission led: a repeat is sent there too.
    outcome_url = models.CharField(max_length=300, blank=True)
    spent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("form submission")
        indexes = [models.Index(fields=["spent_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} by {self.user_id} at {self.spent_at:%Y-%m-%d %H:%M}"

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


class Pipeline(models.TextChoices):
    """The background pipelines whose items are processed, and quarantined, one by one."""

    CLASSIFICATION = "classification", _("classifying SMS replies")
    COMPLAINTS = "complaints", _("filing complaints as cases")
    ROLLUPS = "rollups", _("counting a day for reports")
    ALERTS = "alerts", _("detecting alerts")
    DIGESTS = "digests", _("sending digests")
    CALL_RESULTS = "call_results", _("recording robocall results")
    KIOSK_VISITS = "kiosk_visits", _("recording kiosk visits")


class QuarantinedItem(models.Model):
    """One item a background pipeline failed to process (issue 18): set aside so the rest
    of its batch, and the sweeps behind it, go on; retried with backoff, then left failed
    with its reason for the secretariat. The row goes when the item is processed."""

    class State(models.TextChoices):
        RETRYING = "retrying", _("will be retried")
        FAILED = "failed", _("failed: retries exhausted")

    pipeline = models.CharField(max_length=16, choices=Pipeline.choices)
    item = models.CharField(max_length=200)  # the item's key in its pipeline: an id, a day
    state = models.CharField(max_length=10, choices=State.choices, default=State.RETRYING)
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    # What was received, when the item exists nowhere else (a kiosk visit's fields).
    payload = models.JSONField(null=True, blank=True)
    first_failed_at = models.DateTimeField()
    last_failed_at = models.DateTimeField()
    next_try_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("quarantined item")
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "item"], name="core_one_quarantine_row")
        ]
        indexes = [models.Index(fields=["pipeline", "state", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.get_pipeline_display()}: {self.item} ({self.get_state_display()})"

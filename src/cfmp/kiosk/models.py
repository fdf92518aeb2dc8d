"""Kiosks at service offices: the device, its credentials, each citizen's visit as the
kiosk sent it, and the signs of tampering or abuse shown to the secretariat."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kiosk(models.Model):
    """A touch-screen kiosk outside one office. The secretariat registers it and is shown
    a one-time enrolment code; the device exchanges the code for its own credential."""

    office = models.ForeignKey("registry.Office", on_delete=models.PROTECT, related_name="kiosks")
    name = models.CharField(max_length=100)
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    enrolment_code_hash = models.CharField(max_length=64, blank=True)  # cleared once used
    enrolment_expires_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    clock_skew_seconds = models.FloatField(null=True, blank=True)  # device − server

    def __str__(self) -> str:
        return f"{self.name} ({self.office})"

    @property
    def is_active(self) -> bool:
        return self.enrolled_at is not None and self.revoked_at is None


class KioskCredential(models.Model):
    """A device's key; only its hash is kept. Rotating issues a new one and ends the old."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="credentials")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kiosk.name}: {self.prefix}…"


class Rating(models.TextChoices):
    """The kiosk's five big buttons."""

    SATISFIED = "satisfied", _("satisfied")
    MONEY = "money", _("money was demanded")
    DELAY = "delay", _("delay")
    BEHAVIOUR = "behaviour", _("bad behaviour")
    OTHER = "other", _("other problem")


class KioskVisit(models.Model):
    """One citizen's feedback as the kiosk sent it. The device names each visit
    (`client_id`) when it is given, so sending it again — the network came back, the
    answer was lost — finds this row and changes nothing."""

    kiosk = models.ForeignKey(Kiosk, on_delete=models.PROTECT, related_name="visits")
    # Unique across all kiosks: a device re-enrolled as another kiosk may resend its outbox.
    client_id = models.UUIDField(unique=True)
    feedback = models.OneToOneField(
        "feedback.Feedback", on_delete=models.PROTECT, related_name="kiosk_visit"
    )
    service = models.ForeignKey("registry.Service", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    given_at = models.DateTimeField()  # by the device's clock
    received_at = models.DateTimeField()
    # Who, as far as the kiosk must know: a keyed hash of the verified identity (or the
    # scanner's stable template id) with the day, to limit visits per person per day.
    # Never the fingerprint itself.
    identity_hash = models.CharField(max_length=64, blank=True)
    identity_verified = models.BooleanField(default=False)  # the CNIC was confirmed

    class Meta:
        indexes = [
            models.Index(fields=["kiosk", "given_at"]),
            models.Index(fields=["identity_hash", "given_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kiosk.name}: {self.get_rating_display()} at {self.given_at}"


class KioskEvent(models.Model):
    """Something the secretariat should look at: tampering (offline long, a wrong clock)
    or abuse (bursts over the rate limit, far more praise than the office's SMS replies)."""

    class Kind(models.TextChoices):
        OFFLINE = "offline", _("offline for long")
        CLOCK_SKEW = "clock_skew", _("clock wrong")
        RATE_LIMITED = "rate_limited", _("too many submissions")
        PRAISE_GAP = "praise_gap", _("far more praise than the office's SMS replies")
        REVOKED_USE = "revoked_use", _("revoked credential used")

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    detail = models.CharField(max_length=300)
    at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kiosk.name}: {self.get_kind_display()} ({self.at})"

"""Transactions: one public service delivered to one citizen, the raw material of CFMP."""

from __future__ import annotations

import enum
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceSystem(models.Model):
    """A departmental system (or CFMP's own forms) that submits transactions. It may write
    only for the offices of its departments and the offices named on it."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    departments = models.ManyToManyField("registry.Department", blank=True, related_name="+")
    offices = models.ManyToManyField("registry.Office", blank=True, related_name="+")
    all_offices = models.BooleanField(
        default=False,
        help_text=_(
            "May write for every office (CFMP's own forms: the person's scope limits them instead)."
        ),
    )
    references_per_office = models.BooleanField(
        default=False,
        help_text=_(
            "References are unique per office, not per system (receipt numbers typed "
            "by operators): they are stored as OFFICE/REFERENCE."
        ),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SourceToken(models.Model):
    """An API credential of a source system. Only a hash of the key is stored; the key is
    shown once, when issued."""

    source = models.ForeignKey(SourceSystem, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(
        max_length=12, help_text=_("The key's first characters, to tell keys apart.")
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source.code}:{self.prefix}…"


class QualityFlag(enum.IntFlag):
    """Row-level data-quality signals, stored as a bit set on the transaction."""

    NO_MOBILE = 1  # since issue 17: only where the source said the citizen has none
    INVALID_MOBILE = 2
    LANDLINE = 4
    NOT_MOBILE = 8  # a valid number that cannot take SMS: toll-free, foreign, ...
    MADE_UP_NUMBER = 16  # 0000000, 1234567, one digit repeated
    OFFICIAL_NUMBER = 32  # the mobile of an official or of the office itself
    UNVERIFIED_OFFICIAL = 64  # the official was not in the registry
    # Stored before the doors bounded dates (issue 18) with a date of service outside the
    # programme's window; it now carries the time CFMP received it.
    IMPOSSIBLE_DATE = 128

    @property
    def label(self) -> str:
        return str(QUALITY_FLAG_LABELS[self])

    @classmethod
    def names(cls, bits: int) -> list[str]:
        """The lower-case names of the flags set in `bits`, as the API and reports show them."""
        return [flag.name.lower() for flag in cls(bits) if flag.name]


QUALITY_FLAG_LABELS = {
    QualityFlag.NO_MOBILE: _("the citizen has no mobile (as recorded)"),
    QualityFlag.INVALID_MOBILE: _("invalid mobile number"),
    QualityFlag.LANDLINE: _("landline number"),
    QualityFlag.NOT_MOBILE: _("number cannot receive SMS"),
    QualityFlag.MADE_UP_NUMBER: _("sequential or repeated digits"),
    QualityFlag.OFFICIAL_NUMBER: _("number of an official or office"),
    QualityFlag.UNVERIFIED_OFFICIAL: _("official not in the registry"),
    QualityFlag.IMPOSSIBLE_DATE: _("impossible date of service (shown as when it was received)"),
}


class SmsBlock(models.TextChoices):
    """Why a transaction's citizen cannot be surveyed by SMS ("" when they can)."""

    NONE = "", _("contactable")
    NO_MOBILE = "no_mobile", _("no number given")
    INVALID = "invalid", _("not a valid Pakistani number")
    LANDLINE = "landline", _("a landline")
    NOT_MOBILE = "not_mobile", _("not a mobile number")
    OFFICIAL_NUMBER = "official_number", _("the number of an official or office")


class Transaction(models.Model):
    # The widest table, written in bulk: every index slows COPY, so foreign keys get no index
    # of their own where a composite index or the unique constraint already leads with them
    # (source, office), or where they are only read when a row of theirs is deleted
    # (service, recorded_by).
    source = models.ForeignKey(
        SourceSystem, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reference = models.CharField(max_length=100, help_text=_("The source system's own id."))
    occurred_at = models.DateTimeField()
    service = models.ForeignKey(
        "registry.Service", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    office = models.ForeignKey(
        "registry.Office", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    official = models.ForeignKey(
        "registry.Official", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    citizen_name = models.CharField(max_length=200)
    mobile_raw = models.CharField(max_length=40, blank=True, help_text=_("As it was typed."))
    mobile = models.CharField(max_length=16, blank=True, help_text=_("E.164, when readable."))
    sms_block = models.CharField(max_length=16, choices=SmsBlock.choices, blank=True)
    # The CNIC is never stored in clear: a keyed digest to match it, a sealed copy the
    # secretariat may open, and the last four digits for masked display.
    cnic_digest = models.CharField(max_length=64, blank=True)
    cnic_sealed = models.CharField(max_length=120, blank=True)
    cnic_last4 = models.CharField(max_length=4, blank=True)
    quality_flags = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="intake_unique_source_reference"
            )
        ]
        indexes = [
            models.Index(fields=["office", "occurred_at"]),
            models.Index(fields=["mobile", "occurred_at"]),
            # Reports: a day's transactions, and those recorded since the last rollup.
            models.Index(fields=["occurred_at"], name="intake_tx_occurred_idx"),
            models.Index(fields=["created_at"], name="intake_tx_created_idx"),
            models.Index(
                fields=["cnic_digest"],
                condition=~models.Q(cnic_digest=""),
                name="intake_tx_cnic_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.reference}"

    @property
    def flags(self) -> QualityFlag:
        return QualityFlag(self.quality_flags)

    @property
    def is_sms_contactable(self) -> bool:
        return self.sms_block == SmsBlock.NONE


def _upload_path(job: ImportJob, filename: str) -> str:
    # One folder per job: no upload's name can collide with another's files.
    return f"imports/{job.pk}/{filename}"


class ImportJob(models.Model):
    """A transaction file uploaded on the web, imported in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.ForeignKey(SourceSystem, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=_upload_path)
    original_name = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    already_present = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    error_file = models.FileField(upload_to=_upload_path, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last sign of life of the worker importing it.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


WEB_SOURCE_CODE = "cfmp-web"  # created by migration 0002: CFMP's own form and upload page

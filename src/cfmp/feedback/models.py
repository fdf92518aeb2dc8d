"""What citizens say. Every inbound message is stored raw, before anything is made of it, so
none is lost whatever happens next."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gateway(models.TextChoices):
    KANNEL = "kannel", _("Kannel")
    SIMULATOR = "simulator", _("citizen simulator")
    WEBHOOK = "webhook", _("JSON webhook")
    OPERATOR = "operator", _("injected by an operator")


class InboundMessage(models.Model):
    """One SMS from a citizen, as the gateway handed it over. A gateway retrying its callback
    finds its message id already stored and changes nothing."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply to a survey")
        UNSOLICITED = "unsolicited", _("unsolicited")
        OPT_OUT = "opt_out", _("asked to stop messages")

    gateway = models.CharField(max_length=16, choices=Gateway.choices)
    gateway_message_id = models.CharField(max_length=100)
    sender = models.CharField(max_length=32)  # E.164 when it could be read, else as received
    recipient = models.CharField(max_length=32, blank=True)  # our short code
    text = models.TextField()
    received_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    survey = models.ForeignKey(
        "outreach.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_message_id"], name="feedback_one_row_per_message"
            )
        ]
        indexes = [models.Index(fields=["sender", "received_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.sender} at {self.received_at:%Y-%m-%d %H:%M}"


class Category(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BRIBE = "bribe", _("bribe")
    DELAY = "delay", _("delay")
    MISBEHAVIOUR = "misbehaviour", _("misbehaviour")
    OTHER_COMPLAINT = "other_complaint", _("other complaint")
    NOT_AVAILED = "not_availed", _("service not received")
    OPT_OUT = "opt_out", _("opted out")
    UNCLEAR = "unclear", _("unclear")


class FeedbackChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    IVR = "ivr", _("robocall keypad")
    AGENT = "agent", _("call-centre agent")
    KIOSK = "kiosk", _("kiosk")


class Feedback(models.Model):
    """What a citizen said, classified: one per reply (or keypad answer, agent's call,
    kiosk visit), tied to the transaction it is about when known."""

    channel = models.CharField(max_length=8, choices=FeedbackChannel.choices)
    message = models.OneToOneField(
        InboundMessage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    survey = models.ForeignKey(
        "outreach.Survey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transaction = models.ForeignKey(
        "intake.Transaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    category = models.CharField(max_length=16, choices=Category.choices)
    confidence = models.FloatField()
    bribe_amount = models.PositiveIntegerField(null=True, blank=True)
    needs_review = models.BooleanField(default=False)
    # A reviewer's confirmation or correction; the classifier's own answer is kept.
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    classified_as = models.CharField(max_length=16, choices=Category.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["category", "created_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(needs_review=True),
                name="feedback_review_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.confidence:.2f}) by {self.channel}"

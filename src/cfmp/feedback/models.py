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

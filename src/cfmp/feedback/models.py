"""What citizens say. Every inbound message is stored raw, before anything is made of it, so
none is lost whatever happens next."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An inbound message's `gateway` is the name of the channel type that brought it
# (cfmp.channels: "kannel", "webhook", "simulator", ...), or this one: typed in by an operator
# (`cfmp receive-sms`). Feedback never branches on a channel's name (cfmp.channels.registry).
OPERATOR_GATEWAY = "operator"


class InboundMessage(models.Model):
    """One SMS from a citizen, as the gateway handed it over. A gateway retrying its callback
    finds its message id already stored and changes nothing."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply to a survey")
        UNSOLICITED = "unsolicited", _("unsolicited")
        OPT_OUT = "opt_out", _("asked to stop messages")

    gateway = models.CharField(max_length=16)
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


# The categories that are complaints, most serious first: the one order in which cases are
# prioritised and given time (cases.services.BASE_PRIORITY, cases.routing.DEFAULT_SLA_DAYS
# follow it, checked by tests/cases/test_complaint_order.py) and complaints counted.
COMPLAINTS: tuple[str, ...] = (
    Category.BRIBE,
    Category.MISBEHAVIOUR,
    Category.NOT_AVAILED,
    Category.DELAY,
    Category.OTHER_COMPLAINT,
)


class FeedbackChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    IVR = "ivr", _("robocall keypad")
    AGENT = "agent", _("call-centre agent")
    KIOSK = "kiosk", _("kiosk")


def real_feedback(via: str = "") -> models.Q:
    """Feedback that may be evidence or be counted: outside the demo (and CFMP's tests), never
    a simulated citizen's, whatever configuration let one through. `via` reaches Feedback
    from another model ("feedback__")."""
    from django.conf import settings

    return models.Q() if settings.CFMP_SIMULATOR_ALLOWED else models.Q(**{f"{via}simulated": False})


# A walk-in's kiosk feedback: about an office and service, with no known transaction.
WALK_IN = models.Q(transaction__isnull=True, office__isnull=False)


class Feedback(models.Model):
    """What a citizen said, classified: one per reply (or keypad answer, agent's call,
    kiosk visit), tied to the transaction it is about when known."""

    channel = models.CharField(max_length=8, choices=FeedbackChannel.choices)
    # Given by one of the built-in simulator's citizens (the demo): never evidence elsewhere.
    simulated = models.BooleanField(default=False)
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
    # A keypad answer is about one robocall attempt: a repeated gateway callback finds it.
    attempt = models.OneToOneField(
        "outreach.ContactAttempt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="keypad_feedback",
    )
    call = models.OneToOneField(
        "feedback.CitizenCall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
    )
    keypad_digit = models.CharField(max_length=1, blank=True)
    note = models.TextField(blank=True)  # what the citizen told an agent, in their words
    # Feedback given at an office's kiosk by a citizen whose transaction is not known (a
    # walk-in): about that office and the service they chose. Empty whenever `transaction`
    # is set (its office and service apply).
    office = models.ForeignKey(
        "registry.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        "registry.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["category", "created_at"]),
            models.Index(fields=["created_at"], name="feedback_created_idx"),
            models.Index(
                fields=["reviewed_at"],
                condition=models.Q(reviewed_at__isnull=False),
                name="feedback_reviewed_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(needs_review=True),
                name="feedback_review_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.confidence:.2f}) by {self.channel}"


class CallRequest(models.Model):
    """A citizen the call centre must call. One open request per number: a second reason to
    call the same citizen raises the first one's priority instead of calling twice."""

    class Reason(models.TextChoices):
        CITIZEN_ASKED = "citizen_asked", _("citizen asked to be called")
        UNCLEAR_REPLY = "unclear_reply", _("unclear reply")
        SAMPLE = "sample", _("manual-call sample")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        IN_CALL = "in_call", _("being called")
        DONE = "done", _("done")
        GIVEN_UP = "given_up", _("given up")

    # Lower is called first.
    PRIORITY = {Reason.CITIZEN_ASKED: 0, Reason.UNCLEAR_REPLY: 1, Reason.SAMPLE: 2}

    reason = models.CharField(max_length=16, choices=Reason.choices)
    priority = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    mobile = models.CharField(max_length=16)
    survey = models.ForeignKey(
        "outreach.Survey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transaction = models.ForeignKey(
        "intake.Transaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempt = models.OneToOneField(
        "outreach.ContactAttempt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_request",
    )
    about_feedback = models.ForeignKey(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    agent = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=models.Q(state__in=["waiting", "in_call"]),
                name="feedback_one_open_call_per_number",
            )
        ]
        indexes = [models.Index(fields=["state", "priority", "due_at"])]

    def __str__(self) -> str:
        return f"call {self.mobile} ({self.reason}, {self.state})"


class CitizenCall(models.Model):
    """One call to a citizen: by an agent working the queue, or a senior official's direct
    call logged for the record. An answered call's answers become one Feedback."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("answered")
        NO_ANSWER = "no_answer", _("no answer")
        WRONG_NUMBER = "wrong_number", _("wrong number")
        REFUSED = "refused", _("refused to talk")

    request = models.ForeignKey(
        CallRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    logged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # Set for a senior official's direct call: who made it ("Chief Minister", "DC Lahore").
    direct_caller = models.CharField(max_length=100, blank=True)
    mobile = models.CharField(max_length=16)
    transaction = models.ForeignKey(
        "intake.Transaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    called_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["called_at"])]

    def __str__(self) -> str:
        return f"call to {self.mobile} at {self.called_at:%Y-%m-%d %H:%M}: {self.outcome}"


class FeedbackCorrection(models.Model):
    """A person changed what a feedback is counted as: who, from what, to what, why and
    when (issue 17). Append-only; the feedback keeps its current category."""

    class Via(models.TextChoices):
        REVIEW = "review", _("review queue")
        CASE_OPENING = "case_opening", _("opening a case by hand")

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="corrections")
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    from_category = models.CharField(max_length=16, choices=Category.choices)
    to_category = models.CharField(max_length=16, choices=Category.choices)
    reason = models.TextField(blank=True)
    via = models.CharField(max_length=16, choices=Via.choices)

    class Meta:
        indexes = [models.Index(fields=["feedback", "at"])]

    def __str__(self) -> str:
        return f"feedback {self.feedback_id}: {self.from_category} → {self.to_category}"

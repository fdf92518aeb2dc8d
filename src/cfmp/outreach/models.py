"""Surveys of citizens after a transaction: the plan of contacts, and every contact attempt
as a row with its own state machine."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_SMS_UR = (
    "{citizen_name}، آپ نے {date} کو {office} سے {service} کی خدمت حاصل کی۔ "
    "اگر آپ مطمئن ہیں تو 1 بھیجیں، اگر نہیں تو 2 بھیجیں، یا لکھ کر بتائیں کہ کیا ہوا۔ "
    "پیغامات بند کرنے کے لیے STOP بھیجیں۔"
)
DEFAULT_SMS_EN = (
    "{citizen_name}, you received {service} at {office} on {date}. Reply 1 if you were "
    "satisfied, 2 if not, or write what happened. Reply STOP to stop these messages."
)


CALL_ME = "call_me"
SIMULATOR_ID_PREFIX = "sim-"  # the simulator's gateway ids


def default_keypad() -> dict[str, str]:
    """The robocall's question: 1 satisfied, 2 money asked, 3 delay, 4 bad behaviour,
    9 talk to an agent."""
    return {"1": "satisfied", "2": "bribe", "3": "delay", "4": "misbehaviour", "9": CALL_ME}


class Channel(models.TextChoices):
    VOICE = "voice", _("robocall")
    SMS = "sms", _("SMS")
    MANUAL = "manual", _("call-centre call")


class CallOutcome(models.TextChoices):
    """How a robocall ended, as recorded on its attempt."""

    ANSWERED = "answered", _("answered, a key pressed")
    NO_INPUT = "no_input", _("answered, no key pressed")
    HUNG_UP = "hung_up", _("answered, hung up during the message")
    NO_ANSWER = "no_answer", _("not answered")
    BUSY = "busy", _("busy")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")

    @classmethod
    def reached(cls) -> set[str]:
        """Outcomes in which the citizen picked up: the attempt was delivered."""
        return {cls.ANSWERED, cls.NO_INPUT, cls.HUNG_UP}

    @classmethod
    def worth_retrying(cls) -> set[str]:
        """Outcomes another call later may change (a rejection is the citizen's choice)."""
        return {cls.NO_ANSWER, cls.BUSY, cls.FAILED}


class SurveyPlan(models.Model):
    """How a service's citizens are contacted. The plan with no service is the default."""

    service = models.OneToOneField(
        "registry.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_plan",
    )
    is_default = models.BooleanField(default=False)
    robocall = models.BooleanField(_("robocall first"), default=True)
    robocall_delay = models.DurationField(
        default=dt.timedelta(days=1), help_text=_("After the service, before the robocall.")
    )
    sms_delay = models.DurationField(
        default=dt.timedelta(hours=2),
        help_text=_(
            "After the robocall (whatever its outcome), or after the service when "
            "there is no robocall."
        ),
    )
    manual_call_rate = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=0.05,
        help_text=_("Share of surveys also given to call-centre agents (0.05 = 5%)."),
    )
    sms_text_ur = models.TextField(default=DEFAULT_SMS_UR)
    sms_text_en = models.TextField(default=DEFAULT_SMS_EN)
    language = models.CharField(
        max_length=2, choices=[("ur", "اردو"), ("en", "English")], default="ur"
    )
    keypad = models.JSONField(
        _("keypad answers"),
        default=default_keypad,
        help_text=_(
            "What each digit pressed on the robocall means: a feedback category, or "
            "call_me to be called by an agent."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="outreach_one_default_plan",
            ),
            models.CheckConstraint(
                condition=Q(is_default=True, service__isnull=True)
                | Q(is_default=False, service__isnull=False),
                name="outreach_default_plan_has_no_service",
            ),
        ]

    def __str__(self) -> str:
        return f"plan for {self.service}" if self.service_id else "default plan"

    @property
    def code(self) -> str:
        """How `cfmp plans` names it: "default", or its service's code."""
        return "default" if self.is_default or self.service is None else self.service.code


class ChannelSetting(models.Model):
    """Operators' controls of a channel: pause it, cap what it sends per day and per second."""

    channel = models.CharField(max_length=8, choices=Channel.choices, unique=True)
    paused = models.BooleanField(default=False)
    daily_capacity = models.PositiveIntegerField(
        default=50_000, help_text=_("Attempts handed to the gateway per day (Pakistan time).")
    )
    rate_per_second = models.PositiveIntegerField(
        default=50, help_text=_("Attempts handed to the gateway per second, at most.")
    )

    def __str__(self) -> str:
        return f"{self.channel}{' (paused)' if self.paused else ''}"


class Holiday(models.Model):
    """A day on which no citizen is contacted."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class OptOut(models.Model):
    """A number that asked never to be contacted again."""

    class Source(models.TextChoices):
        SMS = "sms", _("replied STOP")
        OPERATOR = "operator", _("added by an operator")

    mobile = models.CharField(max_length=16, unique=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.mobile


class Survey(models.Model):
    """One transaction's survey: skipped with a reason, or active with its attempts."""

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        SKIPPED = "skipped", _("skipped")
        COMPLETED = "completed", _("answered")
        CLOSED = "closed", _("closed without an answer")

    class SkipReason(models.TextChoices):
        UNCONTACTABLE = "uncontactable", _("number cannot be surveyed")
        OPTED_OUT = "opted_out", _("number opted out")
        FATIGUE = "fatigue", _("number surveyed recently")
        EXPIRED = "expired", _("service too long ago")

    transaction = models.OneToOneField(
        "intake.Transaction", on_delete=models.CASCADE, related_name="survey"
    )
    plan = models.ForeignKey(SurveyPlan, on_delete=models.PROTECT, related_name="+")
    mobile = models.CharField(max_length=16, blank=True)  # copied: fatigue looks it up
    state = models.CharField(max_length=16, choices=State.choices)
    skip_reason = models.CharField(max_length=16, choices=SkipReason.choices, blank=True)
    skip_detail = models.CharField(max_length=200, blank=True)
    manual_call = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)  # the citizen's first reply

    class Meta:
        indexes = [models.Index(fields=["mobile", "created_at"])]

    def __str__(self) -> str:
        return f"survey of {self.transaction_id} ({self.state})"


class ContactAttempt(models.Model):
    """One try to reach a citizen on one channel.

    planned → queued → sending → submitted → delivered | failed | unconfirmed, or
    planned/queued → expired. "sending" is the claim a worker takes just before handing the
    message to the gateway; it is what makes a send happen at most once however often its
    task is delivered. "sending" with no news (its worker died) becomes "unknown"; "submitted"
    with no final report after CFMP_REPORT_WAIT_HOURS becomes "unconfirmed" (sent, no report).
    A report arriving late still lands on either; a state never moves back from delivered.
    `submitted_at` is set once the gateway is known to have accepted the message (its answer,
    or any later report): that is what "contacted" counts.
    A retry is a new row (try_number + 1), so the history of every try is kept."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SUBMITTED = "submitted", _("submitted")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        UNCONFIRMED = "unconfirmed", _("sent, no report")
        UNKNOWN = "unknown", _("outcome unknown")
        EXPIRED = "expired", _("expired")

        @classmethod
        def awaiting_report(cls) -> tuple[str, ...]:
            """States a gateway's report may still move (to delivered or failed)."""
            return (cls.SENDING, cls.SUBMITTED, cls.UNCONFIRMED, cls.UNKNOWN)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    try_number = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PLANNED)
    due_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Robocalls: how the call ended, the key pressed, how long it lasted once answered.
    call_outcome = models.CharField(max_length=10, choices=CallOutcome.choices, blank=True)
    call_digit = models.CharField(max_length=1, blank=True)
    call_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "channel", "try_number"], name="outreach_one_attempt_per_try"
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            # Reports: contacts made since the last rollup.
            models.Index(fields=["submitted_at"], name="outreach_attempt_submitted_idx"),
            models.Index(fields=["finished_at"], name="outreach_attempt_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} try {self.try_number} of survey {self.survey_id} ({self.state})"

    @property
    def made_by_simulator(self) -> bool:
        return self.gateway_id.startswith(SIMULATOR_ID_PREFIX)


class VoicePrompt(models.Model):
    """A recording played on a plan's robocall, in one language: the greeting and question
    (played together, the question again if no key is pressed) or the thank-you. Stored
    as telephony needs it (8 kHz mono 16-bit PCM WAV), converted on upload; without one,
    the built-in prompt (spoken by espeak-ng) is played."""

    class Part(models.TextChoices):
        GREETING = "greeting", _("greeting")
        QUESTION = "question", _("question")
        THANKS = "thanks", _("thank-you")

    plan = models.ForeignKey(SurveyPlan, on_delete=models.CASCADE, related_name="prompts")
    language = models.CharField(max_length=2, choices=[("ur", "اردو"), ("en", "English")])
    part = models.CharField(max_length=8, choices=Part.choices)
    audio = models.FileField(upload_to="prompts/")
    original_name = models.CharField(max_length=200, blank=True)
    seconds = models.FloatField()
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "language", "part"], name="outreach_one_prompt_per_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} ({self.language}) of {self.plan}"

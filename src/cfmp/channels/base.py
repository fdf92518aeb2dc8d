"""What every channel type offers, and all outreach and feedback know of channels.

A channel type (`cfmp.channels.<type>`, listed in CFMP_CHANNEL_TYPES) is one gateway CFMP
can use: Kannel, a SIP trunk, a Twilio-compatible voice API, the citizen simulator, the
JSON webhook. Each describes itself with a `ChannelType` (its `type.py`) and may bring:

- an adapter that sends (`Channel.send`: an `OutboundMessage` → `Accepted` or
  `ChannelError`), for the outreach channels it carries ("sms", "voice");
- views that parse what its gateway calls back with — inbound messages, handed to
  `cfmp.feedback.services.receive_sms_batch`, and delivery reports or call ends, parsed
  into `DeliveryReport`s or call outcomes and handed to `cfmp.outreach` — and their URLs;
- its settings (`settings.py`, read into the project's settings), deployment checks,
  management commands (it is a Django app), tests and docs page.

Outreach reaches an adapter only through `cfmp.channels.registry.adapter_for(channel)`;
nothing outside a channel's folder names it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class OutboundMessage:
    attempt_id: int | None  # None: a service message (an acknowledgement), not a survey
    to: str  # E.164
    text: str
    channel: str


@dataclass(frozen=True)
class Accepted:
    """The gateway took the message; `gateway_id` ties its delivery report to the attempt."""

    gateway_id: str


@dataclass(frozen=True)
class DeliveryReport:
    """What a gateway's delivery report says of one attempt, in CFMP's terms: the state it
    reached ("submitted", "delivered" or "failed") and, for a failure, why and whether
    another try may succeed. Each adapter parses its gateway's reports into these."""

    state: str
    error: str = ""
    retryable: bool = False


class ChannelError(Exception):
    """The gateway refused or failed. `retryable`: worth another try later (busy, timeout,
    gateway down), as opposed to a permanent refusal (invalid number)."""

    def __init__(self, message: str, *, retryable: bool, unknown: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        # The request may have reached the gateway before the connection broke: whether it
        # took the message cannot be known (never retried; its report still lands).
        self.unknown = unknown


class Channel(Protocol):
    """A gateway's adapter: hands one message to the gateway."""

    name: str
    parallel: bool  # True: safe and worth calling from several threads at once (network)

    def send(self, message: OutboundMessage) -> Accepted: ...


@dataclass(frozen=True)
class ChannelType:
    """One channel type, as the registry sees it.

    `name` is what a deployment writes in CFMP_SMS_CHANNEL / CFMP_VOICE_CHANNEL and what an
    inbound message's `gateway` records. `carries` lists the outreach channels it can send
    ("sms", "voice"; none for an inbound-only type). `adapter(channel)` makes its adapter
    for one of them. `simulated`: its citizens are invented (the demo's), so what they say
    is never counted as real feedback. `send_batch`: attempts per send task for this
    gateway, when it must be fewer than CFMP_SEND_BATCH (a SIP worker holds a few calls).

    What the rest of CFMP reads from a type instead of being edited for it:
    `doors` — each of its URLs (by name) and the machine credential that opens it, read by
    `cfmp.accounts.permissions` (no session ever opens one); `credentials` — what each of
    those credentials is, in words; `openapi()` — its callbacks' paths for the API schema
    (`cfmp.core.openapi`), which drf-spectacular cannot see in plain Django views."""

    name: str
    carries: Sequence[str] = ()
    adapter: Callable[[str], Channel] | None = None
    simulated: bool = False
    send_batch: int | None = None
    urls: str = ""  # the dotted module of its URL patterns, "" when it serves none
    doors: Mapping[str, str] = field(default_factory=dict)
    credentials: Mapping[str, str] = field(default_factory=dict)
    openapi: Callable[[], dict[str, Any]] | None = None


def own_setting(name: str) -> Any:
    """A channel type's own setting (from its `settings.py`, read into the project's
    settings at start-up), looked up when used so that a test's override applies. By name:
    the type checker knows only the settings the project's settings module declares."""
    from django.conf import settings

    return getattr(settings, name)


# Pieces of the OpenAPI descriptions channel types give of their callbacks (`openapi`).
TEXT = {"text/plain": {"schema": {"type": "string"}}}
HTML = {"text/html": {"schema": {"type": "string"}}}
REFUSED = {"description": "A value CFMP cannot take, named: `field: reason`.", "content": TEXT}
FORBIDDEN = {"description": "Not signed by the gateway (bad secret or signature).", "content": TEXT}


def query(name: str, description: str, required: bool = True) -> dict[str, Any]:
    """A gateway's query parameter, as OpenAPI writes one."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }

"""Channels: how a contact attempt reaches a citizen. Each adapter is small and behind one
interface (`Channel`), so the outreach services never know which gateway they talk to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
    name: str
    parallel: bool  # True: safe and worth calling from several threads at once (network)

    def send(self, message: OutboundMessage) -> Accepted: ...


_REGISTRY: dict[str, Channel] = {}


def register(channel: str, adapter: Channel) -> None:
    _REGISTRY[channel] = adapter


def adapter_for(channel: str) -> Channel:
    """The adapter configured for a channel (`configured.GATEWAYS`: CFMP_SMS_CHANNEL is
    "simulator" or "kannel"; CFMP_VOICE_CHANNEL "simulator", "sip" or "twilio")."""
    from django.utils.module_loading import import_string

    from cfmp.outreach.channels.configured import SIMULATOR, adapter_path, gateway_of

    if channel not in _REGISTRY:
        adapter = import_string(adapter_path(channel))
        register(
            channel,
            adapter(channel) if gateway_of(channel) == SIMULATOR else adapter.from_settings(),
        )
    return _REGISTRY[channel]

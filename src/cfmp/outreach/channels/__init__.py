"""Channels: how a contact attempt reaches a citizen. Each adapter is small and behind one
interface (`Channel`), so the outreach services never know which gateway they talk to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutboundMessage:
    attempt_id: int
    to: str  # E.164
    text: str
    channel: str


@dataclass(frozen=True)
class Accepted:
    """The gateway took the message; `gateway_id` ties its delivery report to the attempt."""

    gateway_id: str


class ChannelError(Exception):
    """The gateway refused or failed. `retryable`: worth another try later (busy, timeout,
    gateway down), as opposed to a permanent refusal (invalid number)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class Channel(Protocol):
    name: str

    def send(self, message: OutboundMessage) -> Accepted: ...


_REGISTRY: dict[str, Channel] = {}


def register(channel: str, adapter: Channel) -> None:
    _REGISTRY[channel] = adapter


def adapter_for(channel: str) -> Channel:
    from cfmp.outreach.channels.simulator import SimulatorChannel

    if channel not in _REGISTRY:
        register(channel, SimulatorChannel(channel))
    return _REGISTRY[channel]

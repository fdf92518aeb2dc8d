"""The channel types this deployment has (CFMP_CHANNEL_TYPES, one dotted package each) and
which one each outreach channel is configured to use (CFMP_SMS_CHANNEL,
CFMP_VOICE_CHANNEL). The one place outreach and feedback ask about channels: a type is
loaded by its name in the settings, never imported by them."""

from __future__ import annotations

import functools
import importlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cfmp.channels.base import Channel, ChannelType

# The outreach channels a gateway can carry, and the setting that chooses it.
SETTINGS = {"sms": "CFMP_SMS_CHANNEL", "voice": "CFMP_VOICE_CHANNEL"}


@functools.cache
def channel_types() -> dict[str, ChannelType]:
    """Every listed type by its name, each read from its package's `type.TYPE`."""
    found: dict[str, ChannelType] = {}
    for package in settings.CFMP_CHANNEL_TYPES:
        kind: ChannelType = importlib.import_module(f"{package}.type").TYPE
        found[kind.name] = kind
    return found


def choices(channel: str) -> list[str]:
    """The types that can carry an outreach channel ("sms", "voice"), by name."""
    return sorted(name for name, kind in channel_types().items() if channel in kind.carries)


def setting_problem(channel: str) -> str:
    """Why a channel's setting names no gateway CFMP has ("" when it does)."""
    setting = SETTINGS[channel]
    value = getattr(settings, setting)
    if value in choices(channel):
        return ""
    return f"{setting}={value!r} names no gateway: choose one of {', '.join(choices(channel))}"


def type_for(channel: str) -> ChannelType | None:
    """The type an outreach channel is configured for; None for a channel no gateway
    carries (the call centre's sample is worked by people)."""
    if channel not in SETTINGS:
        return None
    problem = setting_problem(channel)
    if problem:
        raise ImproperlyConfigured(problem)
    return channel_types()[getattr(settings, SETTINGS[channel])]


def configured_for_real(channel: str) -> bool:
    """Whether a channel goes to a real gateway (not a simulator)."""
    kind = type_for(channel)
    return kind is not None and not kind.simulated


def is_simulated(gateway: str) -> bool:
    """Whether what arrived through a gateway (an inbound message's `gateway`) was
    invented by a simulator."""
    kind = channel_types().get(gateway)
    return kind is not None and kind.simulated


def send_batch(channel: str) -> int:
    """Attempts per send task for a channel's gateway."""
    kind = type_for(channel)
    own = kind.send_batch if kind is not None else None
    return min(own or settings.CFMP_SEND_BATCH, settings.CFMP_SEND_BATCH)


_ADAPTERS: dict[str, Channel] = {}


def register(channel: str, adapter: Channel) -> None:
    """Use this adapter for a channel (tests stand a fake gateway in this way)."""
    _ADAPTERS[channel] = adapter


def adapter_for(channel: str) -> Channel:
    """The adapter of the type a channel is configured for, made once per process."""
    if channel not in _ADAPTERS:
        kind = type_for(channel)
        if kind is None or kind.adapter is None:
            raise ImproperlyConfigured(f"no gateway sends the {channel!r} channel")
        register(channel, kind.adapter(channel))
    return _ADAPTERS[channel]

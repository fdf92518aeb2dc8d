"""Which gateway each channel is configured to use (settings only: importing this never
loads an adapter)."""

from __future__ import annotations

from django.conf import settings

SIMULATOR = "simulator"


def configured_for_real(channel: str) -> bool:
    """Whether a channel goes to a real gateway (not the built-in simulator)."""
    chosen = {"sms": settings.CFMP_SMS_CHANNEL, "voice": settings.CFMP_VOICE_CHANNEL}
    return chosen.get(channel, SIMULATOR) != SIMULATOR

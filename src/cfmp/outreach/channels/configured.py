"""Which gateway each channel is configured to use: the one table of the choices, read by
`adapter_for` (to load the adapter) and by the deployment checks (to refuse the simulator
outside the demo). Importing this never loads an adapter."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIMULATOR = "simulator"
# channel -> (its setting, {gateway name: the adapter's class, dotted})
GATEWAYS: dict[str, tuple[str, dict[str, str]]] = {
    "sms": (
        "CFMP_SMS_CHANNEL",
        {
            SIMULATOR: "cfmp.outreach.channels.simulator.SimulatorChannel",
            "kannel": "cfmp.outreach.channels.kannel.KannelChannel",
        },
    ),
    "voice": (
        "CFMP_VOICE_CHANNEL",
        {
            SIMULATOR: "cfmp.outreach.channels.simulator.SimulatorChannel",
            "sip": "cfmp.outreach.channels.sip.SipChannel",
            "twilio": "cfmp.outreach.channels.twilio_voice.TwilioVoiceChannel",
        },
    ),
}


def setting_problem(channel: str) -> str:
    """Why a channel's setting names no gateway CFMP has ("" when it does)."""
    setting, choices = GATEWAYS[channel]
    value = getattr(settings, setting)
    if value in choices:
        return ""
    return f"{setting}={value!r} names no gateway: choose one of {', '.join(sorted(choices))}"


def gateway_of(channel: str) -> str:
    """The gateway a channel is configured for ("simulator", "kannel", "sip", "twilio")."""
    if channel not in GATEWAYS:
        return SIMULATOR  # the call centre's sample is worked by people, not a gateway
    problem = setting_problem(channel)
    if problem:
        raise ImproperlyConfigured(problem)
    return str(getattr(settings, GATEWAYS[channel][0]))


def adapter_path(channel: str) -> str:
    return GATEWAYS[channel][1][gateway_of(channel)]


def configured_for_real(channel: str) -> bool:
    """Whether a channel goes to a real gateway (not the built-in simulator)."""
    return gateway_of(channel) != SIMULATOR

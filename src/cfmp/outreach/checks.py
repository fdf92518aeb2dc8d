"""Deployment checks of outreach (`cfmp check --deploy`), and the refusal of a worker to start
where they fail: no citizen may be "surveyed" by the built-in simulator outside the demo."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from cfmp.channels import registry

SIMULATED_CITIZENS_ID = "cfmp.E101"
CHANNEL_SETTING_ID = "cfmp.E102"


def _fix(channel: str, plan: str) -> str:
    """How a plan's channel leaves the simulator: a real gateway (the registry's), or, for
    robocalls, none at all."""
    real = [name for name in registry.choices(channel) if not registry.is_simulated(name)]
    fix = f"set {registry.SETTINGS[channel]}={' or '.join(real)} (docs/channels.md)"
    if channel == "voice":
        fix += f", or turn robocalls off: `cfmp plans set {plan} --robocall off`"
    return fix


def simulated_citizen_problems() -> list[str]:
    """One line per plan that would send to the simulator outside the demo, with the fix."""
    if settings.CFMP_SIMULATOR_ALLOWED:
        return []
    from cfmp.outreach.plans import plans_using_the_simulator

    unknown = [
        registry.setting_problem(c) for c in registry.SETTINGS if registry.setting_problem(c)
    ]
    if unknown:
        return unknown

    problems = []
    for plan, channels in plans_using_the_simulator():
        fixes = "; ".join(_fix(channel, plan.code) for channel in channels)
        problems.append(
            f"the {plan.code} plan would send {' and '.join(channels)} to the built-in simulator, "
            f"whose simulated citizens answer (invented feedback): {fixes}"
        )
    return problems


@checks.register(checks.Tags.compatibility)
def check_channel_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A channel setting that names no gateway would stop every send: said at start-up."""
    problems = [registry.setting_problem(channel) for channel in registry.SETTINGS]
    return [checks.Error(p, id=CHANNEL_SETTING_ID) for p in problems if p]


@checks.register(checks.Tags.compatibility, deploy=True)
def check_no_simulated_citizens(app_configs, **kwargs) -> list[checks.CheckMessage]:
    try:
        problems = simulated_citizen_problems()
    except DatabaseError:  # no database yet (before migrate): nothing planned to check
        return []
    return [checks.Error(problem, id=SIMULATED_CITIZENS_ID) for problem in problems]

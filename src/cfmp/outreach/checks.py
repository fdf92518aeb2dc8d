"""Deployment checks of outreach (`cfmp check --deploy`), and the refusal of a worker to start
where they fail: no citizen may be "surveyed" by the built-in simulator outside the demo."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

SIMULATED_CITIZENS_ID = "cfmp.E101"
CHANNEL_SETTING_ID = "cfmp.E102"
FIX = {
    "sms": "set CFMP_SMS_CHANNEL=kannel (docs/operations/kannel.md)",
    "voice": "set CFMP_VOICE_CHANNEL=sip or twilio, or turn robocalls off: "
    "`cfmp plans set {plan} --robocall off`",
}


def simulated_citizen_problems() -> list[str]:
    """One line per plan that would send to the simulator outside the demo, with the fix."""
    if settings.CFMP_SIMULATOR_ALLOWED:
        return []
    from cfmp.outreach.channels.configured import GATEWAYS, setting_problem
    from cfmp.outreach.plans import plans_using_the_simulator

    unknown = [setting_problem(channel) for channel in GATEWAYS if setting_problem(channel)]
    if unknown:
        return unknown

    problems = []
    for plan, channels in plans_using_the_simulator():
        fixes = "; ".join(FIX[channel].format(plan=plan.code) for channel in channels)
        problems.append(
            f"the {plan.code} plan would send {' and '.join(channels)} to the built-in simulator, "
            f"whose simulated citizens answer (invented feedback): {fixes}"
        )
    return problems


@checks.register(checks.Tags.compatibility)
def check_channel_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A channel setting that names no gateway would stop every send: said at start-up."""
    from cfmp.outreach.channels.configured import GATEWAYS, setting_problem

    problems = [setting_problem(channel) for channel in GATEWAYS]
    return [checks.Error(p, id=CHANNEL_SETTING_ID) for p in problems if p]


@checks.register(checks.Tags.compatibility, deploy=True)
def check_no_simulated_citizens(app_configs, **kwargs) -> list[checks.CheckMessage]:
    try:
        problems = simulated_citizen_problems()
    except DatabaseError:  # no database yet (before migrate): nothing planned to check
        return []
    return [checks.Error(problem, id=SIMULATED_CITIZENS_ID) for problem in problems]

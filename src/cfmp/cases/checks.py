"""`cfmp check` lists routing gaps (issue 17): levels that cases reach where nobody holds
the post, so those cases would wait for nobody. Warnings, not errors: a new deployment
starts with gaps, and the platform still runs."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError

from cfmp.cases.models import Level

MAX_OFFICES_SHOWN = 5


@checks.register("cfmp_routing")
def check_routing_gaps(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from cfmp.cases.routing import routing_gaps

    try:
        gaps = routing_gaps()
    except DatabaseError:  # no database yet (before migrate): nothing to say
        return []
    messages: list[checks.CheckMessage] = []
    for gap in gaps:
        offices = ", ".join(gap.offices[:MAX_OFFICES_SHOWN])
        if len(gap.offices) > MAX_OFFICES_SHOWN:
            offices += f" and {len(gap.offices) - MAX_OFFICES_SHOWN} more"
        where = f" for {gap.area}" if gap.area else ""
        messages.append(
            checks.Warning(
                f"No active {Level(gap.level).label}{where}: cases of {offices} "
                f"routed or escalated there would wait for nobody.",
                hint="Create the account (Administration → Users) or change the routing "
                "rules (Administration → Routing rules).",
                id="cfmp.cases.W001",
            )
        )
    return messages

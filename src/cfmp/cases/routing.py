"""Who answers for a case and by when: the routing table, its defaults, and the officer
at each level."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cfmp.accounts.models import Role, User
from cfmp.cases.models import Level, RoutingRule
from cfmp.outreach.window import scaled
from cfmp.registry.models import Office

# Days a case may stay open at each level, when no rule says otherwise.
DEFAULT_SLA_DAYS = {
    "bribe": 7,
    "misbehaviour": 7,
    "not_availed": 10,
    "delay": 14,
    "other_complaint": 21,
}
LEVELS = list(Level.values)  # district → department → secretariat


@dataclass(frozen=True)
class Route:
    level: str
    sla: dt.timedelta


def route_for(*, office: Office, kind: str) -> Route:
    """The most specific rule (department and kind, then department, then kind, then the
    catch-all), else the district officer with the default SLA."""
    rules = {
        (rule.department_id, rule.kind): rule
        for rule in RoutingRule.objects.filter(
            Q(department_id=office.department_id) | Q(department__isnull=True),
            kind__in=[kind, ""],
        )
    }
    # The demo's clock (CFMP_TIME_SCALE) runs SLAs as fast as it runs survey plans.
    for key in ((office.department_id, kind), (office.department_id, ""), (None, kind), (None, "")):
        if key in rules:
            rule = rules[key]
            return Route(rule.level, scaled(dt.timedelta(days=rule.sla_days)))
    return Route(Level.DISTRICT, scaled(dt.timedelta(days=DEFAULT_SLA_DAYS[kind])))


def next_level(level: str) -> str | None:
    position = LEVELS.index(level)
    return LEVELS[position + 1] if position + 1 < len(LEVELS) else None


def owner_at(*, level: str, office: Office) -> User | None:
    """The officer answering at this level for this office: the district officer of its
    district, the department officer of its department, or a secretariat user. None when
    nobody holds the post (the case waits on that level's dashboard)."""
    users = User.objects.filter(is_active=True).order_by("pk")
    if level == Level.DISTRICT:
        return users.filter(role=Role.DISTRICT_OFFICER, district_id=office.district_id).first()
    if level == Level.DEPARTMENT:
        return users.filter(
            role=Role.DEPARTMENT_OFFICER, department_id=office.department_id
        ).first()
    return users.filter(role=Role.SECRETARIAT).first()

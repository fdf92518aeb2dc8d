"""Who answers for a case and by when: the routing table, its defaults, and the officer
at each level."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cfmp.accounts.models import Role, User
from cfmp.cases.models import Level, RoutingRule
from cfmp.core.clock import scaled
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
    rule = _most_specific(rules, office.department_id, kind)
    # The demo's clock (CFMP_TIME_SCALE) runs SLAs as fast as it runs survey plans.
    if rule is not None:
        return Route(rule.level, scaled(dt.timedelta(days=rule.sla_days)))
    return Route(Level.DISTRICT, scaled(dt.timedelta(days=DEFAULT_SLA_DAYS[kind])))


def _most_specific(rules: dict, department_id: int, kind: str) -> RoutingRule | None:
    """The rule that applies: department and kind, then department, then kind, then the
    catch-all (rules keyed by (department id or None, kind or ""))."""
    for key in ((department_id, kind), (department_id, ""), (None, kind), (None, "")):
        if key in rules:
            return rules[key]
    return None


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


@dataclass(frozen=True)
class Gap:
    """A level nobody holds for some offices whose cases reach it (issue 17): their cases
    would wait there for nobody. `area` is the district (district level), the department
    (department level) or "" (the secretariat)."""

    level: str
    area: str
    offices: tuple[str, ...]
    names: tuple[str, ...] = ()  # the offices' names, for pages (in the page's language)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


def routing_gaps() -> list[Gap]:
    """Every level a case can reach (where it starts, by the routing rules, and every level
    it can escalate to) with no active officer holding it, grouped by district or
    department. A handful of queries whatever the number of offices."""
    users = User.objects.filter(is_active=True)
    districts = set(users.filter(role=Role.DISTRICT_OFFICER).values_list("district_id", flat=True))
    departments = set(
        users.filter(role=Role.DEPARTMENT_OFFICER).values_list("department_id", flat=True)
    )
    secretariat = users.filter(role=Role.SECRETARIAT).exists()
    rules = {(r.department_id, r.kind): r for r in RoutingRule.objects.all()}
    kinds = list(DEFAULT_SLA_DAYS)
    found: dict[tuple[str, str], list[str]] = {}
    names: dict[str, str] = {}
    offices = Office.objects.filter(is_active=True).select_related("district", "department")
    for office in offices.order_by("code"):
        names[office.code] = office.shown_name
        starts = [_start_level(rules, office.department_id, kind) for kind in kinds]
        first = min(LEVELS.index(level) for level in starts)
        for level in LEVELS[first:]:
            if level == Level.DISTRICT and office.district_id not in districts:
                found.setdefault((level, office.district.shown_name), []).append(office.code)
            elif level == Level.DEPARTMENT and office.department_id not in departments:
                found.setdefault((level, office.department.shown_name), []).append(office.code)
            elif level == Level.SECRETARIAT and not secretariat:
                found.setdefault((level, ""), []).append(office.code)
    return [
        Gap(level, area, tuple(codes), tuple(names[code] for code in codes))
        for (level, area), codes in found.items()
    ]


def _start_level(rules: dict, department_id: int, kind: str) -> str:
    rule = _most_specific(rules, department_id, kind)
    return rule.level if rule is not None else Level.DISTRICT

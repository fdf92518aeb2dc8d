"""The public scorecards' figures (issue 23): for each office and service of a published
department, over the last CFMP_PUBLIC_PERIOD_MONTHS complete calendar months, the replies
heard and the shares satisfied, reporting a bribe and reporting a delay, each with its 95 %
Wilson interval; the median days from a case's opening to its first action; and each
office's last 12 complete months, month by month.

Every figure is read through the internal reports' own code from the same rollups
(`reports.selectors.sum_rollups` over `rollups_visible_to`, `run_report` for the case
metric, `reports.rankings.rank` for the rankings), so a public figure equals the internal
report's for the same office and period. Nothing is computed per official, and no cell
drawn from fewer than CFMP_PUBLIC_MIN_RESPONSES replies is published: such an office or
month is listed as "fewer than N replies", without its figures. Nor can one be worked out
from the others (docs/public.md, "Small cells"):
- the periods are whole calendar months, the same every day of a month: a window sliding by
  a day would let anyone who saves it daily subtract one day from the next, and read single
  days' replies;
- the headline period is the sum of the trend's last months: while the months withheld among
  them add up to more than none and fewer than the minimum of replies, the smallest shown one
  is withheld too (their sum, the headline minus the shown months, is then drawn from at
  least the minimum);
- a service is the sum of its offices: it is withheld when the replies it draws from withheld
  offices are more than none and fewer than the minimum.

The whole set is computed once a day and kept in the cache (CFMP_PUBLIC_CACHE_SECONDS):
pages, downloads and widgets are drawn from it."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cfmp.core.clock import next_month
from cfmp.core.stats import wilson
from cfmp.registry.models import Department, Office, Service
from cfmp.reports.catalogue import get_report
from cfmp.reports.rankings import rank
from cfmp.reports.selectors import rollups_visible_to, run_report, sum_rollups

COUNTERS = ("feedback", "satisfied", "bribe", "delay")
# The shares published, by the rollup counter they count: (key, English, Urdu).
SHARES = (
    ("satisfied", "satisfied", "مطمئن"),
    ("bribe", "reporting a bribe", "رشوت کی شکایت"),
    ("delay", "reporting a delay", "تاخیر کی شکایت"),
)
TREND_MONTHS = 12
CACHE_PREFIX = "cfmp:public:"
_computing = threading.Lock()


@dataclass
class Share:
    count: int
    replies: int
    rate: float
    low: float
    high: float


@dataclass
class Month:
    month: str  # YYYY-MM
    start: str
    end: str
    shown: bool
    replies: int | None = None  # None: fewer than the minimum, not published
    shares: dict[str, Share] = field(default_factory=dict)


@dataclass
class Card:
    kind: str  # "office" or "service"
    code: str
    name: str
    name_ur: str
    department: str
    department_ur: str
    district: str = ""
    district_ur: str = ""
    shown: bool = False  # from at least the minimum of replies
    replies: int | None = None
    shares: dict[str, Share] = field(default_factory=dict)
    days_to_action: float | None = None
    cases_acted: int | None = None
    redress_rate: float | None = None  # not yet measured (issue 23 item 1)
    ranks: dict[str, int] = field(default_factory=dict)
    trend: list[Month] = field(default_factory=list)


@dataclass
class Ranking:
    measure: str
    entries: list[dict[str, Any]]  # code, name, name_ur, rank, replies, count, rate, low, high


@dataclass
class Scorecards:
    as_of: str  # the last day counted (the end of the last complete month)
    start: str
    end: str
    computed_at: str
    min_responses: int
    min_cases: int
    offices: list[Card]
    services: list[Card]
    rankings: list[Ranking]

    def office(self, code: str) -> Card | None:
        return next((card for card in self.offices if card.code == code), None)

    def service(self, code: str) -> Card | None:
        return next((card for card in self.services if card.code == code), None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _month_before(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def months(today: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """The last 12 complete calendar months before today's, oldest first."""
    spans = []
    first = _month_before((today or timezone.localdate()).replace(day=1))
    for _ in range(TREND_MONTHS):
        following = next_month(first)
        spans.append((first, following - dt.timedelta(days=1)))
        first = _month_before(first)
    return spans[::-1]


def period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period the headline figures cover: the last CFMP_PUBLIC_PERIOD_MONTHS complete
    calendar months (today's month is still being counted)."""
    spans = months(today)[-settings.CFMP_PUBLIC_PERIOD_MONTHS :]
    return spans[0][0], spans[-1][1]


def _shares(sums: dict[str, int]) -> dict[str, Share]:
    replies = sums.get("feedback") or 0
    result = {}
    for key, _, _ in SHARES:
        count = sums.get(key) or 0
        low, high = wilson(count, replies)
        result[key] = Share(count, replies, count / replies if replies else 0.0, low, high)
    return result


def _sums(
    start: dt.date, end: dt.date, by: str, departments: list[int]
) -> dict[Any, dict[str, int]]:
    parts = [
        part.filter(department_id__in=departments) for part in rollups_visible_to(None, start, end)
    ]
    return {key: sums for (key,), sums in sum_rollups(parts, (by,), COUNTERS).items()}


def _withhold_complements(window: list[Month], replies: list[int], minimum: int) -> None:
    """The headline is the sum of these months, so the withheld months' sum is the headline
    minus the shown ones: while it is drawn from more than none and fewer than `minimum`
    replies, the smallest shown month is withheld too."""

    def withheld_replies() -> int:
        return sum(n for month, n in zip(window, replies, strict=True) if not month.shown)

    while 0 < withheld_replies() < minimum:
        shown = [(n, month.start, month) for month, n in zip(window, replies, strict=True)]
        shown = [entry for entry in shown if entry[2].shown]
        if not shown:
            return
        smallest = min(shown, key=lambda entry: entry[:2])[2]
        smallest.shown, smallest.replies, smallest.shares = False, None, {}


def _from_withheld_offices(
    start: dt.date, end: dt.date, published: list[int], offices: set[int]
) -> dict[int, int]:
    """{service id: replies} from the withheld offices."""
    if not offices:
        return {}
    parts = [
        part.filter(department_id__in=published, office_id__in=offices)
        for part in rollups_visible_to(None, start, end)
    ]
    return {
        key: sums["feedback"] or 0
        for (key,), sums in sum_rollups(parts, ("service_id",), ("feedback",)).items()
    }


def _sums_by_office_and_service(
    start: dt.date, end: dt.date, published: list[int]
) -> list[tuple[str, str, int]]:
    """(office code, service code, replies) of every office × service with replies."""
    parts = [
        part.filter(department_id__in=published, service__isnull=False)
        for part in rollups_visible_to(None, start, end)
    ]
    summed = sum_rollups(parts, ("office_id", "service_id"), ("feedback",))
    offices = dict(Office.objects.values_list("pk", "code"))
    services = dict(Service.objects.values_list("pk", "code"))
    return [
        (offices[office], services[service], sums["feedback"] or 0)
        for (office, service), sums in summed.items()
        if sums["feedback"]
    ]


def _withhold_in_components(
    *,
    cells: list[tuple[str, str, int]],
    offices: dict[str, Card],
    services: dict[str, Card],
    minimum: int,
) -> None:
    """Offices' and services' totals are the two margins of one table (office × service):
    within a group of offices and services linked by cells, the offices' totals add up to the
    services'. So the withheld services' total minus the withheld offices' is the shown
    offices' minus the shown services': while it is more than none and fewer than `minimum`
    replies, the smallest shown office or service (on the side whose withheld total is
    larger) is withheld too."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    replies: dict[tuple[str, str], int] = defaultdict(int)
    for office, service, n in cells:
        a, b = ("office", office), ("service", service)
        replies[a] += n
        replies[b] += n
        parent[root(a)] = root(b)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for node in replies:
        groups[root(node)].append(node)
    cards: dict[str, dict[str, Card]] = {"office": offices, "service": services}
    for members in groups.values():
        nodes: list[tuple[tuple[str, str], Card]] = [
            (node, cards[node[0]][node[1]]) for node in members if node[1] in cards[node[0]]
        ]
        while (
            0
            < abs(_withheld(nodes, replies, "service") - _withheld(nodes, replies, "office"))
            < (minimum)
        ):
            larger = _withheld(nodes, replies, "service") >= _withheld(nodes, replies, "office")
            side = "service" if larger else "office"
            shown = [(replies[node], node[1], card) for node, card in nodes if card.shown]
            if not shown:
                break
            same_side = [entry for entry in shown if entry[2].kind == side]
            card = min(same_side or shown, key=lambda entry: (entry[0], entry[1]))[2]
            card.shown, card.replies, card.shares = False, None, {}
            card.days_to_action = card.cases_acted = None


def _withheld(
    nodes: list[tuple[tuple[str, str], Card]], replies: dict[tuple[str, str], int], kind: str
) -> int:
    return sum(replies[node] for node, card in nodes if node[0] == kind and not card.shown)


def _days_to_action(dimension: str, start: dt.date, end: dt.date) -> dict[Any, tuple[Any, int]]:
    """{id: (median days, cases acted on)}: the catalogue's days-to-action report."""
    table = run_report(
        get_report(f"days-to-action-by-{dimension}-range"), user=None, start=start, end=end
    )
    return {row.key: (row.value, row.numerator or 0) for row in table.rows}


def compute(today: dt.date | None = None) -> Scorecards:
    """Every published figure, afresh from the rollups."""
    minimum = settings.CFMP_PUBLIC_MIN_RESPONSES
    min_cases = settings.CFMP_PUBLIC_MIN_CASES
    start, end = period(today)
    departments = {
        department.pk: department for department in Department.objects.filter(published=True)
    }
    published = list(departments)

    def fill(card: Card, sums: dict[str, int] | None, acted: tuple[Any, int] | None) -> Card:
        replies = (sums or {}).get("feedback") or 0
        if replies < minimum:
            return card
        card.shown, card.replies, card.shares = True, replies, _shares(sums or {})
        days, cases = acted or (None, 0)
        if days is not None and cases >= min_cases:
            card.days_to_action, card.cases_acted = days, cases
        return card

    by_office = _sums(start, end, "office_id", published)
    office_actions = _days_to_action("office", start, end)
    trend_sums = [
        (first, last, _sums(first, last, "office_id", published)) for first, last in months(today)
    ]
    offices = []
    for office in Office.objects.filter(department_id__in=published).select_related(
        "district", "department"
    ):
        card = Card(
            kind="office",
            code=office.code,
            name=office.name,
            name_ur=office.name,  # offices are named once, as they sign themselves
            department=office.department.name,
            department_ur=office.department.name_ur,
            district=office.district.name,
            district_ur=office.district.name_ur,
        )
        fill(card, by_office.get(office.pk), office_actions.get(office.pk))
        replies_by_month = []
        for first, last, sums in trend_sums:
            month = Month(first.strftime("%Y-%m"), first.isoformat(), last.isoformat(), False)
            replies = (sums.get(office.pk) or {}).get("feedback") or 0
            if replies >= minimum:
                month.shown, month.replies = True, replies
                month.shares = _shares(sums[office.pk])
            card.trend.append(month)
            replies_by_month.append(replies)
        if card.shown:
            window = settings.CFMP_PUBLIC_PERIOD_MONTHS
            _withhold_complements(card.trend[-window:], replies_by_month[-window:], minimum)
        if card.shown or any(month.shown for month in card.trend) or office.is_active:
            offices.append(card)
    offices.sort(key=lambda card: (card.district, card.name))

    by_service = _sums(start, end, "service_id", published)
    hidden_offices = {pk for pk, sums in by_office.items() if (sums.get("feedback") or 0) < minimum}
    from_hidden = _from_withheld_offices(start, end, published, hidden_offices)
    service_actions = _days_to_action("service", start, end)
    services = []
    for service in Service.objects.filter(department_id__in=published).select_related("department"):
        card = Card(
            kind="service",
            code=service.code,
            name=service.name,
            name_ur=service.name_ur,
            department=service.department.name,
            department_ur=service.department.name_ur,
        )
        remainder = from_hidden.get(service.pk, 0)
        if 0 < remainder < minimum:
            services.append(card)  # its offices' figures would give the withheld office's
            continue
        services.append(fill(card, by_service.get(service.pk), service_actions.get(service.pk)))
    services.sort(key=lambda card: (card.department, card.name))

    _withhold_in_components(
        cells=_sums_by_office_and_service(start, end, published),
        offices={card.code: card for card in offices},
        services={card.code: card for card in services},
        minimum=minimum,
    )
    rankings = _rankings(start, end, offices, published)
    return Scorecards(
        as_of=end.isoformat(),
        start=start.isoformat(),
        end=end.isoformat(),
        computed_at=timezone.now().isoformat(timespec="seconds"),
        min_responses=minimum,
        min_cases=min_cases,
        offices=offices,
        services=services,
        rankings=rankings,
    )


def _rankings(
    start: dt.date, end: dt.date, offices: list[Card], published: list[int]
) -> list[Ranking]:
    """The internal rankings (worst first, by the lower bound of the 95 % interval), over
    the published offices from the public minimum of replies; positions counted among them."""
    codes = dict(Office.objects.filter(department_id__in=published).values_list("pk", "code"))
    cards = {card.code: card for card in offices}
    rankings = []
    for measure in ("bribe", "complaints"):
        entries: list[dict[str, Any]] = []
        for entry in rank(
            level="office",
            measure=measure,
            user=None,
            start=start,
            end=end,
            min_responses=settings.CFMP_PUBLIC_MIN_RESPONSES,
        ):
            if entry.rank is None or entry.key not in codes:
                continue
            card = cards[codes[entry.key]]
            if not card.shown:  # withheld with a complement
                continue
            position = len(entries) + 1
            card.ranks[measure] = position
            entries.append(
                {
                    "code": card.code,
                    "name": card.name,
                    "name_ur": card.name_ur,
                    "district": card.district,
                    "district_ur": card.district_ur,
                    "rank": position,
                    "replies": entry.responses,
                    "count": entry.count,
                    "rate": entry.rate,
                    "low": entry.low,
                    "high": entry.high,
                }
            )
        rankings.append(Ranking(measure, entries))
    return rankings


def scorecards() -> Scorecards:
    """Today's scorecards, from the cache (computed once a day, or when the cache lapses).
    The threads of one process that miss together wait for one computation."""
    key = f"{CACHE_PREFIX}data:{timezone.localdate().isoformat()}"
    found = cache.get(key)
    if found is None:
        with _computing:
            found = cache.get(key)
            if found is None:
                found = compute()
                cache.set(key, found, settings.CFMP_PUBLIC_CACHE_SECONDS)
    assert isinstance(found, Scorecards)
    return found

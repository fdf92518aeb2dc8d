"""Fair rankings of offices and officials by what citizens said about them.

A naive rate punishes a small office for one complaint: one in two replies is 50 %. Each
office (or official) is ranked instead by the lower end of the 95 % Wilson interval of its
complaint share — the rate it has at least, given how many replies it has — and only from
CFMP_RANKING_MIN_RESPONSES replies. The raw share and the interval are shown beside the
rank."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from cfmp.core.stats import wilson
from cfmp.reports.catalogue import COMPLAINT_COUNTERS
from cfmp.reports.selectors import labels_for, rollups_visible_to, sum_rollups

LEVELS = {"office": "office_id", "official": "official_id"}
MEASURES = {"complaints": COMPLAINT_COUNTERS, "bribe": ("bribe",)}


@dataclass(frozen=True)
class Ranked:
    key: int
    label: str
    label_ur: str
    responses: int
    count: int
    rate: float
    low: float
    high: float
    rank: int | None  # 1 = worst; None: too few replies to rank


def rank(
    *,
    level: str,
    measure: str,
    user: Any | None,
    start: dt.date,
    end: dt.date,
    min_responses: int | None = None,
) -> list[Ranked]:
    """Worst first: the ranked, by the lower bound of their share (ties by more replies),
    then the unranked by their raw share."""
    field = LEVELS[level]
    minimum = settings.CFMP_RANKING_MIN_RESPONSES if min_responses is None else min_responses
    counters = MEASURES[measure]
    parts = [
        part.exclude(**{f"{field}__isnull": True}) for part in rollups_visible_to(user, start, end)
    ]
    grouped = sum_rollups(parts, (field,), {"feedback", *counters})
    entries = []
    labels = labels_for(field, [key for (key,) in grouped])
    for (key,), sums in grouped.items():
        responses = sums["feedback"]
        if not responses:
            continue
        count = sum(sums[c] for c in counters)
        low, high = wilson(count, responses)
        entries.append((key, *labels.get(key, ("?", "?")), responses, count, low, high))
    ranked = sorted((e for e in entries if e[3] >= minimum), key=lambda e: (-e[5], -e[3], e[1]))
    unranked = sorted((e for e in entries if e[3] < minimum), key=lambda e: (-(e[4] / e[3]), e[1]))
    result = [
        Ranked(key, label, label_ur, n, x, x / n, low, high, position)
        for position, (key, label, label_ur, n, x, low, high) in enumerate(ranked, 1)
    ]
    result += [
        Ranked(key, label, label_ur, n, x, x / n, low, high, None)
        for key, label, label_ur, n, x, low, high in unranked
    ]
    return result

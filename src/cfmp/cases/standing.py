"""How an official stands among their department's officials: the share of their citizens'
feedback that is a complaint, with a 95 % Wilson interval, ranked by the interval's lower
bound so that one complaint among three replies does not outrank forty among two hundred."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q

from cfmp.cases.models import COMPLAINTS
from cfmp.feedback.models import Feedback
from cfmp.registry.models import Official

MIN_RESPONSES = 10  # fewer, and an official is not ranked
Z = 1.96


@dataclass(frozen=True)
class Standing:
    responses: int
    complaints: int
    rate: float
    low: float
    high: float
    rank: int | None  # 1 = the most complained-about; None below MIN_RESPONSES
    ranked: int  # officials ranked in the department


def wilson(successes: int, trials: int) -> tuple[float, float]:
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + Z**2 / trials
    centre = (p + Z**2 / (2 * trials)) / denominator
    margin = Z * math.sqrt(p * (1 - p) / trials + Z**2 / (4 * trials**2)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def official_standing(official: Official) -> Standing:
    # Peers: the officials serving in the same department (those without an office, alone).
    peers = (
        Q(transaction__office__department_id=official.office.department_id)
        if official.office is not None
        else Q(transaction__official_id=official.pk)
    )
    rows = (
        Feedback.objects.filter(peers, transaction__official__isnull=False)
        .values("transaction__official_id")
        .annotate(n=Count("pk"), bad=Count("pk", filter=Q(category__in=COMPLAINTS)))
        .order_by()
    )
    counts = {row["transaction__official_id"]: (row["n"], row["bad"]) for row in rows}
    responses, complaints = counts.get(official.pk, (0, 0))
    low, high = wilson(complaints, responses)
    eligible = {pk: wilson(bad, n)[0] for pk, (n, bad) in counts.items() if n >= MIN_RESPONSES}
    rank = None
    if official.pk in eligible:
        rank = 1 + sum(1 for value in eligible.values() if value > eligible[official.pk])
    return Standing(
        responses=responses,
        complaints=complaints,
        rate=complaints / responses if responses else 0.0,
        low=low,
        high=high,
        rank=rank,
        ranked=len(eligible),
    )

"""How an official stands among their department's officials: the share of their citizens'
feedback that is a complaint, with a 95 % Wilson interval, ranked by the interval's lower
bound so that one complaint among three replies does not outrank forty among two hundred."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from cfmp.core.stats import wilson
from cfmp.feedback.models import COMPLAINTS, Feedback
from cfmp.registry.models import Official

MIN_RESPONSES = 10  # fewer, and an official is not ranked


@dataclass(frozen=True)
class Standing:
    responses: int
    complaints: int
    rate: float
    low: float
    high: float
    rank: int | None  # 1 = the most complained-about; None below MIN_RESPONSES
    ranked: int  # officials ranked in the department


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

"""Emerging patterns: offices and officials whose week stands out.

For each office (and each official) and each signal — bribe reports, all complaints,
services not received (a sign of fake transactions), data-quality flags — this week's count
x out of n is tested against a reference rate p: the higher of its own baseline (the eight
weeks before, when it has at least MIN_BASELINE of the denominator) and its peers' this week
(the rest of its department; the province when it is alone). The one-sided binomial p-value
P(X ≥ x | n, p) controls for volume: five complaints in twenty replies is more surprising
than five in five hundred. Over every office tested (separately for officials), the
Benjamini–Hochberg procedure keeps the false-discovery rate at CFMP_ALERT_FDR (5 %).

One signal looks the other way (issue 23): an office whose citizens answer far less often
than its peers' — its replies x out of n citizens contacted, against
CFMP_LOW_RESPONSE_FACTOR (half) of its peers' response rate, by the lower tail
P(X ≤ x | n, p) — is a sign that wrong mobile numbers are being recorded. It is tested for
offices only (from MIN_BASELINE citizens contacted), under the same false-discovery control."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy.stats import binom

from cfmp.core import quarantine
from cfmp.core.models import Pipeline
from cfmp.reports.catalogue import COMPLAINT_COUNTERS
from cfmp.reports.models import Alert
from cfmp.reports.selectors import rollups_visible_to, sum_rollups

WEEK = dt.timedelta(days=7)
BASELINE_WEEKS = 8
MIN_OBSERVED = 3  # fewer events than this are never an alert
MIN_BASELINE = 20
# signal: (counters in the numerator, denominator counter)
SIGNALS = {
    Alert.Kind.BRIBE: (("bribe",), "feedback"),
    Alert.Kind.COMPLAINTS: (COMPLAINT_COUNTERS, "feedback"),
    Alert.Kind.NOT_AVAILED: (("not_availed",), "feedback"),
    Alert.Kind.DATA_QUALITY: (("flagged",), "transactions"),
    Alert.Kind.LOW_RESPONSE: (("responded",), "contacted"),
}
# Signals tested for falling far below the peers' rate, for offices only.
BELOW_PEERS = frozenset({Alert.Kind.LOW_RESPONSE})


@dataclass(frozen=True)
class Test:
    kind: str
    office_id: int
    official_id: int | None
    observed: int
    out_of: int
    baseline: float | None
    peers: float
    reference: float
    p_value: float


def _sums(start: dt.date, end: dt.date, level: str) -> dict[tuple, dict[str, int]]:
    """Counters per (office, official or None, department) over [start, end]."""
    keys = ["office_id", "department_id"] + (["official_id"] if level == "official" else [])
    counters = {
        "feedback",
        "transactions",
        "flagged",
        "contacted",
        "responded",
        *COMPLAINT_COUNTERS,
    }
    parts = rollups_visible_to(None, start, end)
    if level == "official":
        parts = [part.exclude(official__isnull=True) for part in parts]
    return {
        (key[0], key[2] if level == "official" else None, key[1]): sums
        for key, sums in sum_rollups(parts, tuple(keys), counters).items()
    }


def _count(sums: dict[str, int], counters: tuple[str, ...]) -> int:
    return sum(sums.get(c, 0) for c in counters)


def tests_for_week(week_end: dt.date, *, level: str) -> list[Test]:
    week = _sums(week_end - WEEK + dt.timedelta(days=1), week_end, level)
    baseline_end = week_end - WEEK
    history = _sums(
        baseline_end - BASELINE_WEEKS * WEEK + dt.timedelta(days=1), baseline_end, level
    )
    tests = []
    for kind, (numerator, denominator) in SIGNALS.items():
        by_department: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        province = [0, 0]
        for (_, _, department), sums in week.items():
            by_department[department][0] += _count(sums, numerator)
            by_department[department][1] += sums[denominator]
            province[0] += _count(sums, numerator)
            province[1] += sums[denominator]
        for (office, official, department), sums in week.items():
            x, n = _count(sums, numerator), sums[denominator]
            below = kind in BELOW_PEERS
            if (below and (level != "office" or n < MIN_BASELINE)) or (
                not below and (x < MIN_OBSERVED or n == 0)
            ):
                continue
            peer_x = by_department[department][0] - x
            peer_n = by_department[department][1] - n
            if peer_n == 0:  # alone in its department this week: the province
                peer_x, peer_n = province[0] - x, province[1] - n
            peers = (peer_x + 0.5) / (peer_n + 1)  # a little smoothing: no peer rate of 0
            if below:
                reference = peers * settings.CFMP_LOW_RESPONSE_FACTOR
                p_value = float(binom.cdf(x, n, reference))
                tests.append(Test(kind, office, official, x, n, None, peers, reference, p_value))
                continue
            past = history.get((office, official, department))
            baseline = None
            if past and past[denominator] >= MIN_BASELINE:
                baseline = (_count(past, numerator) + 0.5) / (past[denominator] + 1)
            reference = max(peers, baseline or 0.0)
            p_value = float(binom.sf(x - 1, n, reference))
            tests.append(Test(kind, office, official, x, n, baseline, peers, reference, p_value))
    return tests


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """q-values: the smallest false-discovery rate at which each test would be rejected."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [0.0] * m
    running = 1.0
    for rank_from_top, i in enumerate(reversed(order)):
        position = m - rank_from_top
        running = min(running, p_values[i] * m / position)
        q[i] = running
    return q


def detect_alerts(*, week_end: dt.date | None = None) -> list[Alert]:
    """The week's alerts (the week ending yesterday by default), replacing the week's
    unacknowledged ones; acknowledged alerts are kept and not raised again."""
    week_end = week_end or timezone.localdate() - dt.timedelta(days=1)
    raised: list[Alert] = []
    now = timezone.now()
    with transaction.atomic():
        Alert.objects.filter(week_end=week_end, acknowledged_at__isnull=True).delete()
        acknowledged = set(
            Alert.objects.filter(week_end=week_end).values_list("kind", "office_id", "official_id")
        )

        def detect(group: tuple[str, str]) -> None:
            made = _alerts_of(week_end, *group, acknowledged=acknowledged, now=now)
            raised.extend(Alert.objects.bulk_create(made))

        # Each level and signal on its own: one that cannot be tested (a row it cannot
        # read) is quarantined with its reason and tested again when due (`replay_alerts`),
        # and the others are raised.
        groups = [(level, kind) for level in ("office", "official") for kind in SIGNALS]
        quarantine.run_each(
            pipeline=Pipeline.ALERTS, items=groups, process=detect,
            key=lambda group: f"{week_end}:{group[0]}:{group[1]}",
        )  # fmt: skip
    return raised


def replay_alerts(item: str) -> None:
    """A quarantined week, level and signal (`WEEK_END:LEVEL:KIND`) tested again: its
    unacknowledged alerts replaced."""
    day, level, kind = item.split(":")
    week_end = dt.date.fromisoformat(day)
    alerts = Alert.objects.filter(week_end=week_end, kind=kind, official__isnull=level == "office")
    acknowledged = set(
        alerts.filter(acknowledged_at__isnull=False).values_list("kind", "office_id", "official_id")
    )
    alerts.filter(acknowledged_at__isnull=True).delete()
    made = _alerts_of(week_end, level, kind, acknowledged=acknowledged, now=timezone.now())
    Alert.objects.bulk_create(made)


def _alerts_of(
    week_end: dt.date, level: str, kind: str, *, acknowledged: set, now: dt.datetime
) -> list[Alert]:
    tests = [t for t in tests_for_week(week_end, level=level) if t.kind == kind]
    q_values = benjamini_hochberg([t.p_value for t in tests])
    return [
        Alert(
            kind=test.kind,
            office_id=test.office_id,
            official_id=test.official_id,
            week_end=week_end,
            observed=test.observed,
            out_of=test.out_of,
            reference_rate=test.reference,
            baseline_rate=test.baseline,
            peer_rate=test.peers,
            p_value=test.p_value,
            q_value=q,
            created_at=now,
        )
        for test, q in zip(tests, q_values, strict=True)
        if q <= settings.CFMP_ALERT_FDR
        and (test.kind, test.office_id, test.official_id) not in acknowledged
    ]


def acknowledge_alert(*, alert: Alert, user) -> Alert:
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=timezone.now()
    )
    alert.refresh_from_db()
    return alert

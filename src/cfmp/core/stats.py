"""Small statistics shared by rankings and alerts."""

from __future__ import annotations

import math

Z95 = 1.959964


def wilson(successes: int, trials: int, *, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default): unlike the naive
    interval it stays inside [0, 1] and is honest about small samples, so ranking by its
    lower bound does not put one complaint in two replies above forty in a hundred."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z**2 / trials
    centre = (p + z**2 / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)

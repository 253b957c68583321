"""Small statistics for noisy machines: medians, quartiles and spreads."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

__all__ = ("percentile", "summarize")


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linearly interpolated."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values: Sequence[float]) -> dict[str, float]:
    """Median, quartiles, extremes and the relative spread ((p75 - p25) / median)."""
    if not values:
        return {"n": 0}
    median = statistics.median(values)
    p25, p75 = percentile(values, 25), percentile(values, 75)
    return {
        "n": len(values),
        "median": median,
        "p25": p25,
        "p75": p75,
        "min": min(values),
        "max": max(values),
        "spread": (p75 - p25) / median if median else 0.0,
    }

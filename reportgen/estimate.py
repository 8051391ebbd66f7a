"""Maximum-likelihood face probabilities and their confidence intervals.

The likelihood of face probabilities y given counts n is L = Π_k y_k^{n_k}
(the lesson's (3.6)); under Σ_k y_k = 1 it is largest at y_k = n_k / N.
Intervals are per face, at a confidence level in (0, 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy.special import betaincinv, ndtri


@dataclass(frozen=True)
class Interval:
    """Lower and upper bounds, one pair per face, in face order."""

    low: tuple[float, ...]
    high: tuple[float, ...]


def mle(counts: Sequence[int]) -> tuple[float, ...]:
    """Maximum-likelihood estimate y_k = n_k / N (the maximiser of (3.6))."""
    n = sum(counts)
    return tuple(c / n for c in counts)


def wilson(counts: Sequence[int], level: float) -> Interval:
    """Wilson score interval for each face (no continuity correction).

    Newcombe (1998), method 3: centre (2 n_k + z²) / 2(N + z²), half-width
    z sqrt(4 N p q + z²) / 2(N + z²); closed at 0 for n_k = 0 and at 1 for n_k = N.
    """
    n = sum(counts)
    z = float(ndtri(0.5 + 0.5 * level))
    denom = 2 * (n + z * z)
    low, high = [], []
    for k in counts:
        p = k / n
        centre = (2 * n * p + z * z) / denom
        delta = z / denom * math.sqrt(4 * n * p * (1 - p) + z * z)
        low.append(0.0 if k == 0 else centre - delta)
        high.append(1.0 if k == n else centre + delta)
    return Interval(tuple(low), tuple(high))


def exact(counts: Sequence[int], level: float) -> Interval:
    """Clopper–Pearson interval from beta quantiles.

    low = B⁻¹(α/2; n_k, N − n_k + 1), high = B⁻¹(1 − α/2; n_k + 1, N − n_k),
    with low = 0 for n_k = 0 and high = 1 for n_k = N.
    """
    n = sum(counts)
    alpha = 1 - level
    low, high = [], []
    for k in counts:
        low.append(0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2)))
        high.append(1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2)))
    return Interval(tuple(low), tuple(high))


#: Interval methods by the name used in ``--interval`` and the JSON.
METHODS: dict[str, Callable[[Sequence[int], float], Interval]] = {
    "wilson": wilson,
    "exact": exact,
}

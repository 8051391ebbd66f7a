"""Many dice, many students, one α: p-values adjusted for testing many at once.

With 35 fair dice each tested at α = 0.05, about 35 × 0.05 ≈ 2 fall below α by
chance alone. Holm's step-down adjustment controls the chance of even one false
"biased" verdict among all of them (the family-wise error rate) at α, for any
dependence between the tests, and is uniformly more powerful than Bonferroni's.
"""

from __future__ import annotations

from collections.abc import Sequence


def holm(pvalues: Sequence[float]) -> tuple[float, ...]:
    """Holm (1979, Scand. J. Statist. 6:65) step-down adjusted p-values, in input order.

    With the m p-values sorted, p_(1) ≤ … ≤ p_(m), the adjusted value of p_(i) is
    max_{j ≤ i} min(1, (m − j + 1) p_(j)): monotone in the sorted order, at least
    the raw p, at most 1. Rejecting where the adjusted p < α is Holm's procedure
    at level α. The same as ``statsmodels.stats.multitest.multipletests(method="holm")``.

    Parameters
    ----------
    pvalues
        The m p-values of the family (e.g. one exact test per die or student).

    Returns
    -------
    tuple of float
        The adjusted p-values, in the order of ``pvalues``.
    """
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return tuple(adjusted)


def expected_by_chance(m: int, alpha: float) -> float:
    """How many of m p-values chance alone puts below α: m·α.

    Under the null hypothesis an exact test's p-value falls below α with
    probability at most α (exactly α for a continuous statistic), so among m
    tests of fair dice the expected number of "significant" ones is m·α, whatever
    the dependence between them (linearity of expectation): 35 × 0.05 = 1.75.

    Parameters
    ----------
    m
        How many tests.
    alpha
        The level each is judged at.

    Returns
    -------
    float
        The expected number of p-values below α when every null hypothesis holds.
    """
    return m * alpha

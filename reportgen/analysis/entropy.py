"""Cross-entropy, entropy, divergence and goodness of fit, from counts alone.

The per-sample cross-entropy (4.3), E_i = −Σ_k t_ik log y_k, takes only K
distinct values, −log y_k, one per face; so the counts are sufficient for the
total Σ_i E_i = −Σ_k n_k log y_k and nothing needs the per-throw series.
Terms with n_k = 0 are 0 (0 · log 0 = 0); a face that occurred but has
y_k = 0 makes the total infinite.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence

from scipy.special import chdtrc

#: Logarithm for each ``--unit``.
LOG = {"nat": math.log, "bit": math.log2}

#: One unit of each ``--unit`` in nats: statistics such as G and 2N·KL ~ χ² are in nats.
NATS = {"nat": 1.0, "bit": math.log(2)}


def _log(y: float, unit: str) -> float:
    return LOG[unit](y) if y > 0 else -math.inf


def per_face(y: Sequence[float], unit: str = "nat") -> tuple[float, ...]:
    """Equation (4.3) for one throw that showed face k: E = −log y_k (∞ when y_k = 0)."""
    return tuple(-_log(p, unit) for p in y)


def terms(counts: Sequence[int], per_face: Sequence[float]) -> list[float]:
    """n_k · (−log y_k) per face: 0 for a face never seen (0 · log 0 = 0), ∞ if y_k = 0."""
    return [0.0 if n_k == 0 else n_k * e for n_k, e in zip(counts, per_face, strict=True)]


def total(counts: Sequence[int], y: Sequence[float], unit: str = "nat") -> float:
    """Σ_i E_i = −Σ_k n_k log y_k, with 0 · log 0 = 0; ∞ if a seen face has y_k = 0."""
    terms = []
    for n_k, y_k in zip(counts, y, strict=True):
        if n_k == 0:
            continue
        if y_k <= 0:
            return math.inf
        terms.append(-n_k * LOG[unit](y_k))
    return math.fsum(terms)


def entropy(p: Sequence[float], unit: str = "nat") -> float:
    """H(p) = −Σ_k p_k log p_k, with 0 · log 0 = 0."""
    return math.fsum(-q * LOG[unit](q) for q in p if q > 0)


def kl_divergence(p: Sequence[float], y: Sequence[float], unit: str = "nat") -> float:
    """KL(p ‖ y) = Σ_k p_k log(p_k / y_k): the mean cross-entropy under y minus H(p).

    Summed term by term rather than as a difference of two means, so that a
    small divergence keeps its digits. ∞ when y_k = 0 for a face with p_k > 0.
    A y_k near the smallest float (``--model 1e-320,…``) makes p_k / y_k overflow
    although its logarithm is finite; that term is log p_k − log y_k instead.
    """
    log = LOG[unit]
    terms = []
    for p_k, y_k in zip(p, y, strict=True):
        if p_k == 0:
            continue
        if y_k <= 0:
            return math.inf
        terms.append(p_k * _log_ratio(p_k, y_k, log))
    return max(0.0, math.fsum(terms))


def _log_ratio(a: float, b: float, log: Callable[[float], float]) -> float:
    """log(a / b) for a, b > 0: as one logarithm when a / b is a normal float, else as
    log a − log b, which stays finite when a / b overflows (b subnormal) or underflows."""
    ratio = a / b
    if _TINY <= ratio < math.inf:
        return log(ratio)
    return log(a) - log(b)


#: The smallest normal float: below it a quotient has lost digits.
_TINY = sys.float_info.min


def model_df(y: Sequence[float]) -> int:
    """Degrees of freedom of a goodness-of-fit test against y: (faces with y_k > 0) − 1.

    A face the model gives probability 0 carries no freedom: its count is fixed
    at 0 under the model (a seen one makes the statistic infinite instead).
    The df of χ², G and of their power (``fairness.throws_for_power``).

    Parameters
    ----------
    y
        The model's face probabilities.

    Returns
    -------
    int
        The degrees of freedom, at least 0.
    """
    return max(0, sum(1 for y_k in y if y_k > 0) - 1)


def _chi2_pvalue(stat: float, df: int) -> float:
    """P(χ²_df ≥ stat); with df = 0 the statistic is 0 for every possible log, so p = 1."""
    if math.isinf(stat):
        return 0.0
    return 1.0 if df == 0 else float(chdtrc(df, stat))


def pearson_chi2(counts: Sequence[int], y: Sequence[float]) -> tuple[float, int, float]:
    """Pearson's X² = Σ (n_k − N y_k)² / (N y_k) over faces with y_k > 0, df = ``model_df(y)``.

    A face seen although y_k = 0 makes X² infinite and p = 0.
    """
    n = sum(counts)
    df = model_df(y)
    if any(y_k <= 0 and n_k > 0 for n_k, y_k in zip(counts, y, strict=True)):
        return math.inf, df, 0.0
    stat = math.fsum(
        (n_k - n * y_k) ** 2 / (n * y_k) for n_k, y_k in zip(counts, y, strict=True) if y_k > 0
    )
    return stat, df, _chi2_pvalue(stat, df)


def g_test(counts: Sequence[int], y: Sequence[float]) -> tuple[float, int, float]:
    """G = 2 Σ_k n_k log(n_k / (N y_k)) in nats, with df = ``model_df(y)``.

    This is 2 × (total cross-entropy under y − total under the MLE) = 2N · KL(observed ‖ y),
    summed term by term so that two large, nearly equal totals never cancel, each
    term overflow-safe as in ``kl_divergence``. A face seen although y_k = 0 makes
    G infinite and p = 0.
    """
    n = sum(counts)
    df = model_df(y)
    terms = []
    for n_k, y_k in zip(counts, y, strict=True):
        if n_k == 0:
            continue
        if y_k <= 0:
            return math.inf, df, 0.0
        expected = n * y_k
        if expected >= _TINY:
            terms.append(n_k * _log_ratio(n_k, expected, math.log))
        else:  # N y_k itself lost digits: log n_k − log N − log y_k
            terms.append(n_k * (math.log(n_k / n) - math.log(y_k)))
    stat = max(0.0, 2 * math.fsum(terms))
    return stat, df, _chi2_pvalue(stat, df)


def running_entropy(
    checkpoints: Sequence[tuple[int, Sequence[int]]], unit: str = "nat"
) -> tuple[tuple[int, float], ...]:
    """(m, H(p̂_m)) at each checkpoint (m, cumulative counts of throws 1..m).

    p̂_m = n_k(m) / m are the frequencies of the first m throws, so H(p̂_m) is the
    mean cross-entropy of those throws under their own maximum-likelihood
    estimate: the least any model y can give them (Gibbs' inequality).
    """
    return tuple((m, entropy([c / m for c in counts], unit)) for m, counts in checkpoints if m)

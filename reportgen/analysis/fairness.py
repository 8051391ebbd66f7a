"""Is the die fair? The exact multinomial test, and whether several dice behave alike.

Pearson's X² and the G-test against a model live in ``entropy`` beside the
cross-entropy they are built from; here are the tests that need more than a
sum over faces: an exact test for small logs and the homogeneity test over
the groups × faces contingency table of ``--by``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc, chdtri, chndtrinc, gammaln

#: The power a "how many throws would it take" answer aims at (the usual 80%).
POWER = 0.8

#: Largest number of outcomes (compositions of N into K parts) enumerated exactly.
MAX_ENUMERATION = 2_000_000

#: Draws of the Monte Carlo test when enumeration is too large, and its fixed seed.
MONTE_CARLO_DRAWS = 200_000
MONTE_CARLO_SEED = 20_260_127

#: Faces × draws the Monte Carlo test may sample; dice with many faces get fewer
#: draws (200 000 up to K = 25, 5 000 for a d1000), never fewer than MIN_DRAWS.
DRAW_BUDGET = 5_000_000
MIN_DRAWS = 2_000

#: Outcomes whose probability is within this relative distance of the observed
#: one count as "as probable": floating-point sums of logs must not split ties
#: (scipy's binomtest uses the same 1 + 1e-7).
RELATIVE_TIE = 1e-7


@dataclass(frozen=True)
class ExactTest:
    """Exact multinomial test of the counts against a model y.

    ``pvalue`` = P(Pr(X) ≤ Pr(observed)) for X ~ Mult(N, y). ``method`` is
    ``"enumeration"`` (every outcome summed; ``draws`` = number of outcomes,
    ``stderr`` = 0) or ``"monte-carlo"`` (``draws`` samples with a fixed seed;
    ``stderr`` = √(p(1 − p)/draws)). Faces with y_k = 0 never occur under
    the model; if one did occur, p = 0 (the observed log is impossible).
    """

    pvalue: float
    method: str
    draws: int
    stderr: float


@dataclass(frozen=True)
class Homogeneity:
    """Do the groups share one face distribution? Tests on the groups × faces table.

    Pearson's X² = Σ_gk (O_gk − E_gk)² / E_gk and G = 2 Σ_gk O_gk log(O_gk / E_gk),
    with E_gk = R_g C_k / N and df = (groups − 1)(faces seen − 1); faces never
    seen in any group are left out (they carry no information and E would be 0).
    No continuity correction.
    """

    statistic: float
    df: int
    pvalue: float
    g_statistic: float
    g_pvalue: float


def compositions(n: int, k: int) -> int:
    """Number of outcomes of N throws of a K-faced die: C(N + K − 1, K − 1)."""
    return math.comb(n + k - 1, k - 1)


def exact_multinomial(
    counts: Sequence[int],
    y: Sequence[float],
    *,
    max_enumeration: int = MAX_ENUMERATION,
    draws: int = MONTE_CARLO_DRAWS,
    seed: int = MONTE_CARLO_SEED,
) -> ExactTest:
    """Exact multinomial goodness-of-fit test of the counts against y.

    p = Σ Pr(x) over every outcome x (Σ x_k = N) with Pr(x) ≤ Pr(n), where
    Pr(x) = N! Π_k y_k^{x_k} / x_k! (the likelihood (3.6) with its multinomial
    coefficient). Every outcome is enumerated when there are at most
    ``max_enumeration`` of them; otherwise ``draws`` outcomes are drawn from
    Mult(N, y) with a fixed seed and p is the fraction at most as probable
    (fewer draws for many faces: see ``DRAW_BUDGET``).
    """
    n = sum(counts)
    if any(c > 0 and y_k <= 0 for c, y_k in zip(counts, y, strict=True)):
        return ExactTest(0.0, "enumeration", 0, 0.0)  # the model rules the counts out
    possible = [i for i, y_k in enumerate(y) if y_k > 0]
    log_y = np.log(np.asarray([y[i] for i in possible], dtype=float))

    def log_prob(x: np.ndarray) -> np.ndarray:
        """log Pr(x) − log N! for outcomes x (rows; columns = faces with y_k > 0)."""
        return x @ log_y - gammaln(x + 1).sum(axis=-1)

    observed = float(log_prob(np.asarray([counts[i] for i in possible], dtype=float)))
    threshold = observed + math.log1p(RELATIVE_TIE)
    log_norm = float(gammaln(n + 1))
    total = compositions(n, len(possible))
    if total <= max_enumeration:
        pvalue = _enumerated(n, log_y, threshold, log_norm)
        return ExactTest(min(1.0, pvalue), "enumeration", total, 0.0)
    rng = np.random.default_rng(seed)
    p = np.exp(log_y)
    # Each draw costs K binomial variates: fewer draws for many faces (the
    # stated stderr says what that costs in precision).
    draws = min(draws, max(MIN_DRAWS, DRAW_BUDGET // p.size))
    # A table of log x! pays for itself on small logs; for large N it would cost 16 bytes
    # per throw (160 MB at N = 10^7), so the draws' log x! are computed directly.
    log_factorial = gammaln(np.arange(n + 1) + 1.0) if n <= 1_000_000 else None
    hits = 0
    block = max(1, 4_000_000 // p.size)  # draws per block: at most 4e6 cells in memory
    for start in range(0, draws, block):
        sample = rng.multinomial(n, p / p.sum(), size=min(block, draws - start))
        if log_factorial is None:
            logs = log_prob(sample.astype(float))
        else:
            logs = sample @ log_y - log_factorial[sample].sum(axis=1)
        hits += int(np.count_nonzero(logs <= threshold))
    pvalue = hits / draws
    return ExactTest(pvalue, "monte-carlo", draws, math.sqrt(pvalue * (1 - pvalue) / draws))


def _enumerated(n: int, log_y: np.ndarray, threshold: float, log_norm: float) -> float:
    """Σ Pr(x) over every composition x of N with log Pr(x) − log N! ≤ ``threshold``.

    Every composition is built face by face, keeping per outcome only the
    throws left and the partial sum of log terms (the states grow to their number).
    """
    x_all = np.arange(n + 1, dtype=float)
    terms = [x_all * ly - gammaln(x_all + 1) for ly in log_y]
    left = np.array([n], dtype=np.int64)
    partial = np.zeros(1)
    for t in terms[:-1]:
        width = left + 1
        state = np.repeat(np.arange(left.size), width)
        x = np.arange(state.size) - np.repeat(np.cumsum(width) - width, width)
        partial = partial[state] + t[x]
        left = left[state] - x
    partial = partial + terms[-1][left]
    keep = partial <= threshold
    return float(np.exp(partial[keep] + log_norm).sum())


def homogeneity(table: Sequence[Sequence[int]]) -> Homogeneity:
    """χ² and G tests of homogeneity on a groups × faces table of counts."""
    observed = np.asarray(table, dtype=float)
    observed = observed[:, observed.sum(axis=0) > 0]
    observed = observed[observed.sum(axis=1) > 0]
    rows, cols = observed.shape
    df = max(0, (rows - 1) * (cols - 1))
    if df == 0:
        return Homogeneity(0.0, 0, 1.0, 0.0, 1.0)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    pearson = math.fsum(((observed - expected) ** 2 / expected).ravel())
    seen = observed > 0
    g = 2 * math.fsum((observed[seen] * np.log(observed[seen] / expected[seen])).ravel())
    g = max(0.0, g)
    return Homogeneity(pearson, df, float(chdtrc(df, pearson)), g, float(chdtrc(df, g)))


def throws_for_power(kl_nats: float, df: int, alpha: float, power: float = POWER) -> int | None:
    """Throws a G-test at level ``alpha`` needs to detect a bias of this size with ``power``.

    Under a true distribution p, the G statistic of N throws against the model
    y is approximately noncentral χ² with ``df`` degrees of freedom and
    noncentrality λ = 2N · KL(p ‖ y) (KL in nats). The answer is the smallest
    N whose λ reaches the noncentrality at which the test rejects with
    probability ``power``; ``None`` when there is no bias (KL = 0) or no test.
    """
    if not (kl_nats > 0 and math.isfinite(kl_nats)) or df < 1:
        return None
    critical = float(chdtri(df, alpha))  # the upper-α point of χ²_df
    needed = float(chndtrinc(critical, df, 1 - power))  # λ with P(χ²_df(λ) ≤ critical) = 1 − power
    return max(1, math.ceil(needed / (2 * kl_nats)))

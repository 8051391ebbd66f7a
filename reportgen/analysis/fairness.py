"""Is the die fair? The exact multinomial test, and whether several dice behave alike.

Pearson's X² and the G-test against a model live in ``entropy`` beside the
cross-entropy they are built from; here are the tests that need more than a
sum over faces: the exact multinomial test (its algorithms in ``exact`` and
``exact_uniform``) and the homogeneity tests over the groups × faces
contingency table of ``--by`` (the exact one in ``contingency``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import chdtrc, chdtri, chndtrinc, gammaln

from reportgen.analysis import exact, exact_uniform
from reportgen.analysis.contingency import ExactHomogeneity, exact_homogeneity
from reportgen.analysis.exact import MONTE_CARLO_SEED, RELATIVE_TIE, monte_carlo_pvalue

#: The power a "how many throws would it take" answer aims at (the usual 80%).
POWER = 0.8

#: Most partial outcomes the exact test may visit before Monte Carlo takes over.
MAX_ENUMERATION = exact.MAX_STATES

#: Draws of the Monte Carlo test when the exact one would cost too much.
MONTE_CARLO_DRAWS = 200_000

#: Faces × draws the Monte Carlo test may sample; dice with many faces get fewer
#: draws (200 000 up to K = 25, 5 000 for a d1000), never fewer than MIN_DRAWS.
DRAW_BUDGET = 5_000_000
MIN_DRAWS = 2_000

#: Below this, 1 − (accepted mass) has too few correct digits; the p-value of a fair
#: die is then summed over its rejected outcomes instead, when that is affordable.
SMALL_P = 1e-6


class StatisticPvalue:
    """A test result that unpacks as ``statistic, pvalue``, as scipy's do.

    ``stat, p = result.tests["g_test"]`` (``scipy.stats.chisquare`` results unpack
    the same way); ``result[0]``, ``result[1]`` and ``len(result) == 2`` too. The
    other figures (``df``, ``method``, …) are attributes only.
    """

    statistic: float
    pvalue: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float:
        return (self.statistic, self.pvalue)[index]


@dataclass(frozen=True)
class ExactTest(StatisticPvalue):
    """Exact multinomial test of the counts against a model y.

    ``pvalue`` = P(Pr(X) ≤ Pr(observed)) for X ~ Mult(N, y). ``method`` is
    ``"enumeration"`` (exact: ``draws`` = C(N + K − 1, K − 1), the number of
    outcomes the sum covers, ``stderr`` = 0, ``seed`` = None) or
    ``"monte-carlo"`` (``draws`` samples from a generator seeded with ``seed``;
    p = (b + 1)/(draws + 1), ``stderr`` of ``exact.monte_carlo_pvalue``). Faces
    with y_k = 0 never occur under the model; if one did occur, p = 0 by
    definition (the observed log is impossible), the only p-value that is 0.

    ``statistic`` is Pr(n), the probability under the model of the counts
    observed, against which every outcome is compared (0 when the model rules
    them out; it underflows to 0 for very long logs): so the result unpacks as
    ``statistic, pvalue``, as the other tests do. The JSON does not write it.
    """

    pvalue: float
    method: str
    draws: int
    stderr: float
    seed: int | None = None
    pvalue_holm: float | None = None  # adjusted over a family of tests (several dice)
    statistic: float = math.nan


@dataclass(frozen=True)
class Homogeneity(StatisticPvalue):
    """Do the groups share one face distribution? Tests on the groups × faces table.

    Pearson's X² = Σ_gk (O_gk − E_gk)² / E_gk and G = 2 Σ_gk O_gk log(O_gk / E_gk),
    with E_gk = R_g C_k / N and df = (groups − 1)(faces seen − 1); faces never
    seen in any group are left out (they carry no information and E would be 0).
    No continuity correction. ``exact`` is the Fisher–Freeman–Halton exact test
    of the same table (``contingency.exact_homogeneity``).
    """

    statistic: float
    df: int
    pvalue: float
    g_statistic: float
    g_pvalue: float
    exact: ExactHomogeneity | None = None


def compositions(n: int, k: int) -> int:
    """Number of outcomes of N throws of a K-faced die: C(N + K − 1, K − 1)."""
    return math.comb(n + k - 1, k - 1)


def exact_multinomial(
    counts: Sequence[int],
    y: Sequence[float],
    *,
    max_enumeration: int = MAX_ENUMERATION,
    draws: int | None = None,
    seed: int = MONTE_CARLO_SEED,
) -> ExactTest:
    """Exact multinomial goodness-of-fit test of the counts against y.

    p = Σ Pr(x) over every outcome x (Σ x_k = N) with Pr(x) ≤ Pr(n)·(1 + 1e-7),
    where Pr(x) = N! Π_k y_k^{x_k} / x_k! (the likelihood (3.6) with its
    multinomial coefficient); faces with y_k = 0 are left out. The sum is exact
    (``_exact_pvalue``) unless that would visit more than ``max_enumeration``
    partial outcomes; then ``draws`` outcomes are drawn from Mult(N, y) with a
    generator seeded with ``seed``, and p = (b + 1)/(draws + 1) with b the draws
    at most as probable. ``statistic`` is Pr(n), the probability of the observed
    counts that every outcome is compared with.

    Parameters
    ----------
    counts
        n_k, the throws of each face.
    y
        The model's face probabilities.
    max_enumeration
        Most partial outcomes the exact sum may visit before Monte Carlo takes over.
    draws
        Draws of the Monte Carlo branch; ``None``: ``MONTE_CARLO_DRAWS``, fewer for
        many faces (``default_draws``).
    seed
        Seed of the Monte Carlo branch's generator (recorded in the result).

    Returns
    -------
    ExactTest
        p-value, method, draws, standard error, seed and Pr(n).
    """
    n = sum(counts)
    if any(c > 0 and y_k <= 0 for c, y_k in zip(counts, y, strict=True)):
        # The model rules the counts out.
        return ExactTest(0.0, "enumeration", 0, 0.0, statistic=0.0)
    possible = [i for i, y_k in enumerate(y) if y_k > 0]
    free = [counts[i] for i in possible]
    model = [y[i] for i in possible]
    probability = math.exp(_log_probability(free, model))
    pvalue = _exact_pvalue(free, model, max_enumeration)
    if pvalue is not None:
        combos = compositions(n, len(possible))
        return ExactTest(pvalue, "enumeration", combos, 0.0, statistic=probability)
    draws = default_draws(len(possible)) if draws is None else draws
    return replace(_monte_carlo(free, model, draws, seed), statistic=probability)


def default_draws(k: int) -> int:
    """The Monte Carlo draws for ``k`` possible faces: ``MONTE_CARLO_DRAWS``, fewer for many
    faces (``DRAW_BUDGET`` / k, at least ``MIN_DRAWS``), as each draw costs k variates."""
    return min(MONTE_CARLO_DRAWS, max(MIN_DRAWS, DRAW_BUDGET // k))


def _log_probability(counts: Sequence[int], y: Sequence[float]) -> float:
    """log Pr(n) = log N! − Σ log n_k! + Σ n_k log y_k, the multinomial's (3.6), over y_k > 0."""
    n = sum(counts)
    logs = (c * math.log(y_k) for c, y_k in zip(counts, y, strict=True) if c)
    return math.lgamma(n + 1) - math.fsum(math.lgamma(c + 1) for c in counts) + math.fsum(logs)


def _exact_pvalue(counts: list[int], y: list[float], max_states: int) -> float | None:
    """The exact p-value over the faces with y_k > 0, or None when it would cost too much.

    A fair die (all y_k equal) sums the sorted acceptance region
    (``exact_uniform.accepted_mass``), p = 1 − that mass, whose absolute error is
    about |log Pr|·ε; below ``SMALL_P`` the rejected outcomes are summed instead
    (``exact.multinomial_pvalue``, any model, relative precision) when affordable,
    else 1 − mass stands, never below the observed outcome's own probability.
    """
    n, k = sum(counts), len(counts)
    if k <= 1 or n == 0:
        return 1.0
    if any(y_k != y[0] for y_k in y):
        return exact.multinomial_pvalue(counts, y, max_states=max_states)
    accepted = exact_uniform.accepted_mass(counts, max_states=max_states)
    if accepted is None:
        return None
    if 1 - accepted >= SMALL_P:
        return min(1.0, 1 - accepted)
    # Unsorted, the branch and bound visits more states (about (K − 2)! times): a smaller budget.
    rejected = exact.multinomial_pvalue(counts, y, max_states=max_states // 4)
    if rejected is not None:
        return rejected
    observed = math.lgamma(n + 1) - math.fsum(math.lgamma(c + 1) for c in counts)
    return max(1 - accepted, math.exp(observed - n * math.log(k)))


def _monte_carlo(counts: list[int], y: list[float], draws: int, seed: int) -> ExactTest:
    """The Monte Carlo branch of ``exact_multinomial``: (b + 1)/(B + 1) from seeded draws."""
    n = sum(counts)
    log_y = np.log(np.asarray(y, dtype=float))
    log_counts = np.asarray(counts, dtype=float)
    observed = float(log_counts @ log_y - gammaln(log_counts + 1).sum())
    threshold = observed + math.log1p(RELATIVE_TIE)
    rng = np.random.default_rng(seed)
    p = np.exp(log_y)
    # A table of log x! pays for itself on small logs; for large N it would cost 16 bytes
    # per throw (160 MB at N = 10^7), so the draws' log x! are computed directly.
    log_factorial = gammaln(np.arange(n + 1) + 1.0) if n <= 1_000_000 else None
    hits = 0
    block = max(1, 4_000_000 // p.size)  # draws per block: at most 4e6 cells in memory
    for start in range(0, draws, block):
        sample = rng.multinomial(n, p / p.sum(), size=min(block, draws - start))
        if log_factorial is None:
            logs = sample @ log_y - gammaln(sample + 1.0).sum(axis=1)
        else:
            logs = sample @ log_y - log_factorial[sample].sum(axis=1)
        hits += int(np.count_nonzero(logs <= threshold))
    pvalue, stderr = monte_carlo_pvalue(hits, draws)
    return ExactTest(pvalue, "monte-carlo", draws, stderr, seed)


def homogeneity(table: Sequence[Sequence[int]], *, seed: int = MONTE_CARLO_SEED) -> Homogeneity:
    """χ² and G tests of homogeneity on a groups × faces table of counts, and the exact test.

    ``exact`` is ``contingency.exact_homogeneity`` of the same table (its Monte
    Carlo, for large tables, seeded with ``seed``): on small tables, where
    expected counts are small, the χ² approximation misleads and the exact p is
    the one to decide by.
    """
    exact_test = exact_homogeneity(table, seed=seed)
    observed = np.asarray(table, dtype=float)
    observed = observed[:, observed.sum(axis=0) > 0]
    observed = observed[observed.sum(axis=1) > 0]
    rows, cols = observed.shape
    df = max(0, (rows - 1) * (cols - 1))
    if df == 0:
        return Homogeneity(0.0, 0, 1.0, 0.0, 1.0, exact_test)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    pearson = math.fsum(((observed - expected) ** 2 / expected).ravel())
    seen = observed > 0
    g = 2 * math.fsum((observed[seen] * np.log(observed[seen] / expected[seen])).ravel())
    g = max(0.0, g)
    p_pearson, p_g = float(chdtrc(df, pearson)), float(chdtrc(df, g))
    return Homogeneity(pearson, df, p_pearson, g, p_g, exact_test)


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

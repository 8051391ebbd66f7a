"""A yardstick for chance: how G = 2N·KL(p̂ ‖ y) is spread when the model y is true.

The G statistic of the fairness test is twice the total cross-entropy that the
model y adds over the fitted ŷ (``entropy.g_test``). Whether the observed G is
large is a question about the G of other logs of the same N throws of a die
that follows y. Two answers are given side by side: the χ² density with
df = (faces with y_k > 0) − 1 degrees of freedom (the large-N approximation),
and a seeded simulation of ``draws`` logs of exactly N throws under y, each
with its own G. The share of simulated G at least as large as the observed one
is a Monte Carlo p-value of the G-test: the p-value, seen.

Only ``scipy.special`` is used (``scipy.stats`` costs a second to import).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import chdtr, chdtrc, chdtri, gammaln, kl_div

from reportgen.analysis.entropy import g_test
from reportgen.analysis.fairness import MONTE_CARLO_SEED

if TYPE_CHECKING:
    from reportgen.analysis.result import Analysis

#: Simulated logs per yardstick: the share beyond G to about ±0.016 (2 standard errors).
DRAWS = 4_000

#: Cells (draws × faces) drawn at a time: 32 MB of counts at most.
BLOCK_CELLS = 4_000_000

#: Simulated G within this relative distance of the observed one count as "as large":
#: the same 1 + 1e-7 as ``fairness.RELATIVE_TIE`` (two sums of logs must not split ties).
RELATIVE_TIE = 1e-7


@dataclass(frozen=True)
class Yardstick:
    """The G statistic of this log beside the G of ``draws`` logs simulated under the model.

    Attributes
    ----------
    n : int
        N, the throws of each simulated log (those of the observed one).
    df : int
        Degrees of freedom of the χ² approximation: faces with y_k > 0, minus 1.
    observed : float
        The log's G in nats (``entropy.g_test``); ∞ when a face the model
        forbids (y_k = 0) was seen.
    simulated : tuple of float
        G of each simulated log, in nats, sorted ascending.
    beyond : int
        Simulated G at least as large as ``observed`` (ties within ``RELATIVE_TIE``).
    seed : int
        Seed of the simulation: the same seed gives the same ``simulated``.
    """

    n: int
    df: int
    observed: float
    simulated: tuple[float, ...] = field(repr=False)
    beyond: int = 0
    seed: int = MONTE_CARLO_SEED

    @property
    def draws(self) -> int:
        """B, the number of simulated logs."""
        return len(self.simulated)

    @property
    def share(self) -> float:
        """b / B: the share of simulated G ≥ observed, the shaded area of the figure."""
        return self.beyond / self.draws

    @property
    def stderr(self) -> float:
        """Monte Carlo standard error of ``share``: √(share (1 − share) / B)."""
        return math.sqrt(self.share * (1 - self.share) / self.draws)

    @property
    def pvalue(self) -> float:
        """(b + 1)/(B + 1), the Monte Carlo p-value as SPEC.md states it (never 0)."""
        return (self.beyond + 1) / (self.draws + 1)

    @property
    def chi2_pvalue(self) -> float:
        """P(χ²_df ≥ observed): the G-test's p-value from the approximation (0 for G = ∞)."""
        if not math.isfinite(self.observed):
            return 0.0
        return float(chdtrc(self.df, self.observed)) if self.df > 0 else 1.0


def simulate_g(
    n: int, y: Sequence[float], draws: int = DRAWS, seed: int = MONTE_CARLO_SEED
) -> np.ndarray:
    """G = 2 Σ_k x_k log(x_k / (N y_k)) of ``draws`` logs x ~ Mult(N, y), in nats, unsorted.

    Each term is written as ``kl_div(x_k, N y_k)`` = x_k log(x_k / N y_k) − x_k + N y_k,
    whose sum over faces is G/2 because Σ x_k = Σ N y_k = N; every term is ≥ 0,
    so nothing cancels however large N is. Faces with y_k = 0 are never drawn
    and are left out. Drawn in blocks of at most ``BLOCK_CELLS`` counts.
    """
    p = np.asarray(y, dtype=float)
    p = p[p > 0]
    p = p / p.sum()
    expected = n * p
    rng = np.random.default_rng(seed)
    block = max(1, BLOCK_CELLS // p.size)
    out = np.empty(draws)
    for start in range(0, draws, block):
        size = min(block, draws - start)
        x = rng.multinomial(n, p, size=size)
        out[start : start + size] = 2 * kl_div(x, expected).sum(axis=1)
    return out


def yardstick(
    counts: Sequence[int],
    y: Sequence[float],
    *,
    draws: int = DRAWS,
    seed: int = MONTE_CARLO_SEED,
) -> Yardstick:
    """How large G would be by chance for N = Σ n_k throws of a die that follows y.

    Parameters
    ----------
    counts : sequence of int
        n_k, the observed counts.
    y : sequence of float
        The model's probabilities (``--model``), summing to 1.
    draws : int
        B, simulated logs.
    seed : int
        Seed of numpy's default generator; the default is fixed, so a report
        is the same every time it is made.

    Returns
    -------
    Yardstick
        The observed G, the simulated ones, and the share beyond.
    """
    n = sum(counts)
    observed, _, _ = g_test(counts, y)
    df = sum(1 for y_k in y if y_k > 0) - 1
    simulated = np.sort(simulate_g(n, y, draws, seed))
    threshold = observed * (1 - RELATIVE_TIE)
    beyond = int(np.count_nonzero(simulated >= threshold)) if math.isfinite(observed) else 0
    return Yardstick(n, df, observed, tuple(simulated.tolist()), beyond, seed)


def of(analysis: Analysis, *, draws: int = DRAWS, seed: int = MONTE_CARLO_SEED) -> Yardstick:
    """The yardstick of an analysis: its counts against its ``--model``."""
    return yardstick(analysis.counts, analysis.reference.y, draws=draws, seed=seed)


def chi2_density(df: int, x: Sequence[float] | np.ndarray) -> np.ndarray:
    """The χ²_df density at x: x^(df/2 − 1) e^(−x/2) / (2^(df/2) Γ(df/2)); 0 for x < 0.

    At x = 0 it is ∞ for df = 1, 1/2 for df = 2 and 0 above.
    """
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    positive = x > 0
    half = df / 2
    xp = x[positive]
    out[positive] = np.exp((half - 1) * np.log(xp) - xp / 2 - half * math.log(2) - gammaln(half))
    if df == 1:
        out[x == 0] = math.inf
    elif df == 2:
        out[x == 0] = 0.5
    return out


def chi2_shares(df: int, edges: Sequence[float]) -> np.ndarray:
    """P(edges[i] ≤ χ²_df < edges[i + 1]) for each pair of neighbouring edges (∞ allowed)."""
    x = np.clip(np.asarray(edges, dtype=float), 0.0, None)
    return np.diff(chdtr(df, x))


def chi2_quantile(df: int, upper: float) -> float:
    """The x with P(χ²_df ≥ x) = ``upper`` (0 for df = 0)."""
    return float(chdtri(df, upper)) if df > 0 else 0.0

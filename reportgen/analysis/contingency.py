"""Fisher–Freeman–Halton: the exact test that groups × faces counts share one distribution.

Given its margins (how often each group threw, how often each face showed), a
table of counts n_gk has the multiple hypergeometric probability
P(n) = Π_g R_g! Π_k C_k! / (N! Π_gk n_gk!) when the groups do not differ
(Freeman and Halton 1951, Biometrika 38:141); the p-value is the probability of
the tables with these margins at most as probable as the observed one. Small
tables are enumerated; larger ones are sampled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from reportgen.analysis.exact import MONTE_CARLO_SEED, RELATIVE_TIE, monte_carlo_pvalue

#: Enumerate when at most this many tables can have the observed margins (a bound;
#: about 0.1 µs per table and cell, a few tens of milliseconds at most).
MAX_TABLES = 300_000

#: Most cells (tables × faces) the enumeration keeps in memory at once.
MAX_CELLS = 4_000_000

#: Draws of the Monte Carlo test, and the hypergeometric variates (draws × free cells)
#: it may sample, about a tenth of a second; large tables get fewer draws, never
#: fewer than MIN_DRAWS (the stated stderr says what that costs in precision).
MONTE_CARLO_DRAWS = 100_000
DRAW_BUDGET = 1_000_000
MIN_DRAWS = 2_000


@dataclass(frozen=True)
class ExactHomogeneity:
    """Fisher–Freeman–Halton exact test of a groups × faces table.

    ``method`` is ``"enumeration"`` (every table with the observed margins;
    ``draws`` and ``seed`` are None, ``stderr`` 0) or ``"monte-carlo"``
    (``draws`` random tables from a generator seeded with ``seed``;
    p = (b + 1)/(draws + 1) and ``stderr`` as in ``exact.monte_carlo_pvalue``).
    """

    pvalue: float
    method: str
    draws: int | None
    seed: int | None
    stderr: float = 0.0


def table_count_bound(table: np.ndarray) -> float:
    """An upper bound on the number of tables with the margins of ``table``, as its logarithm.

    With two rows the count is exact: the first row is any x with Σ x_k = R_1 and
    0 ≤ x_k ≤ C_k, counted by convolving the ranges. Otherwise: fixing every column
    but one fixes the table, and column k can take at most C(C_k + r − 1, r − 1)
    values (its compositions into r rows, ignoring the row sums); the same holds
    with rows and columns exchanged. The bound is the smaller product, leaving out
    each side's largest factor.
    """
    rows, cols = table.shape
    if rows == 2:
        ways = np.ones(1)
        for c in table.sum(axis=0):
            ways = np.convolve(ways, np.ones(int(c) + 1))
        return math.log(ways[int(table[0].sum())])

    def log_product(sums: np.ndarray, parts: int) -> float:
        logs = gammaln(sums + parts) - gammaln(sums + 1) - math.lgamma(parts)
        return float(logs.sum() - logs.max())

    return min(log_product(table.sum(axis=0), rows), log_product(table.sum(axis=1), cols))


def exact_homogeneity(
    table: Sequence[Sequence[int]],
    *,
    max_tables: int = MAX_TABLES,
    draws: int = MONTE_CARLO_DRAWS,
    seed: int = MONTE_CARLO_SEED,
) -> ExactHomogeneity:
    """Fisher–Freeman–Halton exact test of homogeneity of the rows of ``table``.

    p = Σ P(t) over tables t with the observed margins and P(t) ≤ P(observed)·(1 + 1e-7),
    P the multiple hypergeometric probability. Rows and columns that are all zero
    are left out; a table with one row or one column left has p = 1. Enumerated
    (``_enumerate``) when ``table_count_bound`` is at most ``max_tables``,
    otherwise sampled (``_sample``).

    Parameters
    ----------
    table
        Counts, one row per group (die, student), one column per face.
    max_tables
        Enumerate only when at most this many tables can have the margins.
    draws
        Random tables of the Monte Carlo branch (fewer for large tables).
    seed
        Seed of the Monte Carlo branch's generator.

    Returns
    -------
    ExactHomogeneity
        p-value, method, and the draws and seed used (None when enumerated).
    """
    observed = np.asarray(table, dtype=np.int64)
    observed = observed[:, observed.sum(axis=0) > 0]
    observed = observed[observed.sum(axis=1) > 0]
    if min(observed.shape, default=0) <= 1:
        return ExactHomogeneity(1.0, "enumeration", None, None)
    if observed.shape[0] > observed.shape[1]:
        observed = observed.T  # the same test; fewer rows means fewer steps
    n = int(observed.sum())
    log_factorial = gammaln(np.arange(n + 1, dtype=float) + 1)
    statistic = -float(log_factorial[observed].sum())  # log P(observed) up to the margins' constant
    threshold = statistic + math.log1p(RELATIVE_TIE)
    bound = table_count_bound(observed)
    if (
        max_tables > 0
        and bound <= math.log(max_tables)
        and math.exp(bound) * observed.shape[1] <= MAX_CELLS
    ):
        return ExactHomogeneity(
            _enumerate(observed, threshold, log_factorial), "enumeration", None, None
        )
    return _sample(observed, threshold, log_factorial, draws, seed)


def _enumerate(observed: np.ndarray, threshold: float, log_factorial: np.ndarray) -> float:
    """Σ P(t) over every table t with the observed margins and −Σ log t_gk! ≤ threshold.

    The tables are built cell by cell, row by row; each state keeps the column sums
    still to fill, the rest of its row and −Σ log t! so far. A cell takes every
    value that leaves the rest of its row room in the later columns
    (max(0, rest − Σ later columns) to min(rest, its column)), so every state
    completes to at least one table and the states never outnumber the tables.
    The last cell of a row and the last row are what is left.
    """
    rows, cols = observed.shape
    row_sums, col_sums = observed.sum(axis=1), observed.sum(axis=0)
    n = int(row_sums.sum())
    column = col_sums[None, :].copy()
    partial = np.zeros(1)
    for g in range(rows - 1):
        rest = np.full(column.shape[0], row_sums[g])
        for k in range(cols - 1):
            later = column[:, k + 1 :].sum(axis=1)
            low = np.maximum(0, rest - later)
            width = np.minimum(rest, column[:, k]) - low + 1
            parent = np.repeat(np.arange(width.size), width)
            x = low[parent] + np.arange(parent.size) - np.repeat(np.cumsum(width) - width, width)
            column, rest, partial = column[parent], rest[parent] - x, partial[parent]
            column[:, k] -= x
            partial -= log_factorial[x]
        column[:, cols - 1] -= rest
        partial = partial - log_factorial[rest]
    partial = partial - log_factorial[column].sum(axis=1)
    margins = (
        float(log_factorial[row_sums].sum() + log_factorial[col_sums].sum()) - log_factorial[n]
    )
    rejected = partial[partial <= threshold]
    return min(1.0, float(np.sum(np.exp(rejected + margins))))


def _sample(
    observed: np.ndarray, threshold: float, log_factorial: np.ndarray, draws: int, seed: int
) -> ExactHomogeneity:
    """Monte Carlo Fisher–Freeman–Halton: random tables with the observed margins.

    Each table is drawn row by row, each row cell by cell from the hypergeometric
    law of its column given what its row still needs and what the later columns
    still hold (``Generator.hypergeometric``): row g is then a multivariate
    hypergeometric draw of R_g throws from the throws left, which is the table of
    a random relabelling of the pooled throws, P. p = (b + 1)/(B + 1).
    """
    rows, cols = observed.shape
    row_sums, col_sums = observed.sum(axis=1), observed.sum(axis=0)
    draws = min(draws, max(MIN_DRAWS, DRAW_BUDGET // ((rows - 1) * (cols - 1))))
    rng = np.random.default_rng(seed)
    block = max(1, 4_000_000 // cols)
    hits = 0
    for start in range(0, draws, block):
        size = min(block, draws - start)
        column = np.repeat(col_sums[None, :], size, axis=0)
        partial = np.zeros(size)
        for g in range(rows - 1):
            rest = np.full(size, row_sums[g])
            later = column.sum(axis=1)
            for k in range(cols - 1):
                later = later - column[:, k]
                x = rng.hypergeometric(column[:, k], later, rest)
                column[:, k] -= x
                rest = rest - x
                partial -= log_factorial[x]
            column[:, cols - 1] -= rest
            partial -= log_factorial[rest]
        partial -= log_factorial[column].sum(axis=1)
        hits += int(np.count_nonzero(partial <= threshold))
    pvalue, stderr = monte_carlo_pvalue(hits, draws)
    return ExactHomogeneity(pvalue, "monte-carlo", draws, seed, stderr)

"""The Fisher–Freeman–Halton exact test of homogeneity (issue 23, point 5).

Oracles: scipy.stats.fisher_exact for every 2 × 2 table (two-sided: the tables
at most as probable as the observed one, with scipy's own 1 + 1e-7 tolerance);
for r × K tables a brute-force enumeration written here (itertools over every
row, the multiple hypergeometric probability from math.lgamma); and the
enumeration itself for the Monte Carlo branch (within 4 standard errors).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from reportgen.analysis import contingency, fairness


def brute_force(table) -> tuple[float, int]:
    """(p, number of tables) over every table with the margins of ``table``."""
    table = np.asarray(table)
    table = table[:, table.sum(axis=0) > 0]
    table = table[table.sum(axis=1) > 0]
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    n = int(table.sum())
    constant = sum(math.lgamma(v + 1) for v in (*rows, *cols)) - math.lgamma(n + 1)

    def log_p(t):
        return constant - sum(math.lgamma(v + 1) for v in np.ravel(t))

    observed = log_p(table)
    total, count = [], 0
    choices = [
        [r for r in itertools.product(*(range(c + 1) for c in cols)) if sum(r) == row]
        for row in rows[:-1]
    ]
    for upper in itertools.product(*choices):
        last = cols - np.sum(upper, axis=0)
        if np.any(last < 0):
            continue
        count += 1
        lp = log_p(np.vstack([*upper, last]))
        if lp <= observed + math.log1p(1e-7):
            total.append(math.exp(lp))
    return math.fsum(total), count


def test_two_coins_small_table_chi2_says_differ_exact_does_not():
    """Issue 23: a 2 × 2 with expected counts down to 3.6 — coin A 2 heads, 6 tails; coin
    B 10 heads, 4 tails. χ² p = 0.0354 (\"the coins differ\", pooling stops) while
    Fisher's exact test gives 0.0743 (scipy.stats.fisher_exact and chi2_contingency)."""
    table = [[2, 6], [10, 4]]
    result = fairness.homogeneity(table)
    assert round(result.pvalue, 4) == 0.0354
    assert result.pvalue == pytest.approx(
        stats.chi2_contingency(table, correction=False).pvalue, rel=1e-12
    )
    assert result.exact.method == "enumeration"
    assert (result.exact.draws, result.exact.seed, result.exact.stderr) == (None, None, 0.0)
    assert round(result.exact.pvalue, 4) == 0.0743 > 0.05
    assert result.exact.pvalue == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-12)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=4, max_size=4))
def test_every_two_by_two_matches_scipy_fisher_exact(cells):
    table = [cells[:2], cells[2:]]
    ours = contingency.exact_homogeneity(table)
    arr = np.asarray(table)
    if min(np.count_nonzero(arr.sum(axis=0)), np.count_nonzero(arr.sum(axis=1))) <= 1:
        assert ours.pvalue == 1.0  # one row or column left: one table has these margins
        return
    assert ours.method == "enumeration"
    assert ours.pvalue == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9, abs=1e-14)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda r: st.lists(
            st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=r, max_size=r
        )
    )
)
def test_small_r_by_k_tables_match_a_brute_force_enumeration(table):
    """3 × 3 (and 2 × 3) with N ≤ 27: every table with the margins, by itertools."""
    expected, count = brute_force(table)
    ours = contingency.exact_homogeneity(table)
    arr = np.asarray(table)
    if min(np.count_nonzero(arr.sum(axis=0)), np.count_nonzero(arr.sum(axis=1))) <= 1:
        assert ours.pvalue == 1.0
        return
    assert ours.method == "enumeration"
    assert ours.pvalue == pytest.approx(expected, rel=1e-11, abs=1e-15)
    arr = arr[:, arr.sum(axis=0) > 0]
    arr = arr[arr.sum(axis=1) > 0]
    assert count <= math.exp(contingency.table_count_bound(arr)) * (1 + 1e-9)


@pytest.mark.parametrize(
    "table",
    [
        [[3, 0, 2, 1], [1, 3, 0, 2], [1, 1, 1, 1]],
        [[3, 1, 0], [0, 2, 5], [1, 1, 1]],
    ],
)
def test_three_row_tables_against_brute_force(table):
    expected, _ = brute_force(table)
    assert contingency.exact_homogeneity(table).pvalue == pytest.approx(expected, rel=1e-11)


def test_monte_carlo_is_within_four_standard_errors_of_the_enumeration():
    table = [[5, 0, 3, 2], [1, 4, 0, 6], [2, 2, 2, 2]]
    exact = contingency.exact_homogeneity(table)
    sampled = contingency.exact_homogeneity(table, max_tables=0, draws=20_000, seed=3)
    assert (exact.method, sampled.method) == ("enumeration", "monte-carlo")
    assert (sampled.draws, sampled.seed) == (20_000, 3)
    assert abs(sampled.pvalue - exact.pvalue) < 4 * sampled.stderr
    assert sampled.pvalue >= 1 / 20_001


def test_monte_carlo_is_reproducible_and_follows_the_seed():
    table = [[39, 47, 53, 60, 55, 46], [52, 47, 46, 35, 44, 76]]
    first = contingency.exact_homogeneity(table, draws=4_000, seed=11)
    again = contingency.exact_homogeneity(table, draws=4_000, seed=11)
    other = contingency.exact_homogeneity(table, draws=4_000, seed=12)
    assert first.method == "monte-carlo" and first == again
    assert first.pvalue.hex() == again.pvalue.hex()
    assert other.seed == 12 and other.pvalue != first.pvalue


def test_large_tables_sample_with_the_default_seed_and_fewer_draws_for_many_cells():
    table = [[10 + (g * k) % 7 for k in range(6)] for g in range(35)]
    result = contingency.exact_homogeneity(table)
    assert result.method == "monte-carlo" and result.seed == fairness.MONTE_CARLO_SEED
    assert result.draws == contingency.DRAW_BUDGET // (34 * 5)
    assert 1 / (result.draws + 1) <= result.pvalue <= 1

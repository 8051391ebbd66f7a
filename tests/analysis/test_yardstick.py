"""The yardstick for chance: simulated G under the model against exact and asymptotic p-values.

Oracles: ``fairness.exact_multinomial`` (every outcome enumerated for small logs),
an enumeration written here of P(G ≥ g) over every outcome with scipy's
``multinomial.pmf``, ``scipy.stats.chi2.sf`` and ``chi2.pdf``. The simulated
share must lie within 4 Monte Carlo standard errors of each p-value that applies.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import xlogy

from reportgen.analysis import fairness
from reportgen.analysis.yardstick import DRAWS, chi2_density, yardstick

FAIR = [1 / 6] * 6


def exact_g_pvalue(counts, y):
    """P(G ≥ g_observed) summed over every outcome of N throws with scipy's multinomial pmf."""
    n, k = sum(counts), len(counts)
    cuts = np.array(list(itertools.combinations(range(n + k - 1), k - 1)))
    x = np.diff(np.hstack([np.full((len(cuts), 1), -1), cuts, np.full((len(cuts), 1), n + k - 1)]))
    x = x - 1  # stars and bars: every composition of n into k parts, once
    expected = n * np.asarray(y)
    g = 2 * xlogy(x, x / expected).sum(axis=1)
    observed = 2 * xlogy(np.asarray(counts), np.asarray(counts) / expected).sum()
    return float(stats.multinomial.pmf(x, n, y)[g >= observed * (1 - 1e-7)].sum())


def within(share, pvalue, draws=DRAWS, other_stderr=0.0):
    stderr = math.sqrt(pvalue * (1 - pvalue) / draws + other_stderr**2)
    return abs(share - pvalue) <= 4 * stderr


def test_the_sample_agrees_with_the_exact_multinomial_test():
    """data/rolls.csv, N = 20: exact multinomial p (enumerated) and the exact P(G ≥ g)."""
    counts = (3, 3, 2, 5, 3, 4)
    found = yardstick(counts, FAIR)
    exact = fairness.exact_multinomial(counts, FAIR)
    assert exact.method == "enumeration"
    assert within(found.share, exact.pvalue)
    assert within(found.share, exact_g_pvalue(counts, FAIR))
    assert found.df == 5 and found.n == 20 and found.draws == DRAWS


def test_a_coin_of_ten_throws_agrees_with_the_exact_tests():
    """A fair coin, 7 heads of 10: exact multinomial p = exact G p = 0.34375 (both enumerate)."""
    found = yardstick((7, 3), (0.5, 0.5))
    assert exact_g_pvalue((7, 3), (0.5, 0.5)) == pytest.approx(0.34375)
    assert within(found.share, fairness.exact_multinomial((7, 3), (0.5, 0.5)).pvalue)
    assert within(found.share, 0.34375)


@pytest.mark.parametrize(
    "counts",
    [(95, 110, 92, 105, 98, 100), (90, 112, 95, 108, 90, 105), (110, 85, 100, 95, 88, 122)],
)
def test_large_logs_agree_with_chi2_and_the_monte_carlo_exact_test(counts):
    """N = 600, where both apply: χ²₅ survival (scipy) and the exact test's own simulation."""
    found = yardstick(counts, FAIR)
    exact = fairness.exact_multinomial(counts, FAIR)
    assert within(found.share, stats.chi2.sf(found.observed, 5))
    assert within(found.share, exact.pvalue, other_stderr=exact.stderr)
    assert found.chi2_pvalue == pytest.approx(stats.chi2.sf(found.observed, 5), rel=1e-9)


def test_a_model_with_a_forbidden_face_has_one_freedom_less():
    """y_1 = 0 and face 1 never seen: df = 4, simulated share ≈ χ²₄ survival (scipy)."""
    y = (0, 0.1, 0.2, 0.2, 0.2, 0.3)
    counts = (0, 52, 95, 110, 98, 145)
    found = yardstick(counts, y)
    assert found.df == 4
    assert within(found.share, stats.chi2.sf(found.observed, 4))


def test_a_seen_face_the_model_forbids_gives_infinite_g():
    """SPEC.md: a face seen with y_k = 0 makes G infinite; nothing simulated reaches it."""
    found = yardstick((3, 3, 2, 5, 3, 4), (0, 0.2, 0.2, 0.2, 0.2, 0.2))
    assert found.observed == math.inf and found.beyond == 0 and found.share == 0
    assert found.pvalue == 1 / (DRAWS + 1) and found.chi2_pvalue == 0
    assert all(math.isfinite(g) for g in found.simulated)


def test_the_seed_fixes_the_draws():
    """Same seed, same simulated G; another seed, others (numpy's generator is the oracle)."""
    a = yardstick((3, 3, 2, 5, 3, 4), FAIR, draws=500)
    assert a == yardstick((3, 3, 2, 5, 3, 4), FAIR, draws=500)
    b = yardstick((3, 3, 2, 5, 3, 4), FAIR, draws=500, seed=1)
    assert a.simulated != b.simulated and list(a.simulated) == sorted(a.simulated)


def test_a_d1000_of_a_million_throws_averages_df():
    """K = 1000, N = 10⁶ (1000 expected a face): E[G] ≈ df = 999, sd ≈ √(2·999) (χ² moments)."""
    counts = [1000] * 1000
    found = yardstick(counts, [1 / 1000] * 1000, draws=1000)
    assert found.observed == 0 and found.share == 1
    assert abs(np.mean(found.simulated) - 999) < 4 * math.sqrt(2 * 999 / 1000) + 2


@pytest.mark.parametrize("df", [1, 2, 5, 999])
def test_chi2_density_is_scipys(df):
    """chi2_density against scipy.stats.chi2.pdf."""
    x = np.linspace(0.01, 3 * df + 10, 50)
    assert chi2_density(df, x) == pytest.approx(stats.chi2.pdf(x, df), rel=1e-9, abs=1e-300)

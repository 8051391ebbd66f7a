"""The df rule of issue 23: a face the model gives probability 0 carries no freedom.

References: scipy.stats.chisquare and scipy.stats.power_divergence
(lambda_="log-likelihood") on the free faces only, scipy.stats.chi2.sf, and
scipy.stats.ncx2 for the power of the G-test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from reportgen.analysis import entropy, fairness

FIVE_FREE = (0.0, 0.2, 0.2, 0.2, 0.2, 0.2)


def test_a_zero_face_never_seen_gives_df_4_and_the_chi2_4_pvalue():
    """Issue 23: --model 0,0.2,…,0.2 with face 1 never seen. X² = 0.5 for (0, 3, 4, 4, 4, 5):
    p = 0.9735 from χ²₄, where df = K − 1 = 5 gave 0.9921."""
    counts = (0, 3, 4, 4, 4, 5)
    stat, df, p = entropy.pearson_chi2(counts, FIVE_FREE)
    assert (stat, df) == (pytest.approx(0.5, rel=1e-14), 4)
    assert round(p, 4) == 0.9735 and round(stats.chi2.sf(0.5, 5), 4) == 0.9921
    free = counts[1:]
    ref = stats.chisquare(free, [20 * 0.2] * 5)  # ddof = 0 on the five free faces: df 4
    assert stat == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-12)
    g, g_df, g_p = entropy.g_test(counts, FIVE_FREE)
    ref_g = stats.power_divergence(free, [4.0] * 5, lambda_="log-likelihood")
    assert g_df == 4
    assert g == pytest.approx(ref_g.statistic, rel=1e-12)
    assert g_p == pytest.approx(ref_g.pvalue, rel=1e-12)


def test_a_zero_face_that_was_seen_is_still_infinite_with_p_zero():
    for test in (entropy.pearson_chi2, entropy.g_test):
        assert test((1, 3, 4, 4, 4, 4), FIVE_FREE) == (math.inf, 4, 0.0)


def test_a_model_with_one_free_face_has_no_test():
    """df = 0: every log the model allows is the same log, so X² = G = 0 and p = 1."""
    for test in (entropy.pearson_chi2, entropy.g_test):
        assert test((0, 7, 0), (0.0, 1.0, 0.0)) == (0.0, 0, 1.0)
    assert entropy.model_df((0.0, 1.0, 0.0)) == 0
    assert fairness.throws_for_power(0.1, 0, 0.05) is None


@st.composite
def model_and_counts(draw):
    k = draw(st.integers(2, 12))
    zeros = draw(st.lists(st.booleans(), min_size=k, max_size=k))
    weights = [0.0 if z else draw(st.floats(0.05, 1.0)) for z in zeros]
    if sum(weights) == 0:
        weights[0] = 1.0
    y = tuple(w / math.fsum(weights) for w in weights)
    counts = tuple(0 if y_k == 0 else draw(st.integers(0, 50)) for y_k in y)
    if sum(counts) == 0:
        counts = tuple(1 if y_k > 0 else 0 for y_k in y)
    return counts, y


@settings(max_examples=100, deadline=None)
@given(model_and_counts())
def test_df_counts_only_the_faces_the_model_allows(case):
    """df = (faces with y_k > 0) − 1, and the p-value is scipy's on the free faces."""
    counts, y = case
    free = [k for k, y_k in enumerate(y) if y_k > 0]
    n = sum(counts)
    assert entropy.model_df(y) == len(free) - 1
    for ours, lam in ((entropy.pearson_chi2, "pearson"), (entropy.g_test, "log-likelihood")):
        stat, df, p = ours(counts, y)
        assert df == len(free) - 1
        if df == 0:
            assert p == 1.0
            continue
        observed = [counts[k] for k in free]
        ref = stats.power_divergence(observed, [n * y[k] for k in free], lambda_=lam)
        assert stat == pytest.approx(ref.statistic, rel=1e-9, abs=1e-12)
        assert p == pytest.approx(ref.pvalue, rel=1e-8, abs=1e-15)


@pytest.mark.parametrize("df", [1, 4, 5, 19])
@pytest.mark.parametrize("kl", [0.001, 0.02, 0.3])
def test_throws_for_power_is_the_smallest_n_with_power_at_least_80_percent(df, kl):
    """Reference: scipy.stats.ncx2.sf at the χ²_df critical value with λ = 2N·KL."""
    n = fairness.throws_for_power(kl, df, 0.05)
    critical = stats.chi2.isf(0.05, df)
    assert stats.ncx2.sf(critical, df, 2 * n * kl) >= 0.8 - 1e-9
    if n > 1:
        assert stats.ncx2.sf(critical, df, 2 * (n - 1) * kl) < 0.8 + 1e-9

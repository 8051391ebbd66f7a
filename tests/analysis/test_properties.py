"""Invariants that hold for every log, checked with hypothesis.

Which simultaneous intervals contain which per-face ones, honestly:
Goodman's interval for a face *is* the Wilson interval with z² raised to the
Bonferroni quantile χ²₁(1 − α/K) ≥ z²_{α/2}, and Wilson intervals grow with z,
so Goodman ⊇ Wilson face by face, always (tested below). No such containment
holds for Goodman against exact, Jeffreys or profile, nor for Sison–Glaz against
any per-face interval: Sison–Glaz gives every face the same width c/N, which
for a rare face can fall short of a per-face interval's skewed upper end.
``test_sison_glaz_is_not_always_wider_than_wilson`` pins a counterexample.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reportgen.analysis import entropy, estimate, fairness

LEVELS = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999])


@st.composite
def logs(draw, max_faces=20, max_count=60):
    k = draw(st.integers(2, max_faces))
    counts = draw(st.lists(st.integers(0, max_count), min_size=k, max_size=k))
    assume(sum(counts) > 0)
    return counts


@given(logs())
def test_mle_sums_to_one(counts):
    assert math.fsum(estimate.mle(counts)) == pytest.approx(1, abs=1e-15)


@settings(max_examples=150, deadline=None)
@given(logs(), LEVELS, st.sampled_from(sorted(estimate.METHODS)))
def test_every_interval_holds_its_estimate_inside_zero_one(counts, level, method):
    iv = estimate.METHODS[method](counts, level)
    for y, lo, hi in zip(estimate.mle(counts), iv.low, iv.high, strict=True):
        assert 0 <= lo <= y <= hi <= 1
        assert lo < hi


@settings(max_examples=150, deadline=None)
@given(logs(), LEVELS)
def test_goodman_contains_wilson(counts, level):
    goodman = estimate.goodman(counts, level)
    wilson = estimate.wilson(counts, level)
    for k in range(len(counts)):
        assert goodman.low[k] <= wilson.low[k] + 1e-15
        assert goodman.high[k] >= wilson.high[k] - 1e-15


def test_sison_glaz_is_not_always_wider_than_wilson():
    """A counterexample, so nobody claims the containment: at 99% the Sison–Glaz
    upper end for face 2 (n = 35 of N = 205) is below Wilson's."""
    counts = [24, 35, 23, 23, 15, 15, 19, 20, 16, 15]
    sg, wilson = estimate.sison_glaz(counts, 0.99), estimate.wilson(counts, 0.99)
    assert any(sg.high[k] < wilson.high[k] for k in range(len(counts)))


@given(logs(), st.sampled_from(["nat", "bit"]))
def test_g_is_2n_kl_and_the_gap_in_cross_entropy(counts, unit):
    n, k = sum(counts), len(counts)
    fair = [1 / k] * k
    mle = estimate.mle(counts)
    g, _, _ = entropy.g_test(counts, fair)
    assert g == pytest.approx(2 * n * entropy.kl_divergence(mle, fair), rel=1e-9, abs=1e-9)
    gap = entropy.total(counts, fair) - entropy.total(counts, mle)
    assert g == pytest.approx(2 * gap, rel=1e-9, abs=1e-8)


@given(logs(), st.sampled_from(["nat", "bit"]))
def test_mean_cross_entropy_at_the_mle_is_the_entropy_and_at_most_the_fair_dies(counts, unit):
    n, k = sum(counts), len(counts)
    mle = estimate.mle(counts)
    fitted = entropy.total(counts, mle, unit) / n
    fair = entropy.total(counts, [1 / k] * k, unit) / n
    h = entropy.entropy(mle, unit)
    assert fitted == pytest.approx(h, rel=1e-12, abs=1e-15)
    assert 0 <= h <= fair + 1e-12
    assert fair == pytest.approx(entropy.LOG[unit](k), rel=1e-12)
    if len(set(counts)) == 1:
        assert fitted == pytest.approx(fair, rel=1e-12)
    else:
        assert fitted < fair


@settings(max_examples=60, deadline=None)
@given(logs(max_faces=8, max_count=200), LEVELS)
def test_sison_glaz_c_brackets_the_level(counts, level):
    assume(max(counts) < sum(counts))  # one face only is the documented special case
    c, below, above, gamma = estimate.sison_glaz_c(counts, level)
    nu = estimate.box_probabilities(counts, c + 1)
    if below < level:  # the first crossing: ν(c) < level ≤ ν(c + 1), none before it
        assert below < level <= above
        assert not any(nu[j] < level <= nu[j + 1] for j in range(c))
    else:  # no crossing at all: ν(0) ≥ level already, and the documented c = 1, γ = 0
        assert (c, gamma) == (1, 0.0) and nu[0] >= level
    assert 0 <= gamma <= 1


@settings(max_examples=60, deadline=None)
@given(logs(max_faces=6, max_count=8))
def test_exact_pvalue_is_a_probability_and_at_least_the_observed_outcome(counts):
    k = len(counts)
    result = fairness.exact_multinomial(counts, [1 / k] * k)
    n = sum(counts)
    log_pmf = math.lgamma(n + 1) - sum(math.lgamma(c + 1) for c in counts) - n * math.log(k)
    assert math.exp(log_pmf) * (1 - 1e-9) <= result.pvalue <= 1


@settings(max_examples=60, deadline=None)
@given(st.lists(logs(max_faces=5, max_count=30), min_size=2, max_size=4))
def test_homogeneity_statistics_are_nonnegative(tables):
    k = min(len(t) for t in tables)
    table = [t[:k] for t in tables]
    assume(all(sum(row) for row in table))
    h = fairness.homogeneity(table)
    assert h.statistic >= 0 and h.g_statistic >= 0 and 0 <= h.pvalue <= 1

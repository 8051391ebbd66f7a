"""Property tests (hypothesis) for the invariants the lesson relies on."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.analysis import entropy, estimate

counts_strategy = st.lists(st.integers(0, 10_000), min_size=2, max_size=20).filter(
    lambda c: sum(c) > 0
)
levels = st.floats(0.5, 0.999)


@given(counts_strategy)
def test_mle_is_a_probability_vector(counts):
    y = estimate.mle(counts)
    assert all(0 <= p <= 1 for p in y)
    assert math.isclose(math.fsum(y), 1.0, abs_tol=1e-12)


@settings(max_examples=200)
@given(counts_strategy, levels)
def test_each_interval_holds_its_estimate_within_0_1(counts, level):
    y = estimate.mle(counts)
    for name, method in estimate.METHODS.items():
        iv = method(counts, level)
        for p, low, high in zip(y, iv.low, iv.high, strict=True):
            assert 0.0 <= low <= p + 1e-12, name
            assert p - 1e-12 <= high <= 1.0, name


@given(counts_strategy)
def test_mean_cross_entropy_at_the_mle_is_the_entropy_and_at_most_the_fair_dies(counts):
    n = sum(counts)
    y = estimate.mle(counts)
    fair = [1 / len(counts)] * len(counts)
    mean_mle = entropy.total(counts, y) / n
    mean_fair = entropy.total(counts, fair) / n
    assert math.isclose(mean_mle, entropy.entropy(y), rel_tol=1e-12, abs_tol=1e-12)
    assert mean_mle >= 0
    if len(set(counts)) == 1:
        assert math.isclose(mean_mle, mean_fair, rel_tol=1e-12)
    else:
        assert mean_mle < mean_fair


@given(counts_strategy, st.lists(st.floats(0.01, 1), min_size=20, max_size=20))
def test_the_total_is_smallest_at_the_mle(counts, weights):
    """Gibbs' inequality: any other y gives a larger total cross-entropy."""
    w = weights[: len(counts)]
    y_other = [v / math.fsum(w) for v in w]
    y = estimate.mle(counts)
    assert entropy.total(counts, y) <= entropy.total(counts, y_other) + 1e-9


@given(counts_strategy)
def test_g_is_twice_the_difference_of_totals_and_2n_kl(counts):
    n = sum(counts)
    y = estimate.mle(counts)
    fair = [1 / len(counts)] * len(counts)
    g, _, _ = entropy.g_test(counts, fair)
    difference = entropy.total(counts, fair) - entropy.total(counts, y)
    assert math.isclose(g, 2 * difference, rel_tol=1e-9, abs_tol=1e-7)
    assert math.isclose(g, 2 * n * entropy.kl_divergence(y, fair), rel_tol=1e-9, abs_tol=1e-9)


def test_zero_counts_contribute_nothing_and_impossible_faces_are_infinite():
    assert entropy.total([3, 0], [1.0, 0.0]) == 0.0  # 0 log 0 = 0
    assert entropy.total([3, 1], [1.0, 0.0]) == math.inf
    assert entropy.per_face([0.5, 0.0]) == (math.log(2), math.inf)

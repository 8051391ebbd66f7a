"""The total cross-entropy curve: its minimum at ŷ and its crossings at the profile interval.

Oracles: the curve written out here as −Σ_j n_j log y_j with the other faces in
proportion (a loop over faces); ``scipy.optimize.brentq`` on its derivative
(the minimum) and on C(y) − (C(ŷ) + χ²₁/2) (the crossings, with
``scipy.stats.chi2.ppf``); ``scipy.stats.entropy`` for N·H(p̂); the JSON's
``intervals.profile``; ``scipy.stats.power_divergence`` for the face followed.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import reportgen
from reportgen.analysis.curve import curve, followed_face

DATA = Path(__file__).resolve().parents[2] / "data"
LOG = {"nat": math.log, "bit": math.log2}


def by_hand(counts, k, y, unit):
    """−Σ_j n_j log y_j with y_k = y and y_j = (1 − y) n_j / (N − n_k) for j ≠ k."""
    rest = sum(counts) - counts[k]
    total = 0.0
    for j, n_j in enumerate(counts):
        y_j = y if j == k else (1 - y) * n_j / rest
        if n_j:
            total -= n_j * LOG[unit](y_j)
    return total


CASES = [
    (DATA / "rolls.csv", {}),
    (DATA / "loaded.csv", {}),
    (DATA / "rolls.csv", {"confidence": 0.9}),
]


def check_face(counts, k, level, unit, profile_low, profile_high):
    """One face's curve against brentq, scipy's entropy and chi2, and the JSON's interval."""
    n, n_k = sum(counts), counts[k]
    found = curve(counts, k, level, unit)
    root = optimize.brentq(lambda y: -n_k / y + (n - n_k) / (1 - y), 1e-12, 1 - 1e-12)
    lowest = min(found.points, key=lambda p: p[1])
    assert lowest[0] == pytest.approx(root, abs=1e-9)
    assert found.mle == pytest.approx(root, abs=1e-9)
    entropy = stats.entropy(counts, base=2 if unit == "bit" else None)
    assert found.minimum == pytest.approx(n * entropy, rel=1e-9)
    assert found.low == pytest.approx(profile_low, abs=1e-6)
    assert found.high == pytest.approx(profile_high, abs=1e-6)
    cut = stats.chi2.ppf(level, 1) / 2 / (math.log(2) if unit == "bit" else 1)
    assert found.cut == pytest.approx(cut, rel=1e-9)
    line = by_hand(counts, k, root, unit) + cut

    def gap(y):
        return by_hand(counts, k, y, unit) - line

    low, high = optimize.brentq(gap, 1e-9, root), optimize.brentq(gap, root, 1 - 1e-9)
    assert (found.low, found.high) == pytest.approx((low, high), abs=1e-9)


@pytest.mark.parametrize("unit", ["nat", "bit"])
@pytest.mark.parametrize("source, options", CASES)
def test_minimum_at_the_mle_and_crossings_at_the_profile_interval(source, options, unit):
    """Minimum: brentq on C'(y) = −n_k/y + (N − n_k)/(1 − y), to 1e-9; value N·H(p̂) (scipy).
    Crossings: the JSON's profile interval to 1e-6, and brentq on the hand-written curve."""
    report = reportgen.analyse(source, unit=unit, **options)
    profile = report.to_dict()["intervals"]["profile"]
    for k in range(report.k):
        level = report.options.confidence
        check_face(report.counts, k, level, unit, profile["low"][k], profile["high"][k])


def test_each_point_is_the_total_cross_entropy_with_the_others_in_proportion():
    """A d6 (the sample) along face 4, and a coin over y = y_1: the hand-written sum."""
    for counts, k in [((3, 3, 2, 5, 3, 4), 3), ((13, 7), 0)]:
        found = curve(counts, k, 0.95, "nat")
        for y, c in found.points[::25]:
            assert c == pytest.approx(by_hand(counts, k, y, "nat"), rel=1e-12)
            assert found.at(y) == pytest.approx(c, rel=1e-12)


def test_a_face_never_seen_and_a_face_always_seen_have_their_minimum_at_an_end():
    """n_k = 0: minimum at y = 0, interval [0, 1 − exp(−χ²₁/2N)]; n_k = N: at 1 (closed forms)."""
    q = stats.chi2.ppf(0.95, 1)
    never = curve((0, 20), 0, 0.95)
    assert (never.mle, never.low) == (0, 0) and never.high == pytest.approx(-math.expm1(-q / 40))
    always = curve((20, 0), 0, 0.95)
    assert (always.mle, always.high) == (1, 1) and always.low == pytest.approx(math.exp(-q / 40))


def test_the_die_follows_the_face_the_model_fits_worst():
    """The largest G of face k against the rest (scipy's power_divergence on n_k, N − n_k)."""
    for source, expected in [("rolls.csv", 3), ("loaded.csv", 5)]:
        report = reportgen.analyse(DATA / source)
        counts, n, y = report.counts, report.n, report.reference.y
        g = [
            stats.power_divergence(
                [c, n - c], [n * y_k, n * (1 - y_k)], lambda_="log-likelihood"
            ).statistic
            for c, y_k in zip(counts, y, strict=True)
        ]
        assert followed_face(counts, y) == max(range(len(g)), key=g.__getitem__) == expected
    assert followed_face((10, 10), (0.5, 0.5)) == 0  # a coin: both faces alike, the first
    assert followed_face((3, 3, 2, 5, 3, 4), (0.2, 0.2, 0.2, 0.2, 0.2, 0)) == 5  # G_6 = ∞


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 400), min_size=2, max_size=12).filter(lambda c: sum(c) > 0),
    st.data(),
    st.sampled_from([0.5, 0.8, 0.95, 0.999]),
    st.sampled_from(["nat", "bit"]),
)
def test_crossings_bracket_the_mle_on_the_cut_line(counts, data, level, unit):
    """Invariant: low ≤ ŷ ≤ high, C = minimum + cut at each inner crossing, and the curve
    never dips below its minimum (convexity)."""
    k = data.draw(st.integers(0, len(counts) - 1))
    found = curve(counts, k, level, unit)
    assert found.low <= found.mle <= found.high
    scale = max(1.0, found.minimum)
    for end in (found.low, found.high):
        if 0 < end < 1:
            assert found.at(end) == pytest.approx(found.minimum + found.cut, abs=1e-9 * scale)
    assert min(c for _, c in found.points) >= found.minimum - 1e-9 * scale

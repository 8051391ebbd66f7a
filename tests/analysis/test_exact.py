"""The exact multinomial test of issue 23 against full enumerations written here.

Oracle: every outcome of N throws enumerated in this file (compositions built
with numpy, log Pr from scipy.special.gammaln), summing Pr(x) over the outcomes
with Pr(x) ≤ Pr(observed)·(1 + 1e-7); for N = 60 and 80 of a d6 a meet in the
middle (first three faces × last three) does the same over all 8.3 and 32.8
million outcomes.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gammaln

from reportgen.analysis import exact, exact_uniform, fairness

TIE = math.log1p(1e-7)


@cache
def compositions(n: int, k: int) -> np.ndarray:
    """Every x ≥ 0 with k parts summing to n, one per row."""
    if k == 1:
        return np.array([[n]])
    parts = [
        np.column_stack([np.full(len(rest), first), rest])
        for first in range(n + 1)
        for rest in [compositions(n - first, k - 1)]
    ]
    return np.vstack(parts)


def log_terms(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Σ_k (x_k log y_k − log x_k!) per row, 0 · log 0 = 0."""
    return (np.where(x > 0, x * np.log(np.where(y > 0, y, 1.0)), 0.0) - gammaln(x + 1)).sum(axis=1)


def full_enumeration(counts, y) -> float:
    """p over every outcome, faces with y_k = 0 held at 0 (p = 0 if one was seen)."""
    y = np.asarray(y, dtype=float)
    counts = np.asarray(counts)
    if np.any((y <= 0) & (counts > 0)):
        return 0.0
    free = y > 0
    n = int(counts.sum())
    outcomes = compositions(n, int(free.sum()))
    logs = log_terms(outcomes, y[free]) + gammaln(n + 1)
    observed = log_terms(counts[free][None, :], y[free])[0] + gammaln(n + 1)
    return math.fsum(np.exp(logs[logs <= observed + TIE]).tolist())


def meet_in_the_middle_d6(counts) -> float:
    """p of a fair d6 over all C(N + 5, 5) outcomes: first three faces × last three."""
    n = sum(counts)
    log_y = math.log(1 / 6)
    observed = math.lgamma(n + 1) + n * log_y - sum(math.lgamma(c + 1) for c in counts)
    total = []
    for s in range(n + 1):
        left = -gammaln(compositions(s, 3) + 1).sum(axis=1)
        right = -gammaln(compositions(n - s, 3) + 1).sum(axis=1)
        logs = left[:, None] + right[None, :] + math.lgamma(n + 1) + n * log_y
        total.append(float(np.exp(logs[logs <= observed + TIE]).sum()))
    return math.fsum(total)


@pytest.mark.parametrize(
    "counts, published",
    [((14, 8, 12, 6, 11, 9), 0.52250), ((6, 12, 20, 9, 16, 17), 0.05308)],
)
def test_issue_logs_are_exact_and_match_a_full_enumeration(counts, published):
    """Issue 23: 200 000 Monte Carlo draws gave 0.52336 ± 0.0011 for the first; the exact p
    is 0.52250, and 0.05308 for the second, whose draws could cross α = 0.05."""
    result = fairness.exact_multinomial(counts, (1 / 6,) * 6)
    assert result.method == "enumeration" and result.seed is None and result.stderr == 0.0
    assert round(result.pvalue, 5) == published
    assert result.pvalue == pytest.approx(meet_in_the_middle_d6(counts), abs=1e-12)


@pytest.mark.parametrize(
    "counts, y",
    [
        ((14, 8, 12, 6, 11, 9), (0.1, 0.1, 0.2, 0.2, 0.2, 0.2)),
        ((6, 12, 20, 9, 16, 17), (0.3, 0.1, 0.2, 0.1, 0.15, 0.15)),
    ],
)
def test_custom_models_at_n_60_and_80(counts, y):
    """The branch and bound for any model against a full enumeration (N = 60 and 80: 8.3
    and 32.8 million outcomes, enumerated by faces 1–3 × faces 4–6)."""
    n = sum(counts)
    log_y = np.log(y)
    observed = (
        math.lgamma(n + 1) + float(np.dot(counts, log_y)) - sum(math.lgamma(c + 1) for c in counts)
    )
    total = []
    for s in range(n + 1):
        a, b = compositions(s, 3), compositions(n - s, 3)
        left = log_terms(a, np.asarray(y[:3]))
        right = log_terms(b, np.asarray(y[3:]))
        logs = left[:, None] + right[None, :] + math.lgamma(n + 1)
        total.append(float(np.exp(logs[logs <= observed + TIE]).sum()))
    expected = math.fsum(total)
    assert exact.multinomial_pvalue(counts, y, max_states=10**7) == pytest.approx(
        expected, rel=1e-11
    )


@st.composite
def small_cases(draw):
    """K 2–6, N up to 40 (fewer for many faces, to keep the enumeration small), models
    with zeros, fair dice, and counts that the model allows."""
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, {2: 40, 3: 40, 4: 30, 5: 22, 6: 16}[k]))
    kind = draw(st.sampled_from(["fair", "random", "zeros"]))
    if kind == "fair":
        y = [1 / k] * k
    else:
        weights = [draw(st.floats(0.02, 1.0)) for _ in range(k)]
        if kind == "zeros":
            for i in draw(st.sets(st.integers(0, k - 1), max_size=k - 1)):
                weights[i] = 0.0
        y = [w / math.fsum(weights) for w in weights]
    free = [i for i in range(k) if y[i] > 0]
    split = draw(st.lists(st.integers(0, len(free) - 1), min_size=n, max_size=n))
    counts = [0] * k
    for face in split:
        counts[free[face]] += 1
    return counts, y


@settings(max_examples=80, deadline=None)
@given(small_cases())
def test_exact_equals_a_full_enumeration(case):
    """Every exact p (fair dice: sorted acceptance region; other models: branch and bound)
    equals the full enumeration to 1e-12, and lies in (0, 1]."""
    counts, y = case
    result = fairness.exact_multinomial(counts, y)
    assert result.method == "enumeration"
    assert 0 < result.pvalue <= 1
    assert result.pvalue == pytest.approx(full_enumeration(counts, y), abs=1e-12, rel=1e-11)


@pytest.mark.parametrize(
    "counts, y",
    [
        ((3, 9, 1, 5, 2), (0.1, 0.3, 0.1, 0.3, 0.2)),
        ((4, 0, 7, 1), (0.25, 0.25, 0.25, 0.25)),
        ((2, 2, 3, 8, 1, 0), (0.2, 0.1, 0.2, 0.3, 0.1, 0.1)),
    ],
)
def test_every_branch_of_the_branch_and_bound(monkeypatch, counts, y):
    """The tables that large logs use (binomial tails by running sums, children
    intervals by grouped search), forced on small logs, give the same p."""
    expected = full_enumeration(counts, y)
    monkeypatch.setattr(exact, "_TABLE_FROM", 0)
    monkeypatch.setattr(exact, "_GROUPED_FROM", 0)
    assert exact.multinomial_pvalue(counts, y, max_states=10**7) == pytest.approx(
        expected, rel=1e-11
    )


def test_a_tiny_p_of_a_fair_die_keeps_its_relative_precision():
    """1 − (accepted mass) would leave few digits of p ≈ 1e-10; the rejected side is summed."""
    counts = (0, 0, 0, 0, 0, 13)
    p = fairness.exact_multinomial(counts, (1 / 6,) * 6).pvalue
    assert p == pytest.approx(full_enumeration(counts, (1 / 6,) * 6), rel=1e-11)
    assert 1 - exact_uniform.accepted_mass(counts, max_states=10**6) == pytest.approx(p, abs=1e-13)


def test_impossible_counts_have_p_zero_by_definition():
    """A face the model rules out was seen: the observed log is impossible, p = 0."""
    result = fairness.exact_multinomial((1, 2, 3), (0.0, 0.5, 0.5))
    assert (result.pvalue, result.method) == (0.0, "enumeration")


def test_too_large_for_exact_falls_back_to_monte_carlo_never_zero():
    """10⁶ strongly biased throws: every draw is more probable than the data, b = 0 and
    p = 1/(B + 1), never 0 (issue 23)."""
    counts = (400_000, 120_000, 120_000, 120_000, 120_000, 120_000)
    result = fairness.exact_multinomial(counts, (1 / 6,) * 6, draws=2_000)
    assert result.method == "monte-carlo" and result.draws == 2_000
    assert result.pvalue == 1 / 2_001 and result.stderr > 0
    assert result.seed == fairness.MONTE_CARLO_SEED


def test_a_d1000_uses_monte_carlo_with_fewer_draws():
    counts = [3] * 500 + [1] * 500
    result = fairness.exact_multinomial(counts, [1 / 1000] * 1000, max_enumeration=1_000)
    assert result.method == "monte-carlo"
    assert result.draws == fairness.DRAW_BUDGET // 1000
    assert 1 / (result.draws + 1) <= result.pvalue <= 1


def test_monte_carlo_is_reproducible_bit_for_bit_and_follows_the_seed():
    counts, y = (9, 3, 2, 6, 4, 6), (1 / 6,) * 6
    first = fairness.exact_multinomial(counts, y, max_enumeration=0, draws=5_000, seed=7)
    again = fairness.exact_multinomial(counts, y, max_enumeration=0, draws=5_000, seed=7)
    other = fairness.exact_multinomial(counts, y, max_enumeration=0, draws=5_000, seed=8)
    assert first == again and first.pvalue.hex() == again.pvalue.hex()
    assert (first.seed, other.seed) == (7, 8) and first.pvalue != other.pvalue


def test_monte_carlo_pvalue_and_stderr():
    """(b + 1)/(B + 1) (Davison & Hinkley 1997; North, Curtis & Sham 2002) and the
    binomial standard error of that estimator, √(B p(1 − p))/(B + 1)."""
    assert exact.monte_carlo_pvalue(0, 999) == (
        0.001,
        pytest.approx(math.sqrt(999 * 0.000999) / 1000),
    )
    assert exact.monte_carlo_pvalue(999, 999) == (1.0, 0.0)

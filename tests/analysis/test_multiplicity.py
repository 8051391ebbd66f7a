"""Holm's adjustment (issue 23, point 6).

Oracle: statsmodels.stats.multitest.multipletests(method="holm").
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from reportgen.analysis import multiplicity

PVALUES = st.lists(
    st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 0.01, 0.05, 1.0])),
    min_size=1,
    max_size=40,
)


@settings(max_examples=25, deadline=None)  # multipletests costs ~75 ms a call
@given(PVALUES)
def test_holm_matches_statsmodels(pvalues):
    expected = multipletests(pvalues, method="holm")[1]
    assert multiplicity.holm(pvalues) == pytest.approx(list(expected), abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(PVALUES)
def test_holm_is_monotone_at_least_the_raw_p_and_at_most_one(pvalues):
    adjusted = multiplicity.holm(pvalues)
    pairs = sorted(zip(pvalues, adjusted, strict=True))
    assert all(a <= b for (_, a), (_, b) in zip(pairs, pairs[1:], strict=False))
    assert all(p <= a <= 1 for p, a in zip(pvalues, adjusted, strict=True))


def test_holm_by_hand():
    """m = 4: the smallest times 4, the next times 3 (or the running maximum), …"""
    assert multiplicity.holm([0.04, 0.01, 0.03, 0.5]) == pytest.approx((0.09, 0.04, 0.09, 0.5))
    assert multiplicity.holm([]) == ()


def test_chance_alone_puts_m_alpha_below_alpha():
    """Issue 23: with 35 students, about two fair dice fall below 0.05 by chance."""
    assert multiplicity.expected_by_chance(35, 0.05) == pytest.approx(1.75)

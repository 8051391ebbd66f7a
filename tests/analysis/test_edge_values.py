"""Levels a hair from 0 or 1 and model probabilities near the smallest float (issue 14).

The hand computations use only ``math`` on the counts, never reportgen's own
functions, so a wrong form (a ratio that overflows, a quantile of 1) shows.
"""

from __future__ import annotations

import math

import pytest

from reportgen.analysis import entropy, estimate
from reportgen.errors import UsageError
from reportgen.options import MAX_CONFIDENCE, make_options

#: Counts that reach every branch of the methods: a coin, a face never seen, a
#: face that is every throw, one throw, a large N, and many faces.
COUNTS = [
    (1, 0),
    (0, 1),
    (3, 2),
    (4, 3, 2, 5, 3, 3),
    (0, 0, 0, 0, 0, 20),
    (1, 0, 0, 0, 0, 0),
    (1_000_000, 1, 0, 5),
    (1,) * 100 + (0,) * 900,
]

#: Levels every method must answer with finite bounds: the highest accepted one,
#: just below it, and the smallest positive floats.
GOOD_LEVELS = [MAX_CONFIDENCE, math.nextafter(MAX_CONFIDENCE, 0), 1 - 1e-15, 1e-17, 5e-324]


@pytest.mark.parametrize("level", GOOD_LEVELS, ids=repr)
@pytest.mark.parametrize("method", list(estimate.METHODS))
def test_every_accepted_level_gives_finite_intervals(method: str, level: float) -> None:
    make_options(confidence=level)  # accepted
    for counts in COUNTS:
        interval = estimate.METHODS[method](counts, level)
        for low, high in zip(interval.low, interval.high, strict=True):
            assert math.isfinite(low) and math.isfinite(high), (counts[:4], low, high)
            assert 0 <= low <= high <= 1


def test_the_bound_is_where_wilson_stops_being_finite() -> None:
    """Above MAX_CONFIDENCE is one float, 1 − 2⁻⁵³, and there Wilson's z = Φ⁻¹(1) = ∞."""
    above = math.nextafter(MAX_CONFIDENCE, 1)
    assert above == 0.9999999999999999 and math.nextafter(above, 1) == 1.0
    assert not all(map(math.isfinite, estimate.wilson((3, 2), above).high))
    with pytest.raises(UsageError, match=r"too close to 1.*at most 0\.9999999999999998"):
        make_options(confidence=above)


@pytest.mark.parametrize("level", [0.0, 1.0, -1e-300, 1.5, math.nan, math.inf])
def test_levels_outside_zero_one_are_refused(level: float) -> None:
    with pytest.raises(UsageError):
        make_options(confidence=level)


def test_a_subnormal_model_probability_gives_finite_kl_and_g() -> None:
    """--model 1e-320,0.2,… for a face seen 3 times out of 20: every figure by hand.

    y_1 = 1e-320 is stored as the subnormal 9.99988671826831e-321; its log is
    finite (−736.8), so are the reference total, the divergence and G.
    """
    counts = (3, 3, 2, 5, 3, 4)
    n = 20
    y = (1e-320, 0.2, 0.2, 0.2, 0.2, 0.2)
    assert y[0] == 9.99988671826831e-321
    log_y1 = math.log(9.99988671826831e-321)
    reference_total = -(3 * log_y1 + 17 * math.log(0.2))
    fitted_total = -sum(c * math.log(c / n) for c in counts)
    assert entropy.total(counts, y) == pytest.approx(reference_total, rel=1e-15)
    kl = entropy.kl_divergence([c / n for c in counts], y)
    assert math.isfinite(kl)
    assert kl == pytest.approx((reference_total - fitted_total) / n, rel=1e-13)
    assert kl == pytest.approx(110.13968468395, rel=1e-12)
    g, df, p = entropy.g_test(counts, y)
    assert g == pytest.approx(2 * (reference_total - fitted_total), rel=1e-13)
    assert g == pytest.approx(4405.5873873580, rel=1e-12)
    assert (df, p) == (5, 0.0)


def test_the_smallest_float_and_bits() -> None:
    """5e-324 (the smallest subnormal) in bits: KL = reference mean − fitted mean."""
    counts = (1, 1)
    y = (5e-324, 1 - 5e-324)
    p = (0.5, 0.5)
    # log2(5e-324) = −1074 exactly: 5e-324 is 2⁻¹⁰⁷⁴.
    expected = 0.5 * (math.log2(0.5) + 1074) + 0.5 * math.log2(0.5)
    assert entropy.kl_divergence(p, y, "bit") == pytest.approx(expected, rel=1e-15)
    g, _, _ = entropy.g_test(counts, y)
    assert g == pytest.approx(2 * (math.log(0.5) + 1074 * math.log(2) + math.log(0.5)), rel=1e-15)


def test_only_a_truly_infinite_figure_is_infinite() -> None:
    """y_k = 0 for a face that occurred: infinite, as before."""
    assert entropy.kl_divergence((0.5, 0.5), (0.0, 1.0)) == math.inf
    assert entropy.g_test((1, 1), (0.0, 1.0))[0] == math.inf


def test_the_usual_figures_keep_every_bit() -> None:
    """A normal model takes the one-logarithm form, as before this change."""
    counts = (4, 3, 2, 5, 3, 3)
    p = [c / 20 for c in counts]
    y = [1 / 6] * 6
    assert entropy.kl_divergence(p, y) == max(0.0, math.fsum(q * math.log(q / (1 / 6)) for q in p))

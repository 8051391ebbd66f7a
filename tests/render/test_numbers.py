"""Rounding a teacher can check (issue 23, point 7).

Oracle: the standard library's decimal module, Decimal(repr(x)).quantize(…,
ROUND_HALF_UP), i.e. the figure as written rounded half away from zero, the way
a student rounds by hand; and Python's own f-string formatting away from ties.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from reportgen.render import numbers as fmt

MINUS = "\u2212"


def by_hand(x: float, digits: int = 4) -> str:
    rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = format(abs(rounded), "f")
    return (MINUS if rounded < 0 else "") + text


def test_wolfs_red_die_rounds_as_written():
    """3407/20000 = 0.17035 → 0.1704 and 3631/20000 = 0.18155 → 0.1816 (the binary float
    0.18154999… printed 0.1815)."""
    assert fmt.fmt_number(3407 / 20000) == "0.1704"
    assert fmt.fmt_number(3631 / 20000) == "0.1816"
    assert f"{3631 / 20000:.4f}" == "0.1815"
    assert fmt.fmt_number(-3631 / 20000) == MINUS + "0.1816"  # away from zero both ways
    assert fmt.fmt_tex(3631 / 20000) == "0.1816" and fmt.fmt_tex(-2.5) == "{-2.5000}"


def test_a_numpy_float_rounds_as_its_python_float():
    """numpy 2 writes repr(np.float64(0.18155)) as 'np.float64(0.18155)': the figure is read
    from the float, as scipy's statistics reach the pages."""
    import numpy as np

    assert fmt.fmt_number(np.float64(3631 / 20000)) == "0.1816"
    assert fmt.fmt_number(np.float32(0.5)) == "0.5000"


def test_a_small_figure_keeps_three_significant_digits():
    """(K − 1)/(2N) = 5/40000 = 0.000125, not 0.0001; below 10⁻⁶ a power of ten."""
    assert fmt.fmt_number(5 / 40000) == "0.000125"
    assert fmt.fmt_number(0.00012345) == "0.000123"
    assert fmt.fmt_number(0.00012345, 8) == "0.00012345"  # never fewer decimals than asked
    assert fmt.fmt_number(-0.00001) == MINUS + "0.0000100"
    assert fmt.fmt_number(0.00099949) == "0.000999"
    assert fmt.fmt_number(0.0009996) == "0.0010"  # rounds up to 0.001: the usual rule
    assert fmt.fmt_number(9.99949e-7) == "0.00000100"  # carries up to 10⁻⁶
    assert fmt.fmt_number(1.25e-7) == "1.25\u00a0\u00d7\u00a010\u207b\u2077"
    assert fmt.fmt_tex(1.25e-7) == r"1.25 \times 10^{-7}"
    assert fmt.fmt_number(1e-320) == "1.00\u00a0\u00d7\u00a010\u207b\u00b3\u00b2\u2070"


def test_zero_infinity_and_p_values_keep_their_rules():
    """Exact zero stays 0.0000 (no sign); p-values keep four decimals and "< 0.0001"."""
    assert fmt.fmt_number(0.0) == fmt.fmt_number(-0.0) == "0.0000"
    assert fmt.fmt_number(math.inf) == "\u221e" and fmt.fmt_number(-math.inf) == MINUS + "\u221e"
    assert fmt.fmt_number(math.nan) == "NaN"
    assert fmt.fmt_pvalue(0.00035) == "=\u00a00.0004"  # half up, four decimals
    assert fmt.fmt_pvalue(0.00015) == "=\u00a00.0002"
    assert fmt.fmt_pvalue(0.0000999) == "<\u00a00.0001"
    assert fmt.fmt_pvalue(0.18155) == "=\u00a00.1816"
    assert fmt.fmt_number(0.00035, small=False) == "0.0004"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_every_figure_from_one_thousandth_rounds_as_written(x):
    assume(abs(x) >= 0.001)
    assert fmt.fmt_number(x) == by_hand(x)


@given(st.integers(-(10**9), 10**9), st.integers(1, 6))
def test_exact_decimals_round_half_away_from_zero(units, places):
    """n/10^places written with up to 6 decimals: 4 decimals, ties away from zero."""
    x = units / 10**places
    assume(abs(x) >= 0.001)
    exact = Decimal(units).scaleb(-places)
    expected = exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    assert fmt.fmt_number(x) == (MINUS if expected < 0 else "") + format(abs(expected), "f")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_away_from_ties_the_rounding_is_the_binary_one(x):
    """A figure whose shortest decimal does not end on a tie (…5 in the fifth decimal)
    prints as before (f-string rounding of the binary value)."""
    assume(abs(x) >= 0.001)
    written = abs(Decimal(repr(x)))
    assume(written.as_tuple().exponent < -5 or written.scaleb(5) % 10 != 5)
    assert fmt.fmt_number(x) == f"{x:.4f}".replace("-", MINUS)

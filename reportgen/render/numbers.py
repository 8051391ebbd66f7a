"""Numbers for people: decimals a student can check, true minus signs, thousands, p-values.

The analysis never rounds; these functions are the only place where a figure
becomes text (the templates reach them as the filters of ``catalogue.FILTERS``).

Rounding is the rule a student applies by hand: the figure as written (the
shortest decimal that is the float, ``repr``) rounded half away from zero, so
3631/20000 = 0.18155 prints 0.1816, where rounding the binary float 0.18154999…
would give 0.1815. A float that is not a short decimal (an irrational figure)
has a 17-digit ``repr`` and rounds as its exact binary value would, except at a
true tie.
A figure below 0.001 keeps three significant digits ((K − 1)/(2N) = 0.000125,
not 0.0001); below 10⁻⁶ it is written as a power of ten. p-values keep their own
rule (``fmt_pvalue``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

#: Enough digits for any float in fixed notation (10^308 has 309) plus the decimals.
_CONTEXT = Context(prec=400)

#: A figure below this in absolute value keeps SIGNIFICANT significant digits.
SMALL = Decimal("0.001")
SIGNIFICANT = 3

#: A small figure below this is written as m × 10^e rather than with many zeros.
TINY = Decimal("1e-6")

_SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def _rounded(value: float, digits: int, small: bool) -> tuple[Decimal, int | None]:
    """|value| rounded half away from zero from its ``repr``, and the power of ten if any.

    ``digits`` decimals; with ``small``, a figure 0 < |value| < 0.001 gets as many
    more as keep three significant digits, and below 10⁻⁶ becomes m × 10^e with
    three significant digits. A small figure that rounds up to 0.001 follows the
    ``digits`` rule.
    """
    exact = abs(Decimal(repr(float(value))))  # float(): numpy 2 reprs np.float64(…)
    if small and 0 < exact < SMALL:
        lead = exact.adjusted()  # the power of ten of the first significant digit
        if exact < TINY:
            step = Decimal(1).scaleb(lead + 1 - SIGNIFICANT)
            exact = exact.quantize(step, ROUND_HALF_UP, _CONTEXT)  # may carry up to 10⁻⁶
            lead = exact.adjusted()
            if exact < TINY:
                return exact.scaleb(-lead), lead
        places = max(digits, SIGNIFICANT - 1 - lead)
        rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _CONTEXT)
        if rounded < SMALL:
            return rounded, None
    return exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP, _CONTEXT), None


def fmt_number(value: float, digits: int = 4, *, minus: str = "\u2212", small: bool = True) -> str:
    """A real number with ``digits`` decimals, rounded half away from zero, a true minus sign.

    ∞ for infinity. With ``small`` (the default) a figure below 0.001 keeps three
    significant digits, and below 10⁻⁶ reads like 1.25 × 10⁻⁷. A figure that
    rounds to zero is 0.0000, without a sign.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return ("" if value > 0 else minus) + "\u221e"
    rounded, power = _rounded(value, digits, small)
    text = format(rounded, "f")
    if power is not None:
        text += "\u00a0\u00d7\u00a010" + str(power).translate(_SUPERSCRIPT)
    return (minus if value < 0 and rounded != 0 else "") + text


def fmt_count(value: int, thousands: str = "\u202f") -> str:
    """A whole number with thousands grouped: a narrow no-break space (ISO 80000-1) unless told.

    No-break, so a number is never split across lines.

    Japanese text groups with a comma (53,130): the catalogue's ``numbers.thousands``.
    """
    return f"{value:,}".replace(",", thousands)


def fmt_percent(level: float) -> str:
    """A confidence level as a percentage: 0.95 → ``95%``, 0.999 → ``99.9%``."""
    return f"{level * 100:.10g}%"


def fmt_pvalue(p: float, digits: int = 4) -> str:
    """A p-value with its relation: ``= 0.9012``, or ``< 0.0001`` rather than ``= 0.0000``.

    Always ``digits`` decimals, rounded half away from zero: below 10^−digits the
    page says "<", so the three significant digits of small figures do not apply.
    """
    floor = 10.0**-digits
    # no-break spaces: "p = 0.9422" stays on one line
    if p < floor:
        return f"<\u00a0{floor:.{digits}f}"
    return "=\u00a0" + fmt_number(p, digits, small=False)


def kl_places(n: int) -> int:
    """Decimals of D_KL printed beside N: enough that 2N·D_KL (or 2 ln 2 · N · D_KL in bits)
    worked by hand from the printed D_KL gives the printed 4-decimal G (at least 6)."""
    return min(12, max(6, 4 + math.ceil(math.log10(3 * max(n, 1)))))


def fmt_tex(value: float, digits: int = 4) -> str:
    """A number for LaTeX: ``\\infty`` for infinity, m \\times 10^{e} for a tiny figure,
    negatives braced so the minus is unary; rounded as ``fmt_number``."""
    if math.isinf(value):
        text = r"\infty"
    else:
        rounded, power = _rounded(value, digits, True)
        text = format(rounded, "f")
        if power is not None:
            text += rf" \times 10^{{{power}}}"
    return "{-" + text + "}" if value < 0 and text.strip("0.") else text

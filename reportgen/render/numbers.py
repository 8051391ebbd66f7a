"""Numbers for people: fixed decimals, true minus signs, thin-space thousands, p-values.

The analysis never rounds; these functions are the only place where a figure
becomes text (the templates reach them as the filters of ``catalogue.FILTERS``).
"""

from __future__ import annotations

import math


def fmt_number(value: float, digits: int = 4, *, minus: str = "\u2212") -> str:
    """A real number with ``digits`` decimals, a true minus sign and ∞ for infinity."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return ("" if value > 0 else minus) + "\u221e"
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        # -0.0000 is zero on the page
        text = text[1:] if float(text) == 0 else minus + text[1:]
    return text


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
    """A p-value with its relation: ``= 0.9012``, or ``< 0.0001`` rather than ``= 0.0000``."""
    floor = 10.0**-digits
    # no-break spaces: "p = 0.9422" stays on one line
    return f"<\u00a0{floor:.{digits}f}" if p < floor else "=\u00a0" + fmt_number(p, digits)


def fmt_tex(value: float, digits: int = 4) -> str:
    """A number for LaTeX: ``\\infty`` for infinity, negatives braced so the minus is unary."""
    text = r"\infty" if math.isinf(value) else fmt_number(abs(value), digits)
    return "{-" + text + "}" if value < 0 and text.strip("0.") else text

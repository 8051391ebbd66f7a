"""LaTeX → inline SVG with ziamath, with the LaTeX kept as alt text.

Every equation is drawn as vector paths (no raw LaTeX, no images of text) and
carries its LaTeX source twice: as ``aria-label`` for screen readers of the
HTML, and as the SVG ``<title>``, which WeasyPrint turns into the ``/Alt`` text
of the tagged PDF. Equation numbers such as (4.1) are not drawn here: the
template places them as real HTML text to the right of the equation, so they
stay extractable and searchable in the PDF.

Nothing is configured at import time; ziamath is imported on first use. The
LaTeX → SVG step is memoised: most equations do not depend on the data, so a
second report in the same process (batch runs, tests) reuses them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

#: Font size of display equations in CSS px (the body text is 10.5 pt = 14 px).
DISPLAY_SIZE = 15.0


@dataclass(frozen=True)
class Equation:
    """One typeset equation: its LaTeX, its SVG markup and its number (or ``None``)."""

    latex: str
    svg: str
    number: str | None = None


_LOG = re.compile(r"\\log(_\d+|_\{[^}]*\})?(?![A-Za-z])")


def spaced(latex: str) -> str:
    """TeX puts a thin space after ``\\log``; ziamath does not, so ``\\log L`` reads "logL"."""
    return _LOG.sub(lambda m: m.group(0) + r"\,", latex)


@functools.lru_cache(maxsize=512)
def to_svg(latex: str, *, size: float = DISPLAY_SIZE, id_prefix: str | None = None) -> str:
    """Typeset ``latex`` (``aligned`` is supported) as one ``<svg>`` element.

    The element has ``role="img"``, an ``aria-label`` and a ``<title>`` holding
    the LaTeX, and no ``xmlns`` attribute: inside HTML the parser puts ``<svg>``
    in the SVG namespace itself, and the report must hold no URL at all.
    Glyph ids get ``id_prefix`` (by default one derived from the LaTeX) so
    that many equations can share one HTML page.
    """
    import ziamath

    from reportgen.render.svg import scope_ids

    element = ziamath.Latex(spaced(latex), size=size, title=latex).svgxml()
    element.attrib.pop("xmlns", None)
    element.set("role", "img")
    element.set("aria-label", latex)
    element.set("class", "math")
    if id_prefix is None:
        id_prefix = "eq-" + hashlib.sha256(latex.encode("utf-8")).hexdigest()[:10]
    return scope_ids(ET.tostring(element, encoding="unicode"), id_prefix)


def equation(
    latex: str,
    number: str | None = None,
    *,
    size: float = DISPLAY_SIZE,
    id_prefix: str | None = None,
) -> Equation:
    """A display equation, numbered like the lesson when ``number`` is given (e.g. ``"4.1"``)."""
    return Equation(latex=latex, svg=to_svg(latex, size=size, id_prefix=id_prefix), number=number)

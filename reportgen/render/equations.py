"""LaTeX → SVG with ziamath, shown as an image with the LaTeX as its alt text.

Every equation is drawn as vector paths (no raw LaTeX, no images of text) and
carries its LaTeX source: in the SVG as ``aria-label`` and ``<title>``, and
as the ``alt`` of the ``<img>`` the page shows it in, which WeasyPrint turns
into the ``/Alt`` text of the tagged PDF. Equation numbers such as (4.1) are
not drawn here: the template places them as real HTML text to the right of
the equation, so they stay extractable and searchable in the PDF.

ziamath writes plain paths (``svg2`` off): its default ``<symbol>`` + ``<use>``
makes WeasyPrint copy each glyph again, and costs about 45 % more to draw.

Nothing is configured at import time; ziamath is imported on first use. Most
equations do not depend on the data, so the LaTeX → SVG step is memoised in
memory and on disk (``render.eqcache``): a run whose equations are all
cached never imports ziamath.
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
    """One typeset equation: its LaTeX, its markup (an ``<img>`` of SVG) and its number."""

    latex: str
    svg: str
    number: str | None = None


_LOG = re.compile(r"\\log(_\d+|_\{[^}]*\})?(?![A-Za-z])")


def spaced(latex: str) -> str:
    """TeX puts a thin space after ``\\log``; ziamath does not, so ``\\log L`` reads "logL"."""
    return _LOG.sub(lambda m: m.group(0) + r"\,", latex)


@functools.lru_cache(maxsize=1024)
def to_svg(latex: str, *, size: float = DISPLAY_SIZE, id_prefix: str | None = None) -> str:
    """Typeset ``latex`` (``aligned`` is supported) as one ``<svg>`` element.

    The element has ``role="img"``, an ``aria-label`` and a ``<title>`` holding
    the LaTeX, and no ``xmlns`` attribute (``svg.data_url`` adds it to the
    image; the page itself holds no URL). Any glyph ids get ``id_prefix`` (by
    default one derived from the LaTeX), so the SVG can share a page inline.
    Looked up in the disk cache first (``render.eqcache``).
    """
    from reportgen.render import eqcache
    from reportgen.render.svg import scope_ids

    key = eqcache.key(latex, size)
    svg = eqcache.get(key)
    if svg is None:
        svg = _typeset(latex, size)
        eqcache.put(key, svg)
    if id_prefix is None:
        id_prefix = "eq-" + hashlib.sha256(latex.encode("utf-8")).hexdigest()[:10]
    return scope_ids(svg, id_prefix)


def _typeset(latex: str, size: float) -> str:
    """ziamath's SVG of ``latex``, in plain paths, with the LaTeX as its label and title."""
    import ziamath

    before = ziamath.config.svg2
    ziamath.config.svg2 = False  # plain paths; put back for anyone else using ziamath
    try:
        element = ziamath.Latex(spaced(latex), size=size, title=latex).svgxml()
    finally:
        ziamath.config.svg2 = before
    element.attrib.pop("xmlns", None)
    element.attrib.pop("xmlns:xlink", None)
    element.set("role", "img")
    element.set("aria-label", latex)
    element.set("class", "math")
    return ET.tostring(element, encoding="unicode")


def equation(
    latex: str,
    number: str | None = None,
    *,
    size: float = DISPLAY_SIZE,
    id_prefix: str | None = None,
) -> Equation:
    """A display equation, numbered like the lesson when ``number`` is given (e.g. ``"4.1"``)."""
    from reportgen.render.svg import img

    drawing = to_svg(latex, size=size, id_prefix=id_prefix)
    return Equation(latex=latex, svg=img(drawing, latex, "math"), number=number)

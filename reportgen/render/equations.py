"""LaTeX → SVG with ziamath, shown as an image with the LaTeX as its alt text.

Every equation is drawn as vector paths (no raw LaTeX, no images of text) and
carries its LaTeX source: in the SVG as ``aria-label`` and ``<title>``, and
as the ``alt`` of the ``<img>`` the page shows it in, which WeasyPrint turns
into the ``/Alt`` text of the tagged PDF. Equation numbers such as (4.1) are
not drawn here: the template places them as real HTML text to the right of
the equation, so they stay extractable and searchable in the PDF.

Each glyph is a path of its own under a transform (``_place_glyphs``):
ziamath's default ``<symbol>`` + ``<use>`` makes WeasyPrint copy each glyph
again, and its plain paths do not compress. A glyph that is a character of
the math font (not a stretched or size variant) also carries that character
(``data-char``): a browser shows the paths, and the PDF draws the glyph as
text in the embedded font instead (``glyphs_as_text``), which WeasyPrint
draws in half the time of its outline, and which can be searched and copied.

Nothing is configured at import time; ziamath is imported on first use. Most
equations do not depend on the data, so the LaTeX → SVG step is memoised in
memory and on disk (``render.eqcache``): a run whose equations are all
cached never imports ziamath.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

#: Font size of display equations in CSS px (the body text is 10.5 pt = 14 px).
DISPLAY_SIZE = 15.0


@dataclass(frozen=True)
class Equation:
    """One typeset equation: its LaTeX, its markup (an ``<img>`` of SVG) and its number.

    ``svg`` is what the pages show today: the drawing with the LaTeX as its
    alternative text. For assistive technology the equation also comes as
    MathML (``mathml``) and in words (``spoken(lang)``); ``html(lang)`` puts
    them together in one markup for both the HTML and the PDF made from it
    (the page then needs ``MATHML_CSS``).
    """

    latex: str
    svg: str
    number: str | None = None

    @functools.cached_property
    def mathml(self) -> str:
        """The equation as a display ``<math>`` element (``to_mathml``)."""
        return to_mathml(self.latex)

    def spoken(self, lang: str = "en") -> str:
        """The equation in words (``render.speech``): the PDF's alternative text."""
        from reportgen.render.speech import spoken

        return spoken(self.latex, lang)

    def picture(self, alt: str, *, hidden: bool = False) -> str:
        """The drawing as an ``<img>`` with ``alt``; ``hidden``: ``aria-hidden="true"`` too."""
        from reportgen.render.svg import drawing_of, img

        markup = img(drawing_of(self.svg), alt, "math")
        return markup.replace("<img ", '<img aria-hidden="true" ', 1) if hidden else markup

    def html(self, lang: str = "en") -> str:
        """MathML for assistive technology beside the drawing, for the HTML and its PDF.

        ``<span class="eq-mathml"><math …>…</math></span><img … aria-hidden="true"
        alt="(words)">``: with ``MATHML_CSS`` a browser shows the drawing and
        gives screen readers the MathML (the picture is hidden from them), and
        WeasyPrint leaves the MathML out of print and tags the picture as a
        Figure whose /Alt is the equation in words.
        """
        words = self.spoken(lang)
        math = self.mathml.replace("<math ", f'<math alttext="{_attribute(words)}" ', 1)
        return f'<span class="eq-mathml">{math}</span>{self.picture(words, hidden=True)}'


#: What a page needs once its equations are ``Equation.html``: on screen the MathML is
#: read by assistive technology but not seen (the drawing is), in print it is left out.
MATHML_CSS = """\
@media screen { .eq-mathml { position: absolute; width: 1px; height: 1px; margin: -1px;
  padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
  border: 0; } }
@media print { .eq-mathml { display: none; } }
"""


def _attribute(text: str) -> str:
    """Text as an HTML attribute value (quotes and markup escaped)."""
    from markupsafe import escape

    return str(escape(text))


_ALIGNED = re.compile(r"\\(begin|end)\{aligned\}")


@functools.lru_cache(maxsize=1024)
def to_mathml(latex: str) -> str:
    """``latex`` as one MathML ``<math display="block">`` element (latex2mathml, from ziamath).

    latex2mathml reads ``aligned`` as one row with literal ``&`` (not even
    well-formed XML), so it is given as ``array{rl}``, a two-column table with
    the same alignment. Without ``xmlns``: the HTML parser puts ``<math>`` in
    the MathML namespace.
    """
    from latex2mathml.converter import convert

    source = _ALIGNED.sub(
        lambda m: r"\begin{array}{rl}" if m[1] == "begin" else r"\end{array}", latex
    )
    math = convert(source, display="block")
    return math.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)


_LOG = re.compile(r"\\log(_\d+|_\{[^}]*\})?(?![A-Za-z])")
#: What ends an ordinary atom (a letter, digit, subscript, closing bracket), not a command.
_ORDINARY_END = re.compile(r"(?<!\\)(?:[A-Za-z0-9)\]|]|\})\s*$")
_COMMAND_END = re.compile(r"\\[A-Za-z]+\s*$")


def spaced(latex: str) -> str:
    """The thin spaces TeX puts around ``\\log`` (an operator), which ziamath leaves out.

    After it always (``\\log L`` read "logL"); before it when an ordinary atom
    precedes (``3 \\log 0.15``, ``t_k \\log y_k`` read "3log", "t_klog"), not
    after a command, a relation, a binary operator or an opening bracket.
    """

    def thin(match: re.Match[str]) -> str:
        before = latex[: match.start()]
        ordinary = _ORDINARY_END.search(before) and not _COMMAND_END.search(before)
        return (r"\," if ordinary else "") + match.group(0) + r"\,"

    return _LOG.sub(thin, latex)


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
    """ziamath's SVG of ``latex``, a path a glyph, with the LaTeX as its label and title."""
    import ziamath

    before = ziamath.config.svg2
    ziamath.config.svg2 = True  # glyphs once, as <symbol>; placed below without <use>
    try:
        element = ziamath.Latex(spaced(latex), size=size, title=latex).svgxml()
    finally:
        ziamath.config.svg2 = before
    _place_glyphs(element)
    element.attrib.pop("xmlns", None)
    element.attrib.pop("xmlns:xlink", None)
    element.set("role", "img")
    element.set("aria-label", latex)
    element.set("class", "math")
    return ET.tostring(element, encoding="unicode")


def _place_glyphs(element: ET.Element) -> None:
    """Each ``<use>`` of a glyph ``<symbol>`` as the glyph's own path with a transform.

    WeasyPrint copies and cascades a ``<use>``'s target again for every use
    (about 45 % more drawing time), while ziamath's plain-path output writes
    each glyph at absolute coordinates, so that repeated glyphs no longer
    compress in the PDF (+60 % bytes). A path in the glyph's own coordinates
    under ``translate(…) scale(…)`` is drawn as fast and compresses like the
    symbol. A use whose box does not scale both ways alike stays as it is.
    """
    symbols = {s.get("id"): s for s in element.iter("symbol")}
    uses = [(parent, i, child) for parent in element.iter() for i, child in enumerate(parent)]
    for parent, index, child in uses:
        if child.tag != "use":
            continue
        symbol = symbols.get((child.get("href") or "").removeprefix("#"))
        if symbol is not None and len(symbol) == 0:  # a space: nothing to draw
            parent[index] = ET.Element("g")
            continue
        try:
            vx, vy, vw, vh = (float(v) for v in (symbol.get("viewBox") or "").split())  # type: ignore[union-attr]
            x, y = float(child.get("x", 0)), float(child.get("y", 0))
            scale = float(child.get("height", 0)) / vh
            across = float(child.get("width", 0)) / vw if vw else scale
        except (AttributeError, ValueError, ZeroDivisionError):
            continue
        if abs(across - scale) > 1e-3 * max(across, scale):
            continue
        move = f"translate({x - vx * scale:.3f} {y - vy * scale:.3f}) scale({scale:.5f})"
        group = ET.Element("g", {"transform": move})
        char = _characters().get(_glyph_index(symbol.get("id")))  # type: ignore[union-attr]
        if char is not None:
            group.set("data-char", char)
        for name in ("fill", "stroke"):
            if child.get(name):
                group.set(name, child.get(name))  # type: ignore[arg-type]
        group.extend(copy.deepcopy(list(symbol)))  # type: ignore[arg-type]
        parent[index] = group
    left = {(use.get("href") or "").removeprefix("#") for use in element.iter("use")}
    for parent in list(element.iter()):
        for symbol in [c for c in parent if c.tag == "symbol" and c.get("id") not in left]:
            parent.remove(symbol)


def _glyph_index(symbol_id: str | None) -> int | None:
    """The glyph index in ziafont's symbol id (``STIXTwoMathRegular_3355``)."""
    _, _, index = (symbol_id or "").rpartition("_")
    return int(index) if index.isdigit() else None


@functools.cache
def _characters() -> dict[int, str]:
    """Glyph index → the character the math font maps to it (the lowest code point)."""
    from fontTools.ttLib import TTFont

    from reportgen.render.fonts import LATIN_FACES, MATH

    path = next((face.path for face in LATIN_FACES if face.family == MATH), None)
    if path is None:
        return {}
    font = TTFont(path, lazy=True)
    index = {name: i for i, name in enumerate(font.getGlyphOrder())}
    found: dict[int, str] = {}
    for code, name in sorted(font.getBestCmap().items(), reverse=True):
        found[index[name]] = chr(code)
    return found


#: A glyph as ``_place_glyphs`` writes it, when it is a character of the math font.
_GLYPH = re.compile(
    r'<g transform="translate\(([-\d.]+) ([-\d.]+)\) scale\(([\d.]+)\)"'
    r' data-char="([^"]+)"((?: (?:fill|stroke)="[^"]*")*)>(?:<path d="[^"]*" />)?</g>'
)
#: ziafont draws a glyph's outline at 12 pt: a glyph scaled by s is set at 12 s.
_OUTLINE_SIZE = 12.0


def glyphs_as_text(svg: str) -> str:
    """The equation's glyphs that are characters of the math font as ``<text>`` in that font.

    Each ``<g data-char>`` of ``_place_glyphs`` (one outline under
    ``translate(x y) scale(s)``) becomes its character at (x, y), the glyph's
    origin on the baseline, in STIX Two Math at 12 s: where and as large as
    ziamath placed it. Glyphs side by side on one baseline at one size share a
    ``<text>`` whose ``x`` lists each glyph's own position (WeasyPrint lays out
    a text element once more than its letters, so runs halve its work); spaces
    between them (empty ``<g />``) are dropped. Stretched delimiters, size
    variants, rules and anything else stay as they are.
    """
    from reportgen.render.fonts import MATH

    out: list[str] = []
    run: list[tuple[str, str]] = []  # (x, character) of the run being gathered
    key: tuple[str, str, str] | None = None  # its (y, scale, paint)
    written = 0  # how much of svg is in out

    def flush() -> None:
        if run and key is not None:
            y, scale, paint = key
            size = _OUTLINE_SIZE * float(scale)
            xs = " ".join(x for x, _ in run)
            chars = "".join(char for _, char in run)
            out.append(
                f'<text x="{xs}" y="{y}" font-family="{MATH}" font-size="{size:.4f}"{paint}>'
                f"{chars}</text>"
            )
        run.clear()

    for match in _GLYPH.finditer(svg):
        x, y, scale, char, paint = match.groups()
        between = svg[written : match.start()]
        if run and (y, scale, paint) == key and not between.replace("<g />", ""):
            run.append((x, char))  # the next glyph of the run
        else:
            flush()
            out.append(between)
            run.append((x, char))
            key = (y, scale, paint)
        written = match.end()
    flush()
    out.append(svg[written:])
    return "".join(out)


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

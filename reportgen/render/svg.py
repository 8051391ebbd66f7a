"""Drawings as SVG the page can carry: a matplotlib figure written out, scoped, an image.

``to_svg`` writes a figure with its labels as SVG text (searchable in the PDF,
set in the page's fonts), reproducibly, and turns mathtext's lone combining
accents into spacing ones, which WeasyPrint would otherwise draw as a dotted
circle. Inline SVG shares the page's id space and the page's CSS parser: two
plots that both define ``id="patch_1"`` collide, and ``style="stroke: …"``
attributes go through the HTML cascade (where WeasyPrint warns about every
SVG-only property). So ids are scoped with a prefix, and style attributes
become the equivalent presentation attributes. The report carries its
drawings (figures and equations) as images of ``data:`` URLs (:func:`img`),
which the PDF's URL fetcher serves only when this process made them
(:func:`is_own_drawing`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_ID = re.compile(r'\bid="([^"]+)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')


def scope_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` and every reference to it (``href="#…"``, ``url(#…)``)."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'(href="#)([^"]+)(?=")', rename, svg)
    return re.sub(r"(url\(#)([^)]+)(?=\))", rename, svg)


def style_to_attributes(svg: str) -> str:
    """``style="fill: #fff; stroke-width: 0.8"`` → ``fill="#fff" stroke-width="0.8"``."""

    def convert(match: re.Match[str]) -> str:
        parts = []
        for declaration in match.group(1).split(";"):
            name, sep, value = declaration.partition(":")
            if sep and name.strip():
                parts.append(f'{name.strip()}="{value.strip()}"')
        return (" " + " ".join(parts)) if parts else ""

    return _STYLE.sub(convert, svg)


# -- drawings as images ------------------------------------------------------------------

#: The SVG namespace: a name, never fetched; a standalone SVG image must declare it.
SVG_NS = "http://www.w3.org/2000/svg"
_MIME = "data:image/svg+xml;base64,"
#: What an SVG drawing of the report may point at: only its own ids.
_EXTERNAL = re.compile(r'(?:href="(?!#)|url\((?!#)|<image\b|<style\b|<script\b|<foreignObject\b)')
_made: set[bytes] = set()  # digests of the data: URLs this process made (for the URL fetcher)


def data_url(svg: str) -> str:
    """A drawing as a ``data:image/svg+xml;base64`` URL, remembered as the report's own.

    WeasyPrint parses an image with ElementTree and never cascades its
    elements as HTML (inline SVG costs about as much as the rest of the page);
    a browser shows it too. The SVG may reference nothing but its own ids.
    """
    if not svg.startswith("<svg"):
        raise ValueError("not an SVG element")
    if _EXTERNAL.search(svg):
        raise ValueError("a drawing of the report references something outside itself")
    if " xmlns=" not in svg[: svg.index(">")]:
        svg = svg.replace("<svg", f'<svg xmlns="{SVG_NS}"', 1)
    url = _MIME + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    _made.add(hashlib.sha256(url.encode("ascii")).digest())
    return url


def is_own_drawing(url: str) -> bool:
    """Was ``url`` made by :func:`data_url` in this process?"""
    if not url.startswith(_MIME):
        return False
    return hashlib.sha256(url.encode("ascii", "replace")).digest() in _made


def svg_from_url(url: str) -> bytes:
    """The SVG bytes of one of :func:`data_url`'s URLs."""
    return base64.b64decode(url[len(_MIME) :])


def img(svg: str, alt: str, css_class: str) -> str:
    """An ``<img>`` of the drawing with ``alt`` (escaped) as its alternative text.

    WeasyPrint writes ``alt`` as the ``/Alt`` of the tagged PDF's figure.
    """
    from markupsafe import escape

    return f'<img class="{css_class}" src="{data_url(svg)}" alt="{escape(alt)}">'


def drawing_of(markup: str) -> str:
    """The SVG inside an :func:`img` (for tests and tools that read the page's drawings)."""
    start = markup.index(_MIME) + len(_MIME)
    return base64.b64decode(markup[start : markup.index('"', start)]).decode("utf-8")


# -- matplotlib figures as SVG ----------------------------------------------------------

#: Salt for the ids matplotlib writes into SVG, so that output is reproducible.
SVG_HASHSALT = "reportgen"

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)  # matplotlib escapes "--" inside comments
_STYLESHEET = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.S)
_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')


def to_svg(figure: Figure, *, title: str | None = None, id_prefix: str = "fig") -> str:
    """A figure as one inline ``<svg>`` element, byte-for-byte reproducible.

    ``svg.hashsalt`` fixes the generated ids and ``metadata={'Date': None}``
    drops the timestamp. The XML prologue, the metadata block and the
    ``xmlns`` declarations are removed (the HTML parser supplies the SVG
    namespace; the report holds no URL), and ``xlink:href`` becomes SVG 2's
    ``href``. matplotlib's ``<style>`` sheet (``* {stroke-linejoin: round}``)
    would style the whole HTML page, so it becomes attributes of the root;
    ids get ``id_prefix`` so that several plots can share one page.
    ``title`` becomes ``aria-label`` and ``<title>`` (alt text).

    Labels stay text (``svg.fonttype: 'none'``), set by WeasyPrint or the
    browser in the family matplotlib chose (for Japanese a CJK font, see
    ``reportgen.render.fonts``): searchable and selectable in the PDF, and with the
    same embedded fonts as the prose. Measured on the sample: no slower than
    drawing every glyph as a path, and a few kB smaller.
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _METADATA.sub("", svg, count=1)
    svg = _XMLNS.sub("", svg)
    svg = svg.replace("xlink:href=", "href=")
    svg = _STYLESHEET.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    svg = spacing_accents(scope_ids(style_to_attributes(svg), id_prefix))
    if title is not None:
        from markupsafe import escape

        label = str(escape(title))
        svg = svg.replace(
            "<svg ", f'<svg role="img" aria-label="{label}" class="figure" ', 1
        ).replace(">", f"><title>{label}</title>", 1)
    return svg.strip()


#: Spacing forms of the combining accents mathtext draws (``\hat``, ``\tilde``, …).
SPACING_ACCENTS = {
    "\u0300": "\u02cb",  # grave
    "\u0301": "\u02ca",  # acute
    "\u0302": "\u02c6",  # circumflex: \hat
    "\u0303": "\u02dc",  # tilde
    "\u0304": "\u02c9",  # macron
    "\u0305": "\u203e",  # overline: \bar
    "\u0306": "\u02d8",  # breve
    "\u0307": "\u02d9",  # dot above
    "\u0308": "\u00a8",  # diaeresis
    "\u030a": "\u02da",  # ring above
    "\u030c": "\u02c7",  # caron
}

_ACCENT_TSPAN = re.compile(
    r"<tspan (?P<attrs>[^>]*)>(?P<mark>[" + "".join(SPACING_ACCENTS) + r"])</tspan>"
)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def spacing_accents(svg: str) -> str:
    """mathtext's accents as spacing glyphs, moved to where the combining ones were drawn.

    With ``svg.fonttype: 'none'`` mathtext writes the hat of ``$\\hat{y}$`` as a
    ``<tspan>`` that holds the combining U+0302 alone, placed by its ink box.
    A combining mark with no base before it is a broken cluster to a text
    shaper: WeasyPrint draws a dotted circle beside it (and in a CJK font
    it lands on the neighbouring glyph). Its spacing form (U+02C6 for the
    hat) has the same ink in DejaVu; the tspan is moved so that the ink
    box's centre stays where mathtext put it.
    """

    def replace(match: re.Match[str]) -> str:
        attrs = dict(_ATTRIBUTE.findall(match.group("attrs")))
        mark = match.group("mark")
        spacing = SPACING_ACCENTS[mark]
        try:
            x, y = float(attrs["x"]), float(attrs["y"])
            size = float(attrs.get("font-size", "10px").removesuffix("px"))
        except (KeyError, ValueError):
            return match.group(0).replace(mark, spacing)
        old = ink_box(font_path(attrs), mark, size)
        new = ink_box(font_path(attrs), spacing, size)
        if old is not None and new is not None:
            x += (old[0] + old[2]) / 2 - (new[0] + new[2]) / 2
            y -= (old[1] + old[3]) / 2 - (new[1] + new[3]) / 2  # SVG's y points down
        attrs["x"], attrs["y"] = _short(x), _short(y)
        rest = " ".join(f'{name}="{value}"' for name, value in attrs.items())
        return f"<tspan {rest}>{spacing}</tspan>"

    return _ACCENT_TSPAN.sub(replace, svg)


def _short(value: float) -> str:
    """A coordinate as matplotlib writes it: up to six decimals, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def font_path(attrs: dict[str, str]) -> str:
    """The font file matplotlib uses for a tspan's family, style and weight."""
    from matplotlib import font_manager

    family = attrs.get("font-family", "DejaVu Sans").strip("'\"")
    properties = font_manager.FontProperties(
        family=family,
        style=attrs.get("font-style", "normal"),
        weight=attrs.get("font-weight", "normal"),
    )
    return font_manager.findfont(properties, fallback_to_default=True)


def ink_box(path: str, char: str, size: float) -> tuple[float, float, float, float] | None:
    """(xmin, ymin, xmax, ymax) of a glyph's ink at ``size`` px from its origin (y up)."""
    from matplotlib.ft2font import LoadFlags

    font = _font(path)
    if font.get_char_index(ord(char)) == 0:
        return None
    font.set_size(size, 72)
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return tuple(v / 64 for v in glyph.bbox)  # type: ignore[return-value]


@functools.cache
def _font(path: str):  # noqa: ANN202 - matplotlib.ft2font.FT2Font
    from matplotlib.ft2font import FT2Font

    return FT2Font(path)

"""Helpers that make generated SVG safe in the page: scoped, plain attributes, or an image.

Inline SVG shares the page's id space and the page's CSS parser: two plots
that both define ``id="patch_1"`` collide, and ``style="stroke: …"``
attributes go through the HTML cascade (where WeasyPrint warns about every
SVG-only property). So ids are scoped with a prefix, and style attributes
become the equivalent presentation attributes. The report itself carries its
drawings as images of ``data:`` URLs (:func:`img`), which the PDF's URL
fetcher serves only when this process made them (:func:`is_own_drawing`).
"""

from __future__ import annotations

import base64
import hashlib
import re

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

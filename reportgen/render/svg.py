"""Helpers that make generated SVG safe to inline many times in one HTML page.

Inline SVG shares the page's id space and the page's CSS parser: two plots
that both define ``id="patch_1"`` collide, and ``style="stroke: …"``
attributes go through the HTML cascade (where WeasyPrint warns about every
SVG-only property). So ids are scoped with a prefix, and style attributes
become the equivalent presentation attributes.
"""

from __future__ import annotations

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

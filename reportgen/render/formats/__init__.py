"""The output formats, one module each, and the one registry every caller reads.

A format module (``pdf``, ``html``, ``json``) declares a ``FORMAT``: its name,
file extension, media type, the editions it can make, and ``export(document)``
→ bytes. The command line's ``-f`` choices, the output names of a batch, the
API's ``Report.export`` and the live lesson all read ``FORMATS``; adding a
format is one module here (listed in ``FORMATS``) and its tests
(``docs/architecture.md``).

A ``Document`` is what one output is made from: an analysis, how to show it
(``RenderOptions``), the edition, and the input's bytes for a PDF to carry. It
keeps its HTML once made, so ``-f pdf,html`` lays the PDF out from the HTML
page it wrote (``html.page``).

Format modules import their heavy libraries inside ``export``, so reading this
registry (and a JSON-only run) never imports matplotlib or WeasyPrint.
"""

from __future__ import annotations

from reportgen.errors import UsageError
from reportgen.render.formats import html, json, pdf
from reportgen.render.formats.base import EDITIONS, Document, Format, check_edition

#: Every format by name, in ``-f``'s order.
FORMATS: dict[str, Format] = {module.FORMAT.name: module.FORMAT for module in (pdf, html, json)}

__all__ = ["EDITIONS", "FORMATS", "Document", "Format", "check_edition", "format_named"]


def format_named(name: str) -> Format:
    """The format ``-f NAME`` names; ``UsageError`` for any other name."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"-f {name}: choose from {', '.join(FORMATS)}") from None

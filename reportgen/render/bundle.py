"""A bundle (``--bundle``): every input's page of one edition laid out as ONE document.

``bundle_page(pages)`` joins the inputs' HTML pages (each as ``formats.html``
made it) into one HTML document: the first page's head (its stylesheet is the
edition's, the same for all), then each page's body in a ``<div
class="bundle-part">`` that starts on a right-hand (odd) page (CSS
``break-before: recto``), so a duplex print separates the students; a page
left blank for that carries no header or footer. Each part's ids are prefixed
(``b3-figure-1``) so that the parts' figures, equations and links keep apart.

``bundle_pdf(pages, lang)`` lays that document out once with WeasyPrint, as
every PDF of reportgen is (``formats.pdf.write_pdf``): tagged, PDF/A-3b, the
same bytes for the same inputs, carrying every input's attachments, each name
prefixed by its part's number (``01-sato.csv``). Laying the pages out again
costs about what the inputs' own PDFs cost; concatenating those PDFs instead
would lose the structure tree and PDF/A conformance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

#: The CSS a bundle adds: each part on a recto; blank pages without running heads.
BUNDLE_CSS = """
div.bundle-part { break-before: recto; }
div.bundle-part:first-child { break-before: auto; }
@page :blank { @top-center { content: none; } @bottom-center { content: none; } }
"""

_BODY = re.compile(r"<body\b([^>]*)>(.*)</body>", re.DOTALL)
_HEAD_END = "</style>\n</head>"
#: Attributes that name an id: the id itself, and references to one.
_ID_ATTRIBUTES = re.compile(
    r'(?<![\w:-])(id|for|headers|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"'
)
_HASH_REFERENCE = re.compile(r'(?<![\w-])((?:xlink:)?href)="#([^"]*)"')
_URL_REFERENCE = re.compile(r"url\(#([^)]*)\)")


class BundlePage(Protocol):
    """One input's page: its HTML and the files its PDF carries (``pipeline.Page``)."""

    html: str
    files: tuple[tuple[str, bytes, str, str], ...]


def bundle_page(pages: Sequence[str]) -> str:
    """One HTML document of ``pages`` in order, each part starting on an odd page."""
    if not pages:
        raise ValueError("a bundle needs at least one page")
    first = pages[0]
    head_end = first.index(_HEAD_END)
    head = first[:head_end] + BUNDLE_CSS + first[head_end : first.index("<body")]
    opening = _BODY.search(first)
    assert opening is not None
    parts = []
    for number, page in enumerate(pages, start=1):
        body = _BODY.search(page)
        assert body is not None
        parts.append(
            f'<div class="bundle-part" id="part-{number}">{_prefixed(body.group(2), number)}</div>'
        )
    return f"{head}<body{opening.group(1)}>\n" + "\n".join(parts) + "\n</body>\n</html>\n"


def _prefixed(html: str, number: int) -> str:
    """Every id of one part, and every reference to one, with the part's prefix."""
    prefix = f"b{number}-"

    def ids(match: re.Match[str]) -> str:
        names = " ".join(prefix + name for name in match.group(2).split())
        return f'{match.group(1)}="{names}"'

    html = _ID_ATTRIBUTES.sub(ids, html)
    html = _HASH_REFERENCE.sub(lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', html)
    return _URL_REFERENCE.sub(lambda m: f"url(#{prefix}{m.group(1)})", html)


def bundle_pdf(pages: Sequence[BundlePage], lang: str) -> bytes:
    """The bundle of ``pages`` as one PDF/A-3b (``formats.pdf.write_pdf``)."""
    from reportgen.render.formats.pdf import write_pdf

    width = len(str(len(pages)))
    files = [
        (f"{number:0{width}d}-{name}", data, description, relationship)
        for number, page in enumerate(pages, start=1)
        for name, data, description, relationship in page.files
    ]
    return write_pdf(bundle_page([page.html for page in pages]), lang, files)

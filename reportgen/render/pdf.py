"""The report as a PDF/A-3b laid out by WeasyPrint, carrying its data.

The HTML of ``render.html`` is laid out with a URL fetcher that refuses
everything except the font files shipped inside installed Python packages
(the CJK fallback of ``render.fonts``), so rendering never touches the
network. The PDF carries the input log (handed over as bytes by the caller;
this module never opens an input) or, without them, its frequency table, and
the JSON results, as attachments dated like the report, so the same input and
options give the same bytes. WeasyPrint is imported on first use.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.printable import clean
from reportgen.render.catalogue import messages, plain
from reportgen.render.context import build_date
from reportgen.render.html import html
from reportgen.render.quiet import quiet_libraries

if TYPE_CHECKING:
    from reportgen.analysis import Analysis

#: Inputs up to this size are embedded in the PDF as they are; larger ones as their
#: frequency table (CSV). 1 MiB keeps a lesson PDF mailable.
EMBED_LIMIT = 1 << 20


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches only packaged font files (see ``render.fonts``).

    No network, no ``data:`` URLs, no other file: a ``file:`` URL is served
    only when it names a font file inside an installed package's font folder.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from reportgen.render.fonts import is_packaged_font

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path))
                if is_packaged_font(path):
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"reportgen renders self-contained reports; refused {url[:80]}")

    return FontsOnly()


def counts_csv(analysis: Analysis) -> bytes:
    """The frequency table ``face,count`` as CSV (what reportgen reads with ``--counts``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["face", "count"])
    writer.writerows(zip(analysis.faces, analysis.counts, strict=True))
    return out.getvalue().encode("utf-8")


def attachments(
    analysis: Analysis, input_bytes: bytes | None = None
) -> list[tuple[str, bytes, str]]:
    """What the PDF carries: (file name, bytes, description) of the input and the results.

    ``input_bytes`` is the input file as read (``read.sources.embeddable``): a
    file of at most ``EMBED_LIMIT`` bytes whose SHA-256 still matches. Without
    them (standard input, several files combined, a large or changed file) the
    frequency table is embedded instead.
    """
    from reportgen.render.results import to_json

    m = messages(analysis.options.lang)["attachments"]
    source = "stdin" if analysis.log.source == "-" else clean(Path(analysis.log.source).name)
    if input_bytes is not None:
        first = (source, input_bytes, plain(m["input"]))
    else:
        stem = re.sub(r"[^\w-]+", "-", source.split(".")[0]).strip("-") or "input"
        first = (f"{stem}-counts.csv", counts_csv(analysis), plain(m["counts"]))
    results = to_json(analysis).encode("utf-8")
    return [first, ("results.json", results, plain(m["results"]))]


def pdf(analysis: Analysis, input_bytes: bytes | None = None) -> bytes:
    """The report as a PDF/A-3b (A4, tagged, fonts embedded, data attached) by WeasyPrint.

    The title, language, author, subject (description) and dates come from the
    HTML's ``<title>``, ``<html lang>`` and ``<meta>`` elements; tags carry
    each equation's LaTeX as its alternative text. The attachments are dated
    like the report (``build_date``), so the bytes are reproducible.
    """
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render.fonts import font_face_css

    fetcher = refusing_fetcher()
    font_config = FontConfiguration()
    stylesheets = []
    faces = font_face_css(analysis.options.lang)
    if faces:
        stylesheets.append(CSS(string=faces, url_fetcher=fetcher, font_config=font_config))
    when = build_date().replace(tzinfo=None)
    files = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=description,
            created=when,
            modified=when,
            relationship="Source" if name != "results.json" else "Data",
        )
        for name, data, description in attachments(analysis, input_bytes)
    ]
    document = HTML(string=html(analysis), base_url=None, url_fetcher=fetcher)
    with quiet_libraries():  # WeasyPrint's and fontTools' warnings stay off stderr
        return document.write_pdf(
            stylesheets=stylesheets,
            font_config=font_config,
            attachments=files,
            pdf_variant="pdf/a-3b",
            pdf_tags=True,
            finisher=_unique_associated_files,
        )


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalogue's ``/AF``; keep one of each."""
    import pydyf

    files = pdf.catalog.get("AF")
    if files is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(files))

"""One result, three editions: the lesson report, the student's worksheet, the teacher's key.

``edition_html`` and ``edition_pdf`` pick the page of an edition. The report's
PDF carries the input (or its counts) and the JSON results; the key carries
the same; the student's worksheet carries the input only (or its counts,
which the worksheet gives anyway): the results are its answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.options import check_edition

if TYPE_CHECKING:
    from reportgen.analysis import Analysis


def edition_html(analysis: Analysis, edition: str = "report") -> str:
    """The HTML page of ``edition`` (``report``, ``student`` or ``teacher``)."""
    check_edition(edition)
    if edition == "report":
        from reportgen.render.html import html

        return html(analysis)
    from reportgen.render.worksheet import worksheet_html

    return worksheet_html(analysis, edition)


def edition_pdf(
    analysis: Analysis,
    edition: str = "report",
    input_bytes: bytes | None = None,
    page: str | None = None,
) -> bytes:
    """The PDF/A-3b of ``edition``, with its attachments (see the module's docstring).

    ``page`` is that edition's HTML when the caller made it already (``-f pdf,html``).
    """
    from reportgen.render import pdf

    check_edition(edition)
    if edition == "report":
        return pdf.pdf(analysis, input_bytes, page=page)
    files = [
        (name, data, description, "Source" if name != "results.json" else "Data")
        for name, data, description in pdf.attachments(analysis, input_bytes)
    ]
    if edition == "student":
        files = files[:1]  # the log (or its counts), never the results: they are the answers
    if page is None:
        page = edition_html(analysis, edition)
    return pdf.write_pdf(page, analysis.options.lang, files)

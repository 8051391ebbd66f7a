"""The report as a PDF/A-3b laid out by WeasyPrint, carrying its data.

The HTML of ``render.html`` is laid out with a URL fetcher that refuses
everything except the font files shipped inside installed Python packages
(``render.fonts``), so rendering never touches the network, and with a
fontconfig that holds those files alone, so the bytes do not depend on the
machine's fonts. The PDF carries the input log (handed over as bytes by the caller;
this module never opens an input) or, without them, its frequency table, and
the JSON results, as attachments dated like the report, so the same input and
options give the same bytes. WeasyPrint is imported on first use.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
import warnings
from collections.abc import Iterator
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
    """A WeasyPrint URL fetcher that fetches only packaged fonts and the report's drawings.

    No network, no other file, no other ``data:`` URL: a ``file:`` URL is
    served only when it names one of the font files ``render.fonts``
    declares, a ``data:`` URL only when it is one of the SVG drawings this
    process made for a report (``svg.data_url``).
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from reportgen.render.fonts import is_packaged_font
    from reportgen.render.svg import is_own_drawing, svg_from_url

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if is_own_drawing(url):
                body = svg_from_url(url)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})
            parts = urlsplit(url)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path))
                if is_packaged_font(path):
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"reportgen renders self-contained reports; refused {url[:80]}")

    return FontsOnly()


@contextlib.contextmanager
def font_configuration(system: bool = False) -> Iterator[Any]:
    """A WeasyPrint font configuration that knows only the ``@font-face`` fonts added to it.

    WeasyPrint's own starts from every font fontconfig finds on the machine
    and falls back to them for any family or character the stylesheet's
    fonts lack; a system font of the same name can even win over a declared
    one (Debian's Noto CJK over the packaged one). This one swaps in an empty
    fontconfig (no configuration files, no font folders), so what the report
    uses is what ``render.fonts`` declares. Pango also consults the process's
    *current* fontconfig while it lays out (and, with the machine's rules, it
    then picks the regular face for bold and italic text, or shears it), so
    the empty one is made current for the duration and the previous one put
    back afterwards. ``system=True`` keeps the machine's fonts, for text that
    no packaged font covers.
    """
    from weasyprint.text.ffi import ffi, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    if system:
        yield config
        return
    fc = _fontconfig()
    empty = fc.FcConfigCreate()
    if not empty or not fc.FcConfigBuildFonts(empty):  # its (empty) system set
        raise MemoryError("fontconfig could not create a configuration")
    font_map = ffi.cast("PangoFcFontMap *", config.font_map)
    pangoft2.pango_fc_font_map_set_config(font_map, ffi.cast("FcConfig *", empty))
    config._config = ffi.cast("FcConfig *", empty)  # where add_font_face registers fonts
    previous = fc.FcConfigReference(fc.FcConfigGetCurrent())  # kept alive across the swap
    fc.FcConfigSetCurrent(empty)
    try:
        yield config
    finally:
        fc.FcConfigSetCurrent(previous)
        fc.FcConfigDestroy(previous)
        fc.FcConfigDestroy(empty)  # the font map keeps its own reference


@functools.cache
def _fontconfig() -> Any:
    """The fontconfig calls WeasyPrint's bindings lack, through ctypes (the same library)."""
    import ctypes
    import ctypes.util

    library = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    pointer = ctypes.c_void_p
    for name, restype, argtypes in (
        ("FcConfigCreate", pointer, []),
        ("FcConfigBuildFonts", ctypes.c_int, [pointer]),
        ("FcConfigGetCurrent", pointer, []),
        ("FcConfigReference", pointer, [pointer]),
        ("FcConfigSetCurrent", ctypes.c_int, [pointer]),
        ("FcConfigDestroy", None, [pointer]),
    ):
        function = getattr(library, name)
        function.restype, function.argtypes = restype, argtypes
    return library


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
    with warnings.catch_warnings():
        # Said on import when the machine has no fonts at all: the report needs none.
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
        from weasyprint import CSS, HTML, Attachment

    from reportgen.render.fonts import faces, font_face_css, uncovered

    page = html(analysis)
    fetcher = refusing_fetcher()
    chosen = faces(analysis.options.lang, page)
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
    # WeasyPrint's and fontTools' warnings stay off stderr (render.quiet)
    with font_configuration(system=bool(uncovered(page, chosen))) as font_config, quiet_libraries():
        faces_css = CSS(string=font_face_css(chosen), url_fetcher=fetcher, font_config=font_config)
        document = HTML(string=page, base_url=None, url_fetcher=fetcher)
        return document.write_pdf(
            stylesheets=[faces_css],
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

"""The PDF format: a page as a PDF/A-3b laid out by WeasyPrint, carrying its data.

The HTML page (``formats.html.page``) is laid out with a URL fetcher that refuses
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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.printable import clean
from reportgen.render.catalogue import messages, plain
from reportgen.render.dates import build_date
from reportgen.render.formats.base import Document, Format
from reportgen.render.quiet import quiet_libraries

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.cohort import Cohort
    from reportgen.options import RenderOptions


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches only packaged fonts and the report's drawings.

    No network, no other file, no other ``data:`` URL: a ``file:`` URL is
    served only when it names one of the font files ``render.fonts``
    declares, a ``data:`` URL only when it is one of the SVG drawings this
    process made for a report (``svg.data_url``); an equation's glyphs are
    served as text in the math font (``equations.glyphs_as_text``).
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from reportgen.render.equations import glyphs_as_text
    from reportgen.render.fonts import is_packaged_font
    from reportgen.render.svg import is_own_drawing, svg_from_url

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if is_own_drawing(url):
                body = svg_from_url(url)
                if b" data-char=" in body:  # an equation: its glyphs as text in the math font
                    body = glyphs_as_text(body.decode("utf-8")).encode("utf-8")
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})
            parts = urlsplit(url)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path))
                if is_packaged_font(path):
                    return URLFetcherResponse(url, body=path.read_bytes())
            raise ValueError(f"reportgen renders self-contained reports; refused {url[:80]}")

    return FontsOnly()


class Fonts:
    """One WeasyPrint font configuration that knows only the ``@font-face`` fonts added to it.

    WeasyPrint's own starts from every font fontconfig finds on the machine
    and falls back to them for any family or character the stylesheet's
    fonts lack; a system font of the same name can even win over a declared
    one (Debian's Noto CJK over the packaged one). This one swaps in an empty
    fontconfig (no configuration files, no font folders), so what the report
    uses is what ``render.fonts`` declares. Pango also consults the process's
    *current* fontconfig while it lays out (and, with the machine's rules, it
    then picks the regular face for bold and italic text, or shears it), so
    :meth:`current` makes the empty one current for the duration of a
    document and puts the previous one back afterwards. ``system=True`` keeps
    the machine's fonts, for text that no packaged font covers.

    Made once a process (:func:`shared_fonts`) and kept: the ``@font-face``
    stylesheet of each set of faces is parsed (and its fonts loaded) once,
    and WeasyPrint's image ``cache`` (:class:`SharedImages`) holds the
    drawings documents share (most equations) and lets go of the others.
    """

    def __init__(self, system: bool = False) -> None:
        from weasyprint.text.ffi import ffi, pangoft2
        from weasyprint.text.fonts import FontConfiguration

        from reportgen.output import temporary_folder

        self.config = FontConfiguration()
        # WeasyPrint copies each @font-face font into this folder; its own is removed
        # only when the configuration is collected, which a process's exit skips.
        self.config._folder = temporary_folder()
        self.fetcher = refusing_fetcher()
        self.cache = SharedImages()
        self._stylesheets: dict[tuple[Any, ...], Any] = {}
        self._empty = None
        if system:
            return
        fc = _fontconfig()
        empty = fc.FcConfigCreate()
        if not empty or not fc.FcConfigBuildFonts(empty):  # its (empty) system set
            raise MemoryError("fontconfig could not create a configuration")
        font_map = ffi.cast("PangoFcFontMap *", self.config.font_map)
        pangoft2.pango_fc_font_map_set_config(font_map, ffi.cast("FcConfig *", empty))
        self.config._config = ffi.cast("FcConfig *", empty)  # where add_font_face registers
        self._empty = empty  # the font map holds a reference too; this one lives with us

    def stylesheet(self, chosen: tuple[Any, ...]) -> Any:
        """The ``@font-face`` rules of ``chosen`` (``render.fonts`` faces), parsed once."""
        found = self._stylesheets.get(chosen)
        if found is None:
            from weasyprint import CSS

            from reportgen.render.fonts import font_face_css

            with self.current():
                found = CSS(
                    string=font_face_css(chosen), url_fetcher=self.fetcher, font_config=self.config
                )
            self._stylesheets[chosen] = found
        return found

    def image_cache(self) -> SharedImages:
        """WeasyPrint's image cache for the next document."""
        self.cache.next_document()
        return self.cache

    @contextlib.contextmanager
    def current(self) -> Iterator[Any]:
        """The empty fontconfig made the process's current one while the block runs."""
        if self._empty is None:
            yield self.config
            return
        fc = _fontconfig()
        previous = fc.FcConfigReference(fc.FcConfigGetCurrent())  # kept alive across the swap
        fc.FcConfigSetCurrent(self._empty)
        try:
            yield self.config
        finally:
            fc.FcConfigSetCurrent(previous)
            fc.FcConfigDestroy(previous)


class SharedImages(dict):  # type: ignore[type-arg]
    """WeasyPrint's image cache, keeping across documents only what the last one used.

    WeasyPrint keys it by URL (and by image data for the streams it makes).
    The equations most reports share are used by every document and stay;
    a report's own figures are used by it alone and are let go when the next
    document starts, so a worker's batch holds the drawings of about two
    reports (a cache keeping every drawing of 32 documents took a worker to
    720 MB over 20 small reports; this one keeps it near 330 MB).
    """

    def __init__(self) -> None:
        super().__init__()
        self._used: set[Any] = set()

    def next_document(self) -> None:
        """Forget the entries the document just written did not use."""
        for key in [key for key in self if key not in self._used]:
            del self[key]
        self._used = set()

    def __contains__(self, key: object) -> bool:
        self._used.add(key)
        return super().__contains__(key)

    def __getitem__(self, key: Any) -> Any:
        self._used.add(key)
        return super().__getitem__(key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._used.add(key)
        super().__setitem__(key, value)


@functools.cache
def shared_fonts(system: bool = False) -> Fonts:
    """This process's :class:`Fonts` (one with the packaged fonts only, one with the system's)."""
    return Fonts(system)


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


def attachments(document: Document) -> list[tuple[str, bytes, str, str]]:
    """What the PDF carries: (file name, bytes, description, relationship) of each file.

    The input file as it was read (``RollLog.stored``: a file of at most
    ``read.log.KEPT_BYTES``), or without it (standard input, several files
    combined, a large file, data in memory) its frequency table; then the JSON
    results. The student's worksheet carries the first only: the results are
    its answers.
    """
    from reportgen.render.formats.json import to_json

    analysis = document.analysis
    m = messages(document.render.lang)["attachments"]
    log = analysis.log
    source = "stdin" if log.source == "-" else clean(log.name)
    if log.stored is not None:
        files = [(source, log.stored, plain(m["input"]), "Source")]
    else:
        stem = re.sub(r"[^\w-]+", "-", source.split(".")[0]).strip("-") or "input"
        files = [(f"{stem}-counts.csv", counts_csv(analysis), plain(m["counts"]), "Source")]
    if document.edition == "student":
        return files
    # Named as the pages name it, so the bytes do not depend on how the path was typed.
    results = to_json(analysis, interval=document.render.interval, input_path=log.name)
    return [*files, ("results.json", results.encode("utf-8"), plain(m["results"]), "Data")]


def export(document: Document) -> bytes:
    """The edition's page as a PDF/A-3b (A4, tagged, fonts embedded, data attached).

    The title, language, author, subject (description) and dates come from the
    HTML's ``<title>``, ``<html lang>`` and ``<meta>`` elements; tags carry
    each equation's LaTeX as its alternative text. The attachments are dated
    like the report (``build_date``), so the bytes are reproducible. Documents
    of one process share fonts, stylesheet and images (:class:`Fonts`).
    """
    from reportgen.render.formats.html import page

    return write_pdf(page(document), document.render.lang, attachments(document))


FORMAT = Format("pdf", ".pdf", "application/pdf", ("report", "student", "teacher"), export)


def class_overview(
    cohort: Cohort, render: RenderOptions, failed: Sequence[tuple[str, str]] = ()
) -> bytes:
    """The class overview as a PDF/A-3b carrying every student's counts."""
    from reportgen.render.formats.html import class_overview as page
    from reportgen.render.pages.classroom import COUNTS_FILE, class_counts_csv

    words = messages(render.lang)["worksheet"]["class"]
    files = [(COUNTS_FILE, class_counts_csv(cohort), plain(words["attachment"]), "Data")]
    return write_pdf(page(cohort, render, failed), render.lang, files)


def class_public(cohort: Cohort, render: RenderOptions, failed: int = 0) -> bytes:
    """The public overview as a PDF/A-3b carrying the counts by student number, no name."""
    from reportgen.render.formats.html import class_public as page
    from reportgen.render.pages.public import COUNTS_FILE, public_counts_csv

    words = messages(render.lang)["class_public"]
    files = [
        (COUNTS_FILE, public_counts_csv(cohort, render.lang), plain(words["attachment"]), "Data")
    ]
    return write_pdf(page(cohort, render, failed), render.lang, files)


def write_pdf(page: str, lang: str, files: Sequence[tuple[str, bytes, str, str]]) -> bytes:
    """One HTML page of reportgen's as a PDF/A-3b, carrying ``files``.

    ``files`` are (name, bytes, description, relationship) of the attachments;
    the report, the worksheets and the class overview are all laid out here.
    """
    with warnings.catch_warnings():
        # Said on import when the machine has no fonts at all: the report needs none.
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
        from weasyprint import HTML, Attachment

    from reportgen.render.fonts import faces, uncovered

    chosen = faces(lang, page)
    when = build_date().replace(tzinfo=None)
    attached = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            description=description,
            created=when,
            modified=when,
            relationship=relationship,
        )
        for name, data, description, relationship in files
    ]
    fonts = shared_fonts(system=bool(uncovered(page, chosen)))
    faces_css = fonts.stylesheet(chosen)
    # WeasyPrint's and fontTools' warnings stay off stderr (render.quiet)
    with fonts.current() as font_config, quiet_libraries():
        document = HTML(string=page, base_url=None, url_fetcher=fonts.fetcher)
        return document.write_pdf(
            stylesheets=[faces_css],
            font_config=font_config,
            attachments=attached,
            pdf_variant="pdf/a-3b",
            pdf_tags=True,
            finisher=_unique_associated_files,
            cache=fonts.image_cache(),
        )


def _unique_associated_files(document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalogue's ``/AF``; keep one of each."""
    import pydyf

    files = pdf.catalog.get("AF")
    if files is not None:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(files))

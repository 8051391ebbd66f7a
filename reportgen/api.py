"""The Python API: ``reportgen.analyse(source, **options)``.

The command line is a thin layer over this function; a notebook or a script
calls it directly, with a path, an open file, a pandas Series or DataFrame of
throws, or a mapping of counts, and gets the ``Report`` the command line
renders: the ``Analysis`` (data) with the verbs ``to_dict``, ``to_json``,
``to_html`` and ``to_pdf`` (great_tables' ``GT(GTData)``: the data never
imports its renderers; the renderers take the data).

>>> import reportgen
>>> result = reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6])
>>> result.n, result.counts
(10, (1, 2, 1, 3, 1, 2))
>>> result.mle[3]
0.3
>>> round(result.cross_entropy.total, 6)
16.957425
>>> reportgen.analyse({"H": 7, "T": 3}, faces="H,T").intervals["exact"].low[0]  # doctest: +ELLIPSIS
0.3475...
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import IO, TYPE_CHECKING, Any

from reportgen.analysis import Analysis, compute
from reportgen.errors import UsageError
from reportgen.options import Options, RenderOptions, make_options
from reportgen.read import load

if TYPE_CHECKING:
    from reportgen.render.formats import Document


@dataclass(frozen=True, repr=False)
class Report(Analysis):
    """An ``Analysis`` that renders itself: the façade the API returns.

    Its fields are those of the JSON results (see ``Analysis``), plus
    ``render``, how its pages show it (language, interval, author); each verb
    imports its stack only when called, so a JSON-only run never pays for
    matplotlib or WeasyPrint.
    """

    render: RenderOptions = field(default_factory=RenderOptions)

    @classmethod
    def of(cls, analysis: Analysis, render: RenderOptions | None = None) -> Report:
        """The report of an analysis (the same fields, shared, not copied)."""
        if isinstance(analysis, cls) and render is None:
            return analysis
        shared = {f.name: getattr(analysis, f.name) for f in fields(Analysis)}
        return cls(**shared, render=render or getattr(analysis, "render", RenderOptions()))

    def document(self, edition: str = "report") -> Document:
        """What ``export`` exports: this report, shown as ``render`` says, in ``edition``."""
        from reportgen.render.formats import Document

        return Document(self, self.render, edition)

    def export(self, fmt: str, *, edition: str = "report") -> bytes:
        """The report in format ``fmt`` (``pdf``, ``html``, ``json``) and ``edition``."""
        from reportgen.render.formats import format_named

        return format_named(fmt).bytes_of(self.document(edition))

    def to_dict(self) -> dict[str, Any]:
        """The JSON results (``docs/json.md``) as a dict (infinite figures as ``None``)."""
        from reportgen.render.formats.json import to_dict

        return to_dict(self, interval=self.render.interval)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON results (``docs/json.md``): strict JSON, full precision."""
        from reportgen.render.formats.json import to_json

        return to_json(self, indent=indent, interval=self.render.interval)

    def to_html(self, *, edition: str = "report") -> str:
        """The report (or, with ``edition``, the worksheet or its key) as one HTML document.

        ``edition`` is ``"report"`` (the lesson report), ``"student"`` (a worksheet
        that asks every step of (3.6) → (4.3) from these throws, without the
        answers) or ``"teacher"`` (the same worksheet answered, for marking).
        """
        return self.export("html", edition=edition).decode("utf-8")

    def to_pdf(
        self,
        path_or_file: str | os.PathLike[str] | IO[bytes] | None = None,
        *,
        edition: str = "report",
    ) -> bytes:
        """The report (or an ``edition``, see ``to_html``) as PDF bytes; also written when given.

        A path is written whole or not at all (temporary file and rename). The
        PDF carries the input as it was read when it was a file of at most
        1 MiB (else its counts), and the JSON results, except the student's
        worksheet, which carries the input only (the results are its answers).
        """
        data = self.export("pdf", edition=edition)
        _write(data, path_or_file)
        return data

    def _repr_html_(self) -> str:
        """Jupyter shows a compact card: counts with ŷ and intervals, the cross-entropy
        totals, the verdict and one small figure (``to_html()`` gives the whole report,
        ``IPython.display.HTML(r.to_html())`` shows it)."""
        from reportgen.render.card import card

        return card(self, self.render)

    def _repr_markdown_(self) -> str:
        faces = ", ".join(
            f"{face}: {count}" for face, count in zip(self.faces, self.counts, strict=True)
        )
        unit = self.options.unit
        return (
            f"**reportgen** — {self.log.source}: N = {self.n} throws, counts {faces}; "
            f"entropy {self.entropy:.4f} {unit}s, cross-entropy total "
            f"{self.cross_entropy.total:.4f} {unit}s under the MLE and "
            f"{self.reference.total:.4f} under the {self.reference.model} model"
        )


def _write(data: bytes, path_or_file: str | os.PathLike[str] | IO[bytes] | None) -> None:
    """Bytes to a path (whole or not at all), to an open binary file, or nowhere."""
    if path_or_file is None:
        return
    if isinstance(path_or_file, str | os.PathLike):
        from pathlib import Path

        from reportgen.output import write_atomic

        write_atomic(Path(path_or_file), data)
    else:
        path_or_file.write(data)


def class_overview(
    students: Sequence[tuple[str, Analysis]],
    *,
    fmt: str = "pdf",
    path_or_file: str | os.PathLike[str] | IO[bytes] | None = None,
    render: RenderOptions | None = None,
    failed: Sequence[tuple[str, str]] = (),
    public: bool = False,
) -> bytes:
    """The teacher's class overview of several students' results, as PDF or HTML bytes.

    ``students`` are (name, result) pairs in the order the rows should show,
    every result made with the same options (those of the first are used;
    ``render``, or the first result's if it is a ``Report``, says how to show
    them). The overview has one row per student, the class's throws pooled,
    the test of homogeneity across students and one figure of every student's ŷ.
    ``failed`` lists (name, first error) of students whose logs failed. With
    ``public``, the overview to project or send home instead (``--edition class``):
    students numbered, no name anywhere, the failed ones only counted.
    """
    from reportgen.analysis.cohort import cohort
    from reportgen.render.formats import html, pdf

    if fmt not in ("pdf", "html"):
        raise UsageError(f"-f {fmt}: the class overview is a page (pdf or html)")
    if not students:
        raise UsageError("a class overview needs at least one student's result")
    first = students[0][1]
    shown = render or getattr(first, "render", RenderOptions())
    group = cohort([(name, result.log) for name, result in students], first.options)
    if public:  # --edition class: the overview without names (issue 25)
        made = pdf.class_public if fmt == "pdf" else html.class_public
        data = _bytes(made(group, shown, len(failed)))
    elif fmt == "pdf":
        data = pdf.class_overview(group, shown, failed)
    else:
        data = html.class_overview(group, shown, failed).encode("utf-8")
    _write(data, path_or_file)
    return data


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def analyse(
    source: Any, *, name: str | None = None, options: Options | None = None, **kwargs: Any
) -> Report:
    """Analyse one roll log or frequency table and return every figure of the report.

    Parameters
    ----------
    source : path, file, pandas object, sequence or mapping
        A CSV/TSV path (``.gz`` too) or ``"-"`` for standard input; an open
        binary or text file; a pandas ``Series`` of throws (or of counts with
        ``counts=True``); a ``DataFrame`` whose face column is found as in a CSV
        (``column=``, ``by=`` work as on the command line); a sequence of throws;
        or a mapping face → count.
    name : str, optional
        How the report names an in-memory source (default ``<memory>``).
    options : Options, optional
        Ready-made options (as the command line builds them), instead of keywords.
    **kwargs
        The command line's options: ``faces``, ``column``, ``by``, ``counts``,
        ``encoding``, ``confidence``, ``interval``, ``model``, ``unit``, ``lang``,
        ``author``.

    Returns
    -------
    Report
        An immutable ``Analysis`` whose fields are those of the JSON results,
        rendering itself with ``to_json()``, ``to_html()``, ``to_pdf()``, ``to_dict()``.

    Raises
    ------
    ReportgenError
        ``UsageError`` for a bad option, ``DataError`` for bad data, with the
        message and hint the command line prints.
    """
    if options is not None and kwargs:
        raise UsageError("give either options= or keyword options, not both")
    opts = options if options is not None else make_options(**kwargs)
    return Report.of(compute(load(source, opts.read, name=name), opts.stats), opts.render)

"""The Python API: ``reportgen.analyse(source, **options)``.

The command line is a thin layer over this function; a notebook or a script
calls it directly, with a path, an open file, a pandas object, a list of
throws or a mapping of counts, and gets the ``Report`` the command line
renders: the ``Analysis`` (data, by the JSON's names) with the verbs
``to_frame``, ``conf_int``, ``to_dict``, ``to_json``, ``to_html`` and ``to_pdf``
(great_tables' ``GT(GTData)``: the data never imports its renderers; the
renderers take the data). This module is the API's door: its errors name
options as keyword arguments (``errors.in_python``). ``docs/api.md`` is the guide.

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
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

from reportgen import options as _options
from reportgen.analysis import Analysis, compute
from reportgen.errors import OptionError, ReportgenError, UsageError, in_python, python_door
from reportgen.options import Options, RenderOptions, confidence_level, interval_name
from reportgen.read import load
from reportgen.read.series import labels

if TYPE_CHECKING:
    import pandas as pd

    from reportgen.render.formats import Document


@dataclass(frozen=True, repr=False)
class Report(Analysis):
    """The result of ``reportgen.analyse``: every figure of the report, and its verbs.

    Every name is the JSON results' (``docs/json.md``): ``result.reference.
    cross_entropy_total`` is the JSON's ``reference.cross_entropy_total``. Nothing
    is rounded. The verbs import their stack only when called (``to_frame``:
    pandas; ``to_pdf``: WeasyPrint), so a JSON-only run never pays for them.

    Attributes
    ----------
    faces : tuple of int or str
        The K faces in report order.
    n : int
        N, the number of throws (the sum of ``counts``).
    counts : tuple of int
        n_k, the throws that showed face k.
    mle : tuple of float
        The maximum-likelihood estimate ŷ_k = n_k / N.
    confidence_level : float
        The confidence level of every interval (``confidence=``).
    interval : str
        The interval method the report shows, as its key in ``intervals``.
    intervals : Mapping of str to Interval
        Every method's bounds (``.low``, ``.high``, a face each) at
        ``confidence_level``: ``wilson``, ``exact``, ``jeffreys``, ``profile``,
        ``goodman``, ``sison_glaz``.
    unit : str
        ``"nat"`` or ``"bit"``: the logarithm of every entropy figure.
    entropy : float
        The entropy H of ŷ, in ``unit``.
    cross_entropy : CrossEntropy
        (4.3) under ŷ: ``per_face`` (−log ŷ_k), ``total``, ``mean``, ``first``.
    reference : Reference
        The same under the model: ``y``, ``cross_entropy_total``,
        ``cross_entropy_mean``, ``kl_divergence``, ``infinite_faces``.
    tests : Mapping of str to test result
        ``pearson_chi2`` and ``g_test`` (``statistic``, ``df``, ``pvalue``) and
        ``exact_multinomial`` (``pvalue``, ``method``, ``draws``, ``stderr``,
        ``seed``); each unpacks as ``statistic, pvalue``.
    input : Input
        What was read: ``path``, ``sha256``, ``column``, ``format``.
    by : str or None
        The group column (``by=``); ``None`` without groups.
    groups : Mapping of str to Report
        With ``by=``: each group's own result, in order of first appearance.
    homogeneity : Homogeneity or None
        With ``by=``: do the groups share one face distribution? ``statistic``,
        ``df``, ``pvalue`` (Pearson's X²), ``g_statistic``, ``g_pvalue`` and
        ``exact`` (Fisher–Freeman–Halton, which decides).
    infinite_faces : tuple of int or str
        ``reference.infinite_faces``: faces seen although the model gives them 0.
    k : int
        K, the number of faces.
    verdict : Verdict
        What the exact test decides at α = 1 − ``confidence_level`` (words on the pages).
    groups_verdict : GroupsVerdict or None
        With ``by=``: what ``homogeneity`` decides, and the group the lesson follows.
    options : StatOptions
        What was computed with: ``confidence``, ``model``, ``unit``, ``seed``, ``draws``.
    render : RenderOptions
        How the pages show it: ``lang``, ``interval``, ``author``, ``answers``,
        ``log_table``.
    log : RollLog
        The log as read: its counts, first throws and running checkpoints.
    kl_divergence, first_throws, exact_multinomial, infinite_indices : shortcuts
        The renderers' names for ``reference.kl_divergence``, ``cross_entropy.first``,
        ``tests["exact_multinomial"]`` and the indices of ``infinite_faces``.
    """

    render: RenderOptions = field(default_factory=RenderOptions)

    @classmethod
    def of(cls, analysis: Analysis, render: RenderOptions | None = None) -> Report:
        """The report of an analysis (the same fields, shared, not copied; its groups
        reports too)."""
        if isinstance(analysis, cls) and render is None:
            return analysis
        shown = render or getattr(analysis, "render", RenderOptions())
        shared = {f.name: getattr(analysis, f.name) for f in fields(Analysis)}
        shared["groups"] = MappingProxyType(
            {name: cls.of(group, shown) for name, group in analysis.groups.items()}
        )
        return cls(**shared, render=shown)

    @property
    def interval(self) -> str:
        """The interval method the report shows, as its key in ``intervals``."""
        return self.render.interval.replace("-", "_")

    def to_frame(self) -> pd.DataFrame:
        """The per-face figures as a DataFrame: a row per face (the index, ``face``).

        Each column is the JSON's per-face list of that name: ``counts``, ``mle``,
        ``<method>_low`` and ``<method>_high`` for every interval method
        (``intervals.<method>.low``), ``cross_entropy_per_face`` (−log ŷ_k),
        ``reference_y`` (the model's y_k) and ``reference_per_face`` (−log y_k).
        """
        from reportgen.analysis.tables import result_frame

        columns: dict[str, Sequence[float]] = {"counts": self.counts, "mle": self.mle}
        for method, bounds in self.intervals.items():
            columns[f"{method}_low"], columns[f"{method}_high"] = bounds.low, bounds.high
        columns["cross_entropy_per_face"] = self.cross_entropy.per_face
        columns["reference_y"] = self.reference.y
        columns["reference_per_face"] = self.reference.per_face
        return result_frame(self.faces, columns)

    @python_door
    def conf_int(self, level: float | str | None = None, method: str | None = None) -> pd.DataFrame:
        """Confidence intervals at another level (or by another method), from the counts.

        Nothing is read again: like scipy's ``BinomTestResult.proportion_ci``,
        the interval is computed when asked.

        Parameters
        ----------
        level : float or str, optional
            The confidence level, as ``confidence=`` takes it (``0.99``, ``"99%"``);
            default ``confidence_level``.
        method : str, optional
            ``wilson``, ``exact``, ``jeffreys``, ``profile``, ``goodman`` or
            ``sison_glaz`` (``sison-glaz`` too); default ``interval``.

        Returns
        -------
        DataFrame
            A row per face (index ``face``), columns ``low`` and ``high``;
            ``attrs`` holds ``confidence_level`` and ``interval``.
        """
        from reportgen.analysis.estimate import METHODS
        from reportgen.analysis.tables import interval_frame

        chosen = self.interval if method is None else method
        name = interval_name(chosen)
        if name not in METHODS:
            keys = ", ".join(m.replace("-", "_") for m in METHODS)
            raise OptionError("method", chosen, f"choose one of {keys}")
        at = self.confidence_level if level is None else confidence_level(level, "level")
        bounds = METHODS[name](self.counts, at)
        key = name.replace("-", "_")
        return interval_frame(
            self.faces, bounds.low, bounds.high, confidence_level=at, interval=key
        )

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
            f"{self.reference.cross_entropy_total:.4f} under the {self.reference.model} model"
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
    if fmt == "pdf" and public:  # --edition class: the overview without names
        data = pdf.class_public(group, shown, len(failed))
    elif fmt == "pdf":
        data = pdf.class_overview(group, shown, failed)
    else:
        page = (
            html.class_public(group, shown, len(failed))
            if public
            else html.class_overview(group, shown, failed)
        )
        data = html.carrying_fonts(page, shown.lang).encode("utf-8")
    _write(data, path_or_file)
    return data


def analyse(
    source: Any,
    *,
    name: str | None = None,
    options: Options | None = None,
    wording: str = "python",
    **kwargs: Any,
) -> Report:
    """Analyse one roll log or frequency table and return every figure of the report.

    Parameters
    ----------
    source : path, file, pandas object, sequence or mapping
        A CSV/TSV path (``.gz`` too) or ``"-"`` for standard input; an open
        binary or text file; a pandas ``Series`` of throws, or a frequency table
        (``rolls.value_counts()``: faces in the index; the rule in ``docs/api.md``,
        "What a Series is"; ``counts=`` chooses); a ``DataFrame`` whose face column
        is found as in a CSV (``column=``, ``by=``); a ``DataFrameGroupBy``
        (``df.groupby("die")``, read as the DataFrame with ``by="die"``); a
        sequence or 1-D array of throws; or a mapping face → count (string keys
        are the faces, in their order, unless ``faces=`` is given).
    name : str, optional
        How the report names an in-memory source (default ``<memory>``).
    options : Options, optional
        Ready-made options (``make_options``), instead of keywords.
    wording : {"python", "cli"}
        How errors name options: as keyword arguments (``confidence=1.5: …``), or
        as the command line's flags (``--confidence 1.5: …``, for its own door).
    **kwargs
        The command line's options, by the same names: ``faces``, ``column``,
        ``by``, ``counts``, ``encoding``, ``confidence`` (``0.95`` or ``"95%"``),
        ``interval``, ``model``, ``unit``, ``lang``, ``author``, ``seed``,
        ``walk``, ``log_table`` (a worksheet's table of logarithms:
        ``to_pdf(edition="student")`` then needs no calculator) and ``draws``
        (the exact test's Monte Carlo draws).

    Returns
    -------
    Report
        Every figure of the report by the JSON's names, with ``to_frame()``,
        ``conf_int()``, ``to_json()``, ``to_html()``, ``to_pdf()``, ``to_dict()``.

    Raises
    ------
    ReportgenError
        ``UsageError`` for a bad option, ``DataError`` for bad data, with the
        message and hint the command line prints, options named as ``wording`` says.
    """
    if wording not in ("python", "cli"):
        raise ValueError(f"wording={wording!r}: 'python' or 'cli'")
    try:
        opts = _options_of(source, options, kwargs)
        return Report.of(compute(load(source, opts.read, name=name), opts.stats), opts.render)
    except ReportgenError as exc:
        if wording == "python":
            in_python(exc)
        raise


def _options_of(source: Any, options: Options | None, keywords: dict[str, Any]) -> Options:
    """The options of one ``analyse``: given whole, or made from its keywords (the faces of a
    mapping's string keys when ``faces=`` is not among them)."""
    if options is not None and keywords:
        raise UsageError("give either options= or keyword options, not both")
    if options is not None:
        return options
    unknown = sorted(set(keywords) - set(_KEYWORDS))
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], _KEYWORDS, n=1)
        hint = f"did you mean {close[0]}=?" if close else "see help(reportgen.analyse)"
        raise TypeError(f"analyse() got an unexpected keyword argument {unknown[0]!r} ({hint})")
    if "faces" not in keywords:
        found = labels(source, keywords.get("counts"))
        if found is not None:
            keywords = {**keywords, "faces": found}
    return _options.make_options(**keywords)


#: The keywords of ``make_options``, which ``analyse`` takes.
_KEYWORDS = tuple(_options.make_options.__kwdefaults__ or ())


#: ``options.make_options`` as a door of the API: its errors name the keywords.
make_options = python_door(_options.make_options)

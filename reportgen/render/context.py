"""Typed page data: everything the templates read, built once from an ``Analysis``.

``page(analysis)`` returns a frozen ``Page``; its fields are the templates'
variables (``Page.variables()``), and the templates reach numbers for people
only through the filters declared in ``catalogue.FILTERS``. The figures stay
unrounded here; formatting happens in the templates.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from reportgen import __version__
from reportgen.analysis import entropy, tables
from reportgen.analysis.estimate import METHODS, SIMULTANEOUS, profile_cut
from reportgen.printable import clean
from reportgen.render import latex, plots
from reportgen.render.catalogue import fill, messages, plain, stylesheet
from reportgen.render.format import fmt_pvalue
from reportgen.render.layout import HEAD, MANY, TAIL, WIDE, rows, visible
from reportgen.render.wording import (
    Verdict,
    caveat,
    exact_text,
    fairness_heading,
    model_name,
    strength,
    tests_disagree,
    verdict,
)

if TYPE_CHECKING:
    from reportgen.analysis import Analysis, CrossEntropy, TestResult, Throw
    from reportgen.analysis.fairness import ExactTest

#: Throws shown one by one in the per-sample table (the lesson's experiment had 20).
SHOWN_THROWS = 20

#: Hex digits of the input's SHA-256 printed in "about this report".
SHA_PREFIX = 12

#: Below this expected count of some face, χ²'s large-sample p-value is poor (the usual 5).
SMALL_EXPECTED = 5


def _smoothing_is_tiny(analysis: Analysis) -> bool:
    """Whether add-one smoothing moves no estimate by 0.001 or more (many throws)."""
    n, k = analysis.n, analysis.k
    return all(abs((c + 1) / (n + k) - c / n) < 1e-3 for c in analysis.counts)


def _smoothed(analysis: Analysis) -> str:
    """Laplace-smoothed estimates (n_k + 1)/(N + K), written out (elided for many faces)."""
    from reportgen.render.format import fmt_number

    n, k = analysis.n, analysis.k
    shown = visible(k) if k > 6 else list(range(k))
    return ", ".join(
        "…" if j is None else fmt_number((analysis.counts[j] + 1) / (n + k), 4) for j in shown
    )


def _unseen(analysis: Analysis) -> list[str]:
    """The faces with n_k = 0 by name, the first ten and "…" if there are more."""
    names = [clean(str(f)) for f, c in zip(analysis.faces, analysis.counts, strict=True) if c == 0]
    return names if len(names) <= 10 else [*names[:10], "…"]


def _methods(k: int) -> list[str]:
    """The interval methods a table shows: simultaneous ones only for K > 2.

    For a coin y₂ = 1 − y₁, so an interval for one side is one for both.
    """
    return [name for name in METHODS if k > 2 or name not in SIMULTANEOUS]


@dataclass(frozen=True)
class Equation:
    """A display equation: inline SVG, its number (or ``None``) and its LaTeX."""

    svg: Any
    number: str | None
    latex: str


@dataclass(frozen=True)
class FaceTerm:
    """One face in the sum (4.3) at the MLE: n_k, ŷ_k, −log ŷ_k and n_k · (−log ŷ_k)."""

    face: int | str
    n_k: int
    y: float
    minus_log_y: float
    term: float
    model_term: float  # the same face's n_k · (−log y_k) under the reference model


@dataclass(frozen=True)
class ThrowRow:
    """One of the first throws: its face, the face's number k, the one-hot t and E."""

    throw: int
    face: int | str
    k: int
    t: list[int]
    value: float


@dataclass(frozen=True)
class IntervalRow:
    """One face with every interval method's (low, high), in ``METHODS`` order."""

    face: int | str
    mle: float
    methods: list[tuple[float, float]]


@dataclass(frozen=True)
class GroupRow:
    face: int | str
    n_k: int
    mle: float
    low: float
    high: float


@dataclass(frozen=True)
class Group:
    """One die of ``--by``: what its compact section shows."""

    name: str
    n: int
    rows: list[GroupRow]
    entropy: float
    fitted_total: float
    reference_total: float
    chi2: TestResult
    g: TestResult
    exact: Any
    verdict: Verdict


@dataclass(frozen=True)
class GroupFace:
    face: int | str
    index: int


@dataclass(frozen=True)
class Homogeneity:
    """Do the dice of ``--by`` share one face distribution? χ² and G, and the sentence."""

    chi2: float
    chi2_p: float
    g: float
    g_p: float
    df: int
    verdict: Any
    differ: bool  # rejected at α: the dice do not share one face distribution


@dataclass(frozen=True)
class Exercise:
    """The answers of the exercises, from this report's numbers (in the report's unit)."""

    log_l: float  # log L of the counts under the reference model: −Σ n_k (−log y_k)
    e_first: float  # (4.3) of the first throw under the model: −log y_k of its face
    drop: float  # total cross-entropy under the model minus under ŷ: N · KL


@dataclass(frozen=True)
class Page:
    """Every variable of ``report.html.j2``, typed."""

    lang: str
    m: dict[str, Any]
    title: Any
    version: str
    source: str
    column: str | None
    format: str
    sha256: str
    n: int
    k: int
    faces: tuple[int | str, ...]
    unit: str
    unit_name: Any
    confidence: float
    interval: str
    interval_name: Any
    shown_methods: list[str]
    wide: bool
    many: bool
    frequency: list[dict[str, Any]]
    mle: list[dict[str, Any]]
    per_face: list[FaceTerm]
    any_zero: bool
    unseen: list[str]  # the faces never seen (elided past a dozen)
    log_likelihood: float
    first: Throw | None
    first_face: int | str | None
    check: list[dict[str, Any] | None] | None
    throws: list[ThrowRow]
    t_columns: list[int]
    more: int
    fitted: CrossEntropy
    reference: CrossEntropy
    entropy: float
    kl: float
    tests: dict[str, TestResult]
    eq: dict[str, Equation]
    figures: dict[str, plots.Figure]
    methods: list[str]
    simultaneous: list[str]
    interval_rows: list[IntervalRow | None]
    profile_cut: float
    exact_test: ExactTest | None
    exact_text: Any
    verdict: Verdict
    caveat: Any
    alpha: str
    model_name: Any
    model_short: Any  # the model's name in a table row: its numbers are in the caption
    eq42_heading: Any  # section 4's heading and lead: "six faces" for a d6, K for others
    eq42_intro: Any
    fairness_heading: Any
    small_expected_flat: bool  # every face expects the same count (a fair model)
    tests_disagree: bool  # χ², G and the exact test fall on both sides of α
    smoothed_zero: float  # what Laplace smoothing gives a face never seen: 1/(N + K)
    model_is_fair: bool
    small_expected: bool
    min_expected: float  # the smallest N · y_k: what the χ² note quotes
    coin: bool
    infinite: list[str]
    groups: list[Group]
    group_faces: list[GroupFace | None]
    homogeneity: Homogeneity | None
    face_rows: list[int | None]  # the faces the per-face tables list (None = ⋮)
    face_rows_head: int
    face_rows_tail: int
    walk_name: str | None  # the one die sections 1–8 follow when the dice differ
    record_n: int  # throws in the whole record (all dice)
    smoothed: str
    smoothing_tiny: bool
    expected_kl: float
    exercise: Exercise
    css: Any
    author: str | None
    date: str

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables (shallow: rows stay typed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def build_date() -> dt.datetime:
    """When the report was made: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now.

    "Now" is taken once per process, so the HTML and the PDF of one run, and
    the reports of one batch, carry the same date.
    """
    return _build_date(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


@functools.cache
def _build_date(epoch: str) -> dt.datetime:
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def walked(analysis: Analysis) -> tuple[str | None, Analysis]:
    """The throws the lesson's sections follow: all of them, or one die's when the dice differ.

    With ``--by``, pooling dice that the test of homogeneity finds different
    would walk the lesson through a mixture that is neither die; then the
    sections follow the first die of the record (the groups section gives
    every die's figures). Dice that agree are pooled, and the report says why.
    """
    h = analysis.homogeneity
    if h is None or not analysis.groups or h.pvalue >= 1 - analysis.options.confidence:
        return None, analysis
    name, first = next(iter(analysis.groups.items()))
    return clean(str(name)), first


def page(record: Analysis) -> Page:
    """The page data of one report: every figure, unrounded, plus the messages."""
    from markupsafe import Markup

    walk_name, analysis = walked(record)
    options = analysis.options
    m = messages(options.lang, coin=analysis.k == 2)
    log = analysis.log
    faces = analysis.faces
    k = analysis.k
    fitted = analysis.cross_entropy
    unit_name = m["units"][options.unit]

    frequency = tables.frequency_table(faces, analysis.counts)
    shown_methods = [options.interval] + [x for x in ("exact",) if x != options.interval]
    ivs = analysis.intervals
    mle = tables.mle_table(
        faces,
        analysis.counts,
        analysis.mle,
        {name: (ivs[name].low, ivs[name].high) for name in shown_methods},
    )
    terms = entropy.terms(analysis.counts, fitted.per_face)
    model_terms = entropy.terms(analysis.counts, analysis.reference.per_face)
    per_face = [
        FaceTerm(
            faces[j], analysis.counts[j], fitted.y[j], fitted.per_face[j], terms[j], model_terms[j]
        )
        for j in range(k)
    ]

    first = analysis.first[0] if analysis.first else None
    check = None
    if first is not None:
        table = tables.check_table(faces, first.k)
        check = [None if j is None else table.iloc[j].to_dict() for j in visible(k, (first.k,))]
    shown = analysis.first[:SHOWN_THROWS]
    one_hot = tables.one_hot_table(faces, [throw.k for throw in shown])
    t_columns = tables.one_hot_columns(k)
    throws = [
        ThrowRow(
            throw=row["throw"],
            face=row["face"],
            k=throw.k + 1,
            t=[row[c] for c in t_columns] if k <= WIDE else [],
            value=throw.value,
        )
        for row, throw in zip(one_hot.to_dict("records"), shown, strict=True)
    ]
    # Equations before figures, as the reader meets them.
    eq = {
        name: Equation(Markup(e.svg), e.number, e.latex)
        for name, e in latex.report_equations(analysis).items()
    }
    homogeneity = latex.homogeneity_equation(record)
    if homogeneity is not None:
        eq["homogeneity"] = Equation(Markup(homogeneity.svg), None, homogeneity.latex)
    # Numbered in order of appearance: with --by, the dice come first.
    figures = plots.report_figures(record, m, plain(unit_name), names=("groups",))
    figures |= plots.report_figures(
        analysis, m, plain(unit_name), names=("running", "bars"), first_number=len(figures) + 1
    )
    alpha = 1 - options.confidence
    return Page(
        lang=options.lang,
        m=m,
        title=m["meta"]["title"],
        version=__version__,
        source=clean(log.name),  # a file or column name may hold any character
        column=None if log.column is None else clean(log.column),
        format=log.format,
        sha256=log.sha256[:SHA_PREFIX],
        n=analysis.n,
        k=k,
        faces=faces,
        unit=options.unit,
        unit_name=unit_name,
        confidence=options.confidence,
        interval=options.interval,
        interval_name=m["intervals"][options.interval],
        shown_methods=shown_methods,
        wide=k > WIDE,
        many=k > MANY,
        frequency=frequency.to_dict("records"),
        mle=mle.to_dict("records"),
        per_face=per_face,
        any_zero=any(c == 0 for c in analysis.counts),
        unseen=_unseen(analysis),
        log_likelihood=-fitted.total,
        first=first,
        first_face=faces[first.k] if first else None,
        check=check,
        throws=throws,
        t_columns=list(range(1, k + 1)) if k <= WIDE else [],
        more=analysis.n - len(throws) if log.format == "log" else 0,
        fitted=fitted,
        reference=analysis.reference,
        entropy=analysis.entropy,
        kl=analysis.kl_divergence,
        tests=dict(analysis.tests),
        eq=eq,
        figures=figures,
        methods=_methods(k),
        simultaneous=list(SIMULTANEOUS) if k > 2 else [],
        interval_rows=_interval_rows(analysis),
        profile_cut=profile_cut(options.confidence),
        exact_test=analysis.exact_multinomial,
        exact_text=exact_text(analysis.exact_multinomial, m),
        verdict=verdict(analysis, m),
        caveat=caveat(analysis, m, plain(unit_name)),
        alpha=f"{alpha:.10g}",
        model_name=model_name(analysis, m),
        model_short=model_name(analysis, m)
        if options.model == "fair"
        else Markup(m["models"]["given_short"]),
        model_is_fair=options.model == "fair",
        eq42_heading=m["s4"]["heading"] if k == 6 or k == 2 else fill(m["s4"]["heading_k"], k=k),
        eq42_intro=m["s4"]["intro"] if k == 6 or k == 2 else fill(m["s4"]["intro_k"], k=k),
        fairness_heading=fairness_heading(analysis, m, walk_name),
        small_expected_flat=len(set(analysis.reference.y)) == 1,
        tests_disagree=tests_disagree(analysis),
        smoothed_zero=1 / (analysis.n + k),
        small_expected=analysis.n * min(analysis.reference.y) < SMALL_EXPECTED,
        min_expected=analysis.n * min(analysis.reference.y),
        coin=k == 2,
        infinite=[str(faces[j]) for j in analysis.infinite_faces],
        groups=[_group(clean(str(name)), g, m) for name, g in record.groups.items()],
        group_faces=[None if j is None else GroupFace(faces[j], j) for j in visible(k)],
        homogeneity=_homogeneity(record, m),
        walk_name=walk_name,
        face_rows=rows(k, [first.k] if first else []),
        face_rows_head=HEAD,
        face_rows_tail=TAIL,
        record_n=record.n,
        smoothed=_smoothed(analysis),
        # 2N·KL ~ χ²_{K−1} with KL in nats: the mean a true model still shows
        expected_kl=(k - 1) / (2 * analysis.n) / entropy.NATS[options.unit],
        exercise=Exercise(
            -analysis.reference.total,
            analysis.reference.per_face[first.k if first else 0],
            analysis.reference.total - fitted.total,
        ),
        smoothing_tiny=_smoothing_is_tiny(analysis),
        css=Markup(stylesheet(options.lang)),
        author=options.author,
        date=build_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _interval_rows(analysis: Analysis) -> list[IntervalRow | None]:
    """Every interval of every shown face (None = rows left out for many faces)."""
    rows: list[IntervalRow | None] = []
    for j in visible(analysis.k):
        if j is None:
            rows.append(None)
            continue
        methods = [
            (analysis.intervals[name].low[j], analysis.intervals[name].high[j])
            for name in _methods(analysis.k)
        ]
        rows.append(IntervalRow(analysis.faces[j], analysis.mle[j], methods))
    return rows


def _group(name: str, g: Analysis, m: dict[str, Any]) -> Group:
    ivl = g.interval
    return Group(
        name=name,
        n=g.n,
        rows=[
            GroupRow(g.faces[j], g.counts[j], g.mle[j], ivl.low[j], ivl.high[j]) for j in range(g.k)
        ],
        entropy=g.entropy,
        fitted_total=g.cross_entropy.total,
        reference_total=g.reference.total,
        chi2=g.tests["pearson_chi2"],
        g=g.tests["g_test"],
        exact=exact_text(g.exact_multinomial, m),
        verdict=verdict(g, m),
    )


def _homogeneity(analysis: Analysis, m: dict[str, Any]) -> Homogeneity | None:
    h = analysis.homogeneity
    if h is None:
        return None
    alpha = 1 - analysis.options.confidence
    sentence = fill(
        m["groups"]["homogeneity_" + strength(h.pvalue, alpha)],  # worded like the verdicts
        alpha=f"{alpha:.10g}",
        p=fmt_pvalue(h.pvalue),
        groups=len(analysis.groups),
    )
    differ = h.pvalue < alpha
    return Homogeneity(h.statistic, h.pvalue, h.g_statistic, h.g_pvalue, h.df, sentence, differ)

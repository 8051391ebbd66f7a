"""The worksheet of one log: the student edition asks, the teacher's key answers.

``worksheet(analysis, edition)`` returns the typed page data of
``templates/worksheet.html.j2``. The student edition is built without its
answers (``Worksheet.answers`` is ``None``), so no number the student is asked
to compute can reach its page, its metadata or its equations' alternative
text; the key holds them, from the same ``Analysis`` as the report and the
JSON. Equations are the lesson's, symbolic in both editions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
from reportgen.printable import clean
from reportgen.read.sources import student_name
from reportgen.render import equations
from reportgen.render.catalogue import fill, messages, stylesheet, templates_dir
from reportgen.render.dates import stamp
from reportgen.render.equations import Equation
from reportgen.render.latex import LOG_TEX
from reportgen.render.numbers import fmt_number, fmt_pvalue
from reportgen.render.wording import model_name
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.options import RenderOptions

#: The worksheet's template and its additions to ``report.css``.
TEMPLATE = "worksheet.html.j2"
STYLESHEET = "worksheet.css"

#: The editions that are worksheets (``report`` is the lesson report of ``render.html``).
WORKSHEETS = ("student", "teacher")


@dataclass(frozen=True)
class GivenRow:
    """One face as the student is given it: its label and count, and ✔ if the first throw."""

    face: int | str
    n_k: int
    seen: bool


@dataclass(frozen=True)
class AnswerRow:
    """One face's answers: n_k/N, ŷ_k, t_k, log ŷ_k, t_k · log ŷ_k, −log ŷ_k, n_k · (−log ŷ_k)."""

    frequency: float
    y: float
    t: int | None
    log_y: float
    t_log_y: float | None
    minus_log_y: float
    term: float


@dataclass(frozen=True)
class LogEntry:
    """One column of the table of logarithms (``--log-table``): x as the sheet writes it,
    and −log x in the sheet's unit."""

    x: str
    minus_log: float


@dataclass(frozen=True)
class LogTable:
    """``--log-table``: the logarithms the exercises need, and the base they are in."""

    entries: tuple[LogEntry, ...]
    base: Markup  # natural logarithms, or logarithms to base 2


@dataclass(frozen=True)
class Yardstick:
    """Exercise 8's figure: the report's chance yardstick for this log, and its caption."""

    svg: Markup
    label: Markup  # "Figure 1:", as the report labels its figures
    caption: Markup
    number: int = 1  # the worksheet's one figure


@dataclass(frozen=True)
class Answers:
    """Every answer of the key, unrounded (the template formats them)."""

    rows: list[AnswerRow]
    t: tuple[int, ...] | None  # exercise 2
    log_l_first: float | None  # exercise 3: (4.1) of the first throw
    e_first: float | None  # exercise 4: (4.3) of the first throw
    total: float  # exercise 5
    mean: float
    entropy: float  # exercise 6
    reference_total: float  # exercise 7
    difference: float
    verdict: Markup  # exercise 8: the p-value read off the yardstick, and what it says at α


@dataclass(frozen=True)
class Worksheet:
    """Every variable of ``worksheet.html.j2``, typed."""

    lang: str
    thousands: str  # how counts group their thousands (the ``count`` filter reads it)
    sentence_gap: Markup  # between two sentences: a space in English, none in Japanese
    w: Words  # the catalogue's worksheet words
    labels: Words  # the report's column labels the worksheet shares (n_k, seen, t, frequency)
    edition: str
    key: bool
    title: Markup
    description: Markup
    version: str
    byline: Markup
    n: int
    k: int
    unit_name: Markup
    log_rule: Markup
    model_name: Markup
    given: list[GivenRow]
    first_face: int | str | None
    zero_count: bool  # a face never seen (ŷ_k = 0): the sheet says 0 · log 0 = 0
    answers: Answers | None  # None in the student edition: nothing to leak
    student_name: str | None  # the name field: the input's name (None: --no-names, blank)
    eq: dict[str, Equation]
    alpha: str
    g_rule: Markup  # how exercise 8's G follows from exercise 7's difference, in the unit
    yardstick: Yardstick
    log_table: LogTable | None  # --log-table; None: not asked for
    css: Markup
    author: str | None
    date: str

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def worksheet(analysis: Analysis, render: RenderOptions, edition: str) -> Worksheet:
    """The page data of the student's worksheet (``student``) or of its key (``teacher``)."""
    if edition not in WORKSHEETS:
        raise ValueError(f"{edition!r} is not a worksheet edition")
    unit = analysis.options.unit
    m = messages(render.lang, coin=analysis.k == 2)
    w = m["worksheet"]
    first = analysis.first_throws[0] if analysis.first_throws else None
    given = [
        GivenRow(face, n_k, first is not None and j == first.k)
        for j, (face, n_k) in enumerate(zip(analysis.faces, analysis.counts, strict=True))
    ]
    key = edition == "teacher"
    name = model_name(analysis, m)
    labels = {"n_k": m["s1"]["n_k"], "frequency": m["s1"]["frequency"]}
    labels |= {"seen": m["s2"]["seen"], "t": m["s2"]["t"]}
    return Worksheet(
        lang=render.lang,
        thousands=m["numbers"]["thousands"],
        sentence_gap=m["sentence_gap"],
        w=Words(w, "worksheet"),
        labels=Words(labels),
        edition=edition,
        key=key,
        title=w["meta"][edition],
        description=w["meta"][f"description_{edition}"],
        version=__version__,
        byline=fill(m["footer"]["made"], version=__version__, source=clean(analysis.log.name)),
        n=analysis.n,
        k=analysis.k,
        unit_name=m["units"][unit],
        log_rule=w["log_rule"][unit],
        model_name=name,
        given=given,
        first_face=analysis.faces[first.k] if first else None,
        zero_count=0 in analysis.counts,
        answers=_answers(analysis, m, name) if key else None,
        student_name=student_name(analysis.log) if render.names else None,
        eq=_equations(unit, analysis.k),
        alpha=f"{analysis.options.alpha:.10g}",
        g_rule=w["g_rule"][unit],
        yardstick=_yardstick(analysis, render, m, name, key),
        log_table=_log_table(analysis, m) if render.log_table else None,
        css=Markup(stylesheet(render.lang) + "\n" + worksheet_css()),
        author=render.author,
        date=stamp(),
    )


def _answers(analysis: Analysis, m: dict[str, Any], name: Markup) -> Answers:
    """The key's answers: the report's own figures (``Analysis``), nothing recomputed."""
    fitted, reference = analysis.cross_entropy, analysis.reference
    first = analysis.first_throws[0] if analysis.first_throws else None
    rows = []
    for j, n_k in enumerate(analysis.counts):
        t = first.t[j] if first else None
        log_y = -fitted.per_face[j]
        rows.append(
            AnswerRow(
                frequency=n_k / analysis.n,
                y=analysis.mle[j],
                t=t,
                log_y=log_y,
                t_log_y=None if t is None else (log_y if t else 0.0),  # 0 · log 0 = 0
                minus_log_y=fitted.per_face[j],
                term=n_k * fitted.per_face[j] if n_k else 0.0,
            )
        )
    difference = reference.total - fitted.total
    return Answers(
        rows=rows,
        t=first.t if first else None,
        log_l_first=-first.value if first else None,
        e_first=first.value if first else None,
        total=fitted.total,
        mean=fitted.mean,
        entropy=analysis.entropy,
        reference_total=reference.total,
        difference=difference,
        verdict=_reading(analysis, m, name),
    )


def _reading(analysis: Analysis, m: dict[str, Any], name: Markup) -> Markup:
    """Exercise 8 answered from its figure: the shaded share read as p, and what it says at α.

    The yardstick decides (``decisions.yardstick_tier``): the key answers from what the
    student sees; a last sentence gives the report's exact p and whether it agrees.
    """
    from reportgen.analysis import yardstick as yardsticks
    from reportgen.analysis.decisions import yardstick_tier
    from reportgen.render.lesson_plots import share
    from reportgen.render.wording import count

    text = m["worksheet"]["yardstick"]
    found = yardsticks.of(analysis, seed=analysis.options.seed)
    tier = yardstick_tier(found, analysis.options.alpha)
    if found.beyond:
        p = fill(text["p_read"], share=share(found.share))
    else:
        p = fill(text["p_none"], draws=count(m, found.draws))
    reading = fill(text[tier], p=p, alpha=f"{analysis.options.alpha:.10g}", model=name)
    if tier == "impossible":
        return reading
    difference = analysis.reference.total - analysis.cross_entropy.total  # exercise 7's
    g = fill(text["g_value"][analysis.options.unit], d=fmt_number(difference),
             g=fmt_number(found.observed))  # fmt: skip
    reading = g + m["sentence_gap"] + reading
    # The report's verdict is the exact test's: say whether it agrees with the figure.
    agrees = (tier != "keep") == analysis.verdict.reject
    exact = fill(text["exact_same" if agrees else "exact_differs"],
                 p=fmt_pvalue(analysis.exact_multinomial.pvalue))  # fmt: skip
    return reading + m["sentence_gap"] + exact


def _yardstick(
    analysis: Analysis, render: RenderOptions, m: dict[str, Any], name: Markup, key: bool
) -> Yardstick:
    """Exercise 8's figure: the report's chance yardstick of this log, with the report's seed.

    The same function and seed as the report's figure (``lesson_plots.yardstick``,
    ``StatOptions.seed``), so the worksheet, its key and the report show one picture;
    only the key's writes the share beyond (exercise 8's answer) beside the bars.
    """
    from reportgen.analysis import yardstick as yardsticks
    from reportgen.render import lesson_plots, svg
    from reportgen.render.catalogue import plain
    from reportgen.render.fonts import matplotlib_context
    from reportgen.render.wording import count

    text = m["worksheet"]["yardstick"]
    if not key:
        text = {**text, "yardstick_share": ""}
    found = yardsticks.of(analysis, seed=analysis.options.seed)
    caption = fill(
        text["caption_share" if lesson_plots.as_shares(found) else "caption"],
        draws=count(m, found.draws),
        n=count(m, found.n),
        df=found.df,
        model=name,
    )
    with matplotlib_context(render.lang):
        ax = lesson_plots.yardstick(
            analysis, text, seed=analysis.options.seed, thousands=m["numbers"]["thousands"]
        )
        drawing = svg.to_svg(ax.figure, title=plain(caption), id_prefix="fig-yardstick")
    label = fill(m["figures"]["label"], number=1)
    return Yardstick(Markup(svg.img(drawing, plain(caption), "figure")), label, caption)


def _log_table(analysis: Analysis, m: dict[str, Any]) -> LogTable:
    """``--log-table``: −log x for each n_k/N > 0 of the log and each y_k > 0 of the model.

    The values are the analysis's own (−log ŷ_k and −log y_k in the unit, as the key
    and the JSON have them), in increasing x; a value shared by two labels is listed
    under each (2/12 and 1/6 are both looked for).
    """
    from reportgen.render.lesson_plots import probability
    from reportgen.render.wording import count

    n = analysis.n
    found: dict[str, tuple[float, float]] = {}
    for j, n_k in enumerate(analysis.counts):
        if n_k:
            label = f"{count(m, n_k)}/{count(m, n)}"
            found.setdefault(label, (n_k / n, analysis.cross_entropy.per_face[j]))
    fair = analysis.options.model.fair
    for j, y_k in enumerate(analysis.reference.y):
        if y_k > 0:
            label = f"1/{count(m, analysis.k)}" if fair else probability(y_k)
            found.setdefault(label, (y_k, analysis.reference.per_face[j]))
    ordered = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
    entries = tuple(LogEntry(label, minus_log) for label, (_, minus_log) in ordered)
    return LogTable(entries, m["worksheet"]["log_table"]["base"][analysis.options.unit])


@functools.lru_cache(maxsize=8)
def _equations(unit: str, k: int) -> dict[str, equations.Equation]:
    """The lesson's equations the exercises point to: symbols only, no number of this log."""
    log = LOG_TEX[unit]

    def eq(latex: str, number: str | None = None) -> equations.Equation:
        return equations.equation(latex, number)

    return {
        "3.6": eq(rf"{log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k, \qquad t_k = n_k", "3.6"),
        "4.1": eq(rf"{log} L_1 = \sum_{{k=1}}^{{{k}}} t_k {log} y_k", "4.1"),
        "4.2": eq(rf"{log} L_1 = \sum_{{k=1}}^{{K}} t_k {log} y_k", "4.2"),
        "4.3": eq(rf"E = -{log} L_1 = -\sum_{{k=1}}^{{K}} t_k {log} y_k", "4.3"),
        "total": eq(
            rf"\sum_{{i=1}}^{{N}} E_i = -\sum_{{k=1}}^{{K}} n_k {log} \hat y_k,"
            r" \qquad \bar E = \frac{1}{N} \sum_{i=1}^{N} E_i"
        ),
        "entropy": eq(rf"H(\hat p) = -\sum_{{k=1}}^{{K}} \hat p_k {log} \hat p_k"),
        "reference": eq(rf"\sum_{{i=1}}^{{N}} E_i(y) = -\sum_{{k=1}}^{{K}} n_k {log} y_k"),
    }


@functools.cache
def worksheet_css() -> str:
    """``worksheet.css``: what the worksheets and the class overview add to ``report.css``."""
    return (templates_dir() / STYLESHEET).read_text(encoding="utf-8")

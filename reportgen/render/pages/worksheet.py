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
from reportgen.render.wording import model_name, verdict
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
    verdict: Markup  # exercise 8: the report's verdict and the totals in words


@dataclass(frozen=True)
class Worksheet:
    """Every variable of ``worksheet.html.j2``, typed."""

    lang: str
    thousands: str  # how counts group their thousands (the ``count`` filter reads it)
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
    answers: Answers | None  # None in the student edition: nothing to leak
    student_name: str | None  # the name field: the input's name (None: --no-names, blank)
    eq: dict[str, Equation]
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
        answers=_answers(analysis, m, name) if key else None,
        student_name=student_name(analysis.log) if render.names else None,
        eq=_equations(unit, analysis.k),
        css=Markup(stylesheet(render.lang) + "\n" + worksheet_css()),
        author=render.author,
        date=stamp(),
    )


def _answers(analysis: Analysis, m: dict[str, Any], name: Markup) -> Answers:
    """The key's answers: the report's own figures (``Analysis``), nothing recomputed."""
    from reportgen.render.numbers import fmt_number

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
    unit_name = m["units"][analysis.options.unit]
    said = fill(
        m["worksheet"]["verdict_answer"],
        model=name,
        difference=fmt_number(difference),
        per_throw=fmt_number(analysis.kl_divergence),
        unit=unit_name,
    )
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
        verdict=fill(m["worksheet"]["verdict_key"], answer=said, verdict=verdict(analysis, m)),
    )


@functools.lru_cache(maxsize=8)
def _equations(unit: str, k: int) -> dict[str, equations.Equation]:
    """The lesson's equations the exercises point to: symbols only, no number of this log."""
    log = LOG_TEX[unit]

    def eq(latex: str, number: str | None = None) -> equations.Equation:
        return equations.equation(latex, number)

    return {
        "3.6": eq(
            rf"\frac{{1}}{{N}} {log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k,"
            r" \qquad t_k = \frac{n_k}{N}",
            "3.6",
        ),
        "mle": eq(r"\hat y_k = \frac{n_k}{N}"),
        "4.1": eq(rf"{log} L = \sum_{{k=1}}^{{{k}}} t_k {log} y_k", "4.1"),
        "4.3": eq(rf"E = -{log} L = -\sum_{{k=1}}^{{K}} t_k {log} y_k", "4.3"),
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

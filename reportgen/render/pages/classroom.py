"""The class overview of ``--edition teacher`` over several logs: one page for the teacher.

``class_page(cohort, render, failed)`` is the typed page data of
``templates/class.html.j2``: one row per student (named by their file's stem,
sheet or group), with the exact test's p plain and Holm-adjusted, how many
small p-values chance alone gives, each student's number in the public
overview (``pages.public``), the class's throws pooled, the homogeneity test
across students and one figure of every student's ŷ with the pooled estimate
(lines for a small class, dots for a large one); then every student whose log
failed, with its first problem. Its PDF carries the students' counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
from reportgen.printable import clean
from reportgen.render.catalogue import fill, messages, plain, stylesheet
from reportgen.render.dates import stamp
from reportgen.render.figures import NAMED_STUDENTS
from reportgen.render.layout import WIDE
from reportgen.render.numbers import fmt_count, fmt_number, fmt_pvalue
from reportgen.render.pages.public import expected_count, labels
from reportgen.render.pages.worksheet import worksheet_css
from reportgen.render.wording import model_name, verdict
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.cohort import Cohort
    from reportgen.options import RenderOptions

TEMPLATE = "class.html.j2"

#: The attachment of the class overview: every student's counts, long form.
COUNTS_FILE = "class-counts.csv"


@dataclass(frozen=True)
class StudentRow:
    """One student's line: name, N, counts, ŷ, totals, entropy and the exact test's p."""

    name: str
    n: int
    counts: tuple[int, ...]
    mle: tuple[float, ...]
    total: float
    mean: float
    entropy: float
    pvalue: float
    pvalue_holm: float
    label: str  # the student's name in the public overview (``Student 3``)


@dataclass(frozen=True)
class FailedRow:
    """A student whose log failed: their name and the first problem, in the page's language."""

    name: str
    error: str


@dataclass(frozen=True)
class ClassPage:
    """Every variable of ``class.html.j2``, typed."""

    lang: str
    thousands: str  # how counts group their thousands (the ``count`` filter reads it)
    w: Words  # the catalogue's worksheet words (the overview's are ``w.class``)
    w_overview: Words  # the catalogue's ``class_overview`` words (added since)
    title: Markup
    description: Markup
    version: str
    byline: Markup
    faces: tuple[int | str, ...]
    wide: bool  # too many faces for one column each: counts and ŷ as lists
    unit_name: Markup
    model_name: Markup
    intro: Markup
    chance: Markup
    failed: list[FailedRow]
    students: list[StudentRow]
    pooled: StudentRow
    pooled_text: Markup
    pooled_verdict: Markup
    homogeneity: Markup
    homogeneity_verdict: Markup
    figure: Markup
    figure_label: Markup
    figure_caption: Markup
    css: Markup
    author: str | None
    date: str

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _row(name: str, a: Analysis, label: str = "") -> StudentRow:
    assert a.exact_multinomial is not None
    holm = a.exact_multinomial.pvalue_holm
    return StudentRow(
        name=name,
        n=a.n,
        counts=a.counts,
        mle=a.mle,
        total=a.cross_entropy.total,
        mean=a.cross_entropy.mean,
        entropy=a.entropy,
        pvalue=a.exact_multinomial.pvalue,
        pvalue_holm=holm if holm is not None else a.exact_multinomial.pvalue,
        label=label,
    )


def class_page(
    cohort: Cohort, render: RenderOptions, failed: Sequence[tuple[str, str]] = ()
) -> ClassPage:
    """The class overview's page data; ``failed``: (name, first error) of each failed log."""
    pooled = cohort.pooled
    m = messages(render.lang, coin=pooled.k == 2)
    w = m["worksheet"]
    c = w["class"]
    unit_name = m["units"][pooled.options.unit]
    name = model_name(pooled, m)
    decided = cohort.verdict
    thousands = m["numbers"]["thousands"]
    numbers = labels(cohort.students, render.lang)
    students = [
        _row(clean(student), a, label)
        for (student, a), label in zip(cohort.students, numbers, strict=True)
    ]
    many = len(cohort.students) > NAMED_STUDENTS
    caption = fill(m["class_overview"]["dots_caption"] if many else c["figure_caption"], model=name)
    source = fill(m["class_overview"]["source"], students=len(students))
    return ClassPage(
        lang=render.lang,
        thousands=thousands,
        w=Words(w, "worksheet"),
        w_overview=Words(m["class_overview"], "class_overview"),
        title=w["meta"]["class"],
        description=w["meta"]["description_class"],
        version=__version__,
        byline=fill(m["footer"]["made"], version=__version__, source=source),
        faces=pooled.faces,
        wide=pooled.k > WIDE // 2,
        unit_name=unit_name,
        model_name=name,
        intro=fill(
            m["class_overview"]["intro"],
            students=len(students),
            n=fmt_count(pooled.n, thousands),
            model=name,
        ),
        chance=_chance(cohort, students, m["class_overview"]["chance"]),
        failed=[FailedRow(clean(who), clean(error)) for who, error in failed],
        students=students,
        pooled=_row(plain(c["pooled_row"]), pooled),
        pooled_text=_pooled(pooled, c, thousands, unit_name, name),
        pooled_verdict=verdict(pooled, m),
        homogeneity=_homogeneity(cohort, c),
        homogeneity_verdict=fill(
            c["homogeneity_reject" if decided.differ else "homogeneity_keep"],
            alpha=f"{decided.alpha:.10g}",
        ),
        figure=Markup(_figure(cohort, render.lang, m, plain(caption))),
        figure_label=m["figures"]["label"],
        figure_caption=caption,
        css=Markup(stylesheet(render.lang) + "\n" + worksheet_css()),
        author=render.author,
        date=stamp(),
    )


def _pooled(pooled: Analysis, c: Any, thousands: str, unit_name: Markup, name: Markup) -> Markup:
    """The class's pooled throws in words: N, entropy, the totals under ŷ and the model."""
    return fill(
        c["pooled"],
        n=fmt_count(pooled.n, thousands),
        entropy=fmt_number(pooled.entropy),
        fitted=fmt_number(pooled.cross_entropy.total),
        reference=fmt_number(pooled.reference.total),
        unit=unit_name,
        model=name,
    )


def _homogeneity(cohort: Cohort, c: Any) -> Markup:
    """The homogeneity test across students in words (χ², G, their p-values, df)."""
    h = cohort.homogeneity
    return fill(
        c["homogeneity"],
        chi2=fmt_number(h.statistic),
        p_chi2=fmt_pvalue(h.pvalue),
        g=fmt_number(h.g_statistic),
        p_g=fmt_pvalue(h.g_pvalue),
        df=h.df,
    )


def _chance(cohort: Cohort, students: list[StudentRow], words: Any) -> Markup:
    """How many small p-values chance alone gives (m·α), how many there were, and Holm's."""
    alpha = cohort.pooled.options.alpha
    return fill(
        words,
        m=len(students),
        expected=expected_count(cohort.by_chance),
        alpha=f"{alpha:.10g}",
        below=cohort.below_alpha,
        holm_below=sum(row.pvalue_holm < alpha for row in students),
    )


def _figure(cohort: Cohort, lang: str, m: dict[str, Any], title: str) -> str:
    """Lines, one a student and named, for a small class; dots for a larger one."""
    from reportgen.render import svg
    from reportgen.render.figures import NAMED_STUDENTS, class_lines
    from reportgen.render.fonts import matplotlib_context

    pooled, c = cohort.pooled, m["worksheet"]["class"]
    with matplotlib_context(lang):
        if len(cohort.students) > NAMED_STUDENTS:
            return svg.to_svg(_dots(cohort, m).figure, title=title, id_prefix="fig-class")
        ax = class_lines(
            pooled.faces,
            [(clean(name), a.mle) for name, a in cohort.students],
            pooled.mle,
            reference=pooled.reference.y,
            pooled_label=plain(c["figure_pooled"]),
            xlabel=plain(c["figure_x"]),
            ylabel=plain(c["figure_y"]),
        )
        return svg.to_svg(ax.figure, title=title, id_prefix="fig-class")


def _dots(cohort: Cohort, m: dict[str, Any]) -> Any:
    from reportgen.render.class_figures import class_dots

    pooled, c, o = cohort.pooled, m["worksheet"]["class"], m["class_overview"]
    return class_dots(
        pooled.faces,
        [a.mle for _, a in cohort.students],
        pooled.mle,
        reference=pooled.reference.y,
        students_label=plain(o["dots_students"]),
        pooled_label=plain(c["figure_pooled"]),
        reference_label=plain(fill(o["dots_reference"], model=model_name(pooled, m))),
        xlabel=plain(c["figure_x"]),
        ylabel=plain(c["figure_y"]),
    )


def class_counts_csv(cohort: Cohort) -> bytes:
    """``student,face,count`` for every student and face: the overview's data, re-readable."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "face", "count"])
    for name, a in cohort.students:
        writer.writerows((name, face, n_k) for face, n_k in zip(a.faces, a.counts, strict=True))
    return out.getvalue().encode("utf-8")

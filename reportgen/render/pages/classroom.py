"""The class overview of ``--edition teacher`` over several logs: one page for the teacher.

``class_page(cohort, render)`` is the typed page data of ``templates/class.html.j2``:
one row per student (named by the stem of their log's file), the class's throws
pooled, the homogeneity test across students and one figure of every
student's ŷ with the pooled estimate. Its PDF carries the students' counts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
from reportgen.printable import clean
from reportgen.render.catalogue import fill, messages, plain, stylesheet
from reportgen.render.dates import stamp
from reportgen.render.layout import WIDE
from reportgen.render.numbers import fmt_count, fmt_number, fmt_pvalue
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


@dataclass(frozen=True)
class ClassPage:
    """Every variable of ``class.html.j2``, typed."""

    lang: str
    thousands: str  # how counts group their thousands (the ``count`` filter reads it)
    w: Words  # the catalogue's worksheet words (the overview's are ``w.class``)
    title: Markup
    description: Markup
    version: str
    byline: Markup
    faces: tuple[int | str, ...]
    wide: bool  # too many faces for one column each: counts and ŷ as lists
    unit_name: Markup
    model_name: Markup
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


def _row(name: str, a: Analysis) -> StudentRow:
    assert a.exact_multinomial is not None
    return StudentRow(
        name=name,
        n=a.n,
        counts=a.counts,
        mle=a.mle,
        total=a.cross_entropy.total,
        mean=a.cross_entropy.mean,
        entropy=a.entropy,
        pvalue=a.exact_multinomial.pvalue,
    )


def class_page(cohort: Cohort, render: RenderOptions) -> ClassPage:
    """The class overview's page data."""
    pooled = cohort.pooled
    m = messages(render.lang, coin=pooled.k == 2)
    w = m["worksheet"]
    c = w["class"]
    unit_name = m["units"][pooled.options.unit]
    name = model_name(pooled, m)
    h, decided = cohort.homogeneity, cohort.verdict
    thousands = m["numbers"]["thousands"]
    students = [_row(clean(student), a) for student, a in cohort.students]
    caption = fill(c["figure_caption"], model=name)
    source = ", ".join(row.name for row in students)
    return ClassPage(
        lang=render.lang,
        thousands=thousands,
        w=Words(w, "worksheet"),
        title=w["meta"]["class"],
        description=w["meta"]["description_class"],
        version=__version__,
        byline=fill(m["footer"]["made"], version=__version__, source=source),
        faces=pooled.faces,
        wide=pooled.k > WIDE // 2,
        unit_name=unit_name,
        model_name=name,
        students=students,
        pooled=_row(plain(c["pooled_row"]), pooled),
        pooled_text=fill(
            c["pooled"],
            n=fmt_count(pooled.n, thousands),
            entropy=fmt_number(pooled.entropy),
            fitted=fmt_number(pooled.cross_entropy.total),
            reference=fmt_number(pooled.reference.total),
            unit=unit_name,
            model=name,
        ),  # fmt: skip
        pooled_verdict=verdict(pooled, m),
        homogeneity=fill(
            c["homogeneity"],
            chi2=fmt_number(h.statistic),
            p_chi2=fmt_pvalue(h.pvalue),
            g=fmt_number(h.g_statistic),
            p_g=fmt_pvalue(h.g_pvalue),
            df=h.df,
        ),  # fmt: skip
        homogeneity_verdict=fill(
            c["homogeneity_reject" if decided.differ else "homogeneity_keep"],
            alpha=f"{decided.alpha:.10g}",
        ),
        figure=Markup(_figure(cohort, render.lang, c, plain(caption))),
        figure_label=m["figures"]["label"],
        figure_caption=caption,
        css=Markup(stylesheet(render.lang) + "\n" + worksheet_css()),
        author=render.author,
        date=stamp(),
    )


def _figure(cohort: Cohort, lang: str, c: dict[str, Any], title: str) -> str:
    from reportgen.render import svg
    from reportgen.render.figures import class_lines
    from reportgen.render.fonts import matplotlib_context

    pooled = cohort.pooled
    with matplotlib_context(lang):
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


def class_counts_csv(cohort: Cohort) -> bytes:
    """``student,face,count`` for every student and face: the overview's data, re-readable."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "face", "count"])
    for name, a in cohort.students:
        writer.writerows((name, face, n_k) for face, n_k in zip(a.faces, a.counts, strict=True))
    return out.getvalue().encode("utf-8")

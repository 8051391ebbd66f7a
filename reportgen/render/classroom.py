"""The class overview of ``--edition teacher`` over several logs: one page for the teacher.

``class_page(cohort, lang)`` is the typed page data of ``templates/class.html.j2``:
one row per student (named by the stem of their log's file), the class's throws
pooled, the homogeneity test across students and one figure of every
student's ŷ with the pooled estimate. Its PDF carries the students' counts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from reportgen import __version__
from reportgen.render.catalogue import environment, fill, messages, plain, stylesheet
from reportgen.render.context import build_date
from reportgen.render.format import fmt_count, fmt_pvalue
from reportgen.render.layout import WIDE
from reportgen.render.wording import model_name, verdict
from reportgen.render.worksheet import worksheet_css

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.cohort import Cohort

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
    m: dict[str, Any]
    w: dict[str, Any]
    title: Any
    description: Any
    version: str
    faces: tuple[int | str, ...]
    wide: bool  # too many faces for one column each: counts and ŷ as lists
    unit_name: Any
    model_name: Any
    students: list[StudentRow]
    pooled: StudentRow
    pooled_text: Any
    pooled_verdict: Any
    homogeneity: Any
    homogeneity_verdict: Any
    figure: Any
    figure_caption: Any
    css: Any
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


def class_page(cohort: Cohort) -> ClassPage:
    """The class overview's page data, in the language of the cohort's options."""
    from markupsafe import Markup

    from reportgen.printable import clean
    from reportgen.render.format import fmt_number

    pooled = cohort.pooled
    options = pooled.options
    m = messages(options.lang, coin=pooled.k == 2)
    w = m["worksheet"]
    c = w["class"]
    unit_name = m["units"][options.unit]
    name = model_name(pooled, m)
    h = cohort.homogeneity
    alpha = 1 - options.confidence
    thousands = m["numbers"]["thousands"]
    students = [_row(clean(student), a) for student, a in cohort.students]
    caption = fill(c["figure_caption"], model=name)
    return ClassPage(
        lang=options.lang,
        m=m,
        w=w,
        title=w["meta"]["class"],
        description=w["meta"]["description_class"],
        version=__version__,
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
        ),
        pooled_verdict=verdict(pooled, m).sentence,
        homogeneity=fill(
            c["homogeneity"],
            chi2=fmt_number(h.statistic),
            p_chi2=fmt_pvalue(h.pvalue),
            g=fmt_number(h.g_statistic),
            p_g=fmt_pvalue(h.g_pvalue),
            df=h.df,
        ),
        homogeneity_verdict=fill(
            c["homogeneity_reject" if h.pvalue < alpha else "homogeneity_keep"],
            alpha=f"{alpha:.10g}",
        ),
        figure=Markup(_figure(cohort, c, plain(caption))),
        figure_caption=caption,
        css=Markup(stylesheet(options.lang) + "\n" + worksheet_css()),
        author=options.author,
        date=build_date().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def _figure(cohort: Cohort, c: dict[str, Any], title: str) -> str:
    from reportgen.printable import clean
    from reportgen.render import figure_svg
    from reportgen.render.figures import class_lines
    from reportgen.render.fonts import matplotlib_context

    pooled = cohort.pooled
    with matplotlib_context(pooled.options.lang):
        ax = class_lines(
            pooled.faces,
            [(clean(name), a.mle) for name, a in cohort.students],
            pooled.mle,
            reference=pooled.reference.y,
            pooled_label=plain(c["figure_pooled"]),
            xlabel=plain(c["figure_x"]),
            ylabel=plain(c["figure_y"]),
        )
        return figure_svg.to_svg(ax.figure, title=title, id_prefix="fig-class")


def class_html(cohort: Cohort) -> str:
    """The class overview as one self-contained HTML page."""
    from reportgen.render.html import typeset
    from reportgen.render.quiet import quiet_libraries

    with quiet_libraries():
        page = environment().get_template(TEMPLATE).render(class_page(cohort).variables())
    return typeset(page, cohort.pooled.options.lang)


def counts_csv(cohort: Cohort) -> bytes:
    """``student,face,count`` for every student and face: the overview's data, re-readable."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "face", "count"])
    for name, a in cohort.students:
        writer.writerows((name, face, n_k) for face, n_k in zip(a.faces, a.counts, strict=True))
    return out.getvalue().encode("utf-8")


def class_pdf(cohort: Cohort) -> bytes:
    """The class overview as a PDF/A-3b carrying every student's counts."""
    from reportgen.render.pdf import write_pdf

    lang = cohort.pooled.options.lang
    c = messages(lang)["worksheet"]["class"]
    files = [(COUNTS_FILE, counts_csv(cohort), plain(c["attachment"]), "Data")]
    return write_pdf(class_html(cohort), lang, files)

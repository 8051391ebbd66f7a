"""The class's public overview (``--edition class``): safe to project or send home.

``public_page(cohort, render, failed)`` is the typed page data of
``templates/class-public.html.j2``. No student is named anywhere: not in its
text, its metadata, its figure's alternative text or its attachment. Students
are numbered by their exact p-value, smallest first (``anonymous_order``), so
the numbers say nothing of names or of the order of the inputs; the teacher's
overview shows each student's number. The page shows each student's counts
and exact p (plain and Holm-adjusted), never an answer of the worksheet (ŷ,
cross-entropies, entropy); the class's pooled throws; how many small p-values
chance alone gives (m·α) beside how many there were; and the exact test of
homogeneity, whose p decides.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen import __version__
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

TEMPLATE = "class-public.html.j2"

#: The public overview's file stem and its attachment (counts by student number).
STEM = "class-public"
COUNTS_FILE = "class-public-counts.csv"


@dataclass(frozen=True)
class PublicRow:
    """One student, by number: N, counts, the exact test's p and Holm's p."""

    label: str
    n: int
    counts: tuple[int, ...]
    pvalue: float
    pvalue_holm: float
    small: bool  # p < α


@dataclass(frozen=True)
class PublicPage:
    """Every variable of ``class-public.html.j2``, typed."""

    lang: str
    thousands: str
    w: Words  # the catalogue's ``class_public`` words
    title: Markup
    description: Markup
    version: str
    byline: Markup
    badge: Markup
    faces: tuple[int | str, ...]
    wide: bool
    intro: Markup
    failed: Markup | None  # how many logs failed (a count, never a name)
    students: list[PublicRow]
    pooled_counts: tuple[int, ...]
    pooled_mle: tuple[float, ...]
    pooled_n: int
    pooled_verdict: Markup
    chance: Markup
    holm: Markup
    figure: Markup
    figure_label: Markup
    figure_caption: Markup
    homogeneity: Markup
    homogeneity_verdict: Markup
    css: Markup
    author: str | None
    date: str

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def expected_count(value: float) -> str:
    """How many of m p-values chance puts below α (m·α), as people write it: 1.75, 0.2, 2."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def anonymous_order(students: tuple[tuple[str, Analysis], ...]) -> list[int]:
    """The students' indices by exact p, smallest first (ties: input order): student i of
    the public overview is ``students[order[i - 1]]``."""
    return sorted(range(len(students)), key=lambda i: (_exact(students[i][1]).pvalue, i))


def _exact(a: Analysis) -> Any:
    assert a.exact_multinomial is not None
    return a.exact_multinomial


def labels(students: tuple[tuple[str, Analysis], ...], lang: str) -> list[str]:
    """Each student's public label (``Student 3``), in input order."""
    word = messages(lang)["class_public"]["label"]
    found = [""] * len(students)
    for number, i in enumerate(anonymous_order(students), start=1):
        found[i] = plain(fill(word, number=number))
    return found


def _rows(cohort: Cohort, lang: str) -> list[PublicRow]:
    alpha = cohort.pooled.options.alpha
    word = messages(lang)["class_public"]["label"]
    rows = []
    for number, i in enumerate(anonymous_order(cohort.students), start=1):
        a = cohort.students[i][1]
        test = _exact(a)
        holm = test.pvalue_holm if test.pvalue_holm is not None else test.pvalue
        label = plain(fill(word, number=number))
        rows.append(PublicRow(label, a.n, a.counts, test.pvalue, holm, test.pvalue < alpha))
    return rows


def public_page(cohort: Cohort, render: RenderOptions, failed: int = 0) -> PublicPage:
    """The public overview's page data (``failed``: how many students' logs failed)."""
    pooled = cohort.pooled
    m = messages(render.lang, coin=pooled.k == 2)
    c = m["class_public"]
    rows = _rows(cohort, render.lang)
    count = len(rows)
    alpha = f"{pooled.options.alpha:.10g}"
    name = model_name(pooled, m)
    thousands = m["numbers"]["thousands"]
    said = {"m": count, "alpha": alpha}
    caption = fill(c["figure_caption"], **said)
    return PublicPage(
        lang=render.lang,
        thousands=thousands,
        w=Words(c, "class_public"),
        title=c["title"],
        description=c["description"],
        version=__version__,
        byline=fill(
            m["footer"]["made"], version=__version__, source=fill(c["source"], students=count)
        ),
        badge=c["badge"],
        faces=pooled.faces,
        wide=pooled.k > WIDE // 2,
        intro=fill(c["intro"], students=count, n=fmt_count(pooled.n, thousands), model=name),
        failed=fill(c["failed"], failed=failed) if failed else None,
        students=rows,
        pooled_counts=pooled.counts,
        pooled_mle=pooled.mle,
        pooled_n=pooled.n,
        pooled_verdict=verdict(pooled, m),
        chance=fill(
            c["chance"], expected=expected_count(cohort.by_chance), below=cohort.below_alpha, **said
        ),
        holm=fill(
            c["holm_text"],
            holm_below=sum(r.pvalue_holm < pooled.options.alpha for r in rows),
            **said,
        ),
        figure=Markup(_figure(rows, pooled.options.alpha, render.lang, c, plain(caption))),
        figure_label=m["figures"]["label"],
        figure_caption=caption,
        homogeneity=_homogeneity(cohort, c),
        homogeneity_verdict=fill(
            m["worksheet"]["class"][
                "homogeneity_reject" if cohort.verdict.differ else "homogeneity_keep"
            ],
            alpha=alpha,
        ),
        css=Markup(stylesheet(render.lang) + "\n" + worksheet_css()),
        author=render.author,
        date=stamp(),
    )


def _homogeneity(cohort: Cohort, c: dict[str, Any]) -> Markup:
    h = cohort.homogeneity
    exact = h.exact.pvalue if h.exact is not None else h.pvalue
    return fill(
        c["homogeneity"],
        p_exact=fmt_pvalue(exact),
        chi2=fmt_number(h.statistic),
        df=h.df,
        p_chi2=fmt_pvalue(h.pvalue),
    )


def _figure(rows: list[PublicRow], alpha: float, lang: str, c: dict[str, Any], title: str) -> str:
    from reportgen.render import svg
    from reportgen.render.class_figures import sorted_pvalues
    from reportgen.render.fonts import matplotlib_context

    with matplotlib_context(lang):
        ax = sorted_pvalues(
            [row.pvalue for row in rows],
            alpha,
            chance_label=plain(c["figure_chance"]),
            alpha_label=plain(c["figure_alpha"]) + f" = {alpha:.10g}",
            xlabel=plain(c["figure_x"]),
            ylabel=plain(c["figure_y"]),
        )
        return svg.to_svg(ax.figure, title=title, id_prefix="fig-public")


def public_counts_csv(cohort: Cohort, lang: str) -> bytes:
    """``student,face,count`` by student number, in number order: no name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "face", "count"])
    for row in _rows(cohort, lang):
        writer.writerows(
            (row.label, face, n_k)
            for face, n_k in zip(cohort.pooled.faces, row.counts, strict=True)
        )
    return out.getvalue().encode("utf-8")

"""The report's opening: "about this report" and, with ``--by``, the dice before the lesson.

With ``--by`` the test of homogeneity comes first (its G written as twice the
cross-entropy that pooling adds), then the dice side by side (a row a die when
there are more than ``layout.SIDE_BY_SIDE``), and a paragraph a die; what the
lesson's sections then follow was decided in ``analysis`` (``GroupsVerdict.walk``),
and ``About`` says it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.analysis.fairness import Homogeneity
from reportgen.printable import clean
from reportgen.render import latex
from reportgen.render.catalogue import fill
from reportgen.render.equations import Equation
from reportgen.render.layout import SIDE_BY_SIDE, visible
from reportgen.render.numbers import fmt_number, fmt_pvalue
from reportgen.render.plots import Figure
from reportgen.render.wording import (
    count,
    exact_text,
    few,
    homogeneity_exact_text,
    homogeneity_verdict,
    verdict,
)
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.render.pages.sections import Facts


@dataclass(frozen=True)
class About:
    """What the report is, and with ``--by`` what the dice's test decided for the lesson."""

    words: Words  # about
    intro: Markup
    summary: Markup | None  # with --by


def about(record: Analysis, facts: Facts, m: dict[str, Any], walk_name: str | None) -> About:
    summary = None
    if record.groups:
        gap, text = m["sentence_gap"], m["groups"]
        names = m["list_separator"].join(clean(str(name)) for name in record.groups)
        summary = fill(text["first"], groups=few(m, len(record.groups)), names=names) + gap
        summary += _alike(record, m) + gap + _walk(record, facts, m, walk_name)
    gap = m["sentence_gap"]
    intro = fill(m["about"]["intro"], log_name=m["log_names"][facts.unit]) + gap
    intro += m["about"]["rounding"]
    if not record.options.model.fair:  # --model: the yardstick of every section
        intro += gap + fill(m["about"]["model_given"], model=facts.model_name)
    return About(words=Words(m["about"], "about"), intro=intro, summary=summary)


def _alike(record: Analysis, m: dict[str, Any]) -> Markup:
    """The test of homogeneity's answer in one short sentence: its verdict is the next section's."""
    h, decided = record.homogeneity, record.groups_verdict
    assert h is not None and decided is not None
    pvalue = h.exact.pvalue if h.exact is not None else h.pvalue
    key = "about_alike" if decided.tier == "keep" else "about_differ"
    return fill(m["groups"][key], p=fmt_pvalue(pvalue), alpha=f"{decided.alpha:.10g}")


def _walk(record: Analysis, facts: Facts, m: dict[str, Any], walk_name: str | None) -> Markup:
    """Which throws sections 1–8 follow, and why: all pooled, the die named, or the clearest."""
    text = m["groups"]
    if walk_name is None:
        return Markup(text["pooled_agree"])
    n = count(m, facts.n)
    decided = record.groups_verdict
    if decided is not None and decided.named:
        return fill(text["walk_named"], name=walk_name, n=n)
    return fill(text["pooled_differ"], name=walk_name, n=n, model=facts.model_name)


@dataclass(frozen=True)
class GroupRow:
    """One face of one die: n_k and ŷ_k with the shown interval."""

    n_k: int
    mle: float
    low: float
    high: float


@dataclass(frozen=True)
class Die:
    """One die of ``--by``: what its column of the table and its paragraph show."""

    name: str
    n: int
    rows: list[GroupRow]  # every face, in face order
    entropy: float
    g_statistic: float
    heading: Markup
    summary: Markup
    verdict: Markup


@dataclass(frozen=True)
class Pooled:
    """All throws as one die: the last row of the dice table when it has a row a die."""

    name: Markup
    n: int
    rows: list[GroupRow]  # every face, in face order
    entropy: float
    g_statistic: float


@dataclass(frozen=True)
class Groups:
    """The dice of ``--by``: the test of homogeneity, the dice side by side, a paragraph each."""

    words: Words  # groups
    face_label: Markup
    n_k_label: Markup
    mle_label: Markup
    intro: Markup
    equation: Equation | None
    homogeneity: Homogeneity
    numbers: Markup
    verdict: Markup
    multiplicity: Markup  # the dice are a family of tests: Holm
    faces: list[tuple[int | str, int] | None]  # (label, index) of the faces shown; None = ⋮
    dice: list[Die]
    row_g: Markup
    figure: Figure
    by_row: bool  # more dice than fit side by side: a row a die, faces as columns
    pooled: Pooled


def groups(
    record: Analysis, facts: Facts, m: dict[str, Any], figure: Figure | None
) -> Groups | None:
    """The ``--by`` section of ``record``; ``None`` without groups."""
    h = record.homogeneity
    if h is None or not record.groups or figure is None:
        return None
    text = m["groups"]
    return Groups(
        words=Words(text, "groups"),
        face_label=m["s1"]["face"],
        n_k_label=m["s1"]["n_k"],
        mle_label=m["s7"]["mle"],
        intro=fill(text["intro"], groups=few(m, len(record.groups))),
        equation=latex.homogeneity_equation(record),
        homogeneity=h,
        numbers=fill(
            text["homogeneity_numbers"],
            chi2=fmt_number(h.statistic),
            p_chi2=fmt_pvalue(h.pvalue),
            g=fmt_number(h.g_statistic),
            p_g=fmt_pvalue(h.g_pvalue),
            df=h.df,
            p_exact=homogeneity_exact_text(h, m),
        ),  # fmt: skip
        verdict=homogeneity_verdict(record, m),
        multiplicity=fill(
            text["multiplicity"],
            model=facts.model_name,
            groups=few(m, len(record.groups)),
            alpha=f"{record.options.alpha:.10g}",
        ),
        faces=[None if j is None else (facts.faces[j], j) for j in visible(facts.k)],
        dice=[_die(clean(str(name)), g, facts, m) for name, g in record.groups.items()],
        row_g=fill(text["row_g"], model=facts.model_short),
        figure=figure,
        by_row=len(record.groups) > SIDE_BY_SIDE,
        pooled=Pooled(
            name=Markup(text["row_pooled"]),
            n=record.n,
            rows=_rows(record, facts),
            entropy=record.entropy,
            g_statistic=record.tests["g_test"].statistic,
        ),
    )


def _rows(g: Analysis, facts: Facts) -> list[GroupRow]:
    """Every face of ``g``: n_k, ŷ_k and the shown interval."""
    shown = g.intervals[facts.interval]
    return [GroupRow(g.counts[j], g.mle[j], shown.low[j], shown.high[j]) for j in range(g.k)]


def _die(name: str, g: Analysis, facts: Facts, m: dict[str, Any]) -> Die:
    chi2, g_test = g.tests["pearson_chi2"], g.tests["g_test"]
    text = m["groups"]
    summary = fill(
        text["summary"], entropy=fmt_number(g.entropy), unit=facts.unit_name,
        total=fmt_number(g.cross_entropy.total), reference=fmt_number(g.reference.total),
        model=facts.model_name, chi2=fmt_number(chi2.statistic), g=fmt_number(g_test.statistic),
        df=g_test.df, p_g=fmt_pvalue(g_test.pvalue), p_chi2=fmt_pvalue(chi2.pvalue),
        exact=exact_text(g.exact_multinomial, m),
    )  # fmt: skip
    return Die(
        name=name,
        n=g.n,
        rows=_rows(g, facts),
        entropy=g.entropy,
        g_statistic=g_test.statistic,
        heading=fill(text["group_heading"], name=name, n=count(m, g.n)),
        summary=summary,
        verdict=verdict(g, m),
    )

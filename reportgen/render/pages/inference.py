"""The report's inference: section 7 (the MLE and its intervals), section 8 (does the model
fit?), the exercises with their answers, and the appendix of interval methods."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.analysis import TestResult
from reportgen.analysis.estimate import METHODS, SIMULTANEOUS, profile_cut
from reportgen.analysis.fairness import ExactTest
from reportgen.render.catalogue import fill, plain
from reportgen.render.equations import Equation
from reportgen.render.layout import WIDE, visible
from reportgen.render.numbers import fmt_number, fmt_percent, fmt_pvalue
from reportgen.render.plots import Figure
from reportgen.render.wording import caveat, count, exact_text, fairness_heading, few, verdict
from reportgen.render.words import Words

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.render.pages.sections import Facts


@dataclass(frozen=True)
class EstimateRow:
    """One face of section 7's table: n_k, ŷ_k and each shown method's (low, high)."""

    face: int | str
    n_k: int
    mle: float
    bounds: list[tuple[float, float]]


@dataclass(frozen=True)
class Estimates:
    """Section 7: why ŷ_k = n_k / N is the maximum, and ŷ with the shown intervals."""

    words: Words  # s7
    method_names: list[Markup]  # the shown interval first, then Clopper–Pearson
    lagrange: Equation
    hessian: Equation
    concave: Markup
    rows: list[EstimateRow | None]  # in ``Facts.face_rows`` order; None = ⋮
    bars: Figure
    curve: Figure  # total cross-entropy along one face, smallest at ŷ


def shown_methods(interval: str) -> list[str]:
    """The intervals section 7 shows: the chosen one, then the exact one (if another)."""
    return [interval] + [x for x in ("exact",) if x != interval]


def estimates(
    analysis: Analysis,
    facts: Facts,
    m: dict[str, Any],
    eq: Mapping[str, Equation],
    bars: Figure,
    curve: Figure,
) -> Estimates:
    methods = shown_methods(facts.interval)
    coverage = fill(
        m["iv"]["coverage"][facts.interval],
        level=fmt_percent(facts.confidence),
        method=facts.interval_name,
    )
    rows = [
        None
        if j is None
        else EstimateRow(
            facts.faces[j],
            analysis.counts[j],
            analysis.mle[j],
            [
                (analysis.intervals[name].low[j], analysis.intervals[name].high[j])
                for name in methods
            ],
        )
        for j in facts.face_rows
    ]

    return Estimates(
        words=Words(m["s7"], "s7"),
        method_names=[m["intervals"][name] for name in methods],
        lagrange=eq["lagrange"],
        hessian=eq["hessian"],
        concave=fill(m["s7"]["concave"], n=count(m, analysis.n), coverage=coverage),
        rows=rows,
        bars=bars,
        curve=curve,
    )


@dataclass(frozen=True)
class Fairness:
    """Section 8: the three tests, the bridge G = 2N·KL, the verdict and what it does not mean."""

    words: Words  # fairness
    heading: Markup
    intro: Markup
    pearson: TestResult
    g_test: TestResult
    exact: ExactTest
    exact_text: Markup
    explain: Markup
    disagree: Markup | None
    largest: Markup | None  # the face driving χ², for a model given or a verdict against it
    bridge: Equation | None  # None: a face seen that the model forbids (G is infinite)
    bridge_lead: Markup
    bridge_after: Markup
    optimism: Markup
    infinite: Markup | None
    yardstick: Figure | None  # None when G is infinite
    verdict: Markup
    caveat: Markup


def fairness(
    analysis: Analysis,
    facts: Facts,
    m: dict[str, Any],
    eq: Mapping[str, Equation],
    walk_name: str | None,
    yardstick: Figure | None,
) -> Fairness:
    text, unit = m["fairness"], facts.unit_name
    decided = analysis.verdict
    tests = analysis.tests
    infinite = ", ".join(str(facts.faces[j]) for j in analysis.infinite_indices)
    return Fairness(
        words=Words(text, "fairness"),
        heading=fairness_heading(analysis, m, walk_name),
        intro=fill(text["intro"], model=facts.model_name),
        pearson=tests["pearson_chi2"],
        g_test=tests["g_test"],
        exact=analysis.exact_multinomial,
        exact_text=exact_text(analysis.exact_multinomial, m),
        explain=_explain(analysis, m),
        disagree=None
        if not decided.tests_disagree
        else fill(
            text["disagree"],
            alpha=f"{decided.alpha:.10g}",
            p_chi2=fmt_pvalue(tests["pearson_chi2"].pvalue),
            p_g=fmt_pvalue(tests["g_test"].pvalue),
            p_exact=fmt_pvalue(decided.pvalue),
        ),  # fmt: skip
        largest=_largest(analysis, m, facts),
        bridge=None if infinite else eq["bridge"],
        bridge_lead=fill(
            text["bridge"],
            model=facts.model_name,
            factor=text["bridge_factor"][facts.unit],
            factor_n=text["bridge_factor_n"][facts.unit],
        ),  # fmt: skip
        bridge_after=_bridge_after(m, facts),
        optimism=_optimism(analysis, m, facts),
        infinite=fill(text["bridge_infinite"], faces=infinite) if infinite else None,
        yardstick=yardstick,
        verdict=verdict(analysis, m),
        caveat=caveat(analysis, m, plain(unit)),
    )


def _explain(analysis: Analysis, m: dict[str, Any]) -> Markup:
    """How the tests work, and a warning when some face expects few throws."""
    text, decided, exact = m["fairness"], analysis.verdict, analysis.exact_multinomial
    key = "explain" if exact.method == "enumeration" else "explain_mc"
    sentence = fill(
        text[key],
        draws=count(m, exact.draws),
        seed=exact.seed,
        alpha=f"{decided.alpha:.10g}",
        level=fmt_percent(decided.alpha),
    )
    if decided.family > 1:  # --by: the rule compares the Holm-adjusted p
        sentence += m["sentence_gap"] + fill(text["rule_holm"], family=few(m, decided.family))
    if decided.small_expected:
        flat = len(set(analysis.reference.y)) == 1  # every face expects the same count
        key = "small_expected_all" if flat else "small_expected"
        sentence += m["sentence_gap"] + fill(
            text[key], expected=fmt_number(decided.min_expected, 2)
        )
    return sentence


def _largest(analysis: Analysis, m: dict[str, Any], facts: Facts) -> Markup | None:
    """The face that adds most to χ²: with a model given, or when the verdict goes against it."""
    decided = analysis.verdict
    if decided.tier == "impossible" or (analysis.options.model.fair and not decided.reject):
        return None
    j = decided.largest_term
    expected = analysis.n * analysis.reference.y[j]
    return fill(
        m["fairness"]["largest"],
        face=facts.faces[j],
        seen=count(m, analysis.counts[j]),
        expected=fmt_number(expected, 2),
        term=fmt_number((analysis.counts[j] - expected) ** 2 / expected, 2),
        chi2=fmt_number(analysis.tests["pearson_chi2"].statistic, 2),
    )


def _bridge_after(m: dict[str, Any], facts: Facts) -> Markup:
    text = m["fairness"]
    after = fill(text["bridge_after"], unit=facts.unit_name)
    if facts.unit == "bit":
        after += m["sentence_gap"] + text["bridge_bits"]
    return after


def _optimism(analysis: Analysis, m: dict[str, Any], facts: Facts) -> Markup:

    return fill(
        m["fairness"]["optimism"],
        n=count(m, analysis.n),
        expected=fmt_number(analysis.verdict.expected_kl),
        kl=fmt_number(analysis.kl_divergence),
        unit=facts.unit_name,
    )


@dataclass(frozen=True)
class Exercises:
    """The exercises from the reader's own numbers (their answers come at the end).

    ``questions`` are filled by the template, which numbers the tables they point to.
    """

    words: Words  # exercises
    intro: Markup
    questions: tuple[Markup, ...]
    no_throws: bool


def exercises(analysis: Analysis, facts: Facts, m: dict[str, Any], answered: bool) -> Exercises:
    """The exercises; ``answered``: the report ends with their answers, and says so."""
    text = m["exercises"]
    intro = Markup(text["intro_answers" if answered else "intro"])
    questions = text["questions_fair" if against_fair(analysis) else "questions"]
    return Exercises(Words(text, "exercises"), intro, tuple(questions), facts.first_throw is None)


def against_fair(analysis: Analysis) -> bool:
    """Whether the exercises compare ŷ with a fair die rather than with Laplace's estimate.

    With ``--model`` the pages already give every figure under the model, and
    nowhere one under a fair die; Laplace's estimate, next to ŷ once there are
    many throws, would make the answers differences in the fourth decimal.
    """
    y, k = analysis.options.model.y, analysis.k
    return not analysis.options.model.fair and any(abs(y_k - 1 / k) > 1e-12 for y_k in y)


@dataclass(frozen=True)
class Answers:
    """The exercises' answers, from this report's numbers (in the report's unit)."""

    words: Words  # exercises
    answers: list[Markup]


def answers(analysis: Analysis, facts: Facts, m: dict[str, Any]) -> Answers:
    """The answers: ŷ against q, Laplace's (n_k + 1)/(N + K), which no page prints (or, with
    ``--model``, a fair die's 1/K): log L under q, below log L(ŷ) by N·D_KL(p̂ ‖ q), and the
    first throw's (4.3) under q."""
    from reportgen.analysis.entropy import total

    counts, n, k, unit = analysis.counts, analysis.n, analysis.k, analysis.options.unit
    fair = against_fair(analysis)
    q = [1 / k] * k if fair else [(c + 1) / (n + k) for c in counts]
    under_q, under_mle = total(counts, q, unit), analysis.cross_entropy.total
    first = facts.first_throw.k if facts.first_throw else int(max(range(k), key=counts.__getitem__))
    # exercise 3 asks which is larger: enough decimals that the two printed values differ
    e_q, e_hat = total([1], [q[first]], unit), analysis.cross_entropy.per_face[first]
    places = next((d for d in range(4, 10) if fmt_number(e_q, d) != fmt_number(e_hat, d)), 4)
    text = m["exercises"]
    which = _compared(e_q, e_hat)
    values = {
        "q": ", ".join(fmt_number(value) for value in q) if k <= WIDE else "…",
        "a1": fmt_number(-under_q),  # log L under q
        "a2": fmt_number(under_q - under_mle),  # N · KL(p̂ ‖ q)
        "a3": fmt_number(e_q, places),  # (4.3) of throw 1 under q
        "e_hat": fmt_number(e_hat, places),
        "unit": facts.unit_name,
        "n": count(m, n),
        "k": k,
        "hat": fmt_number(counts[first] / n),
        "kl": _three_figures((under_q - under_mle) / n),
        "which": text["which"][which],
    }
    values["why"] = fill(text["why_fair"][which], **values) if fair else ""
    given = list(text["answers_fair" if fair else "answers"])
    if under_q - under_mle <= 1e-12 * max(1.0, under_mle):  # every count equal: q = ŷ
        given[1] = text["answer_equal_fair" if fair else "answer_equal"]
    return Answers(Words(text, "exercises"), [fill(a, **values) for a in given])


def _three_figures(value: float) -> str:
    """``value`` to three significant figures (at least 4 decimals): what the quotient of
    the printed difference and N supports, so both read ≈ the same number."""
    if value <= 0 or not math.isfinite(value):
        return fmt_number(value)
    return fmt_number(value, min(12, max(4, 2 - math.floor(math.log10(value)))))


def _compared(value: float, reference: float) -> str:
    """``larger``, ``smaller`` or ``same``: ``value`` against ``reference`` (ties within 1e-12)."""
    if abs(value - reference) <= 1e-12 * max(1.0, abs(reference)):
        return "same"
    return "larger" if value > reference else "smaller"


@dataclass(frozen=True)
class IntervalRow:
    """One face with every interval method's (low, high), in ``METHODS`` order."""

    face: int | str
    mle: float
    bounds: list[tuple[float, float]]


@dataclass(frozen=True)
class Appendix:
    """The appendix: what each interval method does, and all of them side by side."""

    words: Words  # iv
    methods: list[str]
    method_names: list[Markup]
    intro: Markup
    rows: list[IntervalRow | None]  # None = ⋮
    profile: Markup


def appendix(analysis: Analysis, facts: Facts, m: dict[str, Any]) -> Appendix:
    iv = m["iv"]
    # For a coin y₂ = 1 − y₁: an interval for one side is one for both, so no simultaneous ones.
    methods = [name for name in METHODS if facts.k > 2 or name not in SIMULTANEOUS]
    rows = [
        None
        if j is None
        else IntervalRow(
            facts.faces[j],
            analysis.mle[j],
            [(analysis.intervals[n].low[j], analysis.intervals[n].high[j]) for n in methods],
        )
        for j in visible(facts.k)
    ]
    level = fmt_percent(facts.confidence)
    return Appendix(
        words=Words(iv, "iv"),
        methods=methods,
        method_names=[m["intervals"][name] for name in methods],
        intro=fill(iv["intro"], level=level),
        rows=rows,
        profile=fill(
            iv["profile_intro"], cut=fmt_number(profile_cut(facts.confidence), 3), level=level
        ),
    )

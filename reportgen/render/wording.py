"""Sentences that word what the statistics decided: the model's name, the tests, the verdicts.

Each takes an ``Analysis`` (whose decisions are data: ``Analysis.verdict``,
``Analysis.groups_verdict``) and the catalogue ``m``, and returns catalogue
markup filled with formatted numbers; the words stay in the catalogue and no
sentence decides anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.render.catalogue import fill
from reportgen.render.numbers import fmt_count, fmt_number, fmt_percent, fmt_pvalue

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.fairness import ExactTest, Homogeneity


def count(m: dict[str, Any], value: int) -> str:
    """A whole number with thousands grouped as the catalogue's language does."""
    return fmt_count(value, m["numbers"]["thousands"])


def few(m: dict[str, Any], value: int) -> str:
    """A small count in prose: a word where the language spells it (two dice), else ``count``."""
    words = m["numbers"].get("words", ())
    return str(words[value]) if 0 <= value < len(words) else count(m, value)


def model_name(analysis: Analysis, m: dict[str, Any]) -> Markup:
    """How the report names the ``--model``: a fair die, or the given probabilities."""
    if analysis.options.model.fair:
        return fill(m["models"]["fair"], k=analysis.k)
    shown = ", ".join(fmt_number(y, 4).rstrip("0").rstrip(".") for y in analysis.reference.y)
    return fill(m["models"]["given"], y=shown)


def exact_text(test: ExactTest, m: dict[str, Any]) -> Markup:
    """The exact multinomial test's p-value as the report words it (Monte Carlo says so)."""
    text = m["fairness"]
    if test.method == "enumeration" and test.draws == 0:  # y_k = 0 for a face that occurred
        return Markup(text["exact_impossible"])
    if test.method == "enumeration":
        return fill(
            text["exact_enumerated"], p=fmt_pvalue(test.pvalue), outcomes=count(m, test.draws)
        )
    return fill(
        text["exact_mc"],
        p=fmt_pvalue(test.pvalue),
        draws=count(m, test.draws),
        seed=test.seed,
        se=fmt_number(test.stderr, 5),
    )


def verdict(analysis: Analysis, m: dict[str, Any]) -> Markup:
    """The verdict (``Analysis.verdict``, decided by the exact multinomial test) in words.

    Each tier has its own words: no significant evidence (p ≥ α), evidence
    (p < α), strong evidence, or counts the model cannot produce at all. One
    die of several is decided by its Holm-adjusted p, and the words say so.
    """
    text = m["fairness"]
    decided = analysis.verdict
    test = analysis.exact_multinomial
    model = model_name(analysis, m)
    if decided.tier == "impossible":
        faces = ", ".join(str(analysis.faces[j]) for j in analysis.infinite_indices)
        return fill(text["verdict_impossible"], model=model, faces=faces)
    # A sampled p is an estimate of the exact test's, and says so.
    test_name = "test_exact" if test.method == "enumeration" else "test_mc"
    pvalue = test.pvalue
    if decided.pvalue_holm is not None and decided.family > 1:
        test_name, pvalue = test_name + "_holm", decided.pvalue_holm
    return fill(
        text["verdict_" + decided.tier],
        model=model,
        alpha=f"{decided.alpha:.10g}",
        level=fmt_percent(decided.alpha),
        p=fmt_pvalue(pvalue),
        test=fill(text[test_name], family=few(m, decided.family)),
    )


def fairness_heading(analysis: Analysis, m: dict[str, Any], walk_name: str | None) -> Markup:
    """Section 8's heading: the fair die (named when it is one die of several), or the model."""
    if not analysis.options.model.fair:
        return Markup(m["fairness"]["heading_model"])
    if walk_name:
        return fill(m["fairness"]["heading_walk"], name=walk_name)
    return Markup(m["fairness"]["heading"])


def caveat(analysis: Analysis, m: dict[str, Any], unit_name: str) -> Markup:
    """What the verdict does not mean, worded for the outcome it follows.

    After no rejection: how many throws a bias the size of the observed one
    would need to be detected (``Verdict.power_throws``, 80% power at α).
    After a rejection: that a small p measures evidence, not the size of the
    bias, which is the divergence per throw, beside what chance alone gives.
    """
    from reportgen.analysis.fairness import POWER

    text = m["fairness"]
    decided = analysis.verdict
    if decided.tier == "impossible":
        return Markup("")
    model = model_name(analysis, m)
    kl = analysis.kl_divergence
    n = count(m, analysis.n)
    if decided.reject:
        return fill(
            text["caveat_reject"], model=model, n=n, kl=fmt_number(kl),
            unit=unit_name, expected=fmt_number(decided.expected_kl),
        )  # fmt: skip
    power = Markup("")
    if decided.power_throws is not None:
        power = fill(
            text["power"], kl=fmt_number(kl), unit=unit_name,
            needed=count(m, _about(decided.power_throws)),
            power=fmt_percent(POWER), level=fmt_percent(decided.alpha),
        )  # fmt: skip
    return fill(text["caveat_keep"], model=model, n=n, power=power)


def _about(throws: int) -> int:
    """A large-sample estimate of a number of throws: two significant figures from 1,000 on."""
    return throws if throws < 1000 else round(throws, 2 - len(str(throws)))


def homogeneity_verdict(record: Analysis, m: dict[str, Any]) -> Markup:
    """The test of homogeneity's verdict (``Analysis.groups_verdict``), in the verdicts' tiers.

    The Fisher–Freeman–Halton exact test decides; its p is the one worded, and
    named a Monte Carlo estimate when it was sampled rather than enumerated.
    """
    h, decided = record.homogeneity, record.groups_verdict
    assert h is not None and decided is not None
    pvalue = h.exact.pvalue if h.exact is not None else h.pvalue
    sampled = h.exact is not None and h.exact.method != "enumeration"
    return fill(
        m["groups"]["homogeneity_" + decided.tier],
        alpha=f"{decided.alpha:.10g}",
        p=fmt_pvalue(pvalue),
        groups=few(m, len(record.groups)),
        test=m["groups"]["test_mc" if sampled else "test_exact"],
    )


def homogeneity_exact_text(h: Homogeneity, m: dict[str, Any]) -> Markup:
    """The exact test of homogeneity's p, with its draws and seed when it was sampled."""
    exact = h.exact
    if exact is None:  # no table to test (one die, or one face seen)
        return Markup(fmt_pvalue(h.pvalue))
    if exact.method == "enumeration":
        return Markup(fmt_pvalue(exact.pvalue))
    return fill(
        m["groups"]["exact_mc"],
        p=fmt_pvalue(exact.pvalue),
        draws=count(m, exact.draws or 0),
        seed=exact.seed,
        se=fmt_number(exact.stderr, 5),
    )

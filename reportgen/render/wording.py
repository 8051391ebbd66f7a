"""Sentences that depend on the result: the model's name, the exact test, the verdict.

Each takes an ``Analysis`` and the catalogue ``m`` and returns catalogue markup
filled with formatted numbers; the words themselves stay in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.render.catalogue import fill
from reportgen.render.format import fmt_count, fmt_number, fmt_percent, fmt_pvalue

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.fairness import ExactTest


@dataclass(frozen=True)
class Verdict:
    """Whether the model is rejected at α = 1 − confidence, and the sentence that says so."""

    reject: bool
    sentence: Any


def _count(m: dict[str, Any], value: int) -> str:
    return fmt_count(value, m["numbers"]["thousands"])


def model_name(analysis: Analysis, m: dict[str, Any]) -> Any:
    """How the report names the ``--model``: a fair die, or the given probabilities."""
    if analysis.options.model == "fair":
        return fill(m["models"]["fair"], k=analysis.k)
    shown = ", ".join(fmt_number(y, 4).rstrip("0").rstrip(".") for y in analysis.reference.y)
    return fill(m["models"]["given"], y=shown)


def exact_text(test: ExactTest, m: dict[str, Any]) -> Any:
    """The exact multinomial test's p-value as the report words it (Monte Carlo says so)."""
    text = m["fairness"]
    if test.method == "enumeration" and test.draws == 0:  # y_k = 0 for a face that occurred
        return text["exact_impossible"]
    if test.method == "enumeration":
        return fill(
            text["exact_enumerated"], p=fmt_pvalue(test.pvalue), outcomes=_count(m, test.draws)
        )
    if test.pvalue == 0:
        return fill(
            text["exact_mc_zero"], draws=_count(m, test.draws), bound=_count(m, test.draws + 1)
        )
    return fill(
        text["exact_mc"],
        p=fmt_pvalue(test.pvalue),
        draws=_count(m, test.draws),
        se=fmt_number(test.stderr, 5),
    )


#: Below this fraction of α a rejection is worded as strong evidence (0.01 at α = 0.05).
STRONG = 1 / 5


def strength(pvalue: float, alpha: float) -> str:
    """An outcome's wording: ``keep`` (p ≥ α), ``reject`` (p < α), ``strong`` (p < STRONG · α)."""
    if pvalue >= alpha:
        return "keep"
    return "strong" if pvalue < STRONG * alpha else "reject"


def verdict(analysis: Analysis, m: dict[str, Any]) -> Verdict:
    """Reject the model at α = 1 − confidence? Decided by the exact multinomial test.

    The exact test is used because it needs no large-sample approximation; χ²
    and G are printed beside it. Each outcome has its own words: no
    significant evidence (p ≥ α), evidence (p < α), strong evidence
    (p < ``STRONG`` · α), or counts the model cannot produce at all.
    """
    text = m["fairness"]
    alpha = 1 - analysis.options.confidence
    test = analysis.exact_multinomial
    assert test is not None
    model = model_name(analysis, m)
    alpha_text = f"{alpha:.10g}"
    if analysis.infinite_faces:
        faces = ", ".join(str(analysis.faces[j]) for j in analysis.infinite_faces)
        return Verdict(True, fill(text["verdict_impossible"], model=model, faces=faces))
    if test.method == "monte-carlo" and test.pvalue == 0:
        p_text = "≲ 1/" + _count(m, test.draws + 1)
    else:
        p_text = fmt_pvalue(test.pvalue)
    key = "verdict_" + strength(test.pvalue, alpha)
    level = fmt_percent(alpha)
    # A sampled p is an estimate of the exact test's, and says so.
    test_name = text["test_exact" if test.method == "enumeration" else "test_mc"]
    sentence = fill(text[key], model=model, alpha=alpha_text, level=level, p=p_text, test=test_name)
    return Verdict(test.pvalue < alpha, sentence)


def fairness_heading(analysis: Analysis, m: dict[str, Any], walk_name: str | None) -> Any:
    """Section 8's heading: the fair die (named when it is one die of several), or the model."""
    if analysis.options.model != "fair":
        return m["fairness"]["heading_model"]
    return (
        fill(m["fairness"]["heading_walk"], name=walk_name)
        if walk_name
        else m["fairness"]["heading"]
    )


def tests_disagree(analysis: Analysis) -> bool:
    """χ², G and the exact test on both sides of α (never when the model rules the counts out)."""
    exact = analysis.exact_multinomial
    if exact is None or not exact.draws:
        return False
    alpha = 1 - analysis.options.confidence
    ps = [analysis.tests["pearson_chi2"].pvalue, analysis.tests["g_test"].pvalue, exact.pvalue]
    return min(ps) < alpha <= max(ps)


def caveat(analysis: Analysis, m: dict[str, Any], unit_name: str) -> Any:
    """What the verdict does not mean, worded for the outcome it follows.

    After no rejection: how many throws a bias the size of the observed one
    would need to be detected (``fairness.throws_for_power``, 80% power at α).
    After a rejection: that a small p measures evidence, not the size of the
    bias, which is the divergence per throw.
    """
    from reportgen.analysis.entropy import NATS
    from reportgen.analysis.fairness import POWER, throws_for_power

    text = m["fairness"]
    if analysis.infinite_faces:
        return ""
    alpha = 1 - analysis.options.confidence
    model = model_name(analysis, m)
    kl = analysis.kl_divergence
    test = analysis.exact_multinomial
    assert test is not None
    if test.pvalue < alpha:
        # 2N·KL ~ χ²_{K−1} (in nats) under the model: the divergence chance alone gives
        expected = (analysis.k - 1) / (2 * analysis.n) / NATS[analysis.options.unit]
        return fill(
            text["caveat_reject"], model=model, n=_count(m, analysis.n), kl=fmt_number(kl),
            unit=unit_name, expected=fmt_number(expected),
        )  # fmt: skip
    kl_nats = kl * NATS[analysis.options.unit]
    needed = throws_for_power(kl_nats, analysis.tests["g_test"].df, alpha)
    power = ""
    if needed is not None:
        power = fill(
            text["power"], kl=fmt_number(kl), unit=unit_name, needed=_count(m, needed),
            power=fmt_percent(POWER), level=fmt_percent(alpha),
        )  # fmt: skip
    return fill(text["caveat_keep"], model=model, n=_count(m, analysis.n), power=power)

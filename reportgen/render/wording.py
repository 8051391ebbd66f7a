"""Sentences that depend on the result: the model's name, the exact test, the verdict.

Each takes an ``Analysis`` and the catalogue ``m`` and returns catalogue markup
filled with formatted numbers; the words themselves stay in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.render.catalogue import fill
from reportgen.render.format import fmt_count, fmt_number, fmt_pvalue

if TYPE_CHECKING:
    from reportgen.analysis import Analysis
    from reportgen.analysis.fairness import ExactTest


@dataclass(frozen=True)
class Verdict:
    """Whether the model is rejected at α = 1 − confidence, and the sentence that says so."""

    reject: bool
    sentence: Any


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
            text["exact_enumerated"], p=fmt_pvalue(test.pvalue), outcomes=fmt_count(test.draws)
        )
    if test.pvalue == 0:
        return fill(text["exact_mc_zero"], draws=fmt_count(test.draws))
    return fill(
        text["exact_mc"],
        p=fmt_pvalue(test.pvalue),
        draws=fmt_count(test.draws),
        se=fmt_number(test.stderr, 5),
    )


def verdict(analysis: Analysis, m: dict[str, Any]) -> Verdict:
    """Reject the model at α = 1 − confidence? Decided by the exact multinomial test.

    The exact test is used because it needs no large-sample approximation; χ²
    and G are printed beside it.
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
        p_text = "< 1/" + fmt_count(test.draws)
    else:
        p_text = fmt_pvalue(test.pvalue)
    reject = test.pvalue < alpha
    key = "verdict_reject" if reject else "verdict_keep"
    return Verdict(reject, fill(text[key], model=model, alpha=alpha_text, p=p_text))

"""The report's display equations as LaTeX, with this log's numbers where the lesson has them.

``report_equations(analysis)`` returns every equation the templates show, by
name, typeset by ``equations.equation`` (ziamath) with its LaTeX kept as the
alternative text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reportgen.render import equations
from reportgen.render.layout import WRITTEN_DICE, written_out
from reportgen.render.numbers import fmt_tex, kl_places

if TYPE_CHECKING:
    from reportgen.analysis import Analysis

#: How each ``--unit`` writes its logarithm in equations.
LOG_TEX = {"nat": r"\log", "bit": r"\log_2"}


def _sum_tex(parts: list[str | None], per_line: int = 0) -> str:
    """Terms joined by +, ``None`` as ⋯; with ``per_line``, broken into rows of an ``aligned``."""
    terms = [r"\cdots" if part is None else part for part in parts]
    if not per_line:
        return " + ".join(terms)
    rows = [" + ".join(terms[i : i + per_line]) for i in range(0, len(terms), per_line)]
    return r" \\ &\quad + ".join(rows)


def report_equations(analysis: Analysis) -> dict[str, equations.Equation]:
    """Every display equation of the report, with this log's numbers where the lesson has them."""
    unit = analysis.options.unit
    found = {name: equations.equation(latex, number) for name, (latex, number) in
             _lesson(unit, analysis.k).items()}  # fmt: skip
    found |= {name: equations.equation(latex) for name, latex in _worked(analysis).items()}
    return found


def _lesson(unit: str, k_faces: int) -> dict[str, tuple[str, str | None]]:
    """The lesson's equations as LaTeX with their numbers: symbols only, no number of a log."""
    log = LOG_TEX[unit]
    found: dict[str, tuple[str, str | None]] = {
        "likelihood": (r"L = \prod_{k=1}^{K} y_k^{\,n_k}", None),
        "3.6": (rf"{log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k, \qquad t_k = n_k", "3.6"),
        "4.1": (rf"{log} L_1 = \sum_{{k=1}}^{{{k_faces}}} t_k {log} y_k", "4.1"),
        "4.2": (rf"{log} L_1 = \sum_{{k=1}}^{{K}} t_k {log} y_k", "4.2"),
        "4.3": (rf"E = -{log} L_1 = -\sum_{{k=1}}^{{K}} t_k {log} y_k", "4.3"),
        "4.3_typo": (rf"-{log} L = \sum_{{k=1}}^{{K}} t_k {log} y_k", None),
        "mle": (r"\hat y_k = \frac{n_k}{N}", None),
        "total": (
            rf"\sum_{{i=1}}^{{N}} E_i = -\sum_{{i=1}}^{{N}} \sum_{{k=1}}^{{K}} t_{{ik}} {log} y_k"
            rf" = -\sum_{{k=1}}^{{K}} n_k {log} y_k = -{log} L",
            None,
        ),
        "gibbs": (
            r"\frac{1}{N} \sum_{i=1}^{N} E_i(y) = H(\hat p) + D_{\mathrm{KL}}(\hat p \,\|\, y)"
            r" \ge H(\hat p)",
            None,
        ),
        "softmax": (
            r"y_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}, \qquad"
            r" \frac{\partial E}{\partial z_k} = y_k - t_k",
            None,
        ),
    }
    if k_faces == 2:  # a coin: (4.3) is the binary cross-entropy of logistic regression
        found["binary"] = (rf"E = -\bigl[\, t {log} y + (1 - t) {log} (1 - y) \,\bigr]", None)
        # ... and the softmax of two scores is the logistic sigmoid of their difference.
        found["sigmoid"] = (
            r"y_1 = \frac{e^{z_1}}{e^{z_1} + e^{z_2}} = \frac{1}{1 + e^{-z}} = \sigma(z),"
            r" \quad z = z_1 - z_2, \qquad \frac{\partial E}{\partial z} = y - t",
            None,
        )
    return found | {name: (latex, None) for name, latex in _maximum(unit).items()}


def _maximum(unit: str) -> dict[str, str]:
    """Why ŷ_k = n_k / N: the Lagrange conditions, and the Hessian of log L."""
    log = LOG_TEX[unit]
    c = "" if unit == "nat" else r"(\ln 2)\,"  # d(log₂ y)/dy = 1/(y ln 2)
    lagrange = (
        r"\begin{aligned}"
        rf"\Lambda(y, \lambda) &= \sum_{{k=1}}^{{K}} n_k {log} y_k"
        r" - \lambda \Bigl(\sum_{k=1}^{K} y_k - 1\Bigr) \\"
        rf"\frac{{\partial \Lambda}}{{\partial y_k}} &= \frac{{n_k}}{{{c}y_k}} - \lambda = 0"
        rf" \quad\Rightarrow\quad y_k = \frac{{n_k}}{{{c}\lambda}} \\"
        rf"\sum_{{k=1}}^{{K}} y_k = 1 &\quad\Rightarrow\quad {c}\lambda = N"
        r" \quad\Rightarrow\quad \hat y_k = \frac{n_k}{N}"
        r"\end{aligned}"
    )
    hessian = (
        rf"\frac{{\partial^2 {log} L}}{{\partial y_j \, \partial y_k}}"
        rf" = \begin{{cases}} -\dfrac{{n_k}}{{{c}y_k^2}} & j = k \\ 0 & j \ne k \end{{cases}}"
    )
    return {"lagrange": lagrange, "hessian": hessian}


def _worked(analysis: Analysis) -> dict[str, str]:
    """The equations with this log's numbers: G as twice the extra cross-entropy, (3.6) at ŷ,
    and (4.1) for the first throw."""
    unit = analysis.options.unit
    log = LOG_TEX[unit]
    found: dict[str, str] = {}
    reference, fitted = analysis.reference, analysis.cross_entropy
    g = analysis.tests["g_test"].statistic
    factor = "2" if unit == "nat" else r"2 \ln 2"
    if math.isfinite(g) and math.isfinite(reference.total):
        kl = fmt_tex(analysis.kl_divergence, kl_places(analysis.n))
        found["bridge"] = (
            r"\begin{aligned}"
            rf"G &= {factor} \Bigl(\sum_{{i}} E_i(y) - \sum_{{i}} E_i(\hat y)\Bigr)"
            rf" = {factor}\,N\, D_{{\mathrm{{KL}}}}(\hat p \,\|\, y) \\"
            rf" &= {factor} \times ({fmt_tex(reference.total)} - {fmt_tex(fitted.total)})"
            rf" = {factor} \times {analysis.n} \times {kl}"
            rf" = {fmt_tex(g)}"
            r"\end{aligned}"
        )
    found["3.6_value"] = _at_mle(analysis, log)
    if analysis.first_throws:
        found["4.1_worked"] = _first_throw(analysis, log)
    return found


def _at_mle(analysis: Analysis, log: str) -> str:
    """(3.6) at the MLE, written out over the faces (elided for many faces)."""
    counts, y = analysis.counts, analysis.mle
    seen_most = max(range(analysis.k), key=lambda j: counts[j])
    parts = [
        None if j is None else rf"{counts[j]} {log} {fmt_tex(y[j])}"
        for j in written_out(analysis.k, seen_most)
    ]
    return (
        r"\begin{aligned}"
        rf"{log} L(\hat y) &= {_sum_tex(parts, per_line=3)} \\"
        rf" &= {fmt_tex(-analysis.cross_entropy.total)}"
        r"\end{aligned}"
    )


def _first_throw(analysis: Analysis, log: str) -> str:
    """(4.1) worked for the first throw: with t, then with the fitted y, down to the number."""
    first, y = analysis.first_throws[0], analysis.mle
    faces = written_out(analysis.k, first.k)
    symbols = [None if j is None else rf"{first.t[j]} \cdot {log} y_{{{j + 1}}}" for j in faces]
    values = [None if j is None else rf"{first.t[j]} \cdot {log} {fmt_tex(y[j])}" for j in faces]
    return (
        r"\begin{aligned}"
        rf"{log} L_1 &= {_sum_tex(symbols)} \\"
        rf"{log} L_1(\hat y) &= {_sum_tex(values, per_line=3)} \\"
        rf" &= {log} \hat y_{{{first.k + 1}}} = {log} {fmt_tex(y[first.k])}"
        rf" = {fmt_tex(-first.value)}"
        r"\end{aligned}"
    )


def homogeneity_equation(record: Analysis) -> equations.Equation | None:
    """With ``--by``: the G test of homogeneity as twice the cross-entropy that pooling adds.

    G = 2 Σ_g Σ_k n_gk log(n_gk / (n_g p̂_k)), which is twice the total
    cross-entropy of all throws under the pooled estimate minus the totals of
    each die under its own. Up to ``layout.WRITTEN_DICE`` dice each die's total is
    written; more are one number, their sum over g. ``None`` without
    groups or when a total is infinite.
    """
    h = record.homogeneity
    if h is None or not record.groups:
        return None
    pooled = record.cross_entropy.total
    own = [g.cross_entropy.total for g in record.groups.values()]
    if not (math.isfinite(pooled) and all(map(math.isfinite, own))):
        return None
    factor = "2" if record.options.unit == "nat" else r"2 \ln 2"
    if len(own) <= WRITTEN_DICE:  # each die's total written out
        over, parts = "_{g}", "(" + " + ".join(fmt_tex(total) for total in own) + ")"
    else:  # one sum over the dice: a term a die would shrink the line below the text's size
        over, parts = f"_{{g=1}}^{{{len(own)}}}", fmt_tex(math.fsum(own))
    return equations.equation(
        r"\begin{aligned}"
        rf"G &= {factor} \Bigl(\sum_{{i}} E_i(\hat p)"
        rf" - \sum{over} \sum_{{i \in g}} E_i(\hat p_g)\Bigr) \\"
        rf" &= {factor} \times \bigl({fmt_tex(pooled)} - {parts}\bigr) = {fmt_tex(h.g_statistic)}"
        r"\end{aligned}"
    )

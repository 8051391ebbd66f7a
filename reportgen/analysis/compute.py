"""``compute(log, options) -> Analysis``: every figure of the report from the counts.

Pure: no I/O, no words, no formatting. Each statistic lives in its own room
(``estimate``, ``entropy``, ``fairness``) and each decision in ``decisions``;
this module only puts them together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

from reportgen.analysis import decisions, entropy, estimate, fairness, multiplicity
from reportgen.analysis.result import (
    Analysis,
    Comparison,
    CrossEntropy,
    Intervals,
    Reference,
    TestResult,
    Throw,
)
from reportgen.options import Model, StatOptions
from reportgen.read.log import RollLog


def cross_entropy(
    model: str, counts: tuple[int, ...], y: tuple[float, ...], unit: str
) -> CrossEntropy:
    """The figures of (4.3) for the whole log under y."""
    n = sum(counts)
    total = entropy.total(counts, y, unit)
    return CrossEntropy(model, y, entropy.per_face(y, unit), total, total / n)


def reference(
    name: str, log: RollLog, y: tuple[float, ...], mle: tuple[float, ...], unit: str
) -> Reference:
    """The figures of (4.3) for the whole log under the model y, its divergence from the
    MLE, and the faces it rules out although they occurred."""
    under = cross_entropy(name, log.counts, y, unit)
    pairs = zip(log.faces.labels, log.counts, y, strict=True)
    return Reference(
        model=name,
        y=y,
        per_face=under.per_face,
        cross_entropy_total=under.total,
        cross_entropy_mean=under.mean,
        kl_divergence=entropy.kl_divergence(mle, y, unit),
        infinite_faces=tuple(face for face, n_k, y_k in pairs if n_k and y_k <= 0),
    )


def compare(log: RollLog, a: Model, b: Model, unit: str) -> Comparison:
    """Models a and b on the same throws: their figures, the likelihood ratio L(a)/L(b) and
    the difference of their mean cross-entropies (a's − b's, in ``unit``)."""
    mle = estimate.mle(log.counts)
    under_a = reference(a.name, log, a.y, mle, unit)
    under_b = reference(b.name, log, b.y, mle, unit)
    nats = entropy.total(log.counts, b.y, "nat") - entropy.total(log.counts, a.y, "nat")
    try:
        ratio = math.exp(nats)
    except OverflowError:
        ratio = math.inf
    difference = under_a.cross_entropy_mean - under_b.cross_entropy_mean
    return Comparison(under_a, under_b, nats, ratio, difference)


def compute(log: RollLog, options: StatOptions | None = None) -> Analysis:
    """Fit the MLE, its intervals, every cross-entropy figure, the tests and their verdicts."""
    options = (options or StatOptions()).for_faces(log.faces)
    counts, unit = log.counts, options.unit
    y = estimate.mle(counts)
    level = options.confidence
    intervals = {name: method(counts, level) for name, method in estimate.METHODS.items()}
    fitted = replace(cross_entropy("mle", counts, y, unit), first=first_throws(log, unit))
    model = options.model.y
    under = reference(options.model.name, log, model, y, unit)
    chi2 = TestResult(*entropy.pearson_chi2(counts, model))
    g = TestResult(*entropy.g_test(counts, model))
    exact = fairness.exact_multinomial(counts, model, seed=options.seed, draws=options.draws)
    tests = {"pearson_chi2": chi2, "g_test": g, "exact_multinomial": exact}
    groups = dict(holm_adjusted([(name, compute(group, options)) for name, group in log.groups]))
    homogeneity = (
        fairness.homogeneity([group.counts for _, group in log.groups], seed=options.seed)
        if log.by
        else None
    )
    kl, alpha = under.kl_divergence, options.alpha
    return Analysis(
        log=log,
        options=options,
        mle=y,
        intervals=Intervals(intervals),
        entropy=entropy.entropy(y, unit),
        cross_entropy=fitted,
        reference=under,
        tests=MappingProxyType(tests),
        verdict=decisions.verdict(
            counts, model, exact, [chi2.pvalue, g.pvalue], kl, g.df, alpha, unit
        ),
        groups=MappingProxyType(groups),
        homogeneity=homogeneity,
        groups_verdict=None
        if homogeneity is None
        else decisions.groups_verdict(homogeneity, groups, alpha, options.walk),
    )


def first_throws(log: RollLog, unit: str) -> tuple[Throw, ...]:
    """The first throws of the log (``cross_entropy.first``), each with its E under the MLE."""
    k, labels = log.faces.k, log.faces.labels
    per_face = entropy.per_face(estimate.mle(log.counts), unit)
    return tuple(
        Throw(i + 1, labels[j], tuple(int(m == j) for m in range(k)), per_face[j], j)
        for i, j in enumerate(log.first_faces)
    )


def holm_adjusted(
    analyses: Sequence[tuple[str, Analysis]],
) -> list[tuple[str, Analysis]]:
    """Several dice (or students): each one's exact p adjusted by Holm over them all, and its
    verdict decided by that (``decisions``). One alone stands as it is."""
    if len(analyses) < 2:
        return list(analyses)
    adjusted = multiplicity.holm([a.exact_multinomial.pvalue for _, a in analyses])
    return [
        (
            name,
            replace(
                a,
                tests=MappingProxyType(
                    {**a.tests, "exact_multinomial": replace(a.exact_multinomial, pvalue_holm=p)}
                ),
                verdict=a.verdict.adjusted(p, len(analyses)),
            ),
        )
        for (name, a), p in zip(analyses, adjusted, strict=True)
    ]

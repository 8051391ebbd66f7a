"""``compute(log, options) -> Analysis``: every figure of the report from the counts.

Pure: no I/O, no words, no formatting. Each statistic lives in its own room
(``estimate``, ``entropy``, ``fairness``) and each decision in ``decisions``;
this module only puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

from reportgen.analysis import decisions, entropy, estimate, fairness, multiplicity
from reportgen.analysis.result import Analysis, CrossEntropy, TestResult, Throw
from reportgen.options import StatOptions
from reportgen.read.log import RollLog


def cross_entropy(
    model: str, counts: tuple[int, ...], y: tuple[float, ...], unit: str
) -> CrossEntropy:
    """The figures of (4.3) for the whole log under y."""
    n = sum(counts)
    total = entropy.total(counts, y, unit)
    return CrossEntropy(model, y, entropy.per_face(y, unit), total, total / n)


def compute(log: RollLog, options: StatOptions | None = None) -> Analysis:
    """Fit the MLE, its intervals, every cross-entropy figure, the tests and their verdicts."""
    options = (options or StatOptions()).for_faces(log.faces)
    counts, unit = log.counts, options.unit
    y = estimate.mle(counts)
    level = options.confidence
    intervals = {name: method(counts, level) for name, method in estimate.METHODS.items()}
    fitted = cross_entropy("mle", counts, y, unit)
    model = options.model.y
    reference = cross_entropy(options.model.name, counts, model, unit)
    tests = {
        "pearson_chi2": TestResult(*entropy.pearson_chi2(counts, model)),
        "g_test": TestResult(*entropy.g_test(counts, model)),
    }
    exact = fairness.exact_multinomial(counts, model, seed=options.seed)
    kl = entropy.kl_divergence(y, model, unit)
    pvalues = [test.pvalue for test in tests.values()]
    df = tests["g_test"].df
    groups = dict(holm_adjusted([(name, compute(group, options)) for name, group in log.groups]))
    homogeneity = (
        fairness.homogeneity([group.counts for _, group in log.groups], seed=options.seed)
        if log.by
        else None
    )
    first = tuple(
        Throw(i + 1, k, tuple(int(j == k) for j in range(log.faces.k)), fitted.per_face[k])
        for i, k in enumerate(log.first_faces)
    )
    return Analysis(
        log=log,
        options=options,
        mle=y,
        intervals=MappingProxyType(intervals),
        entropy=entropy.entropy(y, unit),
        cross_entropy=fitted,
        reference=reference,
        kl_divergence=kl,
        tests=MappingProxyType(tests),
        first_throws=first,
        exact_multinomial=exact,
        verdict=decisions.verdict(counts, model, exact, pvalues, kl, df, options.alpha, unit),
        groups=MappingProxyType(groups),
        homogeneity=homogeneity,
        groups_verdict=None
        if homogeneity is None
        else decisions.groups_verdict(homogeneity, groups, options.alpha, options.walk),
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
                exact_multinomial=replace(a.exact_multinomial, pvalue_holm=p),
                verdict=a.verdict.adjusted(p, len(analyses)),
            ),
        )
        for (name, a), p in zip(analyses, adjusted, strict=True)
    ]

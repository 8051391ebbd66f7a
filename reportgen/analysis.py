"""Orchestration: ``analyse(log, options) -> Analysis``. No I/O happens here.

An ``Analysis`` holds every figure of the report at full precision; the JSON
writer and the renderer only read it. Rounding is presentation's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from reportgen import entropy, estimate
from reportgen.estimate import Interval
from reportgen.ingest import RollLog
from reportgen.options import Options


@dataclass(frozen=True)
class CrossEntropy:
    """Cross-entropy (4.3) of the whole log under one model y.

    ``per_face[k]`` = −log y_k is E for a throw that showed face k;
    ``total`` = Σ_i E_i = −Σ_k n_k log y_k; ``mean`` = total / N.
    """

    model: str
    y: tuple[float, ...]
    per_face: tuple[float, ...]
    total: float
    mean: float


@dataclass(frozen=True)
class Throw:
    """One of the first throws: its number (1-based), face index k, one-hot t and E."""

    throw: int
    k: int
    t: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class TestResult:
    """A goodness-of-fit test against the reference model."""

    statistic: float
    df: int
    pvalue: float


@dataclass(frozen=True)
class Analysis:
    """Every figure of one report, unrounded."""

    log: RollLog
    options: Options
    mle: tuple[float, ...]
    intervals: Mapping[str, Interval]
    entropy: float
    cross_entropy: CrossEntropy
    reference: CrossEntropy
    kl_divergence: float
    tests: Mapping[str, TestResult]
    first: tuple[Throw, ...]

    @property
    def n(self) -> int:
        return self.log.n

    @property
    def counts(self) -> tuple[int, ...]:
        return self.log.counts

    @property
    def faces(self) -> tuple[int | str, ...]:
        return self.log.faces.labels

    @property
    def k(self) -> int:
        return self.log.faces.k

    def running_mean(self, y: tuple[float, ...] | None = None) -> tuple[tuple[int, float], ...]:
        """Mean cross-entropy of throws 1..m under y (the MLE unless given), at checkpoints m."""
        y = self.mle if y is None else y
        return tuple(
            (m, entropy.total(counts, y, self.options.unit) / m)
            for m, counts in self.log.checkpoints
        )


def cross_entropy(
    model: str, counts: tuple[int, ...], y: tuple[float, ...], unit: str
) -> CrossEntropy:
    """The figures of (4.3) for the whole log under y."""
    n = sum(counts)
    total = entropy.total(counts, y, unit)
    return CrossEntropy(model, y, entropy.per_face(y, unit), total, total / n)


def analyse(log: RollLog, options: Options | None = None) -> Analysis:
    """Fit the MLE, its intervals, and every cross-entropy figure of the report."""
    options = options or Options(faces=log.faces)
    counts, unit = log.counts, options.unit
    y = estimate.mle(counts)
    level = options.confidence
    intervals = {name: method(counts, level) for name, method in estimate.METHODS.items()}
    fitted = cross_entropy("mle", counts, y, unit)
    fair = tuple(1 / log.faces.k for _ in counts)
    reference = cross_entropy(options.model, counts, fair, unit)
    tests = {
        "pearson_chi2": TestResult(*entropy.pearson_chi2(counts, fair)),
        "g_test": TestResult(*entropy.g_test(counts, fair)),
    }
    first = tuple(
        Throw(i + 1, k, tuple(int(j == k) for j in range(log.faces.k)), fitted.per_face[k])
        for i, k in enumerate(log.first)
    )
    return Analysis(
        log=log,
        options=options,
        mle=y,
        intervals=MappingProxyType(intervals),
        entropy=entropy.entropy(y, unit),
        cross_entropy=fitted,
        reference=reference,
        kl_divergence=entropy.kl_divergence(y, fair, unit),
        tests=MappingProxyType(tests),
        first=first,
    )

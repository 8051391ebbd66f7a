"""Orchestration: ``analyse(log, options) -> Analysis``. No I/O happens here.

An ``Analysis`` holds every figure of the report at full precision; the JSON
writer and the renderer only read it. Rounding is presentation's job.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import IO, Any

from reportgen import entropy, estimate, fairness
from reportgen.estimate import Interval
from reportgen.fairness import ExactTest, Homogeneity
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
    """Every figure of one report, unrounded.

    ``reference`` is the cross-entropy under ``--model`` (the fair die unless
    told) and ``tests`` test the counts against that model. With ``--by``,
    ``groups`` holds one full ``Analysis`` per group (in order of first
    appearance) and ``homogeneity`` tests whether the groups share one face
    distribution; both are empty/``None`` otherwise.
    """

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
    exact_multinomial: ExactTest | None = None
    groups: Mapping[str, Analysis] = field(default_factory=lambda: MappingProxyType({}))
    homogeneity: Homogeneity | None = None

    # -- rendering, on request (each imports its stack only when called) -----------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON results of SPEC.md as a dict (infinite figures as ``None``)."""
        from reportgen.results import to_dict

        return to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON results of SPEC.md: strict JSON, full precision."""
        from reportgen.results import to_json

        return to_json(self, indent=indent)

    def to_html(self) -> str:
        """The report as one self-contained HTML document."""
        from reportgen import render

        return render.html(self)

    def to_pdf(self, path_or_file: str | os.PathLike[str] | IO[bytes] | None = None) -> bytes:
        """The report as PDF bytes; also written to ``path_or_file`` when given.

        A path is written whole or not at all (temporary file and rename).
        """
        from reportgen import render

        data = render.pdf(self)
        if path_or_file is None:
            return data
        if isinstance(path_or_file, str | os.PathLike):
            from pathlib import Path

            from reportgen.output import write_atomic

            write_atomic(Path(path_or_file), data)
        else:
            path_or_file.write(data)
        return data

    def _repr_html_(self) -> str:
        """Jupyter shows the whole report inline, equations and plots included."""
        return self.to_html()

    def _repr_markdown_(self) -> str:
        faces = ", ".join(
            f"{face}: {count}" for face, count in zip(self.faces, self.counts, strict=True)
        )
        unit = self.options.unit
        return (
            f"**reportgen** — {self.log.source}: N = {self.n} throws, counts {faces}; "
            f"entropy {self.entropy:.4f} {unit}s, cross-entropy total "
            f"{self.cross_entropy.total:.4f} {unit}s under the MLE and "
            f"{self.reference.total:.4f} under the {self.reference.model} model"
        )

    def __repr__(self) -> str:
        counts = dict(zip(self.faces, self.counts, strict=True))
        return (
            f"<Analysis of {self.log.source}: n={self.n}, counts={counts}, "
            f"entropy={self.entropy:.6g} {self.options.unit}>"
        )

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

    @property
    def interval(self) -> Interval:
        """The interval the report shows (``--interval``)."""
        return self.intervals[self.options.interval]

    @property
    def infinite_faces(self) -> tuple[int, ...]:
        """Indices k of faces that occurred although the model gives them y_k = 0.

        Each makes the reference cross-entropy, the KL divergence and the tests'
        statistics infinite (written as null in the JSON).
        """
        pairs = enumerate(zip(self.counts, self.reference.y, strict=True))
        return tuple(k for k, (n_k, y_k) in pairs if n_k and y_k <= 0)

    def profile_curve(self, k: int, points: int = 201) -> tuple[tuple[float, float], ...]:
        """Points (y, ℓ(y) − ℓ(n_k/N)) of face k's profile log-likelihood, for a plot.

        y runs evenly over [0, 1] (ends included, where ℓ may be −∞); the profile
        interval is where the curve lies above −χ²₁(level)/2.
        """
        n_k, n = self.counts[k], self.n
        top = estimate.profile_loglik(n_k, n, n_k / n)
        grid = (i / (points - 1) for i in range(points))
        return tuple((y, estimate.profile_loglik(n_k, n, y) - top) for y in grid)

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
    model = options.model_y
    reference = cross_entropy(options.model, counts, model, unit)
    tests = {
        "pearson_chi2": TestResult(*entropy.pearson_chi2(counts, model)),
        "g_test": TestResult(*entropy.g_test(counts, model)),
    }
    groups = {name: analyse(group, options) for name, group in log.groups}
    homogeneity = (
        fairness.homogeneity([group.counts for _, group in log.groups]) if log.by else None
    )
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
        kl_divergence=entropy.kl_divergence(y, model, unit),
        tests=MappingProxyType(tests),
        first=first,
        exact_multinomial=fairness.exact_multinomial(counts, model),
        groups=MappingProxyType(groups),
        homogeneity=homogeneity,
    )

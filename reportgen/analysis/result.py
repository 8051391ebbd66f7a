"""``Analysis`` and its parts: every figure of one report, frozen and unrounded.

The result is data: the JSON writer and the renderers in ``reportgen.render``
read it, and ``reportgen.api.Report`` adds the verbs (``to_pdf`` & co.).
Rounding is presentation's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from reportgen.analysis import entropy, estimate
from reportgen.analysis.decisions import GroupsVerdict, Verdict
from reportgen.analysis.estimate import Interval
from reportgen.analysis.fairness import ExactTest, Homogeneity
from reportgen.options import StatOptions
from reportgen.read.log import RollLog


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
    told) and ``tests`` test the counts against that model; ``verdict`` is what
    they decide (``decisions``). With ``--by``, ``groups`` holds one full
    ``Analysis`` per group (in order of first appearance), ``homogeneity``
    tests whether the groups share one face distribution and
    ``groups_verdict`` says what it decides; empty/``None`` otherwise.
    """

    log: RollLog
    options: StatOptions
    mle: tuple[float, ...]
    intervals: Mapping[str, Interval]
    entropy: float
    cross_entropy: CrossEntropy
    reference: CrossEntropy
    kl_divergence: float
    tests: Mapping[str, TestResult]
    first_throws: tuple[Throw, ...]
    exact_multinomial: ExactTest
    verdict: Verdict
    groups: Mapping[str, Analysis] = field(default_factory=lambda: MappingProxyType({}))
    homogeneity: Homogeneity | None = None
    groups_verdict: GroupsVerdict | None = None

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

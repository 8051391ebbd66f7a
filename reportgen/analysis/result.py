"""``Analysis`` and its parts: every figure of one report, frozen and unrounded.

The result is data: the JSON writer and the renderers in ``reportgen.render``
read it, and ``reportgen.api.Report`` adds the verbs (``to_pdf`` & co.).
Rounding is presentation's job. Every public name is the JSON's
(``results.schema.json``): ``result.reference.cross_entropy_total`` is the
JSON's ``reference.cross_entropy_total``, ``result.intervals["sison_glaz"]`` its
``intervals.sison_glaz`` (``tests/api/test_vocabulary.py`` holds them together).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from reportgen.analysis import entropy, estimate
from reportgen.analysis.decisions import GroupsVerdict, Verdict
from reportgen.analysis.estimate import Interval
from reportgen.analysis.fairness import ExactTest, Homogeneity, StatisticPvalue
from reportgen.options import StatOptions
from reportgen.read.log import RollLog


@dataclass(frozen=True)
class Throw:
    """One of the first throws (the JSON's ``cross_entropy.first[]``).

    Attributes
    ----------
    throw : int
        Its number in the log, from 1.
    face : int or str
        The face it showed, one of ``faces``.
    t : tuple of int
        Its one-hot vector: 1 at the face's index, 0 elsewhere.
    value : float
        Its cross-entropy (4.3), −log ŷ_k of its face under the MLE.
    k : int
        The face's index in ``faces`` (0-based), as the lesson's tables use it.
    """

    throw: int
    face: int | str
    t: tuple[int, ...]
    value: float
    k: int


@dataclass(frozen=True)
class CrossEntropy:
    """Cross-entropy (4.3) of the whole log under the fitted model ŷ (the JSON's
    ``cross_entropy``), in ``unit``.

    Attributes
    ----------
    model : str
        ``"mle"``.
    per_face : tuple of float
        −log ŷ_k: E for one throw that showed face k (∞ for a face never seen).
    total : float
        Σ_i E_i = −Σ_k n_k log ŷ_k.
    mean : float
        total / N; equals ``entropy``.
    first : tuple of Throw
        The first throws (up to 20) in file order; empty for a frequency table.
    y : tuple of float
        The probabilities (ŷ, the ``mle``).
    """

    model: str
    y: tuple[float, ...]
    per_face: tuple[float, ...]
    total: float
    mean: float
    first: tuple[Throw, ...] = ()


@dataclass(frozen=True)
class Reference:
    """The same figures under the model of ``model=`` (the JSON's ``reference``), in ``unit``.

    Attributes
    ----------
    model : str
        ``"fair"``, or the probabilities as given.
    y : tuple of float
        The model's probabilities y_k.
    cross_entropy_total : float
        −Σ_k n_k log y_k (∞ when a face that occurred has y_k = 0).
    cross_entropy_mean : float
        cross_entropy_total / N.
    kl_divergence : float
        KL(ŷ ‖ y) = cross_entropy_mean − the fitted mean.
    infinite_faces : tuple of int or str
        The faces that occurred although y_k = 0 (they make the figures above infinite).
    per_face : tuple of float
        −log y_k, E of one throw of face k under the model.
    """

    model: str
    y: tuple[float, ...]
    per_face: tuple[float, ...]
    cross_entropy_total: float
    cross_entropy_mean: float
    kl_divergence: float
    infinite_faces: tuple[int | str, ...]

    @property
    def total(self) -> float:
        """``cross_entropy_total`` by the fitted ``CrossEntropy``'s name (the renderers')."""
        return self.cross_entropy_total

    @property
    def mean(self) -> float:
        """``cross_entropy_mean`` by the fitted ``CrossEntropy``'s name (the renderers')."""
        return self.cross_entropy_mean


@dataclass(frozen=True)
class Comparison:
    """Two models of the same throws: which the counts favour, and by how much.

    Attributes
    ----------
    a, b : Reference
        Each model's figures on the throws, as ``reference`` holds them (``y``,
        ``cross_entropy_total``, ``cross_entropy_mean``, ``kl_divergence``, …).
    log_likelihood_ratio : float
        ln L(a)/L(b) = Σ_k n_k ln(a_k / b_k), in nats whatever the unit: > 0 favours
        a. It is N × the difference of the mean cross-entropies in nats.
    likelihood_ratio : float
        L(a)/L(b) = exp(log_likelihood_ratio) (∞ when that overflows).
    cross_entropy_difference : float
        a's ``cross_entropy_mean`` − b's, per throw in the result's unit: > 0 means
        b predicts the throws better. NaN, as the ratio, when both rule them out.
    """

    a: Reference
    b: Reference
    log_likelihood_ratio: float
    likelihood_ratio: float
    cross_entropy_difference: float


@dataclass(frozen=True)
class TestResult(StatisticPvalue):
    """A goodness-of-fit test against the model; unpacks as ``statistic, pvalue``.

    Attributes
    ----------
    statistic : float
        The statistic (∞, with p-value 0, when a face that occurred has y_k = 0).
    df : int
        Degrees of freedom: the faces the model allows, minus 1.
    pvalue : float
        P-value from the χ² distribution with ``df`` degrees of freedom.
    """

    statistic: float
    df: int
    pvalue: float


@dataclass(frozen=True)
class Input:
    """What was read (the JSON's ``input``): ``path`` as named, the ``sha256`` of its bytes,
    the face ``column``'s header (``None`` without one) and its ``format`` (``log`` or
    ``counts``)."""

    path: str
    sha256: str
    column: str | None
    format: str


class Intervals(Mapping[str, Interval]):
    """Every interval method's bounds, keyed as the JSON keys them (``sison_glaz``).

    The command line's spelling finds the same (``intervals["sison-glaz"]``).
    """

    def __init__(self, by_method: Mapping[str, Interval]) -> None:
        self._by_key = MappingProxyType({_key(name): iv for name, iv in by_method.items()})

    def __getitem__(self, name: str) -> Interval:
        return self._by_key[_key(name)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _key(name) in self._by_key

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"Intervals({dict(self._by_key)!r})"


def _key(name: str) -> str:
    """A method's JSON key: ``sison-glaz`` is ``sison_glaz``."""
    return name.replace("-", "_") if isinstance(name, str) else name


class QuietHelp(type):
    """``help()`` of a result class shows its fields and verbs, not dataclass machinery:
    ``dir()`` of the class leaves out the dunder names (``__init__``,
    ``__dataclass_fields__``, …) that ``pydoc`` would otherwise list."""

    def __dir__(cls) -> list[str]:
        return [name for name in super().__dir__() if not name.startswith("__")]


@dataclass(frozen=True, repr=False)
class Analysis(metaclass=QuietHelp):
    """Every figure of one report, unrounded, by the JSON's names (see ``reportgen.Report``,
    the same data with its verbs, for every attribute's meaning).

    ``reference`` is the cross-entropy under the model (the fair die unless
    told) and ``tests`` test the counts against that model; ``verdict`` is what
    they decide (``decisions``). With ``by``, ``groups`` holds one full result
    per group (in order of first appearance), ``homogeneity`` tests whether the
    groups share one face distribution and ``groups_verdict`` says what it
    decides; empty/``None`` otherwise.
    """

    log: RollLog
    options: StatOptions
    mle: tuple[float, ...]
    intervals: Intervals
    entropy: float
    cross_entropy: CrossEntropy
    reference: Reference
    tests: Mapping[str, TestResult | ExactTest]
    verdict: Verdict
    groups: Mapping[str, Analysis] = field(default_factory=lambda: MappingProxyType({}))
    homogeneity: Homogeneity | None = None
    groups_verdict: GroupsVerdict | None = None

    def __repr__(self) -> str:
        counts = dict(zip(self.faces, self.counts, strict=True))
        name = type(self).__name__
        return (
            f"<{name} of {self.log.source}: n={self.n}, counts={counts}, "
            f"entropy={self.entropy:.6g} {self.options.unit}>"
        )

    @property
    def n(self) -> int:
        """N, the number of throws."""
        return self.log.n

    @property
    def counts(self) -> tuple[int, ...]:
        """n_k, the throws of each face."""
        return self.log.counts

    @property
    def faces(self) -> tuple[int | str, ...]:
        """The K faces in report order."""
        return self.log.faces.labels

    @property
    def k(self) -> int:
        """K, the number of faces."""
        return self.log.faces.k

    @property
    def input(self) -> Input:
        """What was read: path, sha256, column, format."""
        log = self.log
        return Input(log.source, log.sha256, log.column, log.format)

    @property
    def confidence_level(self) -> float:
        """The confidence level of every interval."""
        return self.options.confidence

    @property
    def unit(self) -> str:
        """``nat`` or ``bit``: the logarithm of every entropy figure."""
        return self.options.unit

    @property
    def by(self) -> str | None:
        """The group column's header (``None`` without ``by=``)."""
        return self.log.by

    @property
    def infinite_faces(self) -> tuple[int | str, ...]:
        """The faces that occurred although the model gives them y_k = 0."""
        return self.reference.infinite_faces

    @property
    def infinite_indices(self) -> tuple[int, ...]:
        """The indices k (0-based) of ``infinite_faces``, for the renderers' per-face lists."""
        return tuple(self.faces.index(face) for face in self.infinite_faces)

    @property
    def kl_divergence(self) -> float:
        """``reference.kl_divergence``, where the renderers read it."""
        return self.reference.kl_divergence

    @property
    def first_throws(self) -> tuple[Throw, ...]:
        """``cross_entropy.first``, where the renderers read it."""
        return self.cross_entropy.first

    @property
    def exact_multinomial(self) -> ExactTest:
        """``tests["exact_multinomial"]``, where the renderers read it."""
        test = self.tests["exact_multinomial"]
        assert isinstance(test, ExactTest)
        return test

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

"""What "lower loss" means in machine learning: cross-entropy on throws the fit never saw.

The throws are split in file order: the first ``train`` fit a model, the last
``test`` = N − ``train`` score it by their mean cross-entropy (4.3) per throw,
Ē = −(1/test) Σ_k m_k log q_k, with m_k the test throws that showed face k.
Three q are scored: the MLE of the training throws, q_k = c_k / train (∞ as soon
as a face unseen in training shows in the test: −log 0); the Laplace (add-one)
estimate q_k = (c_k + 1) / (train + K), never 0; and the model y of ``--model``,
which was not fitted at all.

The split comes from the log's checkpoints (cumulative counts kept while
reading, ``RollLog.checkpoints``), so nothing is read twice: at ⌊N/2⌋ when
the log kept the counts there (every N ≤ 41 does, and so does any log whose
tally keeps the half-way counts), otherwise at the checkpoint nearest N/2
(checkpoints lie about 5 % apart, so within 2.5 % of half). The counts at the
split are exact either way; ``train`` says where it fell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.analysis.entropy import LOG, total

if TYPE_CHECKING:
    from reportgen.analysis.result import Analysis

#: Fewer throws than this get no held-out figures: five test throws say nothing.
MIN_THROWS = 10

#: The best fit is told apart from the runner-up when its held-out mean is lower by more
#: than this many standard errors of their paired difference per test throw.
DECISIVE_SE = 2.0


@dataclass(frozen=True)
class Holdout:
    """Mean cross-entropy per test throw of three models fitted on the training throws.

    Attributes
    ----------
    train, test : int
        Throws that fitted (the first ``train``) and that scored (the last ``test``).
    train_counts, test_counts : tuple of int
        c_k and m_k, per face.
    mle, laplace, model : float
        Mean cross-entropy (4.3) per test throw, in ``unit``, under the
        training MLE (∞ when a face unseen in training shows in the test),
        the Laplace estimate and the model y.
    unit : str
        ``"nat"`` or ``"bit"``.
    gap_se : float
        Standard error of the mean difference per test throw between the
        runner-up and the best fit (paired: each test throw scored by both);
        ∞ when either gives a test throw probability 0.
    """

    train: int
    test: int
    train_counts: tuple[int, ...]
    test_counts: tuple[int, ...]
    mle: float
    laplace: float
    model: float
    unit: str
    gap_se: float

    @property
    def ranked(self) -> list[str]:
        """The fits (``mle``, ``laplace``, ``model``), lowest held-out mean first."""
        return _ranked({"mle": self.mle, "laplace": self.laplace, "model": self.model})

    @property
    def best(self) -> str:
        """The fit that scores the test throws lowest: ``mle``, ``laplace`` or ``model``."""
        return self.ranked[0]

    @property
    def decisive(self) -> bool:
        """Whether the best fit beats the runner-up by more than ``DECISIVE_SE`` standard errors."""
        best, second = (getattr(self, name) for name in self.ranked[:2])
        gap = second - best
        return math.isinf(gap) or gap > DECISIVE_SE * self.gap_se

    @property
    def unseen_then_seen(self) -> tuple[int, ...]:
        """Faces (indices) absent from the training throws that came up in the test throws."""
        pairs = zip(self.train_counts, self.test_counts, strict=True)
        return tuple(j for j, (c, m) in enumerate(pairs) if c == 0 and m > 0)


def split(
    checkpoints: Sequence[tuple[int, Sequence[int]]], n: int
) -> tuple[int, tuple[int, ...]] | None:
    """(m, counts of throws 1..m) at ⌊N/2⌋ if kept, else at the checkpoint nearest N/2.

    Ties go to the earlier checkpoint. ``None`` without a checkpoint strictly
    between 0 and N (a frequency table has none).
    """
    inner = [(m, tuple(c)) for m, c in checkpoints if 0 < m < n]
    if not inner:
        return None
    half = n // 2
    return min(inner, key=lambda point: (abs(2 * point[0] - n), point[0] != half, point[0]))


def scores(
    train_counts: Sequence[int], test_counts: Sequence[int], y: Sequence[float], unit: str = "nat"
) -> Holdout:
    """Held-out mean cross-entropy of the training MLE, the Laplace estimate and the model y."""
    train, test, k = sum(train_counts), sum(test_counts), len(train_counts)
    mle = [c / train for c in train_counts]
    laplace = [(c + 1) / (train + k) for c in train_counts]

    fits = {"mle": mle, "laplace": laplace, "model": list(y)}
    means = {name: total(test_counts, q, unit) / test for name, q in fits.items()}
    best, second = _ranked(means)[:2]
    return Holdout(
        train=train,
        test=test,
        train_counts=tuple(train_counts),
        test_counts=tuple(test_counts),
        mle=means["mle"],
        laplace=means["laplace"],
        model=means["model"],
        unit=unit,
        gap_se=paired_se(test_counts, fits[second], fits[best], unit),
    )


def _ranked(means: dict[str, float]) -> list[str]:
    """The fits' names, lowest held-out mean first (ties keep ``mle``, ``laplace``, ``model``)."""
    return sorted(means, key=lambda name: means[name])


def paired_se(
    test_counts: Sequence[int], a: Sequence[float], b: Sequence[float], unit: str
) -> float:
    """Standard error of the mean of −log a_k + log b_k over the test throws (face k each).

    A test throw of face k scores d_k under the pair; with m_k throws of face k
    the mean is Σ m_k d_k / T and the sample variance Σ m_k (d_k − mean)² / (T − 1).
    ∞ when a face shown has probability 0 under either; 0 for a single test throw.
    """
    shown = [(m, a_k, b_k) for m, a_k, b_k in zip(test_counts, a, b, strict=True) if m > 0]
    if any(a_k <= 0 or b_k <= 0 for _, a_k, b_k in shown):
        return math.inf
    log = LOG[unit]
    d = [(m, log(b_k) - log(a_k)) for m, a_k, b_k in shown]
    t = sum(m for m, _ in d)
    if t < 2:
        return 0.0
    mean = math.fsum(m * x for m, x in d) / t
    variance = math.fsum(m * (x - mean) ** 2 for m, x in d) / (t - 1)
    return math.sqrt(variance / t)


def holdout(
    checkpoints: Sequence[tuple[int, Sequence[int]]],
    counts: Sequence[int],
    y: Sequence[float],
    unit: str = "nat",
) -> Holdout | None:
    """Fit on the first half of the throws, score the second (see the module's notes).

    Parameters
    ----------
    checkpoints : sequence of (m, counts)
        Cumulative counts after throw m (``RollLog.checkpoints``); empty for
        a frequency table, which has no order and so no held-out figures.
    counts : sequence of int
        n_k of the whole log.
    y : sequence of float
        The model's probabilities.
    unit : str
        ``"nat"`` or ``"bit"``.

    Returns
    -------
    Holdout or None
        ``None`` when N < ``MIN_THROWS`` or there is no split point.
    """
    n = sum(counts)
    found = split(checkpoints, n) if n >= MIN_THROWS else None
    if found is None:
        return None
    _, train_counts = found
    test_counts = [a - b for a, b in zip(counts, train_counts, strict=True)]
    return scores(train_counts, test_counts, y, unit)


def of(analysis: Analysis) -> Holdout | None:
    """The held-out figures of an analysis: none for a frequency table (no order)."""
    log = analysis.log
    if log.format != "log":
        return None
    return holdout(log.checkpoints, log.counts, analysis.reference.y, analysis.options.unit)

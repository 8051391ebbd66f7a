"""The lesson's deferred question, as numbers: total cross-entropy as a function of y.

The lesson asks why a zero derivative of log L gives the maximum. The total
cross-entropy of the N throws, C(y) = −Σ_k n_k log y_k (the sum of (4.3) over
the throws), answers it when drawn: it is convex, smallest exactly at ŷ_k = n_k/N,
where it equals N·H(p̂) (so log L is largest there). For a coin C is a function
of one probability y = y_1 (y_2 = 1 − y). For a die, C is followed along one
face's profile: y_k = y and the other faces share 1 − y in proportion to their
counts, which is where C is smallest for that y_k (``estimate.profile_loglik``):

    C(y) = −n_k log y − (N − n_k) log(1 − y) − Σ_{j≠k} n_j log(n_j / (N − n_k)).

A line χ²₁(level)/2 nats above the minimum crosses C exactly at the ends of the
profile-likelihood interval of y_k (``estimate.profile``): the values of y_k
whose G against ŷ (twice the cross-entropy they add) stays below χ²₁(level).
In bits every height is divided by ln 2, the line's too, and the crossings stay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportgen.analysis.entropy import NATS, total
from reportgen.analysis.estimate import profile_cut

if TYPE_CHECKING:
    from reportgen.analysis.result import Analysis

#: Points of the curve: enough for a smooth line at any width of the text column.
POINTS = 301

#: The curve is drawn where it lies at most this many cuts above its minimum: the
#: interval then fills about half of the window, however large N is.
WINDOW = 4.0

#: A value to include (the model's y_k) widens the window up to this many cuts; one
#: farther out is left off (the figure marks it at the edge): the interval stays readable.
MAX_WINDOW = 25.0


@dataclass(frozen=True)
class CrossEntropyCurve:
    """Total cross-entropy along face k's profile, its minimum and where the cut line crosses it.

    Attributes
    ----------
    k : int
        Index of the face followed (``y`` is y_k).
    n_k, n : int
        Its count and N.
    unit : str
        ``"nat"`` or ``"bit"``: the unit of every height.
    points : tuple of (float, float)
        (y, C(y)) over the window where C ≤ minimum + ``WINDOW`` × cut, ends included.
    mle : float
        ŷ_k = n_k / N, where C is smallest.
    minimum : float
        C(ŷ_k) = −Σ_j n_j log ŷ_j = N·H(p̂), the total cross-entropy under the MLE.
    cut : float
        χ²₁(level)/2 in ``unit``: the line's height above the minimum.
    low, high : float
        Where C = minimum + cut, left and right of ŷ_k (0 or 1 when the
        minimum sits at that end): the profile interval of y_k.
    """

    k: int
    n_k: int
    n: int
    unit: str
    points: tuple[tuple[float, float], ...] = field(repr=False)
    mle: float = 0.0
    minimum: float = 0.0
    cut: float = 0.0
    low: float = 0.0
    high: float = 1.0

    def at(self, y: float) -> float:
        """C(y) in ``unit`` (∞ at an end of (0, 1) that a seen face rules out)."""
        return profile_total(self.n_k, self.n, y, self.unit) + self._rest

    @property
    def _rest(self) -> float:
        """The other faces' share of the minimum: C(ŷ) − the profile part at ŷ."""
        return self.minimum - profile_total(self.n_k, self.n, self.mle, self.unit)


def profile_total(n_k: int, n: int, y: float, unit: str = "nat") -> float:
    """−n_k log y − (N − n_k) log(1 − y) in ``unit``, with 0 · log 0 = 0 (∞ off [0, 1])."""
    if not 0 <= y <= 1:
        return math.inf
    return total((n_k, n - n_k), (y, 1 - y), unit)


def _crossing(n_k: int, n: int, target: float, inside: float, outside: float, unit: str) -> float:
    """The y between ``inside`` (C below target) and ``outside`` (above) where C = target.

    Bisection on the profile part alone (C minus a constant): convex, so
    monotone on each side of ŷ; 200 halvings reach adjacent floats.
    """
    for _ in range(200):
        middle = (inside + outside) / 2
        if middle in (inside, outside):
            break
        if profile_total(n_k, n, middle, unit) <= target:
            inside = middle
        else:
            outside = middle
    return (inside + outside) / 2


def _ends(n_k: int, n: int, height: float, unit: str) -> tuple[float, float]:
    """Where the profile part rises ``height`` above its minimum, left and right of ŷ."""
    mle = n_k / n
    target = profile_total(n_k, n, mle, unit) + height
    low = 0.0 if n_k == 0 else _crossing(n_k, n, target, mle, 0.0, unit)
    high = 1.0 if n_k == n else _crossing(n_k, n, target, mle, 1.0, unit)
    return low, high


def curve(
    counts: Sequence[int],
    k: int,
    level: float,
    unit: str = "nat",
    points: int = POINTS,
    include: float | None = None,
) -> CrossEntropyCurve:
    """The total cross-entropy C(y) along face k's profile (for a coin: over y = y_1).

    Parameters
    ----------
    counts : sequence of int
        n_k per face.
    k : int
        The face to follow (index).
    level : float
        Confidence level of the interval the cut line marks.
    unit : str
        ``"nat"`` or ``"bit"``.
    points : int
        Points of the curve.
    include : float, optional
        A y the drawn window should reach (the model's y_k), when it lies less
        than ``MAX_WINDOW`` cuts above the minimum.
    """
    n, n_k = sum(counts), counts[k]
    cut = profile_cut(level) / NATS[unit]
    mle = n_k / n
    minimum = total(counts, [c / n for c in counts], unit)
    low, high = _ends(n_k, n, cut, unit)
    height = WINDOW * cut
    if include is not None:
        rise = profile_total(n_k, n, include, unit) - profile_total(n_k, n, mle, unit)
        if rise <= MAX_WINDOW * cut:
            height = max(height, 1.2 * rise)
    left, right = _ends(n_k, n, height, unit)
    rest = minimum - profile_total(n_k, n, mle, unit)
    # Evenly spaced, with ŷ itself among the points so the drawn minimum is the true one.
    grid = sorted({left + (right - left) * i / (points - 1) for i in range(points)} | {mle})
    drawn = tuple((y, profile_total(n_k, n, y, unit) + rest) for y in grid)
    return CrossEntropyCurve(k, n_k, n, unit, drawn, mle, minimum, cut, low, high)


def followed_face(counts: Sequence[int], y: Sequence[float]) -> int:
    """The face a die's curve follows: the one the model fits worst.

    That is the face with the largest G_k = 2 (C(y_k) − C(ŷ_k)) along its own
    profile (in nats): the model's y_k then lies highest on the drawn curve,
    outside the interval exactly when G_k > χ²₁(level). For a fair-looking die
    it is still the face the test would blame first. A face the model forbids
    but that was seen (G_k = ∞) wins; ties go to the first face.
    """
    n = sum(counts)

    def g_k(j: int) -> float:
        n_j = counts[j]
        return 2 * (profile_total(n_j, n, y[j]) - profile_total(n_j, n, n_j / n))

    return max(range(len(counts)), key=lambda j: (g_k(j), -j))


def of(analysis: Analysis, k: int | None = None) -> CrossEntropyCurve:
    """The curve of an analysis along face k (by default ``followed_face``), in its unit,
    at its confidence level, its window reaching the model's y_k when that is near."""
    y = analysis.reference.y
    k = followed_face(analysis.counts, y) if k is None else k
    level, unit = analysis.options.confidence, analysis.options.unit
    return curve(analysis.counts, k, level, unit, include=y[k])

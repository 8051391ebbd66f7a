"""Exact p-values without visiting every outcome, and the Monte Carlo rule shared by the tests.

The exact multinomial test sums Pr(x) over the outcomes x at most as probable as
the observed one. Resin (2023, "A simple algorithm for exact multinomial tests",
J. Comput. Graph. Statist. 32:539; R package ExactMultinom) enumerates only the
acceptance region {x : Pr(x) > Pr(observed)}, about N^((K−1)/2) outcomes instead
of all C(N + K − 1, K − 1); ``exact_uniform`` does that for a fair die.
``multinomial_pvalue`` serves any model: a branch and bound over the faces, in
the manner of Mehta and Patel's (1983) network algorithm, that adds whole blocks
of rejected outcomes in closed form (binomial tails), so that it visits only the
partial outcomes whose block straddles the threshold, about N^((K−2)/2) of them,
and sums positive terms only: a tiny p keeps its relative precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import bdtr, bdtrc, gammaln

from reportgen.options import DEFAULT_SEED

#: Outcomes whose probability is within this relative distance of the observed
#: one count as "as probable": floating-point sums of logs must not split ties
#: (scipy's binomtest uses the same 1 + 1e-7).
RELATIVE_TIE = 1e-7

#: The fixed seed of every Monte Carlo test unless one is given: reports stay reproducible.
MONTE_CARLO_SEED = DEFAULT_SEED

#: Most partial outcomes an exact test may visit before it gives way to Monte Carlo:
#: at 0.2–0.7 µs each, at worst about what 200 000 draws for a d6 cost (0.15–0.2 s).
MAX_STATES = 400_000

#: Most cells of a table the exact test builds (faces × (N + 1) log-terms, (N + 1)² binomial).
MAX_TABLE = 4_000_000

#: States at one level from which binomial tails come from a table rather than ``bdtr``.
_TABLE_FROM = 256

#: States at one level from which the children intervals come from a table of every m.
_GROUPED_FROM = 4096

_EPS = float(np.finfo(float).eps)


def monte_carlo_pvalue(hits: int, draws: int) -> tuple[float, float]:
    """Monte Carlo p-value (b + 1)/(B + 1) and its standard error.

    b of B draws were at least as extreme as the observed data; counting the data
    as one more draw gives a p-value that is valid at every B and never 0
    (Davison and Hinkley 1997, §4.2.1; North, Curtis and Sham 2002, Am. J. Hum.
    Genet. 71:439). Its standard error is that of the estimator with p̂ plugged
    into the binomial variance of b: √(B p̂(1 − p̂))/(B + 1), p̂ = (b + 1)/(B + 1).

    Parameters
    ----------
    hits
        b, the draws at least as extreme as the data.
    draws
        B, the number of draws.

    Returns
    -------
    tuple of float
        The p-value and its standard error.
    """
    pvalue = (hits + 1) / (draws + 1)
    return pvalue, math.sqrt(draws * pvalue * (1 - pvalue)) / (draws + 1)


def multinomial_pvalue(
    counts: Sequence[int], y: Sequence[float], *, max_states: int
) -> float | None:
    """Exact p = Σ Pr(x) over outcomes with Pr(x) ≤ Pr(counts)·(1 + RELATIVE_TIE), x ~ Mult(N, y).

    Pr(x) = N! Π y_k^{x_k}/x_k!; every y_k must be positive (leave out the faces a
    model rules out). Faces are sorted by y, the two largest last, and fixed one at
    a time: a state is a partial outcome with m throws left and log-term sum
    s = Σ_{i<j} (x_i log y_i − log x_i!). Its children x_j that can still reach the
    threshold form an interval (``_straddle``); the others are rejected with all
    their completions, whose mass is exp(s)·Y_j^m/m! times a tail of
    Bin(m, y_j/Y_j), Y_j = Σ_{i≥j} y_i (the multinomial theorem). A child whose
    worst completion (all its throws on one face) beats the threshold is accepted
    whole and dropped. At the last two faces the interval is exact. Returns None
    when more than ``max_states`` states would be visited, or a table would
    exceed ``MAX_TABLE`` cells.

    Rounding: until the last two faces the bounds are compared with the
    threshold less or plus a margin above the rounding error of their sums, so a
    block is only decided when all of it is; outcomes are classified by their
    log-term sum against the threshold, as a full enumeration does (a borderline
    outcome may fall either way only within rounding, 1e-12 relative, far inside
    the tie tolerance). The rejected masses are positive terms added with
    ``math.fsum``, so a tiny p keeps its relative precision.
    """
    n, k = sum(counts), len(counts)
    if k <= 1 or n == 0:
        return 1.0
    if k * (n + 1) > MAX_TABLE:
        return None
    faces = _Faces.of(counts, y)
    threshold, margin, tail = faces.threshold, faces.margin, faces.tail
    left, partial = np.array([n]), np.zeros(1)
    masses: list[np.ndarray] = []
    visited = 0
    for j in range(k - 1):
        last = j == k - 2
        best = faces.terms[k - 1] if last else faces.upper[j + 1]
        floor = threshold - (0 if last else margin)
        if left.size >= _GROUPED_FROM and (n + 1) ** 2 <= MAX_TABLE:
            a, b, none = _straddle_grouped(left, partial, faces.terms[j], best, floor)
        else:
            a, b, none = _straddle(left, partial, faces.terms[j], best, floor)
        rejected = _tails(left, a, b, none, faces.y[j] / tail[j], faces.log_factorial)
        log_mass = partial + left * math.log(tail[j]) - faces.log_factorial[left]
        masses.append(np.exp(log_mass + faces.log_factorial[n]) * rejected)
        if last:
            break
        width = np.where(none, 0, b - a + 1)
        visited += int(width.sum())
        if visited > max_states:
            return None
        left, partial = expand(left, partial, a, width, faces.terms[j])
        keep = partial + faces.lowest[j + 1][left] <= threshold + margin  # else accepted whole
        left, partial = left[keep], partial[keep]
    # numpy's pairwise sum of positive terms: relative error below log2(terms)·ε
    return min(1.0, math.fsum(float(np.sum(part)) for part in masses))


@dataclass(frozen=True)
class _Faces:
    """What the branch and bound reads, faces sorted by y (the two largest last).

    ``y`` sorted; ``terms[j, x]`` = x log y_j − log x!; ``upper[j]``/``lowest[j]`` the best/worst
    Σ_{i≥j} of them over the splits of m throws (``_suffix_max``; a vertex, the
    terms being concave); ``tail[j]`` = Y_j = Σ_{i≥j} y_i; ``margin`` bounds the
    rounding error of any such sum (ε per term, terms at most N(|log y| + log N)).
    """

    y: list[float]
    log_factorial: np.ndarray
    terms: np.ndarray
    upper: list[np.ndarray]
    lowest: np.ndarray
    tail: list[float]
    threshold: float
    margin: float

    @classmethod
    def of(cls, counts: Sequence[int], y: Sequence[float]) -> _Faces:
        n, k = sum(counts), len(counts)
        order = sorted(range(k), key=lambda i: y[i])
        log_y = np.log(np.asarray([y[i] for i in order], dtype=float))
        log_factorial = gammaln(np.arange(n + 1, dtype=float) + 1)
        terms = np.arange(n + 1) * log_y[:, None] - log_factorial
        observed = 0.0
        for j, i in enumerate(order):  # face order, as the states sum
            observed += terms[j, counts[i]]
        threshold = observed + math.log1p(RELATIVE_TIE)
        scale = n * (float(np.abs(log_y).max()) + math.log(n + 1)) + abs(threshold) + 1
        y_sorted = [y[i] for i in order]
        tail = np.cumsum(np.asarray(y_sorted)[::-1])[::-1]
        return cls(
            y_sorted,
            log_factorial,
            terms,
            _suffix_max(log_y, terms),
            np.minimum.accumulate(terms[::-1], axis=0)[::-1],
            [float(t) for t in tail] + [0.0],
            threshold,
            8 * _EPS * (n + k) * scale,
        )


def expand(
    left: np.ndarray, partial: np.ndarray, low: np.ndarray, width: np.ndarray, term: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every child x = low … low + width − 1 of every state: its throws left and log-term sum."""
    parent = np.repeat(np.arange(left.size), width)
    x = low[parent] + np.arange(parent.size) - np.repeat(np.cumsum(width) - width, width)
    return left[parent] - x, partial[parent] + term[x]


def _suffix_max(log_y: np.ndarray, terms: np.ndarray) -> list[np.ndarray]:
    """U_j(m) = max Σ_{i≥j} (x_i log y_i − log x_i!) over x_j.. ≥ 0 with Σ x_i = m, m = 0..N.

    The summands are concave in x_i, with increments log y_i − log t (t = 1, 2, …)
    decreasing in t, so the greedy allocation that takes the m largest increments
    of all faces i ≥ j is optimal for every m at once (separable concave
    resource allocation): U_j(m) is the running sum of the increments sorted in
    decreasing order, concave in m. Entry K − 1 is the single face's terms.
    """
    k, size = terms.shape
    steps = np.log(np.arange(1, size, dtype=float))
    upper: list[np.ndarray] = [terms[k - 1]] * k
    merged = np.empty(0)
    for j in range(k - 1, 0, -1):
        merged = np.sort(np.concatenate([merged, log_y[j] - steps]))[::-1][: size - 1]
        if j < k - 1:
            upper[j] = np.concatenate([[0.0], np.cumsum(merged)])
    return upper


def _straddle(
    left: np.ndarray, partial: np.ndarray, term: np.ndarray, best: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per state, the interval [a, b] of children x with M(x) > floor, and where there is none.

    M(x) = partial + term[x] + best[left − x] is concave in x on [0, left] (both
    parts are), so bisection on the sign of M(x + 1) − M(x) finds its peak, and
    one bisection on each side of it the ends of the interval above ``floor``.
    """

    def above(x: np.ndarray) -> np.ndarray:
        return partial + term[x] + best[left - x] > floor

    lo, hi = np.zeros_like(left), left.copy()
    while np.any(lo < hi):  # the peak: the first x with M(x + 1) ≤ M(x)
        mid = (lo + hi) // 2
        step = np.minimum(mid + 1, left)  # mid < left wherever the search is still open
        rising = term[step] + best[left - step] > term[mid] + best[left - mid]
        lo, hi = np.where((lo < hi) & rising, mid + 1, lo), np.where(rising, hi, mid)
    peak = lo
    none = ~above(peak)
    lo, hi = np.zeros_like(left), peak.copy()
    while np.any(lo < hi):  # a: the first x ≤ peak above the floor
        mid = (lo + hi) // 2
        up = above(mid)
        lo, hi = np.where((lo < hi) & ~up, mid + 1, lo), np.where(up, mid, hi)
    a = lo
    lo, hi = peak.copy(), left.copy()
    while np.any(lo < hi):  # b: the last x ≥ peak above the floor
        mid = (lo + hi + 1) // 2
        up = above(mid)
        lo, hi = np.where((lo < hi) & up, mid, lo), np.where(up | (lo >= hi), hi, mid - 1)
    return a, lo, none


def _straddle_grouped(
    left: np.ndarray, partial: np.ndarray, term: np.ndarray, best: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_straddle`` for many states: a table of h_m(x) = term[x] + best[m − x] for every m.

    Each row rises to its peak and falls after it (concave), so the children above
    the floor, h_m(x) > floor − partial, are found with two ``np.searchsorted``
    calls per distinct m, the states being grouped by m. Running maxima from each
    end make each side monotone where rounding might not.
    """
    size = int(left.max()) + 1
    m, x = np.arange(size)[:, None], np.arange(size)[None, :]
    rows = np.where(x <= m, term[np.minimum(x, m)] + best[np.maximum(m - x, 0)], -np.inf)
    peaks = np.argmax(rows, axis=1)
    rising = np.maximum.accumulate(rows, axis=1)
    falling = -np.maximum.accumulate(rows[:, ::-1], axis=1)[:, ::-1]
    target = floor - partial
    a, b = np.empty_like(left), np.empty_like(left)
    order = np.argsort(left.astype(np.uint16 if size <= 1 << 16 else np.int64), kind="stable")
    bounds = np.searchsorted(left[order], np.arange(size + 1))
    for row in np.flatnonzero(np.diff(bounds)):
        where = order[bounds[row] : bounds[row + 1]]
        peak, level = peaks[row], target[where]
        a[where] = np.searchsorted(rising[row, : peak + 1], level, side="right")
        width = np.searchsorted(falling[row, peak : row + 1], -level, side="left")
        b[where] = peak + width - 1
    return a, b, a > peaks[left]


def _tails(
    left: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    none: np.ndarray,
    share: float,
    log_factorial: np.ndarray,
) -> np.ndarray:
    """P(X < a) + P(X > b) for X ~ Bin(left, share); 1 where no child is accepted."""
    below, above = binomial_tails(left, a - 1, b + 1, share, log_factorial)
    return np.where(none, 1.0, below + above)


def binomial_tails(
    m: np.ndarray, low: np.ndarray, high: np.ndarray, share: float, log_factorial: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """P(X ≤ low) and P(X ≥ high) for X ~ Bin(m, share), elementwise; 0 outside 0..m.

    From ``scipy.special.bdtr``/``bdtrc`` for a few states; for many, from running
    sums of the pmf over a table of every m and x, summed from each end so that
    each tail keeps its relative precision.
    """
    size = int(m.max(initial=0)) + 1
    if m.size < _TABLE_FROM or size * size > MAX_TABLE:
        with np.errstate(invalid="ignore"):
            below = np.where(low >= 0, bdtr(np.clip(low, 0, m), m, share), 0.0)
            above = np.where(high <= m, bdtrc(np.clip(high - 1, 0, m), m, share), 0.0)
        return below, above
    rows, xs = np.arange(size)[:, None], np.arange(size)[None, :]
    inside = xs <= rows
    x, rest = np.where(inside, xs, 0), np.where(inside, rows - xs, 0)
    log_pmf = log_factorial[rows] - log_factorial[x] - log_factorial[rest]
    log_pmf = log_pmf + x * math.log(share) + rest * math.log1p(-share)
    pmf = np.exp(np.where(inside, log_pmf, -np.inf))
    cumulative = np.cumsum(pmf, axis=1)  # P(X ≤ x)
    survival = np.cumsum(pmf[:, ::-1], axis=1)[:, ::-1]  # P(X ≥ x)
    below = np.where(low >= 0, cumulative[m, np.clip(low, 0, size - 1)], 0.0)
    above = np.where(high <= m, survival[m, np.clip(high, 0, size - 1)], 0.0)
    return below, above

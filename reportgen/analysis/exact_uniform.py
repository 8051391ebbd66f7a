"""The exact multinomial test under equal probabilities, y_k = 1/K: the acceptance region, sorted.

Under a fair die Pr(x) = N!/(K^N Π x_k!) is symmetric in the faces, so the
acceptance region {x : Pr(x) > Pr(observed)} of Resin (2023, "A simple algorithm
for exact multinomial tests", J. Comput. Graph. Statist. 32:539; R package
ExactMultinom) can be enumerated in sorted form, each sorted outcome standing for
all its arrangements: about K! times fewer outcomes than Resin's enumeration,
which already visits only about N^((K−1)/2) of the C(N + K − 1, K − 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import gammaln

from reportgen.analysis.exact import MAX_TABLE, RELATIVE_TIE, binomial_tails

_EPS = float(np.finfo(float).eps)


def accepted_mass(counts: Sequence[int], *, max_states: int) -> float | None:
    """Σ Pr(x) over the acceptance region {x : Pr(x) > Pr(counts)·(1 + RELATIVE_TIE)}, y_k = 1/K.

    Under equal probabilities Pr(x) = N!/(K^N Π x_k!) is symmetric in the faces,
    so the region is enumerated in sorted form x_0 ≥ x_1 ≥ … (Resin 2023 enumerates
    it unsorted), each sorted outcome standing for its K!/Π_v (copies of v)!
    arrangements. A sorted prefix is extended only while its best completion, the
    most even split of the throws left (``_even_split``; feasible, since the
    prefix is at least the mean of what is left), can still beat the threshold;
    the last two faces are a range of Bin(m, 1/2) (``_last_pair``). Returns None
    when more than ``max_states`` prefixes would be visited. The p-value is
    1 − this mass: its absolute error is about |log Pr|·ε (1e-13 at N = 200).
    """
    n, k = sum(counts), len(counts)
    if n > MAX_TABLE:
        return None
    log_factorial = gammaln(np.arange(max(n, k) + 3, dtype=float) + 1)  # runs reach k + 2
    threshold = -math.fsum(log_factorial[c] for c in counts) + math.log1p(RELATIVE_TIE)
    margin = 8 * _EPS * (n + k) * (2 * float(log_factorial[n]) + 1)
    left, partial, cap = np.array([n]), np.zeros(1), np.array([n])
    run, log_weight = np.zeros(1, dtype=int), np.full(1, float(log_factorial[k]))
    visited = 0
    for j in range(k - 2):
        rest = k - j
        low = -(-left // rest)  # the largest of `rest` values summing to m is at least m / rest
        top = np.minimum(cap, left)
        width = np.maximum(top - low + 1, 0)
        visited += int(width.sum())
        if visited > max_states:
            return None
        parent = np.repeat(np.arange(width.size), width)
        v = low[parent] + np.arange(parent.size) - np.repeat(np.cumsum(width) - width, width)
        same = v == cap[parent]
        log_weight = log_weight[parent] - np.where(same, 0.0, log_factorial[run[parent]])
        run = np.where(same, run[parent] + 1, 1)
        left, partial, cap = left[parent] - v, partial[parent] - log_factorial[v], v
        keep = partial + _even_split(rest - 1, left, log_factorial) > threshold - margin
        left, partial, cap, run, log_weight = (
            a[keep] for a in (left, partial, cap, run, log_weight)
        )
    base = float(log_factorial[n]) - n * math.log(k)
    share = _last_pair(left, partial, cap, run, threshold, log_factorial)
    log_mass = base + partial + log_weight + left * math.log(2) - log_factorial[left]
    return math.fsum([float(np.sum(np.exp(log_mass) * share))])


def _even_split(faces: int, left: np.ndarray, log_factorial: np.ndarray) -> np.ndarray:
    """max −Σ log x_i! over `faces` values summing to m: the most even split (concave terms)."""
    q, extra = np.divmod(left, faces)
    return -(extra * log_factorial[q + 1] + (faces - extra) * log_factorial[q])


def _last_pair(
    left: np.ndarray,
    partial: np.ndarray,
    cap: np.ndarray,
    run: np.ndarray,
    threshold: float,
    log_factorial: np.ndarray,
) -> np.ndarray:
    """Per state, Σ over accepted last pairs (u, m − u), u ≥ m − u, u ≤ cap, of weight/(u!(m − u)!)
    in units of 2^m/m!, the weight being the arrangements' factor 1/r!, 1/(2·r!) for
    u = m − u < cap, 1/(r + 1)! for u = cap > m − u and 1/(r + 2)! for u = m − u = cap.

    s − log u! − log (m − u)! falls as u moves up from m/2, so the accepted u
    form a range [⌈m/2⌉, h] (bisection for h); its Bin(m, 1/2) probability comes
    from ``exact.binomial_tails``.
    """
    lo = -(-left // 2)
    top = np.minimum(cap, left)

    def accepted(u: np.ndarray) -> np.ndarray:
        return partial - log_factorial[u] - log_factorial[left - u] > threshold

    none = ~accepted(lo)
    a, b = lo.copy(), top.copy()
    while np.any(a < b):  # h: the last accepted u in [lo, top]
        mid = (a + b + 1) // 2
        up = accepted(mid)
        a, b = np.where((a < b) & up, mid, a), np.where(up | (a >= b), b, mid - 1)
    high = a
    below, above = binomial_tails(left, lo - 1, high + 1, 0.5, log_factorial)
    central = 1 - below - above  # P(lo ≤ X ≤ high) ≥ P(X = mode): no harmful cancellation

    def pmf(u: np.ndarray) -> np.ndarray:
        return np.exp(
            log_factorial[left] - log_factorial[u] - log_factorial[left - u] - left * math.log(2)
        )

    inv_r = np.exp(-log_factorial[run])
    share = central * inv_r
    half = (left % 2 == 0) & (left // 2 <= high) & (left // 2 < cap)
    share = share - np.where(half, pmf(left // 2) * inv_r / 2, 0.0)
    at_cap = (cap <= high) & (cap >= lo)
    pair = np.where(left - cap == cap, 2, 1)
    corrected = np.exp(-log_factorial[run + pair]) - inv_r
    share = share + np.where(at_cap, pmf(np.minimum(cap, left)) * corrected, 0.0)
    return np.where(none, 0.0, share)

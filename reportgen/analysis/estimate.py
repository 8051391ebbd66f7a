"""Maximum-likelihood face probabilities and their confidence intervals.

The likelihood of face probabilities y given counts n is L = Π_k y_k^{n_k}
(the lesson's (3.6)); under Σ_k y_k = 1 it is largest at y_k = n_k / N.
Intervals are at a confidence level in (0, 1): per face (``wilson``, ``exact``,
``jeffreys``, ``profile``), each covering its own y_k, or simultaneous
(``goodman``, ``sison-glaz``), covering all K probabilities at once.

Only ``scipy.special`` is used here: importing
``scipy.stats`` costs about a second, which a JSON-only run should not pay.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv, chdtri, gammaln, ndtri


@dataclass(frozen=True)
class Interval:
    """Lower and upper bounds, one pair per face, in face order."""

    low: tuple[float, ...]
    high: tuple[float, ...]


def mle(counts: Sequence[int]) -> tuple[float, ...]:
    """Maximum-likelihood estimate y_k = n_k / N (the maximiser of (3.6))."""
    n = sum(counts)
    return tuple(c / n for c in counts)


def wilson(counts: Sequence[int], level: float) -> Interval:
    """Wilson score interval for each face (no continuity correction).

    Newcombe (1998), method 3: centre (2 n_k + z²) / 2(N + z²), half-width
    z sqrt(4 N p q + z²) / 2(N + z²); closed at 0 for n_k = 0 and at 1 for n_k = N.
    """
    n = sum(counts)
    z = float(ndtri(0.5 + 0.5 * level))
    denom = 2 * (n + z * z)
    low, high = [], []
    for k in counts:
        p = k / n
        centre = (2 * n * p + z * z) / denom
        delta = z / denom * math.sqrt(4 * n * p * (1 - p) + z * z)
        low.append(0.0 if k == 0 else centre - delta)
        high.append(1.0 if k == n else centre + delta)
    return Interval(tuple(low), tuple(high))


def exact(counts: Sequence[int], level: float) -> Interval:
    """Clopper–Pearson interval from beta quantiles.

    low = B⁻¹(α/2; n_k, N − n_k + 1), high = B⁻¹(1 − α/2; n_k + 1, N − n_k),
    with low = 0 for n_k = 0 and high = 1 for n_k = N.
    """
    return _clopper_pearson(counts, 1 - level)


def _clopper_pearson(counts: Sequence[int], alpha: float) -> Interval:
    """``exact`` for α given directly, so that a tiny α/K keeps its digits."""
    n = sum(counts)
    low, high = [], []
    for k in counts:
        low.append(0.0 if k == 0 else float(betaincinv(k, n - k + 1, alpha / 2)))
        high.append(1.0 if k == n else float(betaincinv(k + 1, n - k, 1 - alpha / 2)))
    return Interval(tuple(low), tuple(high))


def jeffreys(counts: Sequence[int], level: float) -> Interval:
    """Jeffreys interval: equal-tailed quantiles of the Beta(n_k + ½, N − n_k + ½) posterior.

    low = B⁻¹(α/2; n_k + ½, N − n_k + ½), high = B⁻¹(1 − α/2; n_k + ½, N − n_k + ½),
    with low = 0 for n_k = 0 and high = 1 for n_k = N, as Brown, Cai and DasGupta
    (2001, Statist. Sci. 16:101) recommend; otherwise the interval of a face never
    seen would not contain its estimate 0.
    """
    n = sum(counts)
    alpha = 1 - level
    low, high = [], []
    for k in counts:
        a, b = k + 0.5, n - k + 0.5
        low.append(0.0 if k == 0 else float(betaincinv(a, b, alpha / 2)))
        high.append(1.0 if k == n else float(betaincinv(a, b, 1 - alpha / 2)))
    return Interval(tuple(low), tuple(high))


def profile_loglik(n_k: int, n: int, y: float) -> float:
    """Profile log-likelihood of y_k: ℓ(y) = n_k log y + (N − n_k) log(1 − y), 0 · log 0 = 0.

    The log of (3.6) maximised over the other faces with y_k held fixed (they
    share 1 − y_k in proportion to their counts), up to a constant.
    """
    if not 0 <= y <= 1:
        return -math.inf
    first = 0.0 if n_k == 0 else (n_k * math.log(y) if y > 0 else -math.inf)
    rest = 0.0 if n_k == n else ((n - n_k) * math.log1p(-y) if y < 1 else -math.inf)
    return first + rest


_EPS = float(np.finfo(float).eps)
_BELOW_ONE = float(np.nextafter(1.0, 0.0))


def _monotone_root(
    f: Callable[[float], float], slope: Callable[[float], float], lo: float, hi: float
) -> float:
    """The root of a function monotone on [lo, hi] whose ends have opposite signs.

    Newton steps kept inside the shrinking bracket, bisection where a step would
    leave it: full double precision in a handful of steps, without importing
    ``scipy.optimize`` (0.2 s) on the JSON path.
    """
    f_lo = f(lo)
    x = (lo + hi) / 2
    for _ in range(2000):
        fx = f(x)
        if fx == 0:
            return x
        if (fx < 0) == (f_lo < 0):
            lo, f_lo = x, fx
        else:
            hi = x
        d = slope(x)
        step = x - fx / d if d else math.nan
        x_new = step if lo < step < hi else (lo + hi) / 2
        if abs(x_new - x) <= 2 * _EPS * abs(x_new) or hi - lo <= 2 * _EPS * abs(hi):
            return x_new
        x = x_new
    return x


def profile_cut(level: float) -> float:
    """χ²₁(level)/2: how far below its maximum the profile log-likelihood may fall."""
    return float(chdtri(1, 1 - level)) / 2


def profile(counts: Sequence[int], level: float) -> Interval:
    """Likelihood-ratio (profile likelihood) interval for each face.

    The set {y : 2 (ℓ(n_k/N) − ℓ(y)) ≤ χ²₁(level)} with ℓ of ``profile_loglik``:
    the values of y_k that the lesson's own likelihood (3.6) does not reject at
    the chosen level. For n_k = 0 the interval is [0, 1 − exp(−q/2N)] and for
    n_k = N it is [exp(−q/2N), 1] (closed forms, q = χ²₁(level)); otherwise
    each end is the root of ℓ(y) − ℓ_max + q/2 on its side of the MLE.
    """
    n = sum(counts)
    half_q = profile_cut(level)
    low, high = [], []
    for k in counts:
        if k == 0:
            low.append(0.0)
            high.append(-math.expm1(-half_q / n))
            continue
        if k == n:
            low.append(math.exp(-half_q / n))
            high.append(1.0)
            continue
        p = k / n
        target = profile_loglik(k, n, p) - half_q

        def gap(y: float, k: int = k, target: float = target) -> float:
            return profile_loglik(k, n, y) - target

        def slope(y: float, k: int = k) -> float:
            return k / y - (n - k) / (1 - y)

        # ℓ is concave and → −∞ at 0 and at 1, so each side of the maximum holds
        # exactly one root; the brackets are the floats nearest 0 and 1.
        low.append(_monotone_root(gap, slope, 5e-324, p))
        high.append(_monotone_root(gap, slope, p, _BELOW_ONE))
    return Interval(tuple(low), tuple(high))


def goodman(counts: Sequence[int], level: float) -> Interval:
    """Goodman (1965, Technometrics 7:247) simultaneous intervals for all K faces.

    Each face gets the Wilson score interval with z² replaced by A = χ²₁(1 − α/K),
    the Bonferroni-adjusted quantile: bounds (A + 2n_k ± √(A(A + 4 n_k (N − n_k)/N)))
    / 2(N + A). Since A ≥ z² of ``wilson`` at the same level, each Goodman interval
    contains the Wilson interval.
    """
    n = sum(counts)
    a = float(chdtri(1, (1 - level) / len(counts)))
    low, high = [], []
    for k in counts:
        centre = a + 2 * k
        delta = math.sqrt(a * (a + 4 * k * (n - k) / n))
        low.append(0.0 if k == 0 else (centre - delta) / (2 * (n + a)))
        high.append(1.0 if k == n else (centre + delta) / (2 * (n + a)))
    return Interval(tuple(low), tuple(high))


def _truncated_poisson_moments(lams: np.ndarray, c_max: int) -> tuple[np.ndarray, ...]:
    """Y ~ Poisson(λ) truncated to [λ − c, λ + c], for each λ (rows) and every c = 0..c_max.

    Returns arrays (λ × c) of P(λ − c ≤ Y ≤ λ + c) and the mean and 2nd–4th central
    moments of the truncated Y. The window grows symmetrically about λ (an integer
    count n_k), so each sum Σ pmf(λ ± d)·d^j is a running sum over d = 0..c; the
    central moments follow from these moments about λ. Terms more than
    ``poisson_reach(λ)`` = 40√λ + 40 from λ are left out (below 1e-100 of the
    mode's), so every row is constant from that c on; λ = 0 is the point mass at 0.
    """
    lam = lams.astype(float)[:, None]
    d = np.arange(c_max + 1, dtype=float)[None, :]
    reach = np.where(lam > 0, np.floor(40 * np.sqrt(lam) + 40), 0.0)
    log_lam = np.log(np.where(lam > 0, lam, 1.0))

    def pmf(y: np.ndarray) -> np.ndarray:
        inside = (y >= 0) & (np.abs(y - lam) <= reach)
        safe = np.where(inside, y, 0.0)
        return np.where(inside, np.exp(safe * log_lam - lam - gammaln(safe + 1)), 0.0)

    above, below = pmf(lam + d), pmf(lam - d)
    below[:, 0] = 0.0  # d = 0 is the single point λ, counted in `above`
    even, odd = above + below, above - below
    d2 = d * d
    mass = np.cumsum(even, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m1 = np.cumsum(odd * d, axis=1) / mass
        r2 = np.cumsum(even * d2, axis=1) / mass
        r3 = np.cumsum(odd * d2 * d, axis=1) / mass
        r4 = np.cumsum(even * d2 * d2, axis=1) / mass
    var = r2 - m1 * m1
    mu3 = r3 - 3 * m1 * r2 + 2 * m1**3
    mu4 = r4 - 4 * m1 * r3 + 6 * m1 * m1 * r2 - 3 * m1**4
    return mass, lam + m1, var, mu3, mu4


def poisson_reach(lam: int) -> int:
    """How far from λ the truncated Poisson sums of ``box_probabilities`` look: 40√λ + 40."""
    return math.floor(40 * math.sqrt(lam) + 40) if lam else 0


def box_probabilities(counts: Sequence[int], c_max: int) -> np.ndarray:
    """ν(c) of Sison and Glaz (1995) for c = 0..c_max: P(|X_k − n_k| ≤ c ∀k), X ~ Mult(N, n/N).

    Levin's (1981) representation with Poisson Y_k of mean s·n_k/N, s = N:
    ν(c) = N! / (N^N e^{−N}) · Π_k P(n_k − c ≤ Y_k ≤ n_k + c) · P(W = N), W = Σ_k Z_k,
    Z_k being Y_k truncated to the box; P(W = N) is the Edgeworth expansion
    f_e(x)/σ, x = (N − Σμ_k)/σ, σ² = Σσ²_k, with
    f_e(x) = φ(x)[1 + γ₁H₃(x)/6 + γ₂H₄(x)/24 + γ₁²H₆(x)/72],
    γ₁ = Σμ₃,k/σ³, γ₂ = Σ(μ₄,k − 3σ⁴_k)/σ⁴ (Sison and Glaz 1995, eq. (1)–(4)).
    For c ≥ N the box holds every outcome and ν(c) = 1 exactly (as statsmodels
    does). Faces with equal counts share one set of truncated sums.
    """
    n = sum(counts)
    log_box = np.zeros(c_max + 1)
    mean, var, mu3, excess = (np.zeros(c_max + 1) for _ in range(4))
    values, repeats = np.unique(np.asarray(counts, dtype=np.int64), return_counts=True)
    rows = max(1, 2_000_000 // (c_max + 1))  # a few MB of each array at a time
    for start in range(0, values.size, rows):
        times = repeats[start : start + rows, None]
        mass, m, v, m3, m4 = _truncated_poisson_moments(values[start : start + rows], c_max)
        with np.errstate(divide="ignore"):
            log_box += (times * np.log(mass)).sum(axis=0)
        mean += (times * m).sum(axis=0)
        var += (times * v).sum(axis=0)
        mu3 += (times * m3).sum(axis=0)
        excess += (times * (m4 - 3 * v * v)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        sd = np.sqrt(var)
        x = (n - mean) / sd
        g1, g2 = mu3 / sd**3, excess / var**2
        x2 = x * x
        h3 = x * (x2 - 3)
        h4 = x2 * x2 - 6 * x2 + 3
        h6 = x2 * x2 * x2 - 15 * x2 * x2 + 45 * x2 - 15
        phi = np.exp(-x2 / 2) / math.sqrt(2 * math.pi)
        edgeworth = phi * (1 + g1 * h3 / 6 + g2 * h4 / 24 + g1 * g1 * h6 / 72) / sd
        # Every Z_k a point mass (var = 0): W = Σ μ_k exactly.
        density = np.where(var == 0, (np.round(mean) == n).astype(float), edgeworth)
        # log N! − N log N + N: the Poisson-to-multinomial factor for s = N.
        factor = float(gammaln(n + 1)) - n * math.log(n) + n
        nu = np.where(density > 0, np.exp(factor + log_box + np.log(density)), 0.0)
    nu[np.isnan(nu)] = 0.0
    nu[n:] = 1.0
    return nu


def box_probability(counts: Sequence[int], c: int) -> float:
    """ν(c) of Sison and Glaz (1995) for one c: see ``box_probabilities``."""
    return float(box_probabilities(counts, c)[c])


def _first_crossing(nu: np.ndarray, level: float) -> int | None:
    """The first c with ν(c) < level ≤ ν(c + 1) among c = 0..len(ν) − 2, or None."""
    hits = np.flatnonzero((nu[:-1] < level) & (level <= nu[1:]))
    return int(hits[0]) if hits.size else None


def sison_glaz_c(counts: Sequence[int], level: float) -> tuple[int, float, float, float]:
    """Sison and Glaz's c, ν(c), ν(c + 1) and γ: the first c ≥ 0 with ν(c) < level ≤ ν(c + 1).

    ν is not monotone in c (an Edgeworth approximation), so the paper's rule is a
    scan up from c = 0; a bisection may land on a later crossing. The scan reads
    ν for c = 0..C from ``box_probabilities`` (one pass of running sums costing
    O(K·C)), doubling C until a crossing shows. It stops looking at
    C = min(N, R), R = max_k ``poisson_reach``(n_k): the computed ν(c) is the same
    for every c ≥ R up to N − 1 (each window then holds all its Poisson terms),
    so no crossing starts in between, and ν(N) = 1 leaves one candidate, c = N − 1.
    γ = (level − ν(c)) / (ν(c + 1) − ν(c)) ∈ [0, 1].

    When no c qualifies, ν(0) ≥ level already (the box of width 0 reaches the
    level: tiny levels, tiny N, or every throw on one face, where ν ≡ 1); then
    c = 1 and γ = 0, the narrowest box that is not a point (our choice, not the
    paper's; ``sison_glaz`` treats one face only on its own).
    """
    n = sum(counts)
    limit = min(n, max(poisson_reach(k) for k in counts))
    size = min(limit, max(16, 2 * math.ceil(math.sqrt(max(counts)))))
    while True:
        nu = box_probabilities(counts, size)
        c = _first_crossing(nu, level)
        if c is not None or size >= limit:
            break
        size = min(2 * size, limit)
    if c is None and size < n and nu[-1] < level:
        c, below, above = n - 1, float(nu[-1]), 1.0  # ν is flat from `limit` to N − 1
    elif c is None:
        c, below, above = 1, box_probability(counts, 1), box_probability(counts, 2)
        return c, below, above, 0.0
    else:
        below, above = float(nu[c]), float(nu[c + 1])
    return c, below, above, (level - below) / (above - below)


def sison_glaz(counts: Sequence[int], level: float) -> Interval:
    """Sison and Glaz (1995, JASA 90:366) simultaneous intervals for all K faces.

    With c and γ of ``sison_glaz_c``: [n_k/N − c/N, n_k/N + (c + 2γ)/N], cut to [0, 1]
    (the paper's interval (8)). Every face gets the same width, set by the
    coverage of the whole box under the multinomial at the MLE.

    When every throw showed one face, ν(c) ≈ 1 for every c: the fitted
    multinomial is a point mass and the method has no information. statsmodels
    (ν(0) taken as 0) and R's MultinomialCI then give c = 0, γ = level/ν(1): the
    seen face gets the point [1, 1] and the others [0, 2γ/N] (0.34 for five
    sixes at 95%), narrower than one face's own Clopper–Pearson interval (0.52),
    which overclaims. reportgen gives instead the Bonferroni box of
    Clopper–Pearson intervals at level 1 − α/K per face (``exact``): simultaneous
    at ≥ 1 − α by Bonferroni's inequality, and containing every per-face exact
    interval at the level asked for.
    """
    n = sum(counts)
    if max(counts) == n:
        return _clopper_pearson(counts, (1 - level) / len(counts))
    c, _, _, gamma = sison_glaz_c(counts, level)
    low = tuple(max(0.0, k / n - c / n) for k in counts)
    high = tuple(min(1.0, k / n + (c + 2 * gamma) / n) for k in counts)
    return Interval(low, high)


#: Interval methods by the name used in ``--interval``; the JSON writes ``-`` as ``_``.
METHODS: dict[str, Callable[[Sequence[int], float], Interval]] = {
    "wilson": wilson,
    "exact": exact,
    "jeffreys": jeffreys,
    "profile": profile,
    "goodman": goodman,
    "sison-glaz": sison_glaz,
}

#: Methods whose intervals hold for all faces at once at the stated level.
SIMULTANEOUS = ("goodman", "sison-glaz")

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
    n = sum(counts)
    alpha = 1 - level
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


def _truncated_poisson(lam: float, lo: int, hi: int) -> tuple[float, float, float, float, float]:
    """P(lo ≤ Y ≤ hi) for Y ~ Poisson(λ), and the mean and 2nd–4th central moments of Y
    truncated to [lo, hi], summed over the support (no factorial-moment cancellation)."""
    if lam == 0:
        return (1.0 if lo <= 0 <= hi else 0.0), 0.0, 0.0, 0.0, 0.0
    # Beyond 40 standard deviations the terms are below 1e-300 of the mode's.
    spread = 40 * math.sqrt(lam) + 40
    lo = max(lo, 0, math.floor(lam - spread))
    hi = min(hi, math.ceil(lam + spread))
    if hi < lo:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    y = np.arange(lo, hi + 1, dtype=float)
    pmf = np.exp(y * math.log(lam) - lam - gammaln(y + 1))
    mass = math.fsum(pmf)
    if mass == 0:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    w = pmf / mass
    mean = float(np.dot(w, y))
    d = y - mean
    d2 = d * d
    return mass, mean, float(np.dot(w, d2)), float(np.dot(w, d2 * d)), float(np.dot(w, d2 * d2))


def box_probability(counts: Sequence[int], c: int) -> float:
    """ν(c) of Sison and Glaz (1995): P(n_k − c ≤ X_k ≤ n_k + c for every k), X ~ Mult(N, n/N).

    Levin's (1981) representation with Poisson Y_k of mean s·n_k/N, s = N:
    ν(c) = N! / (N^N e^{−N}) · Π_k P(n_k − c ≤ Y_k ≤ n_k + c) · P(W = N), W = Σ_k Z_k,
    Z_k being Y_k truncated to the box; P(W = N) is the Edgeworth expansion
    f_e(x)/σ, x = (N − Σμ_k)/σ, σ² = Σσ²_k, with
    f_e(x) = φ(x)[1 + γ₁H₃(x)/6 + γ₂H₄(x)/24 + γ₁²H₆(x)/72],
    γ₁ = Σμ₃,k/σ³, γ₂ = Σ(μ₄,k − 3σ⁴_k)/σ⁴ (Sison and Glaz 1995, eq. (1)–(4)).
    """
    n = sum(counts)
    log_box = 0.0
    mean = var = mu3 = excess = 0.0
    for k in counts:
        mass, m, v, m3, m4 = _truncated_poisson(float(k), k - c, k + c)
        if mass == 0:
            return 0.0
        log_box += math.log(mass)
        mean += m
        var += v
        mu3 += m3
        excess += m4 - 3 * v * v
    if var == 0:  # every Z_k is a point mass: W = Σ n_k = N exactly
        density = 1.0 if round(mean) == n else 0.0
    else:
        sd = math.sqrt(var)
        x = (n - mean) / sd
        g1, g2 = mu3 / sd**3, excess / var**2
        x2 = x * x
        h3 = x * (x2 - 3)
        h4 = x2 * x2 - 6 * x2 + 3
        h6 = x2 * x2 * x2 - 15 * x2 * x2 + 45 * x2 - 15
        phi = math.exp(-x2 / 2) / math.sqrt(2 * math.pi)
        density = phi * (1 + g1 * h3 / 6 + g2 * h4 / 24 + g1 * g1 * h6 / 72) / sd
        if density <= 0:
            return 0.0
    # log N! − N log N + N: the Poisson-to-multinomial factor for s = N.
    return math.exp(float(gammaln(n + 1)) - n * math.log(n) + n + log_box + math.log(density))


def sison_glaz_c(counts: Sequence[int], level: float) -> tuple[int, float, float, float]:
    """The integer c with ν(c) ≤ level < ν(c + 1), and ν(c), ν(c + 1), γ of Sison and Glaz.

    ν is a box probability, increasing in c; the smallest c with ν(c + 1) > level
    is found by doubling then bisection (the paper scans c = 0, 1, 2, …; for an
    increasing ν both find the same c). γ = (level − ν(c)) / (ν(c + 1) − ν(c)),
    kept in [0, 1] (the expansion is an approximation and may step past 1 for tiny N).
    When every throw showed one face ν(0) = 1 and the rule would give point
    intervals; then c = 1 and γ = 0 (our choice, not the paper's).
    """
    n = sum(counts)
    cache: dict[int, float] = {}

    def nu(c: int) -> float:
        if c not in cache:
            cache[c] = box_probability(counts, c)
        return cache[c]

    if nu(0) > level:
        # Every throw showed one face: under the fitted multinomial the box of
        # width 0 already has coverage 1, and the paper's rule would give point
        # intervals. Use the narrowest box that still moves, c = 1, γ = 0.
        return 1, nu(1), nu(2), 0.0
    if nu(1) > level:
        c = 0
    else:
        lo, hi = 0, 1  # nu(lo + 1) ≤ level < nu(hi + 1)
        while nu(hi + 1) <= level and hi < n:
            lo, hi = hi, min(2 * hi, n)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if nu(mid + 1) > level:
                hi = mid
            else:
                lo = mid
        c = hi
    below, above = nu(c), nu(c + 1)
    gamma = (level - below) / (above - below) if above > below else 0.0
    return c, below, above, min(1.0, max(0.0, gamma))


def sison_glaz(counts: Sequence[int], level: float) -> Interval:
    """Sison and Glaz (1995, JASA 90:366) simultaneous intervals for all K faces.

    With c and γ of ``sison_glaz_c``: [n_k/N − c/N, n_k/N + (c + 2γ)/N], cut to [0, 1]
    (the paper's interval (8)). Every face gets the same width, set by the
    coverage of the whole box under the multinomial at the MLE.
    """
    n = sum(counts)
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

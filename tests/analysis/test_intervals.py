"""Every interval against an independent implementation, named in each test.

References: scipy.stats.binomtest(...).proportion_ci and scipy.stats.beta.ppf
(Wilson, Clopper–Pearson), statsmodels.stats.proportion.proportion_confint
(Wilson, beta, Jeffreys), statsmodels.stats.proportion.multinomial_proportions_confint
(Goodman, Sison–Glaz), and the published worked examples of Sison & Glaz (1995).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import bisect
from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint

from reportgen.analysis import estimate

LEVELS = (0.8, 0.9, 0.95, 0.99)
LOGS = (
    [4, 3, 2, 5, 3, 3],  # the lesson's 20 throws
    [3, 3, 2, 5, 3, 4],  # data/rolls.csv
    [0, 7, 1, 0, 2, 10],  # zeros
    [12, 8],  # a coin
    [1] * 20,  # a d20, one throw per face
    [52, 47, 46, 35, 44, 76],  # the red die of data/two_dice.csv
    [56, 72, 73, 59, 62, 87, 58],  # Sison & Glaz (1995), example 1
    [10000, 10100, 9900, 10050, 9980, 9970],
)


def pairs(interval: estimate.Interval) -> np.ndarray:
    return np.array([interval.low, interval.high]).T


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", LOGS)
def test_wilson_matches_scipy_binomtest_and_statsmodels(counts, level):
    n = sum(counts)
    ours = pairs(estimate.wilson(counts, level))
    for k, c in enumerate(counts):
        ci = stats.binomtest(c, n).proportion_ci(confidence_level=level, method="wilson")
        assert ours[k] == pytest.approx([ci.low, ci.high], abs=1e-12)
    low, high = proportion_confint(counts, n, alpha=1 - level, method="wilson")
    assert ours == pytest.approx(np.array([low, high]).T, abs=1e-12)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", LOGS)
def test_exact_matches_beta_quantiles_and_binomtest(counts, level):
    n, alpha = sum(counts), 1 - level
    ours = pairs(estimate.exact(counts, level))
    for k, c in enumerate(counts):
        # scipy.stats.beta.ppf: the same closed form, so to 1e-12.
        low = 0.0 if c == 0 else stats.beta.ppf(alpha / 2, c, n - c + 1)
        high = 1.0 if c == n else stats.beta.ppf(1 - alpha / 2, c + 1, n - c)
        assert ours[k] == pytest.approx([low, high], abs=1e-12)
        # scipy.stats.binomtest finds the ends by root finding: 1e-9.
        ci = stats.binomtest(c, n).proportion_ci(confidence_level=level, method="exact")
        assert ours[k] == pytest.approx([ci.low, ci.high], abs=1e-9)
    low, high = proportion_confint(counts, n, alpha=alpha, method="beta")
    assert ours == pytest.approx(np.nan_to_num(np.array([low, high]).T, nan=0.0), abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", LOGS)
def test_jeffreys_matches_statsmodels_and_beta_quantiles(counts, level):
    n, alpha = sum(counts), 1 - level
    ours = pairs(estimate.jeffreys(counts, level))
    low, high = proportion_confint(counts, n, alpha=alpha, method="jeffreys")
    for k, c in enumerate(counts):
        beta = stats.beta(c + 0.5, n - c + 0.5)
        expected_low = 0.0 if c == 0 else beta.ppf(alpha / 2)
        expected_high = 1.0 if c == n else beta.ppf(1 - alpha / 2)
        assert ours[k] == pytest.approx([expected_low, expected_high], abs=1e-12)
        # statsmodels does not close the ends at 0 and N; we do (Brown, Cai, DasGupta 2001).
        if 0 < c < n:
            assert ours[k] == pytest.approx([low[k], high[k]], abs=1e-12)


def test_jeffreys_closes_the_ends_for_zero_and_all():
    iv = estimate.jeffreys([0, 10], 0.95)
    assert iv.low[0] == 0.0 and iv.high[1] == 1.0
    assert iv.high[0] == pytest.approx(stats.beta.ppf(0.975, 0.5, 10.5), abs=1e-12)


def _deviance(c: int, n: int, y: float) -> float:
    """2(ℓ(p̂) − ℓ(y)) written with scipy.stats.binom.logpmf (independent of ours)."""
    return 2 * (stats.binom.logpmf(c, n, c / n) - stats.binom.logpmf(c, n, y))


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", LOGS)
def test_profile_ends_are_where_the_likelihood_ratio_hits_the_chi2_quantile(counts, level):
    """Reference: scipy.stats.chi2.ppf and a bisection on scipy.stats.binom.logpmf."""
    n = sum(counts)
    q = stats.chi2.ppf(level, 1)
    iv = estimate.profile(counts, level)
    for k, c in enumerate(counts):
        p = c / n
        if c > 0:
            assert _deviance(c, n, iv.low[k]) == pytest.approx(q, rel=1e-9)
            root = bisect(lambda y, c=c: _deviance(c, n, y) - q, 1e-300, p, xtol=1e-15)
            assert iv.low[k] == pytest.approx(root, rel=1e-9, abs=1e-14)
        else:
            assert iv.low[k] == 0.0
        if c < n:
            assert _deviance(c, n, iv.high[k]) == pytest.approx(q, rel=1e-9)
            root = bisect(lambda y, c=c: _deviance(c, n, y) - q, p, 1 - 1e-15, xtol=1e-15)
            assert iv.high[k] == pytest.approx(root, rel=1e-9, abs=1e-14)
        else:
            assert iv.high[k] == 1.0


def test_profile_zero_and_all_have_closed_forms():
    """n_k = 0: N log(1 − y) = −q/2; n_k = N: N log y = −q/2."""
    q = stats.chi2.ppf(0.95, 1)
    iv = estimate.profile([0, 25], 0.95)
    assert iv.low[0] == 0.0 and iv.high[1] == 1.0
    assert iv.high[0] == pytest.approx(1 - math.exp(-q / 50), rel=1e-14)
    assert iv.low[1] == pytest.approx(math.exp(-q / 50), rel=1e-14)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", [c for c in LOGS if len(c) > 2] + [[0, 0, 5, 1], [12, 8]])
def test_goodman_matches_statsmodels(counts, level):
    expected = multinomial_proportions_confint(counts, 1 - level, method="goodman")
    assert pairs(estimate.goodman(counts, level)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("counts", [c for c in LOGS if len(c) > 2 and min(c) > 0])
def test_sison_glaz_matches_statsmodels(counts, level):
    """statsmodels sums cdf differences, we sum the pmf: agreement to 1e-9."""
    expected = multinomial_proportions_confint(counts, 1 - level, method="sison-glaz")
    assert pairs(estimate.sison_glaz(counts, level)) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "counts",
    [[30, 0, 12, 5, 3], [0, 7, 1, 0, 2, 10], [3, 2], [40, 60], [3, 5, 4, 0, 1, 7]],
)
def test_sison_glaz_with_zeros_and_coins_matches_statsmodels(counts):
    expected = multinomial_proportions_confint(counts, 0.05, method="sison-glaz")
    assert pairs(estimate.sison_glaz(counts, 0.95)) == pytest.approx(expected, abs=1e-9)


# Sison, C. P. and Glaz, J. (1995), "Simultaneous confidence intervals and sample
# size determination for multinomial proportions", JASA 90(429):366-369. Their
# examples' intervals to the digits recorded in statsmodels'
# stats/tests/results/results_multinomial_proportions.py (computed with the R
# package MultinomialCI; 4 decimals for Sison–Glaz, 3 for Goodman as printed in the paper).
SISON_GLAZ_EXAMPLES = [
    (
        [56, 72, 73, 59, 62, 87, 58],
        [
            [0.07922912, 0.1643361],
            [0.11349036, 0.1985973],
            [0.11563169, 0.2007386],
            [0.08565310, 0.1707601],
            [0.09207709, 0.1771840],
            [0.14561028, 0.2307172],
            [0.08351178, 0.1686187],
        ],
    ),
    ([5] * 50, [[0, 0.05304026]] * 50),
    (
        [1] * 10 + [12] * 10 + [5] * 10 + [3] * 10 + [4] * 10,
        [[0, 0.04120118]] * 10
        + [[0.012, 0.08520118]] * 10
        + [[0, 0.05720118]] * 10
        + [[0, 0.04920118]] * 10
        + [[0, 0.05320118]] * 10,
    ),
]

GOODMAN_EXAMPLES = [
    (
        [56, 72, 73, 59, 62, 87, 58],
        [
            [0.085, 0.166],
            [0.115, 0.204],
            [0.116, 0.207],
            [0.091, 0.173],
            [0.096, 0.181],
            [0.143, 0.239],
            [0.089, 0.171],
        ],
    ),
    ([5] * 50, [[0.005, 0.075]] * 50),
]


@pytest.mark.parametrize("counts, published", SISON_GLAZ_EXAMPLES)
def test_sison_glaz_published_examples(counts, published):
    """To 1.5e-4, the tolerance statsmodels itself holds against these R values
    (``assert_almost_equal(decimal=4)``): MultinomialCI's Edgeworth sums differ
    in the 5th decimal for example 2 (we agree with statsmodels to 1e-9 there)."""
    assert pairs(estimate.sison_glaz(counts, 0.95)) == pytest.approx(
        np.array(published), abs=1.5e-4
    )


@pytest.mark.parametrize("counts, published", GOODMAN_EXAMPLES)
def test_goodman_published_examples(counts, published):
    assert pairs(estimate.goodman(counts, 0.95)) == pytest.approx(np.array(published), abs=0.5e-3)


def test_sison_glaz_c_brackets_the_level():
    """ν(c) < 1 − α ≤ ν(c + 1), and ν agrees with the exact box probability."""
    counts = [56, 72, 73, 59, 62, 87, 58]
    c, below, above, gamma = estimate.sison_glaz_c(counts, 0.95)
    assert below < 0.95 <= above and 0 <= gamma <= 1
    assert estimate.box_probability(counts, c) == below


def _exact_box(counts, c):
    """P(|X_k − n_k| ≤ c ∀k) for X ~ Mult(N, n/N), summed exactly: the multinomial
    pmf N! Π p_k^x_k / x_k! = (N! e^N / N^N) Π Poisson(x_k; n_k), and the sum over
    the box with Σ x_k = N is a convolution of the truncated Poisson pmfs."""
    n = sum(counts)
    dist = np.zeros(n + 1)
    dist[0] = 1.0
    for k in counts:
        term = np.zeros(n + 1)
        for x in range(max(0, k - c), min(n, k + c) + 1):
            term[x] = stats.poisson.pmf(x, k)
        dist = np.convolve(dist, term)[: n + 1]
    return dist[n] * math.exp(math.lgamma(n + 1) - n * math.log(n) + n)


@pytest.mark.parametrize("c", [2, 4, 6, 8])
def test_box_probability_is_close_to_the_exact_multinomial_box(c):
    """The Edgeworth approximation of ν(c) against the exact multinomial sum (N = 200)."""
    counts = [30, 35, 28, 40, 33, 34]
    assert estimate.box_probability(counts, c) == pytest.approx(_exact_box(counts, c), abs=2e-3)


def test_sison_glaz_one_face_only_is_the_bonferroni_clopper_pearson_box():
    """Every throw on one face: ν ≡ 1 and Sison–Glaz has no information. The box was
    [0, 1/N] for unseen faces, narrower than one face's own exact interval (issue 23);
    it is now Clopper–Pearson at 1 − α/K per face: by hand, (α/2K)^(1/N) is the seen
    face's lower end and 1 − (α/2K)^(1/N) the others' upper end."""
    iv = estimate.sison_glaz([0, 0, 20], 0.95)
    end = (0.05 / 6) ** (1 / 20)
    assert iv.low == (0.0, 0.0, pytest.approx(end, rel=1e-14))
    assert iv.high == (pytest.approx(1 - end, rel=1e-14),) * 2 + (1.0,)


def test_sison_glaz_on_a_large_log_gives_proper_intervals():
    iv = estimate.sison_glaz([10**7 + i * 1000 for i in range(6)], 0.95)
    assert all(lo < hi for lo, hi in zip(iv.low, iv.high, strict=True))


@pytest.mark.parametrize("method", sorted(estimate.METHODS))
@pytest.mark.parametrize("counts", [[0, 5], [5, 0], [0, 0, 0, 0, 0, 1], [1, 0], [7] + [0] * 19])
def test_zero_and_all_counts_give_sensible_intervals(method, counts):
    iv = estimate.METHODS[method](counts, 0.95)
    n = sum(counts)
    for c, lo, hi in zip(counts, iv.low, iv.high, strict=True):
        assert 0 <= lo <= c / n <= hi <= 1
        assert hi > lo  # never a point
        if c == 0:
            assert lo == 0.0
        if c == n:
            assert hi == 1.0


def test_profile_curve_for_the_plot(sample):
    """Analysis.profile_curve: 0 at the MLE, −χ²₁(level)/2 at the profile interval's ends."""
    from reportgen.analysis import compute
    from reportgen.faces import parse_faces
    from reportgen.read import read_log

    result = compute(read_log(sample, parse_faces(6)))
    curve = result.profile_curve(3, points=101)
    assert len(curve) == 101 and curve[0] == (0.0, -math.inf) and curve[-1][1] == -math.inf
    assert max(v for _, v in curve) <= 0
    p = result.mle[3]
    n_k, n = result.counts[3], result.n
    top = estimate.profile_loglik(n_k, n, p)
    iv = result.intervals["profile"]
    q = stats.chi2.ppf(0.95, 1)
    for end in (iv.low[3], iv.high[3]):
        assert estimate.profile_loglik(n_k, n, end) - top == pytest.approx(-q / 2, rel=1e-9)


def test_sison_glaz_takes_the_first_crossing_of_a_non_monotone_nu():
    """Issue 23: (545, 328, 127) at 0.999. ν rises past the level at c = 48, falls below
    it again by c = 67 and crosses once more at c = 80; the method (Sison & Glaz 1995,
    statsmodels, R MultinomialCI) takes the first crossing, c = 47: face 1 [0.498, 0.593]."""
    counts = [545, 328, 127]
    c, below, above, _ = estimate.sison_glaz_c(counts, 0.999)
    assert c == 47 and below < 0.999 <= above
    assert estimate.box_probability(counts, 67) < 0.999  # ν is not monotone
    iv = estimate.sison_glaz(counts, 0.999)
    assert (round(iv.low[0], 3), round(iv.high[0], 3)) == (0.498, 0.593)
    expected = multinomial_proportions_confint(counts, 0.001, method="sison-glaz")
    assert pairs(iv) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", [0.8, 0.95, 0.999])
@pytest.mark.parametrize("counts", [[0, 0, 0, 0, 0, 5], [0, 20], [0] * 19 + [7], [1, 0, 0]])
def test_sison_glaz_with_one_face_contains_every_per_face_exact_interval(counts, level):
    """The degenerate box (every throw on one face) is at least as wide as the per-face
    Clopper–Pearson interval at the same level, face by face (scipy.stats.beta.ppf)."""
    n, alpha = sum(counts), 1 - level
    iv = estimate.sison_glaz(counts, level)
    for k, c in enumerate(counts):
        low = 0.0 if c == 0 else stats.beta.ppf(alpha / 2, c, n - c + 1)
        high = 1.0 if c == n else stats.beta.ppf(1 - alpha / 2, c + 1, n - c)
        assert iv.low[k] <= low + 1e-15 and iv.high[k] >= high - 1e-15


def test_box_probabilities_match_one_c_at_a_time():
    """The running sums over c give the ν of each single c (and ν(c ≥ N) = 1)."""
    counts = [56, 72, 73, 59, 62, 87, 58]
    nu = estimate.box_probabilities(counts, 40)
    assert [estimate.box_probability(counts, c) for c in (0, 7, 23, 40)] == [
        nu[0],
        nu[7],
        nu[23],
        nu[40],
    ]
    assert estimate.box_probability([3, 2], 5) == 1.0

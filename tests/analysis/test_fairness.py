"""Fairness tests and model comparison against scipy and brute force.

References: scipy.stats.chisquare (Pearson's X²), scipy.stats.power_divergence
with lambda_="log-likelihood" (G), scipy.stats.entropy (entropy and KL), a
hand-written sum for the total cross-entropy, and a brute-force enumeration of
every sequence of throws with exact rational arithmetic for the exact test.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from scipy import stats

from reportgen.analysis import compute, entropy, fairness
from reportgen.errors import UsageError
from reportgen.faces import parse_faces
from reportgen.options import make_options, parse_model
from reportgen.read import RollLog

CASES = [
    ([4, 3, 2, 5, 3, 3], None),
    ([0, 7, 1, 0, 2, 10], None),
    ([12, 8], None),
    ([1] * 20, None),
    ([52, 47, 46, 35, 44, 76], None),
    ([12, 8], (0.3, 0.7)),
    ([5, 9, 0, 6], (0.1, 0.2, 0.3, 0.4)),
    ([4, 3, 2, 5, 3, 3], (0.1, 0.1, 0.1, 0.1, 0.1, 0.5)),
]


def model(counts, y):
    return tuple(1 / len(counts) for _ in counts) if y is None else y


@pytest.mark.parametrize("counts, y", CASES)
def test_pearson_matches_scipy_chisquare(counts, y):
    y = model(counts, y)
    n = sum(counts)
    stat, df, p = entropy.pearson_chi2(counts, y)
    ref = stats.chisquare(counts, [n * y_k for y_k in y])
    assert stat == pytest.approx(ref.statistic, rel=1e-12, abs=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    assert df == len(counts) - 1


@pytest.mark.parametrize("counts, y", CASES)
def test_g_matches_scipy_power_divergence(counts, y):
    y = model(counts, y)
    n = sum(counts)
    stat, df, p = entropy.g_test(counts, y)
    ref = stats.power_divergence(counts, [n * y_k for y_k in y], lambda_="log-likelihood")
    assert stat == pytest.approx(ref.statistic, rel=1e-12, abs=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("counts, y", CASES)
def test_g_is_twice_the_cross_entropy_gap_and_2n_kl(counts, y):
    """G = 2 × (total under y − total under the MLE) = 2N · KL(observed ‖ y), in nats."""
    y = model(counts, y)
    n = sum(counts)
    mle = [c / n for c in counts]
    g, _, _ = entropy.g_test(counts, y)
    gap = entropy.total(counts, y) - entropy.total(counts, mle)
    assert g == pytest.approx(2 * gap, rel=1e-9, abs=1e-9)
    kl = entropy.kl_divergence(mle, y)
    assert kl == pytest.approx(stats.entropy(mle, y), rel=1e-12, abs=1e-15)
    assert g == pytest.approx(2 * n * kl, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("unit, base", [("nat", None), ("bit", 2)])
@pytest.mark.parametrize("counts, y", CASES)
def test_entropy_and_cross_entropy_against_scipy_and_a_hand_sum(counts, y, unit, base):
    y = model(counts, y)
    n = sum(counts)
    mle = [c / n for c in counts]
    assert entropy.entropy(mle, unit) == pytest.approx(stats.entropy(mle, base=base), rel=1e-12)
    log = math.log if base is None else math.log2
    hand = 0.0
    for c, y_k in zip(counts, y, strict=True):  # −Σ_k n_k log y_k, 0 · log 0 = 0
        if c:
            hand -= c * log(y_k)
    assert entropy.total(counts, y, unit) == pytest.approx(hand, rel=1e-12)
    # The fitted mean is the entropy (the lesson's minimum).
    assert entropy.total(counts, mle, unit) / n == pytest.approx(
        entropy.entropy(mle, unit), rel=1e-12, abs=1e-15
    )


def brute_force_pvalue(counts, y):
    """Σ Pr(x) over outcomes x with Pr(x) ≤ Pr(observed), enumerating every sequence
    of N throws (K^N of them) with exact rational probabilities."""
    n, k = sum(counts), len(counts)
    y = [Fraction(v).limit_denominator(10**6) for v in y]
    prob_of_counts: dict[tuple[int, ...], Fraction] = {}
    for seq in itertools.product(range(k), repeat=n):
        x = tuple(seq.count(j) for j in range(k))
        p = Fraction(1)
        for face in seq:
            p *= y[face]
        prob_of_counts[x] = prob_of_counts.get(x, Fraction(0)) + p
    observed = prob_of_counts[tuple(counts)]
    return float(sum(p for p in prob_of_counts.values() if p <= observed))


@pytest.mark.parametrize(
    "counts, y",
    [
        ([2, 1, 0], (1 / 3, 1 / 3, 1 / 3)),
        ([3, 0, 0, 1], (0.25, 0.25, 0.25, 0.25)),
        ([1, 1, 1, 1, 1, 1], None),
        ([4, 0, 0, 0, 0, 1], None),
        ([6, 1], (0.5, 0.5)),
        ([5, 2, 1], (0.5, 0.25, 0.25)),
        ([0, 3, 4], (0.2, 0.3, 0.5)),
        ([1, 0, 5], (0.2, 0.0, 0.8)),
    ],
)
def test_exact_multinomial_matches_brute_force(counts, y):
    y = model(counts, y)
    result = fairness.exact_multinomial(counts, y)
    assert result.method == "enumeration"
    assert result.draws == fairness.compositions(sum(counts), sum(1 for v in y if v > 0))
    assert result.stderr == 0.0
    assert result.pvalue == pytest.approx(brute_force_pvalue(counts, y), rel=1e-9, abs=1e-15)


def test_exact_multinomial_impossible_outcome_has_p_zero():
    assert fairness.exact_multinomial([1, 1, 5], (0.2, 0.0, 0.8)).pvalue == 0.0


def test_monte_carlo_agrees_with_enumeration_and_is_reproducible():
    """The Monte Carlo p is (b + 1)/(B + 1) (issue 23: never 0), its stderr that of
    that estimator, √(B p(1 − p))/(B + 1); the same seed gives the same result."""
    counts, y = [9, 3, 2, 6, 4, 6], (1 / 6,) * 6
    exact = fairness.exact_multinomial(counts, y)
    mc = fairness.exact_multinomial(counts, y, max_enumeration=10)
    assert mc.method == "monte-carlo" and mc.draws == fairness.MONTE_CARLO_DRAWS
    assert mc.seed == fairness.MONTE_CARLO_SEED and exact.seed is None
    b = round(mc.pvalue * (mc.draws + 1)) - 1
    assert mc.pvalue == (b + 1) / (mc.draws + 1)
    assert mc.stderr == pytest.approx(
        math.sqrt(mc.draws * mc.pvalue * (1 - mc.pvalue)) / (mc.draws + 1)
    )
    assert abs(mc.pvalue - exact.pvalue) < 5 * mc.stderr
    assert fairness.exact_multinomial(counts, y, max_enumeration=10) == mc  # fixed seed


def test_large_logs_are_exact_now():
    """The loaded red die of data/two_dice.csv (N = 300) was a Monte Carlo estimate;
    the exact test now sums it (issue 23)."""
    result = fairness.exact_multinomial([52, 47, 46, 35, 44, 76], (1 / 6,) * 6)
    assert result.method == "enumeration"
    assert 0 < result.pvalue < 0.02


# --model -------------------------------------------------------------------


def test_parse_model():
    d6 = parse_faces(6)
    assert parse_model("fair", d6) == (1 / 6,) * 6
    assert parse_model("0.1, 0.1,0.1,0.1,0.1,0.5", d6) == (0.1, 0.1, 0.1, 0.1, 0.1, 0.5)
    assert parse_model("0.5,0.5", parse_faces("H,T")) == (0.5, 0.5)


@pytest.mark.parametrize(
    "spec",
    [
        "0.5,0.5",
        "0.2,0.2,0.2,0.2,0.2,0.2",
        "-0.1,0.3,0.2,0.2,0.2,0.2",
        "a,b,c,d,e,f",
        "nan,0.2,0.2,0.2,0.2,0.2",
        "0.1,0.1,0.1,0.1,0.1,0.5000001",
        "unfair",
    ],
)
def test_bad_model_is_a_usage_error(spec):
    with pytest.raises(UsageError):
        make_options(faces=6, model=spec)


def test_sum_within_tolerance_is_accepted():
    make_options(faces=2, model="0.5,0.5000000001")


def _log(counts, faces=6):
    f = parse_faces(faces)
    return RollLog("x.csv", "0" * 64, "face", "counts", f, tuple(counts), ())


def test_zero_probability_face_that_occurs_is_infinite_and_flagged():
    options = make_options(faces=3, model="0.5,0.5,0").stats
    result = compute(_log([3, 4, 1], 3), options)
    assert result.infinite_faces == (3,)  # the face's label, as the JSON names it
    assert result.infinite_indices == (2,)
    assert math.isinf(result.reference.total) and math.isinf(result.kl_divergence)
    assert result.reference.per_face[2] == math.inf
    assert result.tests["g_test"].pvalue == 0.0
    assert result.exact_multinomial.pvalue == 0.0


def test_zero_probability_face_that_never_occurs_is_finite():
    options = make_options(faces=3, model="0.5,0.5,0").stats
    result = compute(_log([3, 4, 0], 3), options)
    assert result.infinite_faces == ()
    assert result.reference.total == pytest.approx(7 * math.log(2))


def test_reference_uses_the_model():
    options = make_options(faces=2, model="0.3,0.7").stats
    result = compute(_log([12, 8], 2), options)
    assert result.reference.y == (0.3, 0.7)
    assert result.reference.total == pytest.approx(-(12 * math.log(0.3) + 8 * math.log(0.7)))
    assert result.kl_divergence == pytest.approx(stats.entropy([0.6, 0.4], [0.3, 0.7]))
    assert result.tests["g_test"].statistic == pytest.approx(
        2 * (result.reference.total - result.cross_entropy.total)
    )


# CLI -------------------------------------------------------------------------


def _strict(text):
    def fail(name):
        raise AssertionError(f"non-strict JSON token {name}")

    return json.loads(text, parse_constant=fail)


def test_cli_model_for_a_coin(tmp_path, cli):
    path = tmp_path / "coin.csv"
    path.write_text("face\n" + "H\n" * 12 + "T\n" * 8, encoding="utf-8")
    done = cli(path, "--faces", "H,T", "--model", "0.5,0.5", "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = _strict(done.stdout)
    assert data["faces"] == ["H", "T"] and data["counts"] == [12, 8]
    assert data["reference"]["model"] == "0.5,0.5" and data["reference"]["y"] == [0.5, 0.5]
    assert data["reference"]["infinite_faces"] == []
    exact = data["tests"]["exact_multinomial"]
    assert exact["method"] == "enumeration" and exact["draws"] == 21
    assert exact["pvalue"] == pytest.approx(stats.binomtest(12, 20).pvalue, rel=1e-9)
    assert data["tests"]["g_test"]["statistic"] == pytest.approx(
        2 * 20 * data["reference"]["kl_divergence"], rel=1e-12
    )


def test_cli_zero_probability_model_writes_null_not_infinity(tmp_path, cli):
    path = tmp_path / "coin.csv"
    path.write_text("face\nH\nH\nT\n", encoding="utf-8")
    done = cli(path, "--faces", "H,T", "--model", "1,0", "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = _strict(done.stdout)
    assert data["reference"]["infinite_faces"] == ["T"]
    assert data["reference"]["cross_entropy_total"] is None
    assert data["reference"]["kl_divergence"] is None
    assert data["tests"]["g_test"]["statistic"] is None


@pytest.mark.parametrize("spec", ["0.5,0.5", "0.2,0.2,0.2,0.2,0.2,0.3", "x", "-1,1,0,0,0,1"])
def test_cli_bad_model_is_exit_2(spec, sample, cli):
    done = cli(sample, "--model", spec, "-f", "json", "-o", "-")
    assert done.returncode == 2
    assert done.stdout == b""
    assert "--model" in done.stderr.decode()


@pytest.mark.parametrize(
    "method", ["wilson", "exact", "jeffreys", "profile", "goodman", "sison-glaz"]
)
def test_cli_interval_choice(method, sample, cli):
    done = cli(sample, "--interval", method, "--confidence", "90%", "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = _strict(done.stdout)
    assert data["interval"] == method.replace("-", "_")
    assert data["confidence_level"] == 0.9


def test_json_run_does_not_import_scipy_stats_or_statsmodels(tmp_path):
    """A JSON-only run pays for neither (about a second of imports)."""
    out = str(tmp_path / "out.json")
    two_dice = str(Path(__file__).resolve().parents[2] / "data" / "two_dice.csv")
    code = (
        "import sys; from reportgen.cli import main; "
        f"assert main([{two_dice!r}, '--by', 'die', '-f', 'json', '-o', {out!r}]) == 0; "
        "bad = [m for m in sys.modules if m.startswith(('scipy.stats', 'statsmodels'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr

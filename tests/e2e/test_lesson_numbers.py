"""Every figure of the JSON results against an independent computation.

References: scipy.stats.binomtest (Wilson, Clopper-Pearson), scipy.stats.beta
(Clopper-Pearson closed form), scipy.stats.entropy (entropy, KL divergence),
scipy.stats.chisquare and power_divergence (Pearson, G), and hand-written
sums over the raw rows of the CSV for counts and the total cross-entropy.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from tests.conftest import DATA, run_cli

TOL = 1e-12
SAMPLES = ["rolls.csv", "loaded.csv"]


def _strict(text: str):
    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def _results(name: str, *args: str) -> dict:
    proc = run_cli(DATA / name, "-f", "json", "-o", "-", *args)
    assert proc.returncode == 0, proc.stderr.decode()
    return _strict(proc.stdout.decode())


def _throws(name: str) -> list[int]:
    """The faces of the log, read row by row with the csv module (hand computation)."""
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return [int(row["face"]) for row in csv.DictReader(handle)]


@pytest.fixture(params=SAMPLES, scope="module")
def case(request):
    return _results(request.param), _throws(request.param)


def test_counts_and_mle_match_a_hand_count(case):
    res, throws = case
    tally = Counter(throws)
    assert res["faces"] == [1, 2, 3, 4, 5, 6]
    assert res["n"] == len(throws)
    assert res["counts"] == [tally[k] for k in range(1, 7)]
    assert res["mle"] == [tally[k] / len(throws) for k in range(1, 7)]
    assert math.isclose(sum(res["mle"]), 1.0, abs_tol=TOL)


def test_wilson_matches_scipy_binomtest(case):
    res, throws = case
    wilson = res["intervals"]["wilson"]
    for k, count in enumerate(res["counts"]):
        ci = stats.binomtest(count, res["n"]).proportion_ci(0.95, method="wilson")
        assert wilson["low"][k] == pytest.approx(ci.low, abs=TOL)
        assert wilson["high"][k] == pytest.approx(ci.high, abs=TOL)


def test_exact_matches_beta_quantiles_and_binomtest(case):
    res, _ = case
    exact = res["intervals"]["exact"]
    n = res["n"]
    for k, count in enumerate(res["counts"]):
        # Clopper-Pearson closed form through scipy.stats.beta quantiles.
        low = stats.beta.ppf(0.025, count, n - count + 1) if count else 0.0
        high = stats.beta.ppf(0.975, count + 1, n - count) if count < n else 1.0
        assert exact["low"][k] == pytest.approx(low, abs=TOL)
        assert exact["high"][k] == pytest.approx(high, abs=TOL)
        # scipy.stats.binomtest finds the same bounds by root finding (looser tolerance).
        ci = stats.binomtest(count, n).proportion_ci(0.95, method="exact")
        assert exact["low"][k] == pytest.approx(ci.low, abs=1e-9)
        assert exact["high"][k] == pytest.approx(ci.high, abs=1e-9)


def test_cross_entropy_total_is_the_sum_over_throws(case):
    res, throws = case
    y = dict(zip(res["faces"], res["mle"], strict=True))
    # Equation (4.3) for each throw, E_i = -log y_{face_i}, summed by hand.
    per_throw = [-math.log(y[face]) for face in throws]
    total = math.fsum(per_throw)
    ce = res["cross_entropy"]
    assert ce["model"] == "mle"
    assert ce["total"] == pytest.approx(total, rel=TOL)
    assert ce["mean"] == pytest.approx(total / len(throws), rel=TOL)
    assert ce["per_face"] == pytest.approx([-math.log(p) for p in res["mle"]], rel=TOL)
    for i, row in enumerate(ce["first"]):
        assert row["throw"] == i + 1
        assert row["face"] == throws[i]
        assert row["t"] == [int(face == throws[i]) for face in res["faces"]]
        assert row["value"] == pytest.approx(per_throw[i], rel=TOL)
    assert len(ce["first"]) == min(20, len(throws))


def test_entropy_is_the_mean_at_the_mle_and_matches_scipy(case):
    res, _ = case
    assert res["entropy"] == pytest.approx(stats.entropy(res["mle"]), rel=TOL)
    assert res["entropy"] == pytest.approx(res["cross_entropy"]["mean"], rel=TOL)


def test_fair_reference_and_kl_divergence(case):
    res, throws = case
    ref = res["reference"]
    n = len(throws)
    assert ref["model"] == "fair"
    assert ref["y"] == [1 / 6] * 6
    assert ref["cross_entropy_total"] == pytest.approx(n * math.log(6), rel=TOL)
    assert ref["cross_entropy_mean"] == pytest.approx(math.log(6), rel=TOL)
    assert ref["kl_divergence"] == pytest.approx(stats.entropy(res["mle"], [1 / 6] * 6), abs=TOL)
    assert ref["kl_divergence"] == pytest.approx(
        ref["cross_entropy_mean"] - res["cross_entropy"]["mean"], abs=TOL
    )


def test_goodness_of_fit_matches_scipy(case):
    res, _ = case
    counts = np.array(res["counts"])
    chi2 = stats.chisquare(counts)
    g = stats.power_divergence(counts, lambda_="log-likelihood")
    assert res["tests"]["pearson_chi2"]["statistic"] == pytest.approx(chi2.statistic, rel=TOL)
    assert res["tests"]["pearson_chi2"]["pvalue"] == pytest.approx(chi2.pvalue, rel=1e-10)
    assert res["tests"]["g_test"]["statistic"] == pytest.approx(g.statistic, rel=1e-10)
    assert res["tests"]["g_test"]["pvalue"] == pytest.approx(g.pvalue, rel=1e-9)
    # The lesson's bridge: G = 2 x (total under the fair die - total under the MLE).
    ref_total = res["reference"]["cross_entropy_total"]
    assert res["tests"]["g_test"]["statistic"] == pytest.approx(
        2 * (ref_total - res["cross_entropy"]["total"]), rel=1e-9
    )
    assert res["tests"]["pearson_chi2"]["df"] == res["tests"]["g_test"]["df"] == 5


def test_bits_are_nats_over_log_2():
    nat = _results("loaded.csv")
    bit = _results("loaded.csv", "--unit", "bit")
    assert bit["unit"] == "bit"
    assert bit["entropy"] == pytest.approx(stats.entropy(nat["mle"], base=2), rel=TOL)
    assert bit["cross_entropy"]["total"] == pytest.approx(
        nat["cross_entropy"]["total"] / math.log(2), rel=TOL
    )
    # The G statistic is a likelihood ratio: in nats whatever the unit.
    assert bit["tests"]["g_test"]["statistic"] == nat["tests"]["g_test"]["statistic"]


def test_input_block_names_the_file_and_its_digest():
    import hashlib

    res = _results("rolls.csv")
    digest = hashlib.sha256((DATA / "rolls.csv").read_bytes()).hexdigest()
    assert res["input"]["sha256"] == digest
    assert res["input"]["column"] == "face"
    assert res["input"]["format"] == "log"
    assert res["reportgen"]
    assert res["confidence_level"] == 0.95

"""Held-out cross-entropy (the JSON's ``holdout``), recomputed by hand from the throws.

Oracle: a loop over the test throws themselves, one ``math.log`` per throw, with
the training estimates counted from the training throws with ``list.count``;
nothing of reportgen's counting or of ``entropy.total`` is used.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import reportgen
from reportgen.analysis.holdout import holdout, split

DATA = Path(__file__).resolve().parents[2] / "data"


def by_hand(throws, k, train, model, log=math.log):
    """(mle, laplace, model) mean cross-entropy per test throw, ∞ where a test face has q = 0."""
    first, rest = throws[:train], throws[train:]
    mle = [first.count(face) / train for face in range(1, k + 1)]
    laplace = [(first.count(face) + 1) / (train + k) for face in range(1, k + 1)]

    def mean(q):
        if any(q[face - 1] == 0 for face in rest):
            return math.inf
        return -sum(log(q[face - 1]) for face in rest) / len(rest)

    return mean(mle), mean(laplace), mean(model)


def _json_holdout(throws, **options):
    return reportgen.analyse(throws, **options).to_dict().get("holdout")


def test_the_sample_splits_at_ten_and_scores_each_model():
    """data/rolls.csv: 20 throws, the first 10 fit, the last 10 score (hand loop)."""
    throws = [int(v) for v in (DATA / "rolls.csv").read_text().split()[1:]]
    got = _json_holdout(throws)
    assert (got["train"], got["test"]) == (10, 10)
    mle, laplace, model = by_hand(throws, 6, 10, [1 / 6] * 6)
    values = got["cross_entropy_mean"]
    assert values["laplace"] == pytest.approx(laplace, rel=1e-12)
    assert values["model"] == pytest.approx(model, rel=1e-12)
    assert values["mle"] == pytest.approx(mle, rel=1e-12)


def test_a_face_unseen_in_training_makes_the_mle_null_but_not_laplace():
    """Face 6 only in the second half: −log 0 for the MLE, add-one stays finite (hand loop)."""
    throws = [1, 2, 3, 4, 5] * 2 + [6, 1, 2, 6, 3, 4, 5, 6, 2, 1]
    got = _json_holdout(throws)
    mle, laplace, _ = by_hand(throws, 6, 10, [1 / 6] * 6)
    assert mle == math.inf and got["cross_entropy_mean"]["mle"] is None
    assert got["cross_entropy_mean"]["laplace"] == pytest.approx(laplace, rel=1e-12)


def test_a_model_that_forbids_a_test_face_is_null_and_bits_divide_by_log_2():
    """--model with y_6 = 0 and --unit bit: the hand loop with log2."""
    throws = [1, 2, 3, 4, 5, 6] * 2 + [6, 2, 3, 1, 5, 4]
    y = [0.2, 0.2, 0.2, 0.2, 0.2, 0.0]
    got = _json_holdout(throws, model=",".join(map(str, y)), unit="bit")
    mle, laplace, model = by_hand(throws, 6, 9, y, log=math.log2)
    assert model == math.inf and got["cross_entropy_mean"]["model"] is None
    assert got["cross_entropy_mean"]["mle"] == pytest.approx(mle, rel=1e-12)
    assert got["cross_entropy_mean"]["laplace"] == pytest.approx(laplace, rel=1e-12)


def test_no_holdout_below_ten_throws_nor_for_a_frequency_table():
    """SPEC.md: absent when N < 10 or for a frequency table (no order)."""
    assert _json_holdout([1, 2, 3, 4, 5, 6, 1, 2, 3]) is None
    assert "holdout" in reportgen.analyse([1, 2, 3, 4, 5, 6, 1, 2, 3, 4]).to_dict()
    table = reportgen.analyse({1: 30, 2: 20, 3: 10, 4: 5, 5: 5, 6: 30}, counts=True)
    assert "holdout" not in table.to_dict()


def test_a_long_log_splits_at_a_kept_checkpoint_near_half():
    """N = 1000: the split throw is one whose counts the log kept, within 2.5 % of N/2;
    the figures are the hand loop's at that split."""
    rng = random.Random(24)
    throws = rng.choices(range(1, 7), weights=[14, 16, 16, 16, 16, 22], k=1000)
    report = reportgen.analyse(throws)
    got = report.to_dict()["holdout"]
    assert got["train"] in {m for m, _ in report.log.checkpoints}
    assert abs(got["train"] - 500) <= 25 and got["train"] + got["test"] == 1000
    expected = by_hand(throws, 6, got["train"], [1 / 6] * 6)
    values = got["cross_entropy_mean"]
    assert [values["mle"], values["laplace"], values["model"]] == pytest.approx(expected, rel=1e-12)


def test_each_group_of_by_has_its_own_holdout():
    """--by die: each die's throws in their own order (hand loop per die)."""
    rows = [("red" if i % 3 else "white", 1 + (i * i) % 6) for i in range(60)]
    frame = pd.DataFrame(rows, columns=["die", "face"])
    got = reportgen.analyse(frame, by="die").to_dict()
    for name in ("red", "white"):
        throws = [face for die, face in rows if die == name]
        h = got["groups"][name]["holdout"]
        assert h["train"] == len(throws) // 2
        expected = by_hand(throws, 6, h["train"], [1 / 6] * 6)
        assert h["cross_entropy_mean"]["laplace"] == pytest.approx(expected[1], rel=1e-12)


def test_split_prefers_the_exact_half_then_the_nearest_kept_throw():
    """Ties around an odd N go to ⌊N/2⌋; without it, the nearest checkpoint (hand cases)."""
    points = [(m, (m, 0)) for m in (1, 2, 10, 11, 21)]
    assert split(points, 21)[0] == 10
    assert split([(8, (8, 0)), (13, (13, 0)), (21, (21, 0))], 21)[0] == 8
    assert split([(21, (21, 0))], 21) is None
    assert holdout([], (5, 5), (0.5, 0.5)) is None


@given(
    train=st.lists(st.integers(0, 30), min_size=2, max_size=6),
    test=st.lists(st.integers(0, 30), min_size=2, max_size=6),
)
@settings(max_examples=60, deadline=None)
def test_the_gap_se_is_the_standard_error_of_the_paired_per_throw_differences(train, test):
    """Against scipy.stats.sem over the test throws written out one by one."""
    import numpy as np
    from scipy import stats

    from reportgen.analysis.holdout import scores

    k = min(len(train), len(test))
    train, test = train[:k], test[:k]
    assume(sum(train) > 0 and sum(test) > 1)
    y = [1 / k] * k
    found = scores(train, test, y)
    fits = {
        "mle": [c / sum(train) for c in train],
        "laplace": [(c + 1) / (sum(train) + k) for c in train],
        "model": y,
    }
    best, second = found.ranked[:2]
    faces = np.repeat(np.arange(k), test)  # each test throw, by face
    with np.errstate(divide="ignore"):
        d = -np.log(np.asarray(fits[second]))[faces] + np.log(np.asarray(fits[best]))[faces]
    if not np.all(np.isfinite(d)):
        assert math.isinf(found.gap_se) and found.decisive
        return
    assert found.gap_se == pytest.approx(stats.sem(d), rel=1e-9, abs=1e-12)
    assert found.decisive == (d.mean() > 2 * stats.sem(d))


def test_600_throws_pooled_cannot_tell_a_fair_die_from_laplace_on_new_throws():
    from reportgen.analysis import holdout as holdouts

    found = holdouts.of(reportgen.analyse(DATA / "two_dice.csv"))  # both dice pooled
    assert found is not None and found.ranked[:2] == ["model", "laplace"]
    assert not found.decisive
    assert found.model < found.laplace < found.model + 2 * found.gap_se

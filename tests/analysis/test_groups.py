"""Several dice (``--by``) and frequency tables (``--counts``), through ingest, analysis and CLI.

References: scipy.stats.chi2_contingency (correction=False; and with
lambda_="log-likelihood" for G) for the homogeneity test; analysing each
group's throws on their own for the per-group figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from reportgen.analysis import compute, fairness
from reportgen.errors import DataError
from reportgen.faces import parse_faces
from reportgen.options import StatOptions
from reportgen.read import read_log
from reportgen.render.formats.json import to_dict

TWO_DICE = Path(__file__).resolve().parents[2] / "data" / "two_dice.csv"


def fail(name):
    raise AssertionError(f"non-strict JSON token {name}")


def strict(text: str | bytes):
    return json.loads(text, parse_constant=fail)


@pytest.mark.parametrize(
    "table",
    [
        [[39, 47, 53, 60, 55, 46], [52, 47, 46, 35, 44, 76]],
        [[10, 20, 0], [15, 12, 0]],  # a face no die showed: dropped, df = 1
        [[5, 0, 3, 2], [1, 4, 0, 6], [2, 2, 2, 2]],
        [[1, 2], [3, 4]],
    ],
)
def test_homogeneity_matches_scipy_chi2_contingency(table):
    result = fairness.homogeneity(table)
    observed = np.asarray(table)
    observed = observed[:, observed.sum(axis=0) > 0]
    pearson = stats.chi2_contingency(observed, correction=False)
    g = stats.chi2_contingency(observed, correction=False, lambda_="log-likelihood")
    assert result.statistic == pytest.approx(pearson.statistic, rel=1e-12)
    assert result.pvalue == pytest.approx(pearson.pvalue, rel=1e-9)
    assert result.df == pearson.dof
    assert result.g_statistic == pytest.approx(g.statistic, rel=1e-12)
    assert result.g_pvalue == pytest.approx(g.pvalue, rel=1e-9)


def test_homogeneity_of_one_group_is_vacuous():
    """One row: one table has its margins, so the exact test (added in issue 23) has p = 1."""
    vacuous = fairness.ExactHomogeneity(1.0, "enumeration", None, None)
    assert fairness.homogeneity([[3, 4, 5]]) == fairness.Homogeneity(0.0, 0, 1.0, 0.0, 1.0, vacuous)


def test_groups_in_order_of_first_appearance_with_their_own_first_throws(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("die,face\nred,1\nblue,2\nred,3\nred,1\ngreen,6\n", encoding="utf-8")
    log = read_log(path, parse_faces(6), by="die")
    assert log.by == "die"
    assert [name for name, _ in log.groups] == ["red", "blue", "green"]
    red = dict(log.groups)["red"]
    assert red.counts == (2, 0, 1, 0, 0, 0)
    assert red.first_faces == (0, 2, 0)
    assert red.checkpoints[-1] == (3, (2, 0, 1, 0, 0, 0))
    assert log.counts == (2, 1, 1, 0, 0, 1)


def test_missing_group_cell_names_path_and_line(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("die,face\nred,1\n ,2\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_log(path, parse_faces(6), by="die")
    assert str(info.value).startswith(f"{path}:3:")


def test_unknown_group_column(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("die,face\nred,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column named 'colour'"):
        read_log(path, parse_faces(6), by="colour")


def test_grouped_frequency_table(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("die,face,count\nred,1,3\nblue,2,4\nred,2,5\nblue,1,2\n", encoding="utf-8")
    log = read_log(path, parse_faces(3), by="die")
    assert log.format == "counts" and log.counts == (5, 9, 0)
    assert dict(log.groups)["red"].counts == (3, 5, 0)
    assert dict(log.groups)["blue"].first_faces == ()


def test_each_group_is_analysed_as_its_own_log(tmp_path):
    options = StatOptions()
    log = read_log(TWO_DICE, parse_faces(6), by="die")
    result = compute(log, options)
    assert list(result.groups) == ["white", "red"]
    adjusted = multipletests([g.exact_multinomial.pvalue for g in result.groups.values()],
                             method="holm")[1]  # fmt: skip
    for (name, group_log), holm in zip(log.groups, adjusted, strict=True):
        alone = compute(group_log, options)  # alone: no family of tests to adjust for
        within = to_dict(result.groups[name])
        # statsmodels' multipletests(method="holm") is the oracle of the adjustment
        assert within["tests"]["exact_multinomial"].pop("pvalue_holm") == pytest.approx(holm)
        assert within == to_dict(alone)
    table = [result.groups[name].counts for name in result.groups]
    assert result.homogeneity == fairness.homogeneity(table)
    assert sum(np.asarray(table)).tolist() == list(result.counts)


def test_cli_by_die_json(cli):
    done = cli(TWO_DICE, "--by", "die", "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = strict(done.stdout)
    assert list(data["groups"]) == ["white", "red"]
    assert set(data["homogeneity"]) == {
        "statistic",
        "df",
        "pvalue",
        "g_statistic",
        "g_pvalue",
        "exact",
    }
    assert data["homogeneity"]["df"] == 5
    red = data["groups"]["red"]
    assert red["n"] == 300 and sum(red["counts"]) == 300
    assert set(red["intervals"]) == {
        "wilson",
        "exact",
        "jeffreys",
        "profile",
        "goodman",
        "sison_glaz",
    }
    assert red["tests"]["pearson_chi2"]["pvalue"] < 0.05  # the loaded one
    assert data["groups"]["white"]["tests"]["pearson_chi2"]["pvalue"] > 0.05
    ref = stats.chi2_contingency(
        [data["groups"][g]["counts"] for g in ("white", "red")], correction=False
    )
    assert data["homogeneity"]["statistic"] == pytest.approx(ref.statistic, rel=1e-12)
    assert len(red["cross_entropy"]["first"]) == 20
    assert "groups" not in red and "homogeneity" not in red


def test_cli_without_by_has_no_groups(cli):
    done = cli(TWO_DICE, "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = strict(done.stdout)
    assert "groups" not in data and "homogeneity" not in data and data["n"] == 600


def test_cli_missing_group_cell_is_exit_65(tmp_path, cli):
    path = tmp_path / "g.csv"
    path.write_text("die,face\nred,1\n,2\n", encoding="utf-8")
    done = cli(path, "--by", "die", "-f", "json", "-o", "-")
    assert done.returncode == 65
    assert f"{path}:3:" in done.stderr.decode()


def _counts_json(cli, path: Path, *extra: str):
    done = cli(path, "-f", "json", "-o", "-", *extra)
    assert done.returncode == 0, done.stderr
    return strict(done.stdout)


def test_cli_counts_table_gives_the_same_statistics_as_the_log(tmp_path, sample, cli):
    log = _counts_json(cli, sample)
    table = tmp_path / "table.csv"
    table.write_text(
        "face,count\n"
        + "".join(f"{f},{c}\n" for f, c in zip(log["faces"], log["counts"], strict=True)),
        encoding="utf-8",
    )
    counted = _counts_json(cli, table, "--counts")
    assert counted["input"]["format"] == "counts"
    assert counted["cross_entropy"]["first"] == []
    for key in ("counts", "mle", "intervals", "entropy", "reference", "tests"):
        assert counted[key] == log[key], key


def test_cli_counts_forced_with_other_header_names(tmp_path, cli):
    table = tmp_path / "t.csv"
    table.write_text("side,times\nH,7\nT,0\n", encoding="utf-8")
    data = _counts_json(cli, table, "--counts", "--faces", "H,T")
    assert data["counts"] == [7, 0] and data["input"]["format"] == "counts"
    assert data["intervals"]["profile"]["low"][1] == 0.0


def test_by_the_face_column_is_refused(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("die,face\nred,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="that is the face column"):
        read_log(path, parse_faces(6), by="face")


def test_cli_d20_with_unseen_faces(sample, cli):
    """Faces never thrown appear with count 0 in every statistic (0 · log 0 = 0)."""
    done = cli(sample, "--faces", "20", "-f", "json", "-o", "-")
    assert done.returncode == 0, done.stderr
    data = strict(done.stdout)
    assert len(data["counts"]) == 20 and data["counts"][6:] == [0] * 14
    for name, iv in data["intervals"].items():
        assert len(iv["low"]) == 20 and all(lo == 0.0 for lo in iv["low"][6:]), name
        assert all(0 < hi < 1 for hi in iv["high"][6:]), name
    assert data["tests"]["pearson_chi2"]["df"] == 19
    # 20 throws of a fair d20: the sorted acceptance region is small, the test exact (issue 23)
    assert data["tests"]["exact_multinomial"]["method"] == "enumeration"
    assert data["reference"]["infinite_faces"] == []

"""Issue 26, points 3 and 4: tables for pandas, and results that unpack as scipy's do.

Every number is checked against an independent implementation, named at each
check: statsmodels 0.15 (``proportion_confint``, ``multinomial_proportions_confint``)
for the intervals, scipy 1.17 (``chisquare``, ``power_divergence``,
``multinomial``) for the tests, and a direct sum over every outcome for the exact
test's p-value.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint

import reportgen
from reportgen.analysis.fairness import ExactTest

ROLLS = [4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6]
COUNTS = np.array([3, 3, 2, 5, 3, 4])
LOADED = [0.1, 0.1, 0.1, 0.4, 0.1, 0.2]


@pytest.fixture(scope="module")
def result():
    return reportgen.analyse(pd.Series(ROLLS), model=LOADED)


def test_to_frame_has_a_row_per_face_and_the_jsons_per_face_lists(result):
    frame = result.to_frame()
    data = result.to_dict()
    assert frame.index.name == "face" and list(frame.index) == [1, 2, 3, 4, 5, 6]
    assert frame["counts"].tolist() == data["counts"] and frame["counts"].dtype == "int64"
    assert frame["mle"].tolist() == data["mle"]
    for method, bounds in data["intervals"].items():
        assert frame[f"{method}_low"].tolist() == bounds["low"]
        assert frame[f"{method}_high"].tolist() == bounds["high"]
    assert frame["cross_entropy_per_face"].tolist() == data["cross_entropy"]["per_face"]
    assert frame["reference_y"].tolist() == data["reference"]["y"]
    assert frame["reference_per_face"].to_numpy() == pytest.approx(-np.log(LOADED), rel=1e-15)
    coin = reportgen.analyse({"H": 7, "T": 3}).to_frame()
    assert list(coin.index) == ["H", "T"] and coin.loc["H", "counts"] == 7


def test_conf_int_recomputes_at_another_level_as_statsmodels_does(result):
    """statsmodels' proportion_confint ('wilson', 'beta' = Clopper-Pearson, 'jeffreys') and
    multinomial_proportions_confint ('goodman', 'sison-glaz') at 99%."""
    same = result.conf_int()
    assert same.attrs == {"confidence_level": 0.95, "interval": "wilson"}
    assert same["low"].tolist() == list(result.intervals["wilson"].low)
    assert list(same.columns) == ["low", "high"] and same.index.name == "face"
    for method, theirs in (("wilson", "wilson"), ("exact", "beta"), ("jeffreys", "jeffreys")):
        frame = result.conf_int(level="99%", method=method)
        low, high = proportion_confint(COUNTS, 20, alpha=0.01, method=theirs)
        assert frame["low"].to_numpy() == pytest.approx(low, rel=1e-9), method
        assert frame["high"].to_numpy() == pytest.approx(high, rel=1e-9), method
    for method in ("goodman", "sison_glaz"):
        frame = result.conf_int(0.99, method)
        named = method.replace("_", "-")
        theirs = multinomial_proportions_confint(COUNTS, alpha=0.01, method=named)
        assert frame.to_numpy() == pytest.approx(theirs, rel=1e-6), method
    assert result.conf_int(0.9, "sison-glaz").attrs["interval"] == "sison_glaz"
    with pytest.raises(reportgen.UsageError, match=r"^method='bayes': choose one of wilson,"):
        result.conf_int(method="bayes")
    with pytest.raises(reportgen.UsageError, match=r"^level=1.5: give a level between 0 and 1"):
        result.conf_int(1.5)


def test_the_tests_unpack_as_scipys_statistic_and_pvalue(result):
    """scipy.stats.chisquare and power_divergence(lambda_="log-likelihood") unpack the same."""
    expected = 20 * np.array(LOADED)
    stat, p = result.tests["pearson_chi2"]
    assert (stat, p) == pytest.approx(tuple(stats.chisquare(COUNTS, expected)), rel=1e-12)
    stat, p = result.tests["g_test"]
    g = stats.power_divergence(COUNTS, expected, lambda_="log-likelihood")
    assert (stat, p) == pytest.approx(tuple(g), rel=1e-12)
    test = result.tests["g_test"]
    assert len(test) == 2 and (test[0], test[1]) == (test.statistic, test.pvalue) and test.df == 5
    for name, (statistic, pvalue) in result.tests.items():  # every test, the same shape
        assert 0 <= pvalue <= 1 and statistic >= 0, name


def test_the_exact_test_unpacks_as_the_probability_of_the_counts_and_its_pvalue(result):
    """Pr(n) from scipy.stats.multinomial.pmf; p summed directly over all 53 130 outcomes."""
    probability, p = result.tests["exact_multinomial"]
    assert probability == pytest.approx(stats.multinomial.pmf(COUNTS, 20, LOADED), rel=1e-12)
    bars = itertools.combinations(range(25), 5)  # stars and bars: 20 throws, 6 faces
    outcomes = np.array([np.diff((-1, *where, 25)) - 1 for where in bars])
    pmf = stats.multinomial.pmf(outcomes, 20, LOADED)
    assert p == pytest.approx(pmf[pmf <= probability * (1 + 1e-7)].sum(), rel=1e-9)
    assert result.tests["exact_multinomial"].method == "enumeration"
    assert math.isnan(ExactTest(0.5, "enumeration", 1, 0.0).statistic)  # made by hand: unknown

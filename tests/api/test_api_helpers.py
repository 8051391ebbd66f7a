"""Issue 26, point 8: ``reportgen.power`` and ``reportgen.compare``, and the examples of the
docs (docstrings and ``docs/api.md``) run as written.

``power`` is checked against statsmodels' ``GofChisquarePower`` (the χ² test's power
with Cohen's w; w² = 2·KL gives the G-test's noncentrality 2N·KL) and scipy's
noncentral χ² (``stats.ncx2``); ``compare`` against ``scipy.stats.multinomial.logpmf``
and ``scipy.special.xlogy``.
"""

from __future__ import annotations

import doctest
import math
import re

import numpy as np
import pytest
from scipy import special, stats
from statsmodels.stats.power import GofChisquarePower

import reportgen
from reportgen import helpers
from tests.conftest import ROOT

LOADED = [0.25, 0.15, 0.15, 0.15, 0.15, 0.15]


@pytest.mark.parametrize(
    ("effect", "keywords", "k", "alpha", "power"),
    [
        (0.05, {}, 6, 0.05, 0.8),
        (LOADED, {"power": 0.9}, 6, 0.05, 0.9),
        (0.1, {"faces": "H,T", "confidence": "99%"}, 2, 0.01, 0.8),
        (0.02, {"faces": 20, "unit": "bit"}, 20, 0.05, 0.8),
    ],
)
def test_power_is_the_fewest_throws_that_reach_the_power(effect, keywords, k, alpha, power):
    n = reportgen.power(effect, **keywords)
    if isinstance(effect, list):
        kl = float(np.sum(special.rel_entr(effect, [1 / k] * k)))  # KL in nats
    else:
        kl = effect * (math.log(2) if keywords.get("unit") == "bit" else 1.0)
    needed = GofChisquarePower().solve_power(
        effect_size=math.sqrt(2 * kl), nobs=None, alpha=alpha, power=power, n_bins=k
    )
    assert n == math.ceil(needed) or abs(n - needed) < 1e-6  # statsmodels' N, rounded up
    critical = stats.chi2.isf(alpha, k - 1)

    def reached(throws: int) -> float:
        return float(stats.ncx2.sf(critical, k - 1, 2 * throws * kl))

    assert reached(n) >= power > reached(n - 1)  # scipy: N reaches the power, N − 1 does not


def test_power_refuses_what_has_no_answer_naming_the_argument():
    with pytest.raises(reportgen.UsageError, match=r"^effect=0: give a bias"):
        reportgen.power(0)
    with pytest.raises(reportgen.UsageError, match=r"^effect=\[0.5, 0.5\]: give 6"):
        reportgen.power([0.5, 0.5])
    with pytest.raises(reportgen.UsageError, match=r"^power=0.01: give a probability between"):
        reportgen.power(0.1, power=0.01)
    with pytest.raises(reportgen.UsageError, match=r"^confidence=2: give a level"):
        reportgen.power(0.1, confidence=2)


def test_compare_is_the_likelihood_ratio_and_the_cross_entropy_difference():
    """scipy.stats.multinomial.logpmf gives ln L; scipy.special.xlogy the cross-entropies."""
    throws = [4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6]
    counts = np.bincount(throws, minlength=7)[1:]
    result = reportgen.analyse(throws, unit="bit")
    a, b = [0.1, 0.1, 0.1, 0.4, 0.1, 0.2], [1 / 6] * 6
    found = reportgen.compare(result, a, "fair")
    log_ratio = stats.multinomial.logpmf(counts, 20, a) - stats.multinomial.logpmf(counts, 20, b)
    assert found.log_likelihood_ratio == pytest.approx(log_ratio, rel=1e-12)
    assert found.likelihood_ratio == pytest.approx(math.exp(log_ratio), rel=1e-12)
    bits = [-special.xlogy(counts, y).sum() / 20 / math.log(2) for y in (a, b)]
    assert found.cross_entropy_difference == pytest.approx(bits[0] - bits[1], rel=1e-12)
    assert found.a.cross_entropy_mean == pytest.approx(bits[0], rel=1e-12)
    assert found.b.model == "fair"
    other = reportgen.analyse([1, 1, 2, 3, 4, 5, 6, 6, 6, 6], unit="bit")
    own = reportgen.compare(result, other, result)  # another die's ŷ against this one's
    assert own.b.kl_divergence == 0 and own.log_likelihood_ratio < 0
    assert reportgen.compare(result, [1, 0, 0, 0, 0, 0], "fair").likelihood_ratio == 0
    with pytest.raises(reportgen.UsageError, match=r"^model_b=\[0.5, 0.5\]: give 6"):
        reportgen.compare(result, "fair", [0.5, 0.5])


def test_the_docstring_examples_run():
    for module in (helpers, reportgen):
        failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert tried >= 3 and failures == 0, module.__name__


def test_the_examples_of_docs_api_md_run_as_written(monkeypatch):
    """Every ``>>>`` line of docs/api.md, in order, in the repository's folder (data/…)."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    examples = re.sub(r"^```.*$", "", text, flags=re.MULTILINE)  # fences end an output
    monkeypatch.chdir(ROOT)
    parser, runner = (
        doctest.DocTestParser(),
        doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
    )
    test = parser.get_doctest(examples, {}, "docs/api.md", str(ROOT / "docs" / "api.md"), 0)
    assert len(test.examples) >= 30
    runner.run(test)
    assert runner.failures == 0

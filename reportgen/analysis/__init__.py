"""Analysis: a ``RollLog`` becomes an ``Analysis``; pure, no I/O, no words, no formatting.

- ``compute``: ``compute(log, options) -> Analysis``, the whole report's figures
- ``result``: ``Analysis`` and its parts (frozen dataclasses, by the JSON's names)
- ``estimate``: the MLE and every interval method
- ``entropy``: cross-entropy (4.1)–(4.3), entropy, divergence, χ² and G
- ``fairness``: the exact multinomial test, homogeneity of several dice
- ``exact``: the exact test's branch and bound for any model, the Monte Carlo p rule
- ``exact_uniform``: the exact test of a fair die, its acceptance region in sorted form
- ``contingency``: the Fisher–Freeman–Halton exact test of homogeneity
- ``multiplicity``: Holm's adjustment, how many small p-values chance alone gives
- ``tables``: the lesson's tables as pandas DataFrames (imported on use: pandas)
"""

from __future__ import annotations

from reportgen.analysis.compute import compute
from reportgen.analysis.result import (
    Analysis,
    CrossEntropy,
    Input,
    Intervals,
    Reference,
    TestResult,
    Throw,
)

__all__ = [
    "Analysis",
    "CrossEntropy",
    "Input",
    "Intervals",
    "Reference",
    "TestResult",
    "Throw",
    "compute",
]

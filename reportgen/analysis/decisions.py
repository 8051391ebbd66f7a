"""What the statistics decide, made once as data: the verdict, its tier, which die is walked.

The pages only word these (``render.wording``): no template or sentence
decides whether p is below α.

- ``verdict``: does the model fit? The exact multinomial test decides at
  α = 1 − confidence (it needs no large-sample approximation; χ² and G are
  shown beside it), in tiers: ``keep`` (p ≥ α), ``reject`` (p < α),
  ``strong`` (p < ``STRONG`` · α), ``impossible`` (a face seen that the model
  gives probability 0).
- ``walk``: with ``--by``, which group the lesson's sections follow: none
  (the groups pooled) when the test of homogeneity keeps that they agree,
  else the first group of the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportgen.analysis.entropy import NATS
from reportgen.analysis.fairness import ExactTest, Homogeneity, throws_for_power

#: Below this fraction of α a rejection is strong evidence (0.01 at α = 0.05).
STRONG = 1 / 5

#: Below this expected count of some face, χ²'s large-sample p-value is poor (the usual 5).
SMALL_EXPECTED = 5


def tier(pvalue: float, alpha: float) -> str:
    """An outcome's tier: ``keep`` (p ≥ α), ``reject`` (p < α), ``strong`` (p < STRONG · α)."""
    if pvalue >= alpha:
        return "keep"
    return "strong" if pvalue < STRONG * alpha else "reject"


@dataclass(frozen=True)
class Verdict:
    """Does the model fit? What the exact multinomial test decides at α, and what follows.

    ``tests_disagree``: χ², G and the exact test fall on both sides of α (the
    exact test decides). ``expected_kl``: the divergence per throw a true
    model still shows by chance, (K − 1)/(2N) in the report's unit (2N·KL ~
    χ²_{K−1}). ``power_throws``: after no rejection, the throws a bias of the
    observed size needs to be detected with 80% power (``None``: none to detect).
    ``small_expected``: some face expects fewer than ``SMALL_EXPECTED`` throws,
    so χ²'s p-value is poor; ``min_expected`` is that count.
    """

    alpha: float
    pvalue: float
    tier: str
    tests_disagree: bool
    expected_kl: float
    power_throws: int | None
    small_expected: bool
    min_expected: float

    @property
    def reject(self) -> bool:
        return self.tier != "keep"


def verdict(
    counts: Sequence[int],
    y: Sequence[float],
    exact: ExactTest,
    pvalues: Sequence[float],
    kl: float,
    df: int,
    alpha: float,
    unit: str,
) -> Verdict:
    """The verdict on the counts against y (``pvalues``: χ²'s and G's; ``kl`` in ``unit``)."""
    n = sum(counts)
    impossible = any(c > 0 and y_k <= 0 for c, y_k in zip(counts, y, strict=True))
    every = [*pvalues, exact.pvalue]
    decided = "impossible" if impossible else tier(exact.pvalue, alpha)
    power = None
    if decided == "keep":
        power = throws_for_power(kl * NATS[unit], df, alpha)
    return Verdict(
        alpha=alpha,
        pvalue=exact.pvalue,
        tier=decided,
        tests_disagree=bool(exact.draws) and min(every) < alpha <= max(every),
        expected_kl=(len(counts) - 1) / (2 * n) / NATS[unit],
        power_throws=power,
        small_expected=n * min(y) < SMALL_EXPECTED,
        min_expected=n * min(y),
    )


@dataclass(frozen=True)
class GroupsVerdict:
    """Do the groups of ``--by`` share one face distribution? Decided by χ² at α.

    ``walk``: the group the lesson's sections follow when they differ (the
    first of the record); ``None`` when they agree and are pooled.
    """

    alpha: float
    tier: str
    walk: str | None

    @property
    def differ(self) -> bool:
        return self.tier != "keep"


def groups_verdict(
    homogeneity: Homogeneity, groups: Mapping[str, object], alpha: float
) -> GroupsVerdict:
    """The verdict of the test of homogeneity, and which group the lesson follows."""
    decided = tier(homogeneity.pvalue, alpha)
    walk = next(iter(groups)) if decided != "keep" and groups else None
    return GroupsVerdict(alpha, decided, walk)

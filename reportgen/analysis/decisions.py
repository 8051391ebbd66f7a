"""What the statistics decide, made once as data: the verdict, its tier, which die is walked.

The pages only word these (``render.wording``): no template or sentence
decides whether p is below α.

- ``verdict``: does the model fit? The exact multinomial test decides at
  α = 1 − confidence (it needs no large-sample approximation; χ² and G are
  shown beside it), in tiers: ``keep`` (p ≥ α), ``reject`` (p < α),
  ``strong`` (p < ``STRONG`` · α), ``impossible`` (a face seen that the model
  gives probability 0).
- with several dice (``--by``) each die's verdict is decided by its exact
  p-value adjusted by Holm over the dice (a family of tests at one α).
- ``yardstick_tier``: what the chance yardstick (``analysis.yardstick``) says at α,
  for the worksheet, whose exercise 8 is read off that figure.
- ``groups_verdict``: do the dice differ? The Fisher–Freeman–Halton exact test
  of the dice × faces table decides (``Homogeneity.exact``), and with it which
  group the lesson's sections follow: the one the user names (``--walk``);
  else none (the groups pooled) when the dice agree, and the die with the
  smallest exact p when they differ.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.analysis.entropy import NATS
from reportgen.analysis.fairness import ExactTest, Homogeneity, throws_for_power

if TYPE_CHECKING:
    from reportgen.analysis.result import Analysis
    from reportgen.analysis.yardstick import Yardstick

#: Below this fraction of α a rejection is strong evidence (0.01 at α = 0.05).
STRONG = 1 / 5

#: Below this expected count of some face, χ²'s large-sample p-value is poor (the usual 5).
SMALL_EXPECTED = 5


def tier(pvalue: float, alpha: float) -> str:
    """An outcome's tier: ``keep`` (p ≥ α), ``reject`` (p < α), ``strong`` (p < STRONG · α)."""
    if pvalue >= alpha:
        return "keep"
    return "strong" if pvalue < STRONG * alpha else "reject"


def yardstick_tier(found: Yardstick, alpha: float) -> str:
    """What the chance yardstick says at α, as the worksheet's key reads it off the figure.

    ``impossible`` when G = ∞ (a face the model forbids was seen); else the tier of
    the simulated p-value (b + 1)/(B + 1), the shaded share b/B as SPEC.md states it.
    """
    if not math.isfinite(found.observed):
        return "impossible"
    return tier(found.pvalue, alpha)


@dataclass(frozen=True)
class Verdict:
    """Does the model fit? What the exact multinomial test decides at α, and what follows.

    ``tests_disagree``: χ², G and the exact test fall on both sides of α (the
    exact test decides). ``expected_kl``: the divergence per throw a true
    model still shows by chance, (K − 1)/(2N) in the report's unit (2N·KL ~
    χ²_{K−1}). ``power_throws``: after no rejection, the throws a bias of the
    observed size needs to be detected with 80% power (``None``: none to detect).
    ``small_expected``: some face expects fewer than ``SMALL_EXPECTED`` throws,
    so χ²'s p-value is poor; ``min_expected`` is that count. ``largest_term``:
    the face (index) whose (n_k − N y_k)² / (N y_k) adds most to Pearson's χ².
    """

    alpha: float
    pvalue: float
    tier: str
    tests_disagree: bool
    expected_kl: float
    power_throws: int | None
    small_expected: bool
    min_expected: float
    largest_term: int = 0
    family: int = 1  # how many dice were tested at once (Holm), 1 alone
    pvalue_holm: float | None = None  # the p that decided when ``family`` > 1

    @property
    def reject(self) -> bool:
        return self.tier != "keep"

    def adjusted(self, pvalue_holm: float, family: int) -> Verdict:
        """This verdict decided instead by a Holm-adjusted p over ``family`` tests."""
        from dataclasses import replace

        tier_now = self.tier if self.tier == "impossible" else tier(pvalue_holm, self.alpha)
        return replace(self, tier=tier_now, family=family, pvalue_holm=pvalue_holm)


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
    least = n * min(y_k for y_k in y if y_k > 0)  # a face the model forbids expects nothing
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
        small_expected=least < SMALL_EXPECTED,
        min_expected=least,
        largest_term=largest_term(counts, y),
    )


def largest_term(counts: Sequence[int], y: Sequence[float]) -> int:
    """The face (index) adding most to Pearson's χ²; faces the model forbids add nothing."""
    n = sum(counts)

    def term(j: int) -> float:
        expected = n * y[j]
        return (counts[j] - expected) ** 2 / expected if expected > 0 else 0.0

    return max(range(len(counts)), key=lambda j: (term(j), -j))


@dataclass(frozen=True)
class GroupsVerdict:
    """Do the groups of ``--by`` share one face distribution? Decided by the exact test at α.

    ``walk``: the group the lesson's sections follow (``None``: the groups are
    pooled); ``named``: it was named by the user (``--walk``), not chosen.
    """

    alpha: float
    tier: str
    walk: str | None
    named: bool = False

    @property
    def differ(self) -> bool:
        return self.tier != "keep"


def groups_verdict(
    homogeneity: Homogeneity, groups: Mapping[str, Analysis], alpha: float, walk: str | None
) -> GroupsVerdict:
    """The verdict of the test of homogeneity, and which group the lesson follows."""
    exact = homogeneity.exact
    decided = tier(exact.pvalue if exact is not None else homogeneity.pvalue, alpha)
    if walk is not None:
        from reportgen.errors import UsageError
        from reportgen.faces import normalise_cell

        named = normalise_cell(walk)
        if named not in groups:
            raise UsageError(
                f"--walk {walk}: no group of that name", hint="groups: " + ", ".join(groups)
            )
        return GroupsVerdict(alpha, decided, named, named=True)
    if decided == "keep" or not groups:
        return GroupsVerdict(alpha, decided, None)
    smallest = min(groups, key=lambda name: groups[name].exact_multinomial.pvalue)
    return GroupsVerdict(alpha, decided, smallest)

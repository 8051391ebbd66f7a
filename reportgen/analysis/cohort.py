"""A class of students, each with their own log: every student's analysis, the pool, homogeneity.

The teacher's overview (``--edition teacher`` over several inputs) reads one
``Cohort``: each student's ``Analysis``, the analysis of the class's throws
pooled into one log, and the homogeneity test across students (the one of
``--by`` groups, ``fairness.homogeneity``): do the students' dice share one
face distribution?
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportgen.analysis.compute import compute, holm_adjusted
from reportgen.analysis.decisions import GroupsVerdict, groups_verdict
from reportgen.analysis.fairness import Homogeneity, homogeneity
from reportgen.analysis.multiplicity import expected_by_chance
from reportgen.analysis.result import Analysis
from reportgen.errors import UsageError
from reportgen.options import StatOptions
from reportgen.read.log import RollLog

#: How the pooled log names itself (the overview's file is ``class.pdf``).
POOLED = "class"


@dataclass(frozen=True)
class Cohort:
    """Every student's analysis (name, analysis) in input order, the pooled one, and homogeneity
    with what it decides at α (``verdict``: do the students' dice differ?).

    Each student's exact p is also adjusted by Holm over the class (their
    ``exact_multinomial.pvalue_holm``, and their verdict decided by it);
    ``by_chance`` is how many of the students' raw p-values chance alone puts
    below α when every die is fair (m·α).
    """

    students: tuple[tuple[str, Analysis], ...]
    pooled: Analysis
    homogeneity: Homogeneity
    verdict: GroupsVerdict
    by_chance: float

    @property
    def below_alpha(self) -> int:
        """How many students' raw exact p-values fall below α."""
        alpha = self.pooled.options.alpha
        return sum(a.exact_multinomial.pvalue < alpha for _, a in self.students)


def cohort(logs: Sequence[tuple[str, RollLog]], options: StatOptions) -> Cohort:
    """Analyse each student's log, the class's throws pooled, and their homogeneity.

    The pooled log is a frequency table: its counts are the students' summed
    face by face (the order of the throws across students means nothing).
    """
    if not logs:
        raise UsageError("a class overview needs at least one student's log")
    students = tuple(holm_adjusted([(name, compute(log, options)) for name, log in logs]))
    k = logs[0][1].faces.k
    pooled_counts = tuple(sum(log.counts[j] for _, log in logs) for j in range(k))
    digest = hashlib.sha256()
    for name, log in logs:
        digest.update(f"{name}\0{log.sha256}\n".encode())
    pooled_log = replace(
        logs[0][1],
        source=POOLED,
        name=POOLED,
        sha256=digest.hexdigest(),
        column=None,
        format="counts",
        counts=pooled_counts,
        first_faces=(),
        checkpoints=(),
        by=None,
        groups=(),
    )
    pooled = compute(pooled_log, options)
    tested = homogeneity([log.counts for _, log in logs], seed=options.seed)
    alpha = pooled.options.alpha
    verdict = groups_verdict(tested, {}, alpha, None)
    return Cohort(students, pooled, tested, verdict, expected_by_chance(len(students), alpha))

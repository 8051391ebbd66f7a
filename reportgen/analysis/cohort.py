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

from reportgen.analysis.compute import compute
from reportgen.analysis.decisions import GroupsVerdict, groups_verdict
from reportgen.analysis.fairness import Homogeneity, homogeneity
from reportgen.analysis.result import Analysis
from reportgen.errors import UsageError
from reportgen.options import StatOptions
from reportgen.read.log import RollLog

#: How the pooled log names itself (the overview's file is ``class.pdf``).
POOLED = "class"


@dataclass(frozen=True)
class Cohort:
    """Every student's analysis (name, analysis) in input order, the pooled one, and homogeneity
    with what it decides at α (``verdict``: do the students' dice differ?)."""

    students: tuple[tuple[str, Analysis], ...]
    pooled: Analysis
    homogeneity: Homogeneity
    verdict: GroupsVerdict


def cohort(logs: Sequence[tuple[str, RollLog]], options: StatOptions) -> Cohort:
    """Analyse each student's log, the class's throws pooled, and their homogeneity.

    The pooled log is a frequency table: its counts are the students' summed
    face by face (the order of the throws across students means nothing).
    """
    if not logs:
        raise UsageError("a class overview needs at least one student's log")
    students = tuple((name, compute(log, options)) for name, log in logs)
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
    tested = homogeneity([log.counts for _, log in logs])
    return Cohort(students, pooled, tested, groups_verdict(tested, {}, pooled.options.alpha))

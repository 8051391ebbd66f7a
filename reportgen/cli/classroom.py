"""``--edition teacher`` over several inputs: the class overview beside the students' keys.

After every key is written, ``write_class`` makes ``class.pdf`` (and
``class.html`` with ``-f html``) in the keys' folder from the inputs that
succeeded: one row per student, named by the stem of the log's file. A
student skipped by ``--skip-unchanged`` is read again here for their counts.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportgen.cli.plan import refuse_clobbering, stem
from reportgen.errors import ExitStatus, ReportgenError
from reportgen.pipeline import Target

if TYPE_CHECKING:
    from reportgen.cli.args import RunSpec
    from reportgen.pipeline import Outcome, Task

#: The overview's file stem in the output folder (a student's files end in -key, -student).
CLASS = "class"


def class_targets(spec: RunSpec, tasks: Sequence[Task]) -> list[Target]:
    """``class.pdf`` (and ``class.html``) in the folder of the first key."""
    from reportgen.render.formats import FORMATS

    folder = next(t.path.parent for task in tasks for t in task.targets if t.path is not None)
    return [
        Target(CLASS, fmt, folder / (CLASS + FORMATS[fmt].extension), "teacher")
        for fmt in spec.formats
        if fmt in ("pdf", "html")
    ]


def write_class(
    spec: RunSpec, tasks: Sequence[Task], done: Sequence[Outcome], outcome: Outcome
) -> Outcome:
    """Write the class overview of the inputs that succeeded into ``outcome`` (never raises)."""
    from reportgen import api
    from reportgen.read.memory import from_counts

    start = time.perf_counter()
    try:
        targets = class_targets(spec, tasks)
        refuse_clobbering([task.source for task in tasks], targets)
        faces = spec.options.read.faces
        students = []
        for task, result in zip(tasks, done, strict=True):
            if result.status != 0:
                continue
            counts = result.counts
            if counts is None:  # skipped as unchanged: count it again
                from reportgen.read import load

                counts = load(task.source, spec.options.read).counts
            name = stem(task.source)
            log = from_counts(dict(zip(faces.labels, counts, strict=True)), faces, source=name)
            students.append((name, api.analyse(log, options=spec.options, wording="cli")))
        if not students:
            raise ReportgenError("no student's log could be read: no class overview")
        outcome.n = sum(report.n for _, report in students)
        for target in targets:
            api.class_overview(
                students, fmt=target.fmt, path_or_file=target.path, render=spec.options.render
            )
            outcome.outputs.append(str(target.path))
    except ReportgenError as exc:
        outcome.status, outcome.error = int(exc.status), f"class overview: {exc}"
    except Exception as exc:  # a bug must not hide the keys already written
        outcome.status, outcome.error = int(ExitStatus.IOERR), f"internal error: {exc!r}"
    outcome.seconds = time.perf_counter() - start
    return outcome

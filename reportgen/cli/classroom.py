"""A class's outputs, made after every student's: the overviews and the bundles.

After every input's outputs are written, ``class_outcomes`` makes, in the
output folder:

- ``class.pdf`` (and ``class.html`` with ``-f html``), the teacher's overview,
  with ``--edition teacher`` over several inputs: one row per student who
  succeeded (named by their file's stem, sheet or group), and every student
  whose log failed with its first problem;
- ``class-public.pdf`` (``.html``) with ``--edition class``: the same class
  without names or answers (``render.pages.public``);
- with ``--bundle`` over several inputs, one PDF of every input's pages of
  each edition, in input order (``report-all.pdf``, ``student-all.pdf``,
  ``key-all.pdf``; ``render.bundle``).

Each is an outcome of its own after the inputs' (its path on stdout, its line
in ``--summary``); they are made again each run (not in the manifest). A
student skipped by ``--skip-unchanged`` is read again here for their counts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.cli.choices import PUBLIC
from reportgen.cli.inputs import located
from reportgen.cli.plan import refuse_clobbering, resolve_output
from reportgen.errors import ExitStatus, ReportgenError
from reportgen.pipeline import Outcome, Target
from reportgen.say import _, said

if TYPE_CHECKING:
    from reportgen.api import Report
    from reportgen.cli.args import RunSpec
    from reportgen.pipeline import Task

#: The overviews' file stems in the output folder (a student's files end in -key, -student).
CLASS = "class"
CLASS_PUBLIC = "class-public"

#: The bundle of each edition: one PDF of every input's pages.
BUNDLES = {"report": "report-all", "student": "student-all", "teacher": "key-all"}


def class_outcomes(
    spec: RunSpec, tasks: Sequence[Task], done: Sequence[Outcome]
) -> Iterator[Outcome]:
    """The class's outputs this run asks for, each as an outcome (never raises)."""
    several = len(tasks) > 1
    if "teacher" in spec.editions and several:
        yield _made(CLASS, lambda: _overview(spec, tasks, done, public=False))
    if PUBLIC in spec.editions:
        yield _made(CLASS_PUBLIC, lambda: _overview(spec, tasks, done, public=True))
    if spec.bundle and several:
        for edition in spec.per_input:
            yield _made(BUNDLES[edition], lambda e=edition: _bundle(spec, tasks, done, e))


def _made(name: str, make: Callable[[], list[str]]) -> Outcome:
    """The outcome of making one class output: its paths, or why not."""
    start = time.perf_counter()
    outcome = Outcome(name)
    try:
        outcome.outputs = make()
    except ReportgenError as exc:
        outcome.status = int(exc.status)
        outcome.error = _("{name}: {error}", name=name, error=exc.text())
        outcome.lines = [outcome.error]
    except Exception as exc:  # a bug must not hide the students' outputs already written
        outcome.status, outcome.error = int(ExitStatus.IOERR), f"internal error: {exc!r}"
        outcome.lines = [outcome.error]
    outcome.seconds = time.perf_counter() - start
    return outcome


def folder_files(
    spec: RunSpec, tasks: Sequence[Task], stem: str, formats: Sequence[str]
) -> list[Path]:
    """Where a class output goes: ``STEM.EXT`` in the students' folder, or ``-o``'s.

    With no student's output (``--edition class`` alone), ``-o`` names a folder,
    or the one file written when it ends with its extension (``-o public.pdf``).
    """
    from reportgen.render.formats import FORMATS

    folder = next(
        (t.path.parent for task in tasks for t in task.targets if t.path is not None), None
    )
    if folder is None:
        resolved = resolve_output(spec.output, not _names_the_file(spec.output, formats))
        if resolved.path is None:
            raise ReportgenError(
                _("the class overview is written to a local folder"), hint=_("give -o a folder")
            )
        if not resolved.folder:
            return [resolved.path]
        folder = resolved.path
    return [folder / (stem + FORMATS[fmt].extension) for fmt in formats]


def _names_the_file(output: str | None, formats: Sequence[str]) -> bool:
    """Whether ``-o`` names the one class output itself: one format, and its extension."""
    from reportgen.render.formats import FORMATS

    return (
        output is not None
        and len(formats) == 1
        and output.lower().endswith(FORMATS[formats[0]].extension)
    )


def _overview(
    spec: RunSpec, tasks: Sequence[Task], done: Sequence[Outcome], public: bool
) -> list[str]:
    """The teacher's overview, or the public one: its files written, their paths."""
    from reportgen import api

    formats = [fmt for fmt in spec.formats if fmt in ("pdf", "html")]
    paths = folder_files(spec, tasks, CLASS_PUBLIC if public else CLASS, formats)
    refuse_clobbering([task.source for task in tasks], [_place(p) for p in paths])
    students, failed = _students(spec, tasks, done)
    if len(students) < 2:
        raise ReportgenError(
            _(
                "a class overview needs two students' logs; {count} could be read",
                count=len(students),
            )
        )
    for path, fmt in zip(paths, formats, strict=True):
        api.class_overview(
            students,
            fmt=fmt,
            path_or_file=path,
            render=spec.options.render,
            failed=failed,
            public=public,
        )
    return [str(path) for path in paths]


def _place(path: Path) -> Target:
    return Target(str(path), "pdf", path)


def _students(
    spec: RunSpec, tasks: Sequence[Task], done: Sequence[Outcome]
) -> tuple[list[tuple[str, Report]], list[tuple[str, str]]]:
    """(name, report) of each student who succeeded; (name, first error) of the others."""
    from reportgen import api
    from reportgen.read.memory import from_counts

    faces = spec.options.read.faces
    students, failed = [], []
    for task, result in zip(tasks, done, strict=True):
        name = task.name or task.source
        if result.status != 0:
            first = result.lines[0] if result.lines else result.error or ""
            failed.append((name, _named(said(first, spec.options.render.lang), task.source)))
            continue
        counts = result.counts
        if counts is None:  # skipped as unchanged: count it again
            from reportgen.read import load

            counts = (task.log or load(task.source, spec.options.read)).counts
        log = from_counts(dict(zip(faces.labels, counts, strict=True)), faces, source=name)
        students.append((name, api.analyse(log, options=spec.options, wording="cli")))
    return students, failed


def _named(line: str, source: str) -> str:
    """An error line with its input named as the pages name it: the file's name, without
    the folders it was given with (the same page however the path was typed)."""
    path = located(source)[0]
    if path != "-" and line.startswith(path):
        return os.path.basename(path) + line[len(path) :]
    return line


def _bundle(
    spec: RunSpec, tasks: Sequence[Task], done: Sequence[Outcome], edition: str
) -> list[str]:
    """One PDF of every input's pages of ``edition``, in input order."""
    from reportgen.output import write_atomic
    from reportgen.pipeline import bundle

    (path,) = folder_files(spec, tasks, BUNDLES[edition], ["pdf"])
    refuse_clobbering([task.source for task in tasks], [_place(path)])
    pages = [result.pages[edition] for result in done if edition in result.pages]
    if not pages:
        raise ReportgenError(_("no input's pages could be made: no bundle"))
    write_atomic(path, bundle(pages, spec.options.render.lang))
    return [str(path)]

"""One input's pipeline: read, analyse, render every target, write; and what became of it.

``work(task, options)`` is the same wherever it runs (this process, a worker
process) and for every run (one input, a batch, ``--combine`` with the merged
log handed in): it never raises for a user's error, and returns an
``Outcome`` once every output of the task is written, or why not.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reportgen.cli.plan import Target, render_bytes
from reportgen.errors import ExitStatus, ReportgenError

if TYPE_CHECKING:
    from reportgen.options import Options
    from reportgen.read import RollLog


@dataclass(frozen=True)
class Task:
    """One report to make: its input (``combined`` for ``--combine``) and its targets."""

    source: str
    targets: tuple[Target, ...]
    jsonl: bool = False
    parts: tuple[str, ...] = ()  # the inputs it is made from (``--combine``: every part)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.parts or (self.source,)


@dataclass
class Outcome:
    """What became of one input (or of all parts, with ``--combine``)."""

    input: str
    status: int = 0
    outputs: list[str] = field(default_factory=list)
    error: str | None = None
    n: int | None = None
    skipped: bool = False
    seconds: float = 0.0
    stdout: bytes | None = None  # what goes to standard output, for targets without a place
    counts: tuple[int, ...] | None = None  # n_k of this input, for the class overview
    lines: list[str] = field(default_factory=list)  # the error as one line per problem
    trace: str | None = None  # the error's traceback, for --debug

    def summary(self) -> dict[str, Any]:
        """This input's line of ``--summary``."""
        state = "skipped" if self.skipped else ("ok" if self.status == 0 else "failed")
        return {
            "input": self.input,
            "status": state,
            "exit_status": self.status,
            "outputs": self.outputs,
            "error": self.error,
            "n": self.n,
            "seconds": self.seconds,
        }

    def fail(self, exc: BaseException) -> None:
        """Record ``exc`` as this input's failure (a user's error, or a bug's)."""
        import traceback

        if isinstance(exc, ReportgenError):
            self.status, self.error, self.lines = int(exc.status), str(exc), exc.lines()
        else:
            self.status, self.error = int(ExitStatus.IOERR), f"internal error: {exc!r}"
            self.lines = [self.error]
        if exc.__traceback__ is not None:
            self.trace = "".join(traceback.format_exception(exc))

    def add_to_error(self, words: str) -> None:
        """``words`` after the error, on its summary line and on its last printed line."""
        self.error = f"{self.error}{words}"
        self.lines = [*self.lines[:-1], f"{self.lines[-1]}{words}"] if self.lines else [self.error]


def work(task: Task, options: Options, log: RollLog | None = None) -> Outcome:
    """Read (unless ``log`` is given), analyse and write one input; never raises for a
    user's error (nor for a bug: it is this input's failure, the others go on)."""
    start = time.perf_counter()
    outcome = Outcome(task.source)
    try:
        from reportgen import api

        if log is None:
            from reportgen.read import load

            log = load(task.source, options)
        outcome.n, outcome.counts = log.n, log.counts
        report = api.analyse(log, options=options)
        made: dict[str, str] = {}  # the HTML, built once for -f pdf,html
        for target in task.targets:
            data = render_bytes(
                report, target.fmt, jsonl=task.jsonl, edition=target.edition, made=made
            )
            if target.place is None:
                outcome.stdout = (outcome.stdout or b"") + data
            else:
                target.write(data)
                outcome.outputs.append(target.place)
    except Exception as exc:
        outcome.fail(exc)
    outcome.seconds = time.perf_counter() - start
    return outcome


def work_each(tasks: list[Task], options: Options) -> list[Outcome]:
    """``work`` of several small tasks in turn (one round trip to a worker for them all)."""
    return [work(task, options) for task in tasks]


def work_one(job: tuple[Task, Options]) -> Outcome:
    """``work`` of one ``(task, options)`` pair: what a worker process is sent."""
    return work(*job)


def work_many(job: tuple[list[Task], Options]) -> list[Outcome]:
    """``work_each`` of one ``(tasks, options)`` pair: what a worker process is sent."""
    return work_each(*job)

"""One input's pipeline: read, analyse, export every target, write; and what became of it.

``make_report(task, options)`` is the one pipeline of reportgen: the command
line runs it for one input, for each input of a batch (in this process or a
worker process), for ``--combine`` (the merged log handed in) and on a Dask
worker; the API's ``analyse`` and ``Report.export`` are its two halves. It
never raises for a user's error, and returns an ``Outcome`` once every output
of the task is written, or why not.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.errors import ExitStatus, ReportgenError
from reportgen.say import joined

if TYPE_CHECKING:
    from reportgen.api import Report
    from reportgen.options import Options
    from reportgen.read import RollLog


@dataclass(frozen=True)
class Target:
    """Where one input's one format (of one edition) goes: a local path, a URL, or neither
    (standard output). ``listed``: kept in its directory's manifest."""

    source: str
    fmt: str
    path: Path | None
    edition: str = "report"
    url: str | None = None
    listed: bool = False

    @property
    def place(self) -> str | None:
        """The output as the user sees it named (stdout: ``None``)."""
        return str(self.path) if self.path is not None else self.url

    def write(self, data: bytes) -> None:
        """Write the whole output: atomically to a path, in one write to a URL."""
        from reportgen.output import write_atomic, write_url

        if self.path is not None:
            write_atomic(self.path, data)
        elif self.url is not None:
            write_url(self.url, data)


@dataclass(frozen=True)
class Task:
    """One report to make: its input (``combined`` for ``--combine``) and its targets.

    ``name`` is how the class's pages name the student (None: the log's own
    name); a ``--split-by`` part hands in its ``log``, read already, or the
    ``error`` of its rows; ``pages`` names the editions whose HTML page and
    attachments the outcome keeps, for a ``--bundle`` of every input's pages.
    """

    source: str
    targets: tuple[Target, ...]
    jsonl: bool = False
    parts: tuple[str, ...] = ()  # the inputs it is made from (``--combine``: every part)
    name: str | None = None
    log: RollLog | None = field(default=None, repr=False, compare=False)
    error: ReportgenError | None = field(default=None, compare=False)
    pages: tuple[str, ...] = ()

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
    worker: str = "local"  # who made it: this process, a worker process's id, a Dask worker
    files: list[bytes] | None = None  # the outputs' bytes, when another process writes them
    pages: dict[str, Page] = field(default_factory=dict)  # edition → page, for a --bundle

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
            self.status, self.error, self.lines = int(exc.status), exc.text(), exc.lines()
        else:
            self.status, self.error = int(ExitStatus.IOERR), f"internal error: {exc!r}"
            self.lines = [self.error]
        if exc.__traceback__ is not None:
            self.trace = "".join(traceback.format_exception(exc))

    def add_to_error(self, words: str) -> None:
        """``words`` after the error, on its summary line and on its last printed line."""
        self.error = joined(self.error or "", words)
        self.lines = (
            [*self.lines[:-1], joined(self.lines[-1], words)] if self.lines else [self.error]
        )


@dataclass(frozen=True)
class Page:
    """One edition's HTML page of one input and the files its PDF carries, for a bundle."""

    html: str
    files: tuple[tuple[str, bytes, str, str], ...]


def make_report(
    task: Task,
    options: Options,
    log: RollLog | None = None,
    *,
    write: Callable[[Target, bytes], None] | None = None,
) -> Outcome:
    """Read (unless ``log`` is given), analyse and write one input; never raises for a
    user's error (nor for a bug: it is this input's failure, the others go on).

    ``write(target, data)`` replaces ``Target.write`` (a Dask worker checks first that
    its run still wants the output, or keeps the bytes for the client to write).
    """
    start = time.perf_counter()
    outcome = Outcome(task.source)
    log = log if log is not None else task.log
    try:
        if task.error is not None:
            raise task.error
        from reportgen import api

        report = api.analyse(task.source if log is None else log, options=options, wording="cli")
        outcome.n, outcome.counts = report.n, report.counts
        documents: dict[str, Any] = {}  # one per edition: its HTML is made once
        for target in task.targets:
            data = export(report, target.fmt, target.edition, documents, task.jsonl)
            if target.place is None:
                outcome.stdout = (outcome.stdout or b"") + data
            else:
                (write or Target.write)(target, data)
                outcome.outputs.append(target.place)
        outcome.pages = {edition: _page(report, edition, documents) for edition in task.pages}
    except Exception as exc:
        outcome.fail(exc)
    outcome.seconds = time.perf_counter() - start
    return outcome


def export(
    report: Report, fmt: str, edition: str, documents: dict[str, Any], line: bool = False
) -> bytes:
    """``report`` in format ``fmt`` and ``edition``; ``documents`` keeps one ``Document`` an
    edition, so ``-f pdf,html`` lays the PDF out from the HTML it wrote. ``line``: JSON on
    one line (JSON Lines)."""
    from reportgen.render import formats

    document = documents.get(edition)
    if document is None:
        document = documents[edition] = report.document(edition)
    if line:
        return formats.json.export_line(document)
    return formats.format_named(fmt).bytes_of(document)


def _page(report: Report, edition: str, documents: dict[str, Any]) -> Page:
    """The edition's HTML page (made once, shared with its targets) and its PDF's files."""
    from reportgen.render.formats import html, pdf

    document = documents.get(edition)
    if document is None:
        document = documents[edition] = report.document(edition)
    return Page(html.page(document), tuple(pdf.attachments(document)))


def bundle(pages: list[Page], lang: str) -> bytes:
    """One PDF of every input's page of one edition, in order (``render.bundle``)."""
    from reportgen.render.bundle import bundle_pdf

    return bundle_pdf(pages, lang)


def make_each(tasks: list[Task], options: Options) -> list[Outcome]:
    """``make_report`` of several small tasks in turn (one round trip to a worker for them all)."""
    return [make_report(task, options) for task in tasks]


def make_one(job: tuple[Task, Options]) -> Outcome:
    """``make_report`` of one ``(task, options)`` pair: what a worker process is sent."""
    outcome = make_report(*job)
    outcome.worker = str(os.getpid())
    return outcome


def run_date() -> dt.datetime:
    """The date this run's reports carry (``SOURCE_DATE_EPOCH``, else now, taken once), for
    an engine that pins it on processes that outlive the run (``make_kept``)."""
    from reportgen.render.dates import build_date

    return build_date()


def make_kept(job: tuple[Task, Options, dt.datetime]) -> Outcome:
    """``make_report`` of one ``(task, options, date)``, dated ``date``, with its outputs' bytes
    kept in ``Outcome.files`` for the process that sent it to write (``write_files``): what
    a Dask worker's report process is sent."""
    from reportgen.render.dates import pinned

    task, options, date = job
    kept: list[bytes] = []

    def keep(target: Target, data: bytes) -> None:
        kept.append(data)

    with pinned(date):
        outcome = make_report(task, options, write=keep)
    outcome.files, outcome.worker = kept, str(os.getpid())
    return outcome


def write_files(
    task: Task, outcome: Outcome, before: Callable[[Target], None] | None = None
) -> Outcome:
    """Write the outputs whose bytes ``outcome`` kept (``make_kept``), each whole, in order;
    ``before(target)`` runs before each write and may raise to stop it. A write that fails
    is the outcome's failure, and ``outputs`` keeps only what was written."""
    files, outcome.files = outcome.files or [], None
    placed = {target.place: target for target in task.targets if target.place is not None}
    written: list[str] = []
    try:
        for place, data in zip(list(outcome.outputs), files, strict=True):
            if before is not None:
                before(placed[place])
            placed[place].write(data)
            written.append(place)
    except Exception as exc:
        outcome.outputs = written
        outcome.fail(exc)
    return outcome


def make_many(job: tuple[list[Task], Options]) -> list[Outcome]:
    """``make_each`` of one ``(tasks, options)`` pair: what a worker process is sent."""
    outcomes = make_each(*job)
    for outcome in outcomes:
        outcome.worker = str(os.getpid())
    return outcomes

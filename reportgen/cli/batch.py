"""Every run, one input or many: planning, where each input's pipeline runs, telling the user.

``main.run`` hands every run here. The pipeline of one input is
``pipeline.make_report``; this module only decides where and in which order it runs,
and keeps the run's records (``records.Records``) as each input finishes.

- ``--jobs N`` worker processes (default: the CPUs this process may use), see
  ``workers.Workers``. With one input or ``--jobs 1`` everything runs
  in-process; without ``--jobs``, also when the work is too small to repay
  starting workers (``engines.worth_a_pool``). An engine that runs elsewhere
  (Dask) runs each input's whole pipeline there (``engines.RemoteEngine``).
- Written files' paths on stdout and one status line per input on stderr
  (several inputs; ``-q`` keeps only errors), in input order; several inputs
  with ``-f json -o -`` write JSON Lines (one compact object per input, in
  input order) to stdout.
- ``--summary PATH``: one JSON line per input, appended as each finishes.
- ``--skip-unchanged``: see ``manifest``.
- ``--combine``: every input is one part of a single log. One report; counts
  summed part by part; the first throws and the checkpoints of the running
  mean continue across parts. ``input.path`` is the parts joined with
  ``os.pathsep`` (``:`` on POSIX, ``;`` on Windows) and ``input.sha256`` is the
  digest of the parts' stored bytes concatenated in order, i.e. what
  ``cat PART... | sha256sum`` prints. Default output name: ``combined.<ext>``.
  Parts must be files (standard input cannot be re-read for the digest).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO, cast

from reportgen.cli import collector
from reportgen.cli.engines import default_jobs, worth_a_pool
from reportgen.cli.plan import plan_outputs, refuse_clobbering, write_stdout
from reportgen.cli.records import Records
from reportgen.errors import ExitStatus, ReportgenError, UsageError
from reportgen.pipeline import Outcome, Target, Task, make_many, make_one, make_report
from reportgen.printable import escaped
from reportgen.say import Text, _, _n, joined, said

if TYPE_CHECKING:
    from reportgen.cli.args import RunSpec
    from reportgen.cli.engines import Engine, RemoteEngine
    from reportgen.cli.events import EventLog
    from reportgen.cli.inputs import Item
    from reportgen.read import RollLog

#: Small JSON inputs handed to one worker at a time.
_CHUNK = 16

#: Reports (HTML or PDF) a worker makes before a fresh one replaces it: a worker making
#: report after report grows by about 2 MB a report and slows down (benchmarks/RESULTS.md,
#: "A worker's memory"), which a fresh worker forked from the preloaded forkserver gives
#: back for the cost of one fork. ``REPORTGEN_WORKER_REPORTS=N`` sets it (0: never).
RECYCLE_REPORTS = 64


def run(
    spec: RunSpec,
    engine: Engine,
    items: Sequence[Item],
    stdout: TextIO,
    stderr: TextIO,
    log: EventLog | None = None,
) -> list[int]:
    """Run every input: the exit status of each report, in input order (``main.exit_status``).
    ``log``: the run's JSON events (``--log-format json``), told each outcome as it arrives."""
    from reportgen.cli.manifest import fingerprint

    sources = [item.source for item in items]
    if "-" in sources and spec.combine:
        raise UsageError(
            _("--combine reads files, not standard input"), hint=_("save it to a file")
        )
    tasks = _tasks(spec, items)
    editions = spec.per_input or ("report",)
    records = Records(
        {e: fingerprint(spec.options, spec.combine, e) for e in editions},
        tasks,
        spec.summary,
        spec.skip_unchanged,
    )
    reporter = _Reporter(tasks, spec, stdout, stderr, log)
    try:
        todo = []
        for i, task in enumerate(tasks):
            # a bundle needs every input's page: an unchanged input is made again
            if spec.skip_unchanged and not task.pages and records.unchanged(task):
                outputs = [t.place for t in task.targets if t.place is not None]
                reporter.done(i, Outcome(task.source, outputs=outputs, skipped=True))
                records.summarise(reporter.outcomes[i])  # type: ignore[arg-type]
            else:
                todo.append(i)
        with collector.fewer_collections() if len(tasks) == 1 else _nothing():
            for i, outcome in _execute(spec, engine, sources, [tasks[i] for i in todo]):
                records.finished(tasks[todo[i]], outcome)
                reporter.done(todo[i], outcome)
        if not spec.combine:
            from reportgen.cli.classroom import class_outcomes

            done = cast("list[Outcome]", reporter.outcomes[: len(tasks)])
            for outcome in class_outcomes(spec, tasks, done):
                records.summarise(outcome)
                reporter.extra(outcome)
        reporter.tally(len(tasks))
    finally:
        reporter.close()
        records.close()
    return [outcome.status for outcome in reporter.outcomes if outcome is not None]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _tasks(spec: RunSpec, items: Sequence[Item]) -> list[Task]:
    sources = [item.source for item in items]
    if spec.combine:
        targets = plan_outputs(["combined"], spec.formats, spec.output, spec.edition)
        refuse_clobbering(sources, targets)
        return [Task("combined", tuple(targets), parts=tuple(sources))]
    if spec.output == "-" and spec.formats == ("json",) and len(items) > 1:
        return [
            Task(
                i.source,
                (Target(i.source, "json", None),),
                jsonl=True,
                name=i.name,
                log=i.log,
                error=i.error,
            )
            for i in items
        ]
    targets: list[Target] = []
    if spec.per_input:
        many = spec.split_by is not None or len(spec.editions) > 1 or spec.bundle
        targets = plan_outputs(
            sources,
            spec.formats,
            spec.output,
            stems=[i.stem for i in items],
            editions=spec.per_input,
            many=many,
        )
    pages = spec.per_input if spec.bundle and len(items) > 1 else ()
    return [
        Task(
            i.source,
            tuple(t for t in targets if t.source == i.source),
            name=i.name,
            log=i.log,
            error=i.error,
            pages=pages,
        )
        for i in items
    ]


# -- where the work runs --------------------------------------------------------------------


def _execute(
    spec: RunSpec, engine: Engine, sources: Sequence[str], tasks: list[Task]
) -> Iterator[tuple[int, Outcome]]:
    """``(index in tasks, outcome)`` of every task, in the order they finish."""
    if not tasks:
        return
    if spec.combine:
        yield 0, _combined(engine, sources, tasks[0])
    elif not engine.local:  # each input's whole pipeline runs where the engine runs it
        yield from cast("RemoteEngine", engine).reports(tasks)
    else:
        yield from _locally(tasks, spec, "-" in sources)


def _read_already(tasks: list[Task]) -> bool:
    """Whether the tasks were read here already (``--split-by``): no engine reads them again."""
    return any(task.log is not None or task.error is not None for task in tasks)


def _locally(tasks: list[Task], spec: RunSpec, stdin: bool) -> Iterator[tuple[int, Outcome]]:
    """In this process, or on workers when asked (``--jobs``) or when it pays."""
    jobs = 1 if stdin else spec.jobs or default_jobs()  # workers cannot read our stdin
    formats = spec.formats if spec.per_input else ("json",)  # --edition class: counting only
    if (
        jobs == 1
        or len(tasks) == 1
        or not (spec.jobs is not None or worth_a_pool([t.source for t in tasks], formats))
    ):
        for i, task in enumerate(tasks):
            yield i, make_report(task, spec.options)
        return
    from reportgen.cli.workers import Workers

    rendering = any(fmt != "json" for fmt in formats)
    # A PDF or HTML takes seconds, next to which a round trip is nothing: one at a time,
    # so that no worker idles at the end while another still has a chunk to make.
    size = 1 if rendering else max(1, min(_CHUNK, len(tasks) // (4 * jobs)))
    chunks = [list(range(i, min(i + size, len(tasks)))) for i in range(0, len(tasks), size)]
    recycle = recycle_after() if rendering else None
    with Workers(min(jobs, len(chunks)), spec.formats, recycle) as workers:
        if rendering:
            items = [(tasks[c[0]], spec.options) for c in chunks]
            function = make_one
        else:
            items = [([tasks[i] for i in c], spec.options) for c in chunks]
            function = make_many  # type: ignore[assignment]
        for n, result in workers.unordered(function, items):
            if isinstance(result, BaseException):  # the worker died, or a bug escaped work
                for i in chunks[n]:
                    yield i, _lost(tasks[i], result)
                continue
            outcomes = result if isinstance(result, list) else [result]
            yield from zip(chunks[n], outcomes, strict=True)


def recycle_after() -> int | None:
    """Reports a rendering worker makes before it is replaced (``None``: never)."""
    text = os.environ.get("REPORTGEN_WORKER_REPORTS", "").strip()
    if not text:
        return RECYCLE_REPORTS
    if not text.isdigit():
        raise UsageError(f"REPORTGEN_WORKER_REPORTS={text}: give a whole number (0: never)")
    return int(text) or None


def _lost(task: Task, reason: BaseException) -> Outcome:
    """The outcome of a task whose worker ended before answering."""
    outcome = Outcome(task.source, status=int(ExitStatus.IOERR))
    outcome.error = _(
        "{path}: the worker making it ended ({reason})", path=task.source, reason=reason
    )
    outcome.lines = [outcome.error]
    return outcome


def _combined(engine: Engine, parts: Sequence[str], task: Task) -> Outcome:
    """One report from all parts: each part is counted by the engine, then merged."""
    from reportgen.read import combine

    start = time.perf_counter()
    digest = engine.digest(parts)
    try:
        logs = cast("list[RollLog]", list(engine.logs(parts)))  # without errors=True: all logs
        log = combine(logs, os.pathsep.join(parts), digest.hexdigest())
    except ReportgenError as exc:
        digest.close()
        outcome = Outcome(task.source)
        outcome.fail(exc)
        return outcome
    outcome = make_report(task, engine.options, log)
    outcome.seconds = time.perf_counter() - start
    return outcome


# -- telling the user ----------------------------------------------------------------------


class _Reporter:
    """Paths and JSON Lines on stdout, status lines on stderr, in input order; a bar on a
    terminal. Outcomes arrive in any order (``done``) and are told in input order."""

    def __init__(
        self,
        tasks: Sequence[Task],
        spec: RunSpec,
        stdout: TextIO,
        stderr: TextIO,
        log: EventLog | None = None,
    ) -> None:
        self.outcomes: list[Outcome | None] = [None] * len(tasks)
        self.quiet, self.debug, self.lang = spec.quiet, spec.debug, spec.messages
        self.log = log
        self.lines = log is None or not log.json  # status lines; else JSON events (``log``)
        self.stdout, self.stderr = stdout, stderr
        self.show = len(tasks) > 1
        self._told = 0
        self.bar = None
        if self.show and not self.quiet and self.lines and _isatty(stderr):
            try:
                from tqdm import tqdm
            except ImportError:
                pass
            else:  # appears only when the work lasts over a second
                self.bar = tqdm(total=len(tasks), file=stderr, delay=1.0, unit="input", leave=False)

    def done(self, index: int, outcome: Outcome) -> None:
        """``outcome`` of input ``index`` is final; tell every outcome now due, in order."""
        if self.log is not None:
            self.log.input(outcome)  # its event as it happens, not in input order
        self.outcomes[index] = outcome
        while self._told < len(self.outcomes) and self.outcomes[self._told] is not None:
            self._tell(self.outcomes[self._told])  # type: ignore[arg-type]
            self._told += 1

    def extra(self, outcome: Outcome) -> None:
        """An outcome after every input's (the class overview)."""
        self.outcomes.append(outcome)
        self.done(len(self.outcomes) - 1, outcome)

    def tally(self, inputs: int) -> None:
        """One line after several inputs: how many were done, unchanged, failed (not with -q,
        nor with JSON events, whose end event counts them)."""
        if inputs < 2 or self.quiet or not self.lines:
            return
        told = [o for o in self.outcomes[:inputs] if o is not None]
        failed = sum(o.status != 0 for o in told)
        unchanged = sum(o.skipped for o in told)
        done = len(told) - failed - unchanged
        parts = [_("{count} done", count=done)]
        if unchanged:
            parts.append(_("{count} unchanged", count=unchanged))
        parts.append(_("{count} failed", count=failed))
        self._say(
            _(
                "reportgen: {inputs}: {parts}",
                inputs=_n("{count} input", "{count} inputs", inputs),
                parts=joined(*_commas(parts)),
            )
        )

    def _say(self, line: str) -> None:
        # said in the terminal's language; a file name's ESC or CR is named, not obeyed
        line = escaped(said(line, self.lang))
        if self.bar is not None:
            self.bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr, flush=True)

    def _tell(self, outcome: Outcome) -> None:
        if outcome.stdout is not None:
            write_stdout(outcome.stdout, self.stdout)
        for path in outcome.outputs if not outcome.skipped else ():
            print(path, file=self.stdout)
        if not self.lines:
            return  # JSON events instead, told as each outcome arrived (``done``); no bar
        if outcome.status != 0:
            if self.debug and outcome.trace:
                print(outcome.trace, end="", file=self.stderr)
            lines = outcome.lines if not self.show and outcome.lines else [outcome.error]
            for line in lines:
                self._say(_("reportgen: error: {line}", line=line))
        elif self.show and not self.quiet:
            if outcome.skipped:
                self._say(_("reportgen: unchanged: {input}", input=outcome.input))
            elif outcome.n is None:  # a class's output (an overview, a bundle)
                self._say(
                    _(
                        "reportgen: done: {input} ({seconds:.2f} s)",
                        input=outcome.input,
                        seconds=outcome.seconds,
                    )
                )
            else:
                self._say(
                    _(
                        "reportgen: done: {input} ({n} throws, {seconds:.2f} s)",
                        input=outcome.input,
                        n=outcome.n,
                        seconds=outcome.seconds,
                    )
                )
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _commas(parts: list[Text]) -> list[str]:
    """Parts of a line with ", " between them (said in each language as it words it)."""
    joined_parts: list[str] = []
    for i, part in enumerate(parts):
        if i:
            joined_parts.append(_(", "))
        joined_parts.append(part)
    return joined_parts


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False

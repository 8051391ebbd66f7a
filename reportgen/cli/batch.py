"""Many inputs in one invocation: scheduling, status lines, a summary, skipping, combining.

``main.run`` hands over here when there are several inputs or a batch option
(``--combine``, ``--summary``, ``--skip-unchanged``). The pipeline per input is
the one of a single input; this module only decides where and in which order
it runs.

- ``--jobs N`` worker processes (default: the CPUs this process may use), see
  ``engines.process_pool``. With one input or ``--jobs 1`` everything runs
  in-process; without ``--jobs``, also when the work is too small to repay
  starting workers (``engines.worth_a_pool``). An engine that counts elsewhere
  (Dask) counts every input there and the analyses run here.
- One status line per input on stderr (``-q`` keeps only errors), written
  files' paths on stdout in input order; several inputs with ``-f json -o -``
  write JSON Lines (one compact object per input, in input order) to stdout.
- ``--summary PATH``: one JSON object per input (JSON Lines), written at the end.
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

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from reportgen.cli.engines import default_jobs, process_pool, worth_a_pool
from reportgen.cli.plan import Target, plan_outputs, refuse_clobbering, render_bytes, write_stdout
from reportgen.errors import ExitStatus, ReportgenError, UsageError
from reportgen.printable import escaped

if TYPE_CHECKING:
    from concurrent.futures import Future

    from reportgen.cli.args import RunSpec
    from reportgen.cli.engines import Engine
    from reportgen.options import Options
    from reportgen.read import RollLog

#: Inputs handed to one worker (or analysed in-process) at a time.
_CHUNK = 16
#: Reports (HTML or PDF) a worker makes before a fresh one replaces it: what WeasyPrint
#: and matplotlib keep between documents is given back, yet the imports are rarely repeated.
RECYCLE_REPORTS = 64


def wanted(spec: RunSpec, sources: Sequence[str]) -> bool:
    """Whether this run is a batch: several inputs, or a batch-only option."""
    return len(sources) > 1 or spec.combine or bool(spec.summary) or spec.skip_unchanged


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
    stdout: bytes | None = None  # what goes to standard output, for targets without a path
    counts: tuple[int, ...] | None = None  # n_k of this input, for the class overview

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


@dataclass(frozen=True)
class Task:
    """One report to make: its input (``combined`` for ``--combine``) and its targets."""

    source: str
    targets: tuple[Target, ...]
    jsonl: bool = False


def run(
    spec: RunSpec, engine: Engine, sources: Sequence[str], stdout: TextIO, stderr: TextIO
) -> list[int]:
    """Run a batch: the exit status of each report, in input order (``main.exit_status``)."""
    if "-" in sources and spec.combine:
        raise UsageError("--combine reads files, not standard input", hint="save it to a file")
    tasks = _tasks(spec, sources)

    manifests = None
    if spec.skip_unchanged:
        from reportgen.cli.manifest import Manifests, fingerprint

        manifests = Manifests(fingerprint(spec.options, spec.combine, spec.edition))
    outcomes: list[Outcome | None] = []
    todo: list[Task] = []
    for task in tasks:
        parts = sources if spec.combine else [task.source]
        if manifests is not None and manifests.unchanged(task.targets, parts):
            outputs = [str(t.path) for t in task.targets]
            outcomes.append(Outcome(task.source, outputs=outputs, skipped=True))
        else:
            outcomes.append(None)
            todo.append(task)

    reporter = _Reporter(len(tasks), spec.quiet, stderr, show=len(tasks) > 1)
    results: Iterator[Outcome]
    try:
        if spec.combine:
            results = (_combined(engine, sources, task) for task in todo)
        elif engine.local:
            results = _on_workers(todo, spec, "-" in sources)
        else:
            results = _counted_by(engine, todo)
        for i, outcome in enumerate(outcomes):
            if outcome is None:
                outcome = outcomes[i] = next(results)
            reporter.report(outcome, stdout)
        done = [outcome for outcome in outcomes if outcome is not None]
        if manifests is not None:
            for task, outcome in zip(tasks, done, strict=True):
                if not outcome.skipped and outcome.status == 0:
                    manifests.record(task.targets, sources if spec.combine else [task.source])
            manifests.save()
        if spec.edition == "teacher" and len(tasks) > 1 and not spec.combine:
            from reportgen.cli.classroom import CLASS, write_class

            # The class's overview beside the keys; made again each run (not in the manifest).
            done.append(write_class(spec, tasks, done, Outcome(CLASS)))
            reporter.report(done[-1], stdout)
    finally:
        reporter.close()

    if spec.summary:
        from reportgen.output import write_atomic

        lines = "".join(json.dumps(o.summary(), ensure_ascii=False) + "\n" for o in done)
        write_atomic(Path(spec.summary), lines.encode("utf-8"))
    return [outcome.status for outcome in done]


def _tasks(spec: RunSpec, sources: Sequence[str]) -> list[Task]:
    if spec.combine:
        targets = plan_outputs(["combined"], spec.formats, spec.output, spec.edition)
        refuse_clobbering(sources, targets)
        return [Task("combined", tuple(targets))]
    if spec.output == "-" and spec.formats == ("json",) and len(sources) > 1:
        return [Task(s, (Target(s, "json", None),), jsonl=True) for s in sources]
    targets = plan_outputs(sources, spec.formats, spec.output, spec.edition)
    return [Task(s, tuple(t for t in targets if t.source == s)) for s in sources]


# -- working -----------------------------------------------------------------------------


def _on_workers(tasks: list[Task], spec: RunSpec, stdin: bool) -> Iterator[Outcome]:
    """Outcomes of ``tasks`` in order; from workers when asked (``--jobs``) or when it pays."""
    if not tasks:
        return
    jobs = 1 if stdin else spec.jobs or default_jobs()  # workers cannot read our stdin
    if (
        jobs == 1
        or len(tasks) == 1
        or not (spec.jobs is not None or worth_a_pool([t.source for t in tasks], spec.formats))
    ):
        for i in range(0, len(tasks), _CHUNK):
            yield from work_many(tasks[i : i + _CHUNK], spec.options)
        return
    from concurrent.futures.process import BrokenProcessPool

    rendering = any(fmt != "json" for fmt in spec.formats)
    # A few tasks per submission: fewer round trips, yet work stays balanced. A PDF or
    # HTML takes seconds, next to which a round trip is nothing: one at a time, so that
    # no worker idles at the end while another still has a chunk of reports to make.
    size = 1 if rendering else max(1, min(_CHUNK, len(tasks) // (4 * jobs)))
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    recycle = max(1, RECYCLE_REPORTS // size) if rendering else None
    pool = process_pool(min(jobs, len(chunks)), spec.formats, recycle)
    try:
        futures = [pool.submit(work_many, chunk, spec.options) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                yield from future.result()
            except BrokenProcessPool:
                for task in chunk:
                    yield Outcome(task.source, int(ExitStatus.IOERR), error="worker died")
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _counted_by(engine: Engine, tasks: list[Task]) -> Iterator[Outcome]:
    """Outcomes of ``tasks`` in order, each counted by ``engine``, analysed and written here."""
    if not tasks:
        return
    logs = engine.logs([task.source for task in tasks], errors=True)
    for task, log in zip(tasks, logs, strict=True):
        if isinstance(log, ReportgenError):
            yield Outcome(task.source, int(log.status), error=str(log))
        else:
            yield work(task, engine.options, log)


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
        return Outcome(task.source, int(exc.status), error=str(exc))
    outcome = work(task, engine.options, log)
    outcome.seconds = time.perf_counter() - start
    return outcome


def work_many(tasks: list[Task], options: Options) -> list[Outcome]:
    """Several inputs; returns once every output of theirs is written (or failed)."""
    writes: list[tuple[Outcome, Target, Future[None]]] = []
    outcomes = [work(task, options, writes=writes) for task in tasks]
    for outcome, target, future in writes:
        try:
            future.result()
        except ReportgenError as exc:
            if outcome.status == 0:
                outcome.status, outcome.error = int(exc.status), str(exc)
        else:
            outcome.outputs.append(str(target.path))
    return outcomes


def work(
    task: Task,
    options: Options,
    log: RollLog | None = None,
    writes: list[tuple[Outcome, Target, Future[None]]] | None = None,
) -> Outcome:
    """Read (unless ``log`` is given), analyse and write one input; never raises for a user's error.

    With ``writes``, files are written by threads and listed there instead.
    """
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
            if target.path is None:
                outcome.stdout = (outcome.stdout or b"") + data
            elif writes is not None:
                writes.append((outcome, target, _write_later(target.path, data)))
            else:
                from reportgen.output import write_atomic

                write_atomic(target.path, data)
                outcome.outputs.append(str(target.path))
    except ReportgenError as exc:
        outcome.status, outcome.error = int(exc.status), str(exc)
    except Exception as exc:  # a bug must not cost the other inputs their reports
        outcome.status, outcome.error = int(ExitStatus.IOERR), f"internal error: {exc!r}"
    outcome.seconds = time.perf_counter() - start
    return outcome


_writers = None


def _write_later(path: Path, data: bytes) -> Future[None]:
    """Write in a thread: each output's fsync waits on the disk, and waits overlap."""
    global _writers
    if _writers is None:
        from concurrent.futures import ThreadPoolExecutor

        _writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="reportgen-write")
    from reportgen.output import write_atomic

    return _writers.submit(write_atomic, path, data)


# -- telling the user ----------------------------------------------------------------------


class _Reporter:
    """Status lines on stderr, paths and JSON Lines on stdout, a bar on a terminal."""

    def __init__(self, total: int, quiet: bool, stderr: TextIO, show: bool) -> None:
        self.quiet, self.stderr, self.show = quiet, stderr, show
        self.bar = None
        if show and not quiet and total > 1 and _isatty(stderr):
            try:
                from tqdm import tqdm
            except ImportError:
                pass
            else:  # appears only when the work lasts over a second
                self.bar = tqdm(total=total, file=stderr, delay=1.0, unit="input", leave=False)

    def _say(self, line: str) -> None:
        line = escaped(line)  # a file name's ESC or CR is named, not obeyed by the terminal
        if self.bar is not None:
            self.bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr, flush=True)

    def report(self, outcome: Outcome, stdout: TextIO) -> None:
        if outcome.stdout is not None:
            write_stdout(outcome.stdout, stdout)
        for path in outcome.outputs if not outcome.skipped else ():
            print(path, file=stdout)
        if outcome.status != 0:
            self._say(f"reportgen: error: {outcome.error}")
        elif self.show and not self.quiet:
            if outcome.skipped:
                self._say(f"reportgen: unchanged: {outcome.input}")
            else:
                self._say(
                    f"reportgen: done: {outcome.input} ({outcome.n} throws, "
                    f"{outcome.seconds:.2f} s)"
                )
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False

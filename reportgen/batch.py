"""Many inputs in one invocation: workers, status lines, a summary, skipping, combining.

``cli.run`` hands over here when there are several inputs or a batch option
(``--combine``, ``--summary``, ``--skip-unchanged``). The pipeline per input is
the one of ``cli``; this module only decides where and in which order it runs.

- ``--jobs N`` worker processes (default: the CPUs this process may use). Each
  worker is forked from a forkserver that has imported the pipeline once, so
  a thousand small logs cost a thousand analyses, not a thousand interpreter
  starts. With one input or ``--jobs 1`` everything runs in-process; without
  ``--jobs``, also when the work is too small to repay starting workers (JSON
  only, under 2,000 inputs and 32 MiB).
- One status line per input on stderr (``-q`` keeps only errors), written
  files' paths on stdout in input order; several inputs with ``-f json -o -``
  write JSON Lines (one compact object per input, in input order) to stdout.
- ``--summary PATH``: one JSON object per input (JSON Lines), written at the end.
- ``--skip-unchanged``: an input is skipped when every output it would write
  exists and was written by reportgen from this very input (same size and
  modification time) with the same version and options. Those facts live in
  ``.reportgen-manifest.json`` in each output directory, written only by runs
  with this option; an output touched since (or a changed input, version or
  option) is made again.
- ``--combine``: every input is one part of a single log. One report; counts
  summed part by part; the first throws and the checkpoints of the running
  mean continue across parts. ``input.path`` is the parts joined with
  ``os.pathsep`` (``:`` on POSIX, ``;`` on Windows) and ``input.sha256`` is the
  digest of the parts' stored bytes concatenated in order, i.e. what
  ``cat PART... | sha256sum`` prints. Default output name: ``combined.<ext>``.
  Parts must be files (standard input cannot be re-read for the digest).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.errors import ExitStatus, ReportgenError, UsageError

#: Name of the file, in each output directory, that ``--skip-unchanged`` reads and writes.
MANIFEST = ".reportgen-manifest.json"

#: Below this much work a worker pool costs more than it saves (its start is ~0.3 s).
#: Analysing one small log takes ~4.5 ms (six intervals, the exact test), so 200 logs
#: already outweigh the start: 1,000 logs took 4.5 s in-process and 2.5 s on 2 workers.
_POOL_MIN_BYTES = 32 << 20
_POOL_MIN_INPUTS = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The batch options, added to the CLI's parser."""
    group = parser.add_argument_group("several inputs")
    group.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes over several inputs (default: number of CPUs)",
    )
    group.add_argument(
        "--combine",
        action="store_true",
        help="treat all inputs as one log split over several files: one report",
    )
    group.add_argument(
        "--summary",
        metavar="PATH",
        help="write one JSON line per input (input, status, outputs, error) to PATH",
    )
    group.add_argument(
        "--skip-unchanged",
        action="store_true",
        help="skip inputs whose outputs were made from the same input and options",
    )


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(f"--jobs {text}: give a number of workers ≥ 1")
    return value


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def wanted(args: argparse.Namespace, sources: Sequence[str]) -> bool:
    """Whether this run is a batch: several inputs, or a batch-only option."""
    return len(sources) > 1 or bool(
        getattr(args, "combine", False)
        or getattr(args, "summary", None)
        or getattr(args, "skip_unchanged", False)
    )


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

    def summary(self) -> dict[str, Any]:
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
class _Task:
    source: str
    targets: tuple[Any, ...]  # cli.Target
    jsonl: bool


def run(args, options, formats, sources, stdout, stderr, engine=None) -> ExitStatus:  # type: ignore[no-untyped-def]
    """Run a batch; the exit status of SPEC.md (one input: its own status).

    ``engine`` counts the inputs elsewhere (``dask_engine.DaskEngine``): its
    ``logs(parts)`` yields each part's ``RollLog`` (or, with ``errors=True``, the
    ``ReportgenError`` of a part that failed) in order, and ``digest(parts)``
    returns an object whose ``hexdigest()`` is the parts' concatenated SHA-256.
    Everything after counting runs here as without it.
    """
    from reportgen.cli import Target, _refuse_clobbering_inputs, plan_outputs

    jobs = args.jobs or default_jobs()
    if "-" in sources:
        if args.combine:
            raise UsageError("--combine reads files, not standard input", hint="save it to a file")
        jobs = 1  # workers cannot read this process's standard input
    jsonl = args.output == "-" and formats == ("json",) and len(sources) > 1
    if args.combine:
        targets = plan_outputs(["combined"], formats, args.output)
        _refuse_clobbering_inputs(sources, targets)
        tasks = [_Task("combined", tuple(targets), False)]
    elif jsonl:
        tasks = [_Task(s, (Target(s, "json", None),), True) for s in sources]
    else:
        targets = plan_outputs(sources, formats, args.output)
        tasks = [_Task(s, tuple(t for t in targets if t.source == s), False) for s in sources]

    fingerprint = _fingerprint(options, formats, args.combine)
    manifests: dict[Path, dict[str, Any]] = {}
    outcomes: list[Outcome] = []
    todo: list[_Task] = []
    for task in tasks:
        parts = sources if args.combine else [task.source]
        if args.skip_unchanged and _unchanged(task, parts, fingerprint, manifests):
            outcomes.append(
                Outcome(task.source, outputs=[str(t.path) for t in task.targets], skipped=True)
            )
        else:
            outcomes.append(None)  # type: ignore[arg-type]
            todo.append(task)

    reporter = _Reporter(len(tasks), args.quiet, stderr, show=len(tasks) > 1)
    try:
        if args.combine:
            explicit = args.jobs is not None
            results = (_combine(sources, t, options, jobs, explicit, engine) for t in todo)
        elif engine is not None:
            results = _engine_results(todo, options, engine)
        else:
            results = _results(todo, options, formats, jobs, args.jobs is not None)
        for i, outcome in enumerate(outcomes):
            if outcome is None:
                outcome = outcomes[i] = next(results)
            reporter.report(outcome, stdout)
    finally:
        reporter.close()

    if args.skip_unchanged:
        _record(tasks, outcomes, sources if args.combine else None, fingerprint, manifests)
    if args.summary:
        from reportgen.output import write_atomic

        lines = "".join(json.dumps(o.summary(), ensure_ascii=False) + "\n" for o in outcomes)
        write_atomic(Path(args.summary), lines.encode("utf-8"))
    failed = [o for o in outcomes if o.status != 0]
    if not failed:
        return ExitStatus.OK
    return ExitStatus(failed[0].status) if len(outcomes) == 1 else ExitStatus.PARTIAL


# -- working -----------------------------------------------------------------------------


def _results(tasks: list[_Task], options, formats, jobs: int, explicit: bool):  # type: ignore[no-untyped-def]
    """Outcomes of ``tasks`` in order; from workers when asked (``--jobs``) or when it pays."""
    if not tasks:
        return
    if jobs == 1 or len(tasks) == 1 or not (explicit or _worth_a_pool(tasks, formats)):
        for i in range(0, len(tasks), 16):
            yield from _work_many(tasks[i : i + 16], options)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # A few tasks per submission: fewer round trips, yet work stays balanced.
    size = max(1, min(16, len(tasks) // (4 * jobs)))
    batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(batches)),
        mp_context=_context(formats),
        initializer=_init_worker,
        initargs=(formats,),
    )
    try:
        futures = [pool.submit(_work_many, batch, options) for batch in batches]
        for batch, future in zip(batches, futures, strict=True):
            try:
                yield from future.result()
            except BrokenProcessPool:
                for task in batch:
                    yield Outcome(task.source, int(ExitStatus.IOERR), error="worker died")
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _engine_results(tasks: list[_Task], options, engine):  # type: ignore[no-untyped-def]
    """Outcomes of ``tasks`` in order, each counted by ``engine``, analysed and written here."""
    if not tasks:
        return
    logs = engine.logs([task.source for task in tasks], errors=True)
    for task, log in zip(tasks, logs, strict=True):
        if isinstance(log, ReportgenError):
            yield Outcome(task.source, int(log.status), error=str(log))
        else:
            yield _work(task, options, log)


def _worth_a_pool(tasks: list[_Task], formats: Sequence[str]) -> bool:
    if any(fmt != "json" for fmt in formats):
        return True  # rendering a report costs far more than starting a worker
    if len(tasks) >= _POOL_MIN_INPUTS:
        return True
    size = 0
    for task in tasks:
        try:
            size += os.stat(task.source).st_size
        except OSError:
            pass
    return size >= _POOL_MIN_BYTES


def _context(formats: Sequence[str]):  # type: ignore[no-untyped-def]
    """A forkserver that imports the pipeline once; every worker is forked from it."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_modules(formats))
    return context


def _modules(formats: Sequence[str]) -> list[str]:
    names = ["reportgen.batch", "reportgen.analysis", "reportgen.fastcount", "reportgen.results"]
    if any(fmt != "json" for fmt in formats):
        names.append("reportgen.render")
    return names


def _init_worker(formats: Sequence[str]) -> None:
    # Ctrl-C is the parent's to handle: it cancels what has not started and waits
    # for what has (every write is atomic), so workers print no tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import importlib

    for name in _modules(formats):
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the input that needs it reports the error


_writers = None


def _write_later(path: Path, data: bytes):  # type: ignore[no-untyped-def]
    """Write in a thread: each output's fsync waits on the disk, and waits overlap."""
    global _writers
    if _writers is None:
        from concurrent.futures import ThreadPoolExecutor

        _writers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="reportgen-write")
    from reportgen.output import write_atomic

    return _writers.submit(write_atomic, path, data)


def _work_many(tasks: list[_Task], options) -> list[Outcome]:  # type: ignore[no-untyped-def]
    """Several inputs; returns once every output of theirs is written (or failed)."""
    writes: list[tuple[Outcome, Any, Any]] = []
    outcomes = [_work(task, options, writes=writes) for task in tasks]
    for outcome, target, future in writes:
        try:
            future.result()
        except ReportgenError as exc:
            if outcome.status == 0:
                outcome.status, outcome.error = int(exc.status), str(exc)
        else:
            outcome.outputs.append(str(target.path))
    return outcomes


def _work(task: _Task, options, log=None, writes=None) -> Outcome:  # type: ignore[no-untyped-def]
    """Read, analyse and write one input; never raises for a user's error.

    With ``writes``, files are written by threads and listed there instead.
    """
    start = time.perf_counter()
    outcome = Outcome(task.source)
    try:
        from reportgen import api

        if log is None:
            log = api.load(task.source, options)
        outcome.n = log.n
        analysis = api.analyse(log, options=options)
        for target in task.targets:
            data = _render(analysis, target.fmt, task.jsonl)
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


def _render(analysis, fmt: str, jsonl: bool) -> bytes:  # type: ignore[no-untyped-def]
    if jsonl:  # one object per line
        return analysis.to_json(indent=None).encode("utf-8")
    from reportgen.cli import render_bytes

    return render_bytes(analysis, fmt)


# -- combining ---------------------------------------------------------------------------


def _combine(
    parts: Sequence[str], task: _Task, options, jobs: int, explicit: bool, engine=None
) -> Outcome:  # type: ignore[no-untyped-def]
    """One report from all parts: each part is counted (in parallel), then merged."""
    start = time.perf_counter()
    from reportgen.ingest import combine

    digest = _ConcatenatedDigest(parts) if engine is None else engine.digest(parts)
    try:
        if engine is None:
            logs = list(_count_parts(parts, options, jobs, explicit))
        else:
            logs = list(engine.logs(parts))
        log = combine(logs, os.pathsep.join(parts), digest.hexdigest())
    except ReportgenError as exc:
        if engine is None:
            digest.hexdigest()  # let the hashing thread finish before the next task
        return Outcome(task.source, int(exc.status), error=str(exc))
    outcome = _work(task, options, log)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _count_parts(parts: Sequence[str], options, jobs: int, explicit: bool):  # type: ignore[no-untyped-def]
    from reportgen.ingest import read

    tasks = [_Task(p, (), False) for p in parts]
    if jobs == 1 or len(parts) == 1 or not (explicit or _worth_a_pool(tasks, ("json",))):
        for part in parts:
            yield read(part, options)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(parts)),
        mp_context=_context(("json",)),
        initializer=_init_worker,
        initargs=(("json",),),
    )
    try:
        yield from pool.map(_read, parts, [options] * len(parts), chunksize=8)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _read(part: str, options):  # type: ignore[no-untyped-def]
    from reportgen.ingest import read

    return read(part, options)


class _ConcatenatedDigest:
    """SHA-256 of the parts' bytes one after another, hashed by a thread meanwhile."""

    def __init__(self, parts: Sequence[str]) -> None:
        self._digest = hashlib.sha256()
        self._parts = list(parts)
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for part in self._parts:
            try:
                with open(part, "rb") as handle:
                    while data := handle.read(1 << 20):
                        self._digest.update(data)
            except OSError:
                return  # reading the part reports the problem

    def hexdigest(self) -> str:
        self._thread.join()
        return self._digest.hexdigest()


# -- skipping unchanged inputs -------------------------------------------------------------


def _fingerprint(options, formats: Sequence[str], combine: bool) -> str:  # type: ignore[no-untyped-def]
    from reportgen import __version__

    facts = {"reportgen": __version__, "options": dataclasses.asdict(options), "combine": combine}
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stat(path: str | Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _manifest(directory: Path, cache: dict[Path, dict[str, Any]]) -> dict[str, Any]:
    if directory not in cache:
        try:
            cache[directory] = json.loads((directory / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            cache[directory] = {}
        if not isinstance(cache[directory], dict):
            cache[directory] = {}
    return cache[directory]


def _unchanged(task: _Task, parts: Sequence[str], fingerprint: str, cache) -> bool:  # type: ignore[no-untyped-def]
    if any(t.path is None for t in task.targets):
        return False  # standard output is always written
    inputs = [[os.path.realpath(p), _stat(p)] for p in parts]
    if any(stat is None for _, stat in inputs):
        return False
    for target in task.targets:
        entry = _manifest(target.path.parent, cache).get(target.path.name)
        output = _stat(target.path)
        if (
            not isinstance(entry, dict)
            or output is None
            or entry.get("fingerprint") != fingerprint
            or entry.get("inputs") != inputs
            or entry.get("output") != output
            or output[1] < max(stat[1] for _, stat in inputs)  # type: ignore[index]
        ):
            return False
    return True


def _record(tasks, outcomes, combined_parts, fingerprint: str, cache) -> None:  # type: ignore[no-untyped-def]
    """Remember what each written output was made from, per output directory."""
    from reportgen.output import write_atomic

    touched: set[Path] = set()
    for task, outcome in zip(tasks, outcomes, strict=True):
        if outcome.skipped or outcome.status != 0:
            continue
        parts = combined_parts or [task.source]
        inputs = [[os.path.realpath(p), _stat(p)] for p in parts]
        for target in task.targets:
            if target.path is None:
                continue
            manifest = _manifest(target.path.parent, cache)
            manifest[target.path.name] = {
                "fingerprint": fingerprint,
                "inputs": inputs,
                "output": _stat(target.path),
            }
            touched.add(target.path.parent)
    for directory in touched:
        text = json.dumps(cache[directory], indent=1, sort_keys=True, ensure_ascii=False)
        try:
            write_atomic(directory / MANIFEST, (text + "\n").encode("utf-8"))
        except ReportgenError:
            pass  # without a manifest the next run just makes everything again


# -- telling the user ----------------------------------------------------------------------


class _Reporter:
    """Status lines on stderr, paths and JSON Lines on stdout, a bar on a terminal."""

    def __init__(self, total: int, quiet: bool, stderr, show: bool) -> None:  # type: ignore[no-untyped-def]
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
        if self.bar is not None:
            self.bar.write(line, file=self.stderr)
        else:
            print(line, file=self.stderr, flush=True)

    def report(self, outcome: Outcome, stdout) -> None:  # type: ignore[no-untyped-def]
        if outcome.stdout is not None:
            _write_stdout(outcome.stdout, stdout)
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


def _isatty(stream) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _write_stdout(data: bytes, stdout) -> None:  # type: ignore[no-untyped-def]
    stdout.flush()
    if stdout is sys.stdout:
        sys.stdout.buffer.write(data)
    else:
        stdout.write(data.decode("utf-8"))
    stdout.flush()

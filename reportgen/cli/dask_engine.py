"""The Dask engine (``--engine dask``): each input's whole report made on a Dask worker.

- **One task an input**: ``dask_worker.make`` runs ``pipeline.make_report`` (read,
  analyse, export every target, write) on a worker (in a report process of its
  own), the same function the local engine runs, dated with this run's date, so
  the bytes are the local engine's.
  This process submits the tasks (``Client.map``), takes each ``Outcome`` as it
  finishes and does what it does locally (``batch``): the manifest journal and
  ``--summary`` (this process is their one writer), the status lines in input
  order, the exit status, the class overview from the outcomes' counts.
- **Inputs** (``expand``): a URL (``s3://…``, ``file://…``) is listed here (names
  only; its protocol's package missing is exit 2); a path, a directory or a glob
  by a worker, as the workers see it (a local path that exists here is sent as its
  absolute path). The worker making a report reads its input.
- **Outputs** (``--dask-outputs``, ``Routing``): the workers write ``-o`` themselves
  when it is a URL, or a folder every worker sees and may write (``auto`` checks
  with a probe file written here); otherwise they send the bytes and this process
  writes them. Either way a file is written whole (``output.write_atomic``) and
  recorded here, by its path as this process sees it.
- **A batch job's needs**: the workers import the pipeline once (the
  ``dask_worker.Preload`` plugin); a task whose worker died is given to another
  worker by the scheduler (``allowed-failures``; 1 for the cluster started here);
  SIGINT/SIGTERM sets the run's cancel event and cancels every task, so no worker
  writes after it (``dask_worker.make`` asks before each write); a lost scheduler
  is ``ServiceUnavailable``, exit 69.
- ``--combine`` counts the parts on the cluster and merges them here (``logs``,
  ``digest``), then makes the one report here: counts are sufficient statistics.

``docs/dask.md`` tells users how to run it and when the cluster pays. Dask is an
optional extra (``pip install 'reportgen[dask]'``) and is imported only here and in
``dask_worker``, only when ``--engine dask`` is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from reportgen.cli.engines import default_jobs, returning_errors
from reportgen.errors import (
    InputError,
    IOFailure,
    ReportgenError,
    ServiceUnavailable,
    UsageError,
)
from reportgen.pipeline import Outcome, Target, Task, write_files

if TYPE_CHECKING:
    from reportgen.cli.args import RunSpec
    from reportgen.options import Options
    from reportgen.read import RollLog

#: The command that installs what this engine needs.
INSTALL = "pip install 'reportgen[dask]'"

#: The local cluster's scheduler serves its HTTP routes on a free loopback port.
LOOPBACK_HTTP = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}

#: At most this many input files are counted by one task (see ``DaskEngine.logs``).
TASK_FILES = 64

#: How long to wait for a scheduler named by ``--scheduler`` before giving up.
CONNECT_TIMEOUT = "20s"

#: Times the scheduler of a cluster started here gives a task to another worker after the
#: worker running it died (Dask's ``distributed.scheduler.allowed-failures``, default 3).
ALLOWED_FAILURES = 1

#: What a worker's "no such file" means for a path that exists here.
NOT_ON_WORKERS = (
    "not found on the Dask workers (paths are opened there; give a path they share or a URL)"
)

#: The workers' messages for a path they cannot find.
_MISSING = ("no such file", "no file matches this pattern")


@contextlib.contextmanager
def connected(spec: RunSpec) -> Iterator[DaskEngine]:
    """The engine of ``spec``'s cluster: ``--scheduler``, ``$DASK_SCHEDULER_ADDRESS``, or a
    local cluster of ``--jobs`` workers started (and closed) here."""
    distributed = _import_distributed()
    if "-" in spec.inputs:
        raise UsageError(
            "--engine dask reads files and URLs, not standard input", hint="save it to a file"
        )
    address = spec.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    with _quiet_logs(spec.debug), _client(distributed, address, spec.jobs) as client:
        yield DaskEngine(client, spec.options, spec.dask_outputs)


@contextlib.contextmanager
def _quiet_logs(debug: bool) -> Iterator[None]:
    """Dask's own log lines (a lost scheduler is a page of tracebacks) off stderr, which
    holds reportgen's lines only; ``--debug`` keeps them. reportgen logs nothing itself."""
    before = logging.root.manager.disable
    if not debug:
        logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(before)


def _import_distributed() -> ModuleType:
    try:
        import distributed
    except ImportError:
        raise UsageError("--engine dask needs Dask", hint=f"install it: {INSTALL}") from None
    return distributed


@contextlib.contextmanager
def _client(distributed: ModuleType, address: str | None, jobs: int | None) -> Iterator[Any]:
    """A client of the cluster at ``address``, or of a local cluster started (and closed) here."""
    if address is not None:
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except ValueError as exc:
            raise UsageError(f"--scheduler {address}: {exc}", hint="e.g. tcp://host:8786") from None
        except (OSError, TimeoutError) as exc:
            raise ServiceUnavailable(
                f"cannot reach the Dask scheduler at {address} ({exc})"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
        cluster = _local_cluster(distributed, jobs)
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _local_cluster(distributed: ModuleType, jobs: int | None) -> Any:
    return distributed.LocalCluster(
        n_workers=jobs or default_jobs(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # Loopback only, no dashboard; the scheduler's HTTP server (health, metrics)
        # would otherwise try port 8787 and warn when another cluster holds it.
        scheduler_kwargs=LOOPBACK_HTTP,
        silence_logs=logging.ERROR,
    )


class DaskEngine:
    """Reports made on a cluster (``engines.RemoteEngine``); ``--combine`` counted there."""

    local = False

    def __init__(self, client: Any, options: Options, outputs: str = "auto") -> None:
        self._client = client
        self.options = options
        self.outputs = outputs  # --dask-outputs: auto, workers, client
        self._here: set[str] = set()  # absolute paths sent for inputs that exist here

    def expand(self, inputs: Sequence[str]) -> list[str]:
        """The inputs as files: URLs listed here (names only, no data read; a protocol whose
        package is missing is exit 2), paths, directories and globs as the workers see them."""
        from reportgen.read.sources import expand, is_url

        found = [expand([item]) if is_url(item) else [] for item in inputs]
        elsewhere = [i for i, item in enumerate(inputs) if not is_url(item)]
        if elsewhere:
            sent = [self._absolute(inputs[i]) for i in elsewhere]
            submitted = self._client.submit(returning_errors, expand_each, sent, pure=False)
            for i, files in zip(elsewhere, self._checked(_result, submitted, None), strict=True):
                found[i] = files
        return [name for names in found for name in names]

    def _absolute(self, item: str) -> str:
        """A local path (or glob) that exists here as its absolute path; anything else as given.

        The workers open paths in their own directory, which need not be this one.
        """
        import glob

        from reportgen.read.sources import is_url

        if is_url(item) or not (os.path.exists(item) or glob.has_magic(item) and glob.glob(item)):
            return item
        absolute = os.path.abspath(item)
        self._here.add(absolute)
        return absolute

    def _located(self, error: ReportgenError) -> ReportgenError:
        """A worker's "no such file" for a path that exists here says where it was missing."""
        if isinstance(error, InputError) and error.path in self._here and error.message in _MISSING:
            return InputError(NOT_ON_WORKERS, path=error.path)
        return error

    def _relocated(self, outcome: Outcome) -> Outcome:
        """An outcome whose input a worker could not find, though it exists here, says where
        it was missing (as ``_located`` says it of an error)."""
        if outcome.input in self._here and outcome.status == InputError.status:
            for missing in _MISSING:
                if outcome.error == str(InputError(missing, path=outcome.input)):
                    outcome.fail(InputError(NOT_ON_WORKERS, path=outcome.input))
        return outcome

    def _checked(self, get: Any, *args: Any) -> Any:
        try:
            return get(*args)
        except ReportgenError as exc:
            raise self._located(exc) from None

    def read(self, source: str) -> RollLog:
        """``count`` on a worker: the ``RollLog``, or its ``ReportgenError`` raised."""
        submitted = self._client.submit(returning_errors, count, source, self.options, pure=False)
        return self._checked(_result, submitted, source)

    def logs(
        self, parts: Sequence[str], errors: bool = False
    ) -> Iterator[RollLog | ReportgenError]:
        """Each part's ``RollLog`` in order, all counted at once; ``errors``: yield, not raise.

        Many small files go a few to a task: each task costs milliseconds of
        scheduling and round trip, more than counting a small log.
        """
        parts = list(parts)
        workers = len(self._client.scheduler_info().get("workers", ())) or 1
        size = max(1, min(TASK_FILES, len(parts) // (8 * workers)))
        chunks = [parts[i : i + size] for i in range(0, len(parts), size)]
        futures = [
            self._client.submit(count_each, chunk, self.options, pure=False) for chunk in chunks
        ]
        try:
            for chunk, future in zip(chunks, futures, strict=True):
                for value in self._checked(_result, future, chunk[0] if len(chunk) == 1 else None):
                    if isinstance(value, ReportgenError):
                        value = self._located(value)
                        if not errors:
                            raise value
                    yield value
                future.release()
        finally:
            self._client.cancel(futures)

    def digest(self, parts: Sequence[str]) -> _Digest:
        """The parts' concatenated SHA-256, hashed on a worker while they are counted."""
        from reportgen.read.sources import concatenated_sha256

        return _Digest(self._client.submit(concatenated_sha256, list(parts), pure=False))

    # -- whole reports on the workers ---------------------------------------------------

    def reports(self, tasks: Sequence[Task]) -> Iterator[tuple[int, Outcome]]:
        """``(index in tasks, outcome)`` of every task as it finishes on the cluster, its
        outputs written (by the workers, or here: ``Routing``). SIGINT/SIGTERM (or a lost
        scheduler) cancels every task still to finish; no worker writes after it."""
        import distributed

        from reportgen.cli import dask_worker
        from reportgen.pipeline import run_date

        _preload(self._client)
        routing = Routing.decide(self._client, self.outputs, tasks)
        sent = [routing.sent(task) for task in tasks]
        cancelled = f"reportgen-cancelled-{secrets.token_hex(8)}"
        futures = self._client.map(
            dask_worker.make,
            sent,
            options=self.options,
            date=run_date(),  # this run's date, on every worker (a worker outlives runs)
            cancelled=cancelled,
            keep=not routing.workers_write,
            pure=False,
            retries=1,  # the task fails only when the report process making it died
        )
        index = {future.key: i for i, future in enumerate(futures)}
        try:
            for future in distributed.as_completed(futures):
                i = index[future.key]
                outcome = routing.finished(tasks[i], _outcome(future, tasks[i]))
                yield i, self._relocated(outcome)
        except BaseException:  # SIGINT, SIGTERM, a lost scheduler, the caller gone
            _cancel(self._client, futures, cancelled)
            raise
        routing.tidy(self._client)


class _Digest:
    def __init__(self, future: Any) -> None:
        self._future = future

    def hexdigest(self) -> str:
        return _result(self._future, None)

    def close(self) -> None:
        self._future.release()


class Routing:
    """Who writes a run's outputs (``--dask-outputs``): the workers, or this process.

    ``auto``: the workers, when every output is a URL (or standard output), or when
    every worker finds the probe file this process wrote in each local output folder
    (or the nearest folder above it that exists) and may write there: a file system
    they all share, mounted where this process has it. Otherwise this process.
    """

    def __init__(self, workers_write: bool, folders: Sequence[Path]) -> None:
        self.workers_write = workers_write
        self.folders = list(folders)  # the local output folders, absolute

    @classmethod
    def decide(cls, client: Any, asked: str, tasks: Sequence[Task]) -> Routing:
        """The routing ``--dask-outputs asked`` means for ``tasks``."""
        folders = sorted(
            {
                Path(os.path.abspath(target.path.parent))
                for task in tasks
                for target in task.targets
                if target.path is not None
            }
        )
        if asked == "auto":
            return cls(not folders or _shared(client, folders), folders)
        return cls(asked == "workers", folders)

    def sent(self, task: Task) -> Task:
        """``task`` as a worker gets it: local outputs by absolute path, when it writes them
        (a worker runs in a directory of its own)."""
        if not self.workers_write:
            return task
        return replace(task, targets=tuple(_absolute(target) for target in task.targets))

    def finished(self, task: Task, outcome: Outcome) -> Outcome:
        """``outcome`` with the bytes it brought written here, and its outputs named as the
        user named them."""
        if outcome.files is not None:
            write_files(task, outcome)
        elif self.workers_write:
            named = {_absolute(t).place: t.place for t in task.targets}
            outcome.outputs = [named.get(place, place) for place in outcome.outputs]
        return outcome

    def tidy(self, client: Any) -> None:
        """Remove, on every worker's host, the temporaries that dead workers left in the
        output folders (a worker killed mid-write)."""
        from reportgen.cli import dask_worker

        if self.workers_write and self.folders:
            with contextlib.suppress(Exception):
                client.run(dask_worker.tidy_folders, [str(f) for f in self.folders])


def _absolute(target: Target) -> Target:
    if target.path is None or target.path.is_absolute():
        return target
    return replace(target, path=Path(os.path.abspath(target.path)))


def _shared(client: Any, folders: Sequence[Path]) -> bool:
    """Whether every worker reads, in each folder (or the nearest one above it that exists),
    the probe file written here, and may write there."""
    from reportgen.cli import dask_worker
    from reportgen.output import temporary_name

    probes: list[tuple[str, str]] = []
    try:
        for folder in folders:
            existing = folder
            while not existing.is_dir() and existing != existing.parent:
                existing = existing.parent
            path, content = existing / temporary_name(), secrets.token_hex(16)
            path.write_text(content, encoding="utf-8")
            probes.append((str(path), content))
        answers = client.run(dask_worker.sees, probes)
        return bool(answers) and all(answers.values())
    except Exception:  # a folder here not writable after all, a worker that failed: not shared
        return False
    finally:
        for path, _ in probes:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _outcome(future: Any, task: Task) -> Outcome:
    """The task's outcome; a task the cluster failed to run (its workers died) as a failed
    outcome of its input; a lost scheduler raised (``ServiceUnavailable``)."""
    try:
        return _result(future, task.source)
    except ServiceUnavailable:
        raise
    except ReportgenError as exc:
        outcome = Outcome(task.source)
        outcome.fail(exc)
        return outcome
    finally:
        future.release()


def _preload(client: Any) -> None:
    """Register the ``dask_worker.Preload`` plugin: every worker imports the pipeline once."""
    from reportgen.cli import dask_worker

    try:
        client.register_plugin(dask_worker.Preload())
    except Exception as exc:  # reportgen missing, or another version, on a worker
        raise ServiceUnavailable(
            f"the Dask workers cannot make reports ({type(exc).__name__}: {exc})",
            hint="install this reportgen on every worker: pip install 'reportgen[dask]'",
        ) from None


def _cancel(client: Any, futures: Sequence[Any], name: str) -> None:
    """Tell the workers that the run is cancelled (a task asks before it writes), and cancel
    every task not yet finished."""
    import distributed

    if getattr(client, "status", None) != "running":
        return  # the scheduler is gone: it cancels the tasks of a client it lost
    with contextlib.suppress(Exception):
        distributed.Event(name, client=client).set()
    with contextlib.suppress(Exception):
        client.cancel(list(futures))


def _result(future: Any, source: str | None) -> Any:
    """The future's result; a user's error as itself; a lost scheduler as
    ``ServiceUnavailable`` (exit 69); any other failure of the cluster as an I/O error."""
    try:
        value = future.result()
    except Exception as exc:  # a worker died, the scheduler went away, …
        client = getattr(future, "client", None)
        if client is not None and getattr(client, "status", "running") != "running":
            address = getattr(getattr(client, "scheduler", None), "address", None) or "?"
            raise ServiceUnavailable(
                f"lost the Dask scheduler at {address}",
                hint="what finished is written and in --summary; rerun with --skip-unchanged",
            ) from None
        failure = f"the Dask cluster failed ({type(exc).__name__}: {exc})"
        raise IOFailure(failure, path=source) from None
    if isinstance(value, ReportgenError):
        raise value  # pickled on the worker: the same error (path, line, hint) as a local run's
    return value


# -- on the workers -----------------------------------------------------------------------


def expand_each(items: Sequence[str]) -> list[list[str]]:
    """``read.sources.expand`` of each item: its files, as this worker sees them."""
    from reportgen.read.sources import expand

    return [expand([item]) for item in items]


def count_each(sources: Sequence[str], options: Options) -> list[RollLog | ReportgenError]:
    """``count`` of each source in turn: its ``RollLog``, or the user's error it raised."""
    return [returning_errors(count, source, options) for source in sources]


def count(source: str, options: Options) -> RollLog:
    """Map step: ``reportgen.read.load`` of one input; a URL is opened with fsspec."""
    from reportgen.read import load
    from reportgen.read.opening import open_url
    from reportgen.read.sources import is_url

    if not is_url(source):
        return load(source, options.read)
    with open_url(source) as handle:
        return load(source, options.read, fileobj=handle)

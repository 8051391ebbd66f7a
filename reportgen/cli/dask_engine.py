"""The Dask engine (``--engine dask``): count the inputs on a Dask cluster.

Counts are sufficient statistics, so counting is one map-reduce and everything
after it stays as it is:

- **map**, on the workers: ``reportgen.read.load`` of one input file, the same
  code (fast path and validation) as the local engine. A file is the unit of
  work; it is never split, so every error names the file's own physical line.
- **reduce**, here: ``reportgen.read.combine`` of the parts with ``--combine``
  (one report), otherwise one report per input. Analysis, figures and writing
  run in this process exactly as with the local engine, so the JSON and PDF are
  the same.

Inputs are resolved by a worker, as the workers see them
(``reportgen.read.sources.expand``): local paths (one that exists here, a
relative one included, is sent as its absolute path, so a worker started in
another directory finds it when the clusters share the filesystem; one that does
not exist here is sent as given, for a path only the workers have),
directories (their ``*.csv``, ``*.tsv``, ``*.csv.gz``, ``*.tsv.gz``, sorted),
glob patterns, and fsspec URLs (``s3://…``, ``file://…``) whose filesystem
package is installed on the workers. With ``--combine`` the ``input.sha256`` of
the parts' concatenated bytes is hashed by a worker too, so this process never
needs to read the data. ``docs/dask.md`` tells users when the cluster pays.

Dask is an optional extra (``pip install 'reportgen[dask]'``) and is imported
only here, only when ``--engine dask`` is asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
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
        yield DaskEngine(client, spec.options)


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
    cluster = distributed.LocalCluster(
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
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


class DaskEngine:
    """Counting on a cluster (``engines.Engine``); analyses run in this process."""

    local = False

    def __init__(self, client: Any, options: Options) -> None:
        self._client = client
        self.options = options
        self._here: set[str] = set()  # absolute paths sent for inputs that exist here

    def expand(self, inputs: Sequence[str]) -> list[str]:
        """The inputs as the workers see them: directories, globs and URLs become their files."""
        from reportgen.read.sources import expand

        sent = [self._absolute(item) for item in inputs]
        submitted = self._client.submit(returning_errors, expand, sent, pure=False)
        return self._checked(_result, submitted, None)

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


class _Digest:
    def __init__(self, future: Any) -> None:
        self._future = future

    def hexdigest(self) -> str:
        return _result(self._future, None)

    def close(self) -> None:
        self._future.release()


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


def count_each(sources: Sequence[str], options: Options) -> list[RollLog | ReportgenError]:
    """``count`` of each source in turn: its ``RollLog``, or the user's error it raised."""
    return [returning_errors(count, source, options) for source in sources]


def count(source: str, options: Options) -> RollLog:
    """Map step: ``reportgen.read.load`` of one input; a URL is opened with fsspec."""
    from reportgen.read import load
    from reportgen.read.sources import is_url
    from reportgen.read.text import open_url

    if not is_url(source):
        return load(source, options.read)
    with open_url(source) as handle:
        return load(source, options.read, fileobj=handle)

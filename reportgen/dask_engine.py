"""The Dask engine (``--engine dask``): count the inputs on a Dask cluster.

Counts are sufficient statistics, so counting is one map-reduce and everything
after it stays as it is:

- **map**, on the workers: ``ingest.read`` of one input file, the same code
  (fast path and validation) as the local engine. A file is the unit of work;
  it is never split, so every error names the file's own physical line.
- **reduce**, here: ``ingest.combine`` of the parts with ``--combine`` (one
  report), otherwise one report per input. Analysis, figures and writing run in
  this process exactly as with the local engine, so the JSON and PDF are the same.

Inputs are resolved by a worker, as the workers see them: local paths
(relative ones against the worker's directory, which for the local cluster
started here is this one), directories (their ``*.csv``, ``*.tsv``, ``*.csv.gz``,
``*.tsv.gz``, sorted), glob patterns, and fsspec URLs (``s3://…``, ``file://…``)
whose filesystem package is installed on the workers. With ``--combine`` the
``input.sha256`` of the parts' concatenated bytes is hashed by a worker too, so
this process never needs to read the data. ``docs/dask.md`` tells users when
the cluster pays.

Dask is an optional extra (``pip install 'reportgen[dask]'``) and is imported
only here, only when ``--engine dask`` is asked for.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any

from reportgen.errors import ExitStatus, InputError, IOFailure, ReportgenError, UsageError

#: The command that installs what this engine needs.
INSTALL = "pip install 'reportgen[dask]'"

#: The local cluster's scheduler serves its HTTP routes on a free loopback port.
LOOPBACK_HTTP = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}

#: At most this many input files are counted by one task (see ``DaskEngine.logs``).
TASK_FILES = 64

#: How long to wait for a scheduler named by ``--scheduler`` before giving up.
CONNECT_TIMEOUT = "20s"


def run(args, options, formats, stdout, stderr) -> ExitStatus:  # type: ignore[no-untyped-def]
    """``cli.run`` with counting on a Dask cluster; the exit status of SPEC.md."""
    from reportgen import batch, cli

    distributed = _import_distributed()
    if "-" in args.inputs:
        raise UsageError(
            "--engine dask reads files and URLs, not standard input", hint="save it to a file"
        )
    address = args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    with _client(distributed, address, args.jobs) as client:
        engine = DaskEngine(client, options)
        sources = engine.expand(args.inputs)
        if batch.wanted(args, sources):
            return batch.run(args, options, formats, sources, stdout, stderr, engine=engine)
        return cli.run_each(args, options, formats, sources, stdout, stderr, read=engine.read)


def _import_distributed():  # type: ignore[no-untyped-def]
    try:
        import distributed
    except ImportError:
        raise UsageError("--engine dask needs Dask", hint=f"install it: {INSTALL}") from None
    return distributed


@contextlib.contextmanager
def _client(distributed, address: str | None, jobs: int | None) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A client of the cluster at ``address``, or of a local cluster started (and closed) here."""
    if address is not None:
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except ValueError as exc:
            raise UsageError(f"--scheduler {address}: {exc}", hint="e.g. tcp://host:8786") from None
        except (OSError, TimeoutError) as exc:
            raise IOFailure(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        try:
            yield client
        finally:
            client.close()
        return
    from reportgen.batch import default_jobs

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
    """Counting on a cluster, as ``batch.run`` and ``cli.run_each`` call it."""

    def __init__(self, client, options) -> None:  # type: ignore[no-untyped-def]
        self._client = client
        self._options = options

    def expand(self, inputs: Sequence[str]) -> list[str]:
        """The inputs as the workers see them: directories and globs become their files."""
        return _result(
            self._client.submit(_returning_errors, expand, list(inputs), pure=False), None
        )

    def read(self, source: str, options=None):  # type: ignore[no-untyped-def]
        """``ingest.read`` on a worker: the ``RollLog``, or its ``ReportgenError`` raised."""
        options = self._options if options is None else options
        return _result(
            self._client.submit(_returning_errors, count, source, options, pure=False), source
        )

    def logs(self, parts: Sequence[str], errors: bool = False) -> Iterator[Any]:
        """Each part's ``RollLog`` in order, all counted at once; ``errors``: yield, not raise.

        Many small files go a few to a task: each task costs milliseconds of
        scheduling and round trip, more than counting a small log.
        """
        parts = list(parts)
        workers = len(self._client.scheduler_info().get("workers", ())) or 1
        size = max(1, min(TASK_FILES, len(parts) // (8 * workers)))
        chunks = [parts[i : i + size] for i in range(0, len(parts), size)]
        futures = [
            self._client.submit(count_each, chunk, self._options, pure=False) for chunk in chunks
        ]
        try:
            for chunk, future in zip(chunks, futures, strict=True):
                for value in _result(future, chunk[0] if len(chunk) == 1 else None):
                    if isinstance(value, ReportgenError) and not errors:
                        raise value
                    yield value
                future.release()
        finally:
            self._client.cancel(futures)

    def digest(self, parts: Sequence[str]) -> _Digest:
        """The parts' concatenated SHA-256, hashed on a worker while they are counted."""
        return _Digest(self._client.submit(concatenated_sha256, list(parts), pure=False))


class _Digest:
    def __init__(self, future) -> None:  # type: ignore[no-untyped-def]
        self._future = future

    def hexdigest(self) -> str:
        return _result(self._future, None)


def _result(future, source: str | None):  # type: ignore[no-untyped-def]
    """The future's result; a user's error as itself, a cluster's failure as an I/O error."""
    try:
        value = future.result()
    except Exception as exc:  # a worker died, the scheduler went away, …
        failure = f"the Dask cluster failed ({type(exc).__name__}: {exc})"
        raise IOFailure(failure, path=source) from None
    if isinstance(value, ReportgenError):
        raise value  # pickled on the worker: the same error (path, line, hint) as a local run's
    return value


# -- on the workers -----------------------------------------------------------------------


def _is_url(source: str) -> bool:
    return "://" in source


def _returning_errors(function, *args):  # type: ignore[no-untyped-def]
    """``function(*args)``, or the user's error it raised as the result.

    A bad row is the user's error, not a failed task: returned, it is not logged
    as "Compute Failed" with a traceback on the worker, and the client raises it.
    """
    try:
        return function(*args)
    except ReportgenError as exc:
        return exc


def count_each(sources: Sequence[str], options) -> list[Any]:  # type: ignore[no-untyped-def]
    """``count`` of each source in turn: its ``RollLog``, or the user's error it raised."""
    return [_returning_errors(count, source, options) for source in sources]


def count(source: str, options) -> Any:  # type: ignore[no-untyped-def]
    """Map step: ``ingest.read`` of one input; a URL is opened with fsspec."""
    from reportgen.ingest import read

    if not _is_url(source):
        return read(source, options)
    with _open_url(source) as handle:
        return read(source, options, fileobj=handle)


def _open_url(source: str):  # type: ignore[no-untyped-def]
    import fsspec

    try:
        return fsspec.open(source, "rb").open()
    except FileNotFoundError:
        raise InputError("no such file", path=source) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=source) from None
    except PermissionError:
        raise InputError("permission denied", path=source) from None
    except ImportError as exc:
        raise InputError(
            f"cannot open ({exc})", path=source, hint="install that filesystem's fsspec package"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot open ({exc})", path=source) from None


def concatenated_sha256(parts: Sequence[str]) -> str:
    """SHA-256 of the parts' stored bytes one after another (``cat PART... | sha256sum``)."""
    digest = hashlib.sha256()
    for part in parts:
        try:
            opened = _open_url(part) if _is_url(part) else open(part, "rb")  # noqa: SIM115
            with opened as handle:
                while data := handle.read(1 << 20):
                    digest.update(data)
        except (OSError, ReportgenError):
            break  # counting the part reports the problem
    return digest.hexdigest()


def expand(inputs: Sequence[str]) -> list[str]:
    """Directories and glob patterns become their log files, sorted; other inputs stay."""
    from reportgen.cli import expand_inputs

    found: list[str] = []
    for item in inputs:
        if _is_url(item):
            found.extend(_expand_url(item))
        elif glob.has_magic(item) and not os.path.exists(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise InputError("no file matches this pattern", path=item)
            found.extend(expand_inputs(matches))
        else:
            found.extend(expand_inputs([item]))
    return found


def _expand_url(item: str) -> list[str]:
    import fnmatch

    import fsspec

    from reportgen.cli import LOG_PATTERNS

    try:
        fs, path = fsspec.core.url_to_fs(item)
    except (ImportError, ValueError) as exc:
        raise InputError(
            f"cannot open ({exc})", path=item, hint="install that filesystem's fsspec package"
        ) from None
    if glob.has_magic(path):
        matches = sorted(fs.glob(path))
        if not matches:
            raise InputError("no file matches this pattern", path=item)
        found: list[str] = []
        for match in matches:
            found.extend(_expand_url(fs.unstrip_protocol(match)))
        return found
    if not fs.isdir(path):
        return [item]
    names = sorted(
        name.rstrip("/").rsplit("/", 1)[-1]
        for name in fs.ls(path, detail=False)
        if any(fnmatch.fnmatch(name.rsplit("/", 1)[-1], p) for p in LOG_PATTERNS)
    )
    if not names:
        raise InputError("directory holds no *.csv, *.tsv or *.csv.gz logs", path=item)
    return [item.rstrip("/") + "/" + name for name in names]

"""What runs on a Dask worker for ``--engine dask``: one input's whole report, and the preload.

Imported on the workers (reportgen is installed there, the same version as the
client's) and by the client only when ``--engine dask`` makes reports, since it
imports ``distributed``.

- ``make`` is one task: ``pipeline.make_report`` of one input, the function the
  local engine runs, dated with the run's date (a worker lives for many runs).
  The worker does not make the report in its own process: it hands it to a
  report process of its own (``workers.Workers``, one per worker thread), forked
  from a forkserver that imported the pipeline once and replaced after
  ``REPORTGEN_WORKER_REPORTS`` reports (64), exactly as the local engine's workers,
  so the Dask worker's resident size stays flat however many reports it makes
  (``benchmarks/dask_batch.py``). The report process sends the outputs' bytes back;
  the worker writes them (atomically, or in one whole-object write to a URL), each
  after asking the scheduler whether the run was cancelled (the client sets the
  run's ``distributed.Event`` on SIGINT/SIGTERM), or returns them for the client
  to write. A user's error is the outcome's (status 65, 66), never the task's; the
  task fails only when its report process died, and is then retried once
  (``retries=1``); a Dask worker that died is the scheduler's to retry
  (``allowed-failures``).
- ``Preload`` is the worker plugin the client registers: on every worker, and every
  worker that joins later, it starts the forkserver that imports the pipeline (WeasyPrint,
  matplotlib, …) once; its teardown (a worker closing, e.g. on SIGTERM) ends the
  report processes, each removing its unfinished temporary file.
- ``sees`` answers the client's probe: whether this worker finds the file the client
  wrote in an output folder and may write there (``--dask-outputs auto``).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from distributed import Event, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from reportgen.cli.workers import WorkerDied, Workers
from reportgen.pipeline import Outcome, Target, Task, make_kept, write_files

if TYPE_CHECKING:
    from distributed import Worker

    from reportgen.options import Options

#: What the report processes import before their first report: every format's pipeline
#: (one forkserver serves every run of the worker, whatever its formats).
FORMATS = ("pdf", "html", "json")

#: This worker's report processes, one per thread that has made a report.
_pools: list[Workers] = []
_local = threading.local()
_lock = threading.Lock()


class Cancelled(Exception):
    """The run this task belongs to was cancelled: its outputs are not written."""


class Preload(WorkerPlugin):
    """Start, on every worker, the forkserver that imports the pipeline once; refuse a worker
    whose reportgen is not the client's version (its bytes would differ)."""

    idempotent = True  # registered again by the next run: nothing to do

    def __init__(self) -> None:
        from reportgen import __version__

        self.version = __version__  # the client's
        self.name = f"reportgen-{__version__}"

    def setup(self, worker: Worker) -> None:
        from multiprocessing import forkserver

        from reportgen import __version__
        from reportgen.cli.workers import _context

        if __version__ != self.version:
            raise RuntimeError(f"this worker has reportgen {__version__}, not {self.version}")
        if _context(FORMATS).get_start_method() == "forkserver":
            forkserver.ensure_running()  # it imports the pipeline in the background

    def teardown(self, worker: Worker) -> None:
        with _lock:
            pools, _pools[:] = list(_pools), []
        for pool in pools:
            pool.close(now=True)  # SIGTERM: each removes its unfinished temporary


def make(
    task: Task, options: Options, date: dt.datetime, cancelled: str, keep: bool = False
) -> Outcome:
    """One input's report, made by this worker's report process, dated ``date``.

    ``cancelled``: the name of the run's cancel event; ``keep``: the outputs' bytes go
    back in ``Outcome.files`` for the client to write, instead of being written here.
    """
    results = [result for _, result in _pool().unordered(make_kept, [(task, options, date)])]
    outcome = results[0]
    if isinstance(outcome, BaseException):  # the report process died: let Dask retry it
        raise outcome if isinstance(outcome, WorkerDied) else WorkerDied(repr(outcome))
    if not keep:
        write_files(task, outcome, before=_unless(cancelled))
    outcome.worker = get_worker().address
    return outcome


def _pool() -> Workers:
    """This thread's report process (started on its first report)."""
    pool = getattr(_local, "pool", None)
    if pool is None:
        import multiprocessing

        from reportgen.cli.batch import recycle_after

        # A nanny starts its worker as a daemonic process, which multiprocessing forbids
        # to start processes; the report processes end with the worker (``teardown``, the
        # exit handler that ends daemonic children, Linux's parent-death signal).
        multiprocessing.current_process().daemon = False
        pool = _local.pool = Workers(1, FORMATS, recycle_after())
        with _lock:
            _pools.append(pool)
    return pool


def _unless(cancelled: str) -> Callable[[Target], None]:
    """Before a write: ``Cancelled`` if the scheduler says the run was cancelled."""

    def check(target: Target) -> None:
        if Event(cancelled).is_set():
            raise Cancelled(f"{target.place}: not written, the run was cancelled")

    return check


def sees(probes: Sequence[tuple[str, str]]) -> bool:
    """Whether every probe ``(path, content)`` is here as the client wrote it, in a folder this
    worker may write."""
    for path, content in probes:
        try:
            with open(path, encoding="utf-8") as handle:
                if handle.read() != content:
                    return False
        except OSError:
            return False
        if not os.access(os.path.dirname(path), os.W_OK | os.X_OK):
            return False
    return True


def tidy_folders(folders: Sequence[str]) -> list[str]:
    """Remove the temporaries that dead processes of this worker's host left in ``folders``."""
    from pathlib import Path

    from reportgen.output import remove_dead_temporaries

    removed = []
    for folder in folders:
        removed += remove_dead_temporaries(Path(folder))
    return removed

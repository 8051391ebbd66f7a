"""This machine's worker processes, started, fed, retired and ended here.

``Workers(count, formats)`` runs a function over many items on ``count``
processes forked from a forkserver that imported the pipeline once
(``set_forkserver_preload``), so a thousand small logs cost a thousand
analyses, not a thousand interpreter starts. Each worker takes one item at a
time; ``unordered`` yields each ``(index, result)`` as it finishes.

Not ``concurrent.futures.ProcessPoolExecutor``: with ``max_tasks_per_child``
it can stop scheduling for good once a worker retires (CPython gh-115634, in
3.11 through the 3.15 betas), and on SIGTERM its shutdown waits for every
running task. Here:

- a worker that has finished ``recycle`` items (if given) is told to exit and
  a fresh one is forked in its place;
- a worker that dies mid-item is replaced, and that item's result is a
  ``WorkerDied``;
- ``close(now=True)`` (SIGINT, SIGTERM, an error) sends every worker SIGTERM,
  on which it removes its unfinished temporary file and exits, and SIGKILL to
  any that is still there after ``GRACE`` seconds;
- a worker whose parent (the forkserver, which exits with this process) dies
  is sent SIGTERM by the kernel (Linux ``PR_SET_PDEATHSIG``), so no worker
  outlives a job killed with SIGKILL.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.cli import collector
from reportgen.errors import ExitStatus, Interrupted

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

#: Seconds a worker has to end after SIGTERM before it is killed.
GRACE = 10.0

#: Linux's ``prctl`` option that signals a process when its parent dies.
_PR_SET_PDEATHSIG = 1


class WorkerDied(Exception):
    """The worker running an item ended before it answered (killed, out of memory)."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    index: int | None = None  # the item it is working on
    done: int = 0  # items it has finished


class Workers:
    """Worker processes for one batch (see the module's docstring)."""

    def __init__(self, count: int, formats: Sequence[str], recycle: int | None = None) -> None:
        self.count = max(1, count)
        self.recycle = recycle
        self._formats = tuple(formats)
        self._context = _context(self._formats)
        self._workers: list[_Worker] = []

    def unordered(
        self, function: Callable[[Any], Any], items: Iterable[Any]
    ) -> Iterator[tuple[int, Any]]:
        """``(index, function(item))`` for each item as it finishes (``WorkerDied`` if lost)."""
        from multiprocessing.connection import wait

        pending = deque(enumerate(items))
        while pending or any(w.index is not None for w in self._workers):
            self._feed(function, pending)
            busy = [w for w in self._workers if w.index is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    yield self._collect(worker)

    def ordered(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``function(item)`` for each item, in the items' order."""
        waiting: dict[int, Any] = {}
        following = 0
        for index, result in self.unordered(function, items):
            waiting[index] = result
            while following in waiting:
                yield waiting.pop(following)
                following += 1

    def _feed(self, function: Callable[[Any], Any], pending: deque[tuple[int, Any]]) -> None:
        """Give an item to every idle worker, starting workers up to ``count``."""
        while pending and len(self._workers) < self.count:
            self._workers.append(self._start())
        for worker in self._workers:
            if pending and worker.index is None:
                index, item = pending.popleft()
                worker.conn.send((function, item))
                worker.index = index

    def _collect(self, worker: _Worker) -> tuple[int, Any]:
        """The finished worker's ``(index, result)``; a worker that died is replaced."""
        index = worker.index
        assert index is not None
        worker.index = None
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker, ended=True)
            return index, WorkerDied(f"worker {worker.process.pid} died")
        worker.done += 1
        if self.recycle is not None and worker.done >= self.recycle:
            self._replace(worker, ended=False)
        return index, result

    def _replace(self, worker: _Worker, *, ended: bool) -> None:
        """Retire ``worker`` (or bury it, if it ``ended``); a fresh one takes its place."""
        if not ended:
            worker.conn.send(None)
        worker.process.join(GRACE)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self._formats), name="reportgen-worker", daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def close(self, *, now: bool = False) -> None:
        """End every worker: told to exit when done, or (``now``) signalled at once."""
        for worker in self._workers:
            if not worker.process.is_alive():
                continue
            if now:
                worker.process.terminate()  # SIGTERM: the worker removes its temporary
            else:
                try:
                    worker.conn.send(None)
                except OSError:
                    worker.process.terminate()
        for worker in self._workers:
            worker.process.join(GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close(now=kind is not None)


def _context(formats: Sequence[str]) -> BaseContext:
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_modules(formats))
    return context


def _modules(formats: Sequence[str]) -> list[str]:
    """What a worker imports before its first item: the pipeline of ``formats``."""
    names = [
        "reportgen.pipeline",
        "reportgen.analysis",
        "reportgen.read.fastcount",
        "reportgen.render.formats",
    ]
    if any(fmt != "json" for fmt in formats):
        names += ["reportgen.render.formats.pdf", "reportgen.render.preload"]
    return names


# -- in the worker --------------------------------------------------------------------------


def _serve(conn: Connection, formats: tuple[str, ...]) -> None:
    """A worker's life: items from ``conn`` until told to stop (``None``) or signalled."""
    _init(formats)
    try:
        while (message := conn.recv()) is not None:
            function, item = message
            try:
                result = function(item)
            except Exception as exc:  # a bug: the batch reports it for this item alone
                result = exc
            conn.send(result)
    except (EOFError, OSError, Interrupted):
        pass
    finally:
        from reportgen.output import remove_temporaries

        remove_temporaries()


def _init(formats: tuple[str, ...]) -> None:
    # Ctrl-C reaches the whole process group: the parent decides (it ends the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    _die_with_parent()
    import importlib

    for name in _modules(formats):
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the input that needs it reports the error
    collector.worker_ready()


def _terminated(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(ExitStatus.TERMINATED)


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the parent (the forkserver) dies; elsewhere, nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent was already gone before the request
        raise SystemExit(0)

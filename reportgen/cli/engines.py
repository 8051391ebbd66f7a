"""Where reports are made: the ``Engine`` protocol and the local engine (this machine's CPUs).

An engine expands the inputs the user named into files, reads one input,
counts many (the parts of ``--combine``) in order, and hashes the parts of
``--combine`` one after another. The local engine's batch runs each input's
pipeline (``pipeline.make_report``) in this process or on this machine's
workers (``batch``); a ``RemoteEngine`` runs it elsewhere:
``dask_engine.DaskEngine`` makes each report whole on a Dask worker.

The local engine's worker processes (``workers.Workers``) start only when
asked (``--jobs``) or when the work repays their start (``worth_a_pool``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from reportgen.errors import ReportgenError

if TYPE_CHECKING:
    from reportgen.options import Options, ReadOptions
    from reportgen.pipeline import Outcome, Task
    from reportgen.read import RollLog

T = TypeVar("T")

#: Below this much work a worker pool costs more than it saves (its start is ~0.3 s).
#: Analysing one small log takes ~4.5 ms (six intervals, the exact test), so 200 logs
#: already outweigh the start: 1,000 logs took 4.5 s in-process and 2.5 s on 2 workers.
POOL_MIN_BYTES = 32 << 20
POOL_MIN_INPUTS = 200


class Digest(Protocol):
    """The SHA-256 of ``--combine``'s parts, computed while they are counted."""

    def hexdigest(self) -> str:
        """The digest; waits until it is known."""
        ...

    def close(self) -> None:
        """Not wanted after all (a part failed): let go of the work behind it."""
        ...


class Engine(Protocol):
    """Counting, wherever it runs; ``ReportgenError``s are the user's, as a local run's."""

    #: The options every input is read with.
    options: Options
    #: True when this process or this machine's worker processes run each input's
    #: pipeline (``batch``); False for a ``RemoteEngine``, which runs it elsewhere.
    local: bool

    def expand(self, inputs: Sequence[str]) -> list[str]:
        """The inputs as files: directories (and what else the engine resolves) expanded."""
        ...

    def read(self, source: str) -> RollLog:
        """One input's ``RollLog``, or its ``ReportgenError`` raised."""
        ...

    def logs(
        self, parts: Sequence[str], errors: bool = False
    ) -> Iterator[RollLog | ReportgenError]:
        """Each part's ``RollLog`` in order; a failed part raises, or with ``errors`` is yielded."""
        ...

    def digest(self, parts: Sequence[str]) -> Digest:
        """The parts' concatenated SHA-256 (``cat PART... | sha256sum``), hashed meanwhile."""
        ...


class RemoteEngine(Engine, Protocol):
    """An engine that runs each input's whole pipeline elsewhere (``local`` is False)."""

    def reports(self, tasks: Sequence[Task]) -> Iterator[tuple[int, Outcome]]:
        """``(index in tasks, outcome)`` of every task as it finishes: ``make_report`` run
        elsewhere, its outputs written, a user's error as the outcome's."""
        ...


class LocalEngine:
    """Counting in this process, or with ``--jobs`` worker processes on this machine."""

    local = True

    def __init__(self, options: Options, jobs: int | None = None) -> None:
        self.options = options
        self.jobs = jobs  # None: the CPUs this process may use, and only when it pays

    def expand(self, inputs: Sequence[str]) -> list[str]:
        from reportgen.read.sources import expand_inputs

        return expand_inputs(inputs)

    def read(self, source: str) -> RollLog:
        from reportgen.read import load

        return load(source, self.options.read)

    def logs(
        self, parts: Sequence[str], errors: bool = False
    ) -> Iterator[RollLog | ReportgenError]:
        from reportgen.read import load

        parts = list(parts)
        jobs = self.jobs or default_jobs()
        if (
            jobs == 1
            or len(parts) == 1
            or not (self.jobs is not None or worth_a_pool(parts, ("json",)))
        ):
            for part in parts:
                yield _checked(returning_errors(load, part, self.options.read), errors)
            return
        from reportgen.cli.workers import Workers

        with Workers(min(jobs, len(parts)), ("json",)) as workers:
            for value in workers.ordered(_count, [(part, self.options.read) for part in parts]):
                yield _checked(value, errors)

    def digest(self, parts: Sequence[str]) -> Digest:
        return _ThreadDigest(parts)


def _count(job: tuple[str, ReadOptions]) -> RollLog | ReportgenError:
    """``read.load`` of one ``(part, options)`` pair on a worker; the user's error returned."""
    from reportgen.read import load

    return returning_errors(load, *job)


def _checked(value: Any, errors: bool) -> Any:
    if isinstance(value, ReportgenError) and not errors:
        raise value
    return value


def returning_errors(function: Callable[..., T], *args: Any) -> T | ReportgenError:
    """``function(*args)``, or the user's error it raised as the result.

    A bad row is the user's error, not a failed task: returned, it crosses a
    process (or a cluster) as a value, with its path, line and hint.
    """
    try:
        return function(*args)
    except ReportgenError as exc:
        return exc


class _ThreadDigest:
    """``read.sources.concatenated_sha256`` of the parts, hashed by a thread meanwhile."""

    def __init__(self, parts: Sequence[str]) -> None:
        self._value = ""
        self._thread = threading.Thread(
            target=self._run, args=(list(parts),), name="sha256", daemon=True
        )
        self._thread.start()

    def _run(self, parts: list[str]) -> None:
        from reportgen.read.sources import concatenated_sha256

        self._value = concatenated_sha256(parts)

    def hexdigest(self) -> str:
        self._thread.join()
        return self._value

    def close(self) -> None:
        self._thread.join()  # the thread reads the parts' files: let it finish


# -- this machine's worker processes ---------------------------------------------------------


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worth_a_pool(sources: Sequence[str], formats: Sequence[str]) -> bool:
    """Whether starting worker processes repays itself for this work."""
    if any(fmt != "json" for fmt in formats):
        return True  # rendering a report costs far more than starting a worker
    if len(sources) >= POOL_MIN_INPUTS:
        return True
    size = 0
    for source in sources:
        try:
            size += os.stat(source).st_size
        except OSError:
            pass
    return size >= POOL_MIN_BYTES

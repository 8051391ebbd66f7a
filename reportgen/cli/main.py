"""The ``reportgen`` command: ``main`` handles errors and signals, ``run`` does the work.

As httpie's ``main()`` and ``program()``: ``run(spec, stdout, stderr)`` takes
the streams it writes, so a caller (or a test) can replace them, and returns
the exit status of ``docs/cli.md``; ``main`` turns what escapes it into one
``reportgen: error:`` line and a status. Every exit status is decided here.
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from reportgen.cli import batch, collector
from reportgen.cli.args import RunSpec, parse_args
from reportgen.cli.engines import Engine, LocalEngine
from reportgen.cli.events import EventLog, asks_for_json
from reportgen.errors import ExitStatus, Interrupted, ReportgenError, UsageError
from reportgen.printable import escaped


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` command."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["live"]:  # the live lesson has its own parser (reportgen.live.command)
        from reportgen.live.command import main as live

        return live(args[1:])
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    log = EventLog(sys.stderr, json=asks_for_json(args))  # the end event, however it ends
    previous = _interrupt_on_signals()
    collector.quiet_exit()
    try:
        # The streams are looked up now, not at import, so a caller that swaps them is obeyed.
        return log.end(run(parse_args(argv), sys.stdout, sys.stderr, log))
    except ReportgenError as exc:
        if not log.json:  # JSON events only: the error is the end event's
            if debug:
                traceback.print_exc()
            print_error(exc, sys.stderr)
        return log.end(exc.status, exc)
    except (KeyboardInterrupt, Interrupted) as exc:
        return log.end(*_interrupted(exc, quiet=log.json))
    except BrokenPipeError:
        return log.end(ExitStatus.IOERR, "broken pipe")
    finally:
        _restore_signals(previous)


def run(spec: RunSpec, stdout: TextIO, stderr: TextIO, log: EventLog | None = None) -> ExitStatus:
    """Make every report ``spec`` asks for, on its engine; the exit status (``docs/cli.md``).
    ``log``: the run's events (``--log-format``), made here if not given."""
    log = log if log is not None else EventLog(stderr)
    log.json, log.quiet, log.debug = spec.log_format == "json", spec.quiet, spec.debug
    if spec.engine == "dask":
        from reportgen.cli import dask_engine

        with dask_engine.connected(spec) as engine:
            return _run_on(engine, spec, stdout, stderr, log)
    if spec.scheduler is not None:
        raise UsageError("--scheduler names a Dask cluster", hint="add --engine dask")
    if spec.dask_outputs != "auto":
        raise UsageError("--dask-outputs is for a Dask cluster", hint="add --engine dask")
    return _run_on(LocalEngine(spec.options, spec.jobs), spec, stdout, stderr, log)


def _run_on(
    engine: Engine, spec: RunSpec, stdout: TextIO, stderr: TextIO, log: EventLog
) -> ExitStatus:
    sources = engine.expand(spec.inputs)
    return exit_status(batch.run(spec, engine, sources, stdout, stderr, log))


def exit_status(statuses: Sequence[int]) -> ExitStatus:
    """The run's status from its reports': OK; one report's own; or PARTIAL for several."""
    failed = [status for status in statuses if status != 0]
    if not failed:
        return ExitStatus.OK
    return ExitStatus(failed[0]) if len(statuses) == 1 else ExitStatus.PARTIAL


def print_error(exc: ReportgenError, stderr: TextIO) -> None:
    """One ``reportgen: error:`` line per problem (several for a log with many bad rows)."""
    for line in exc.lines():
        # A control character in a value or file name is named, never sent raw to a terminal.
        print(f"reportgen: error: {escaped(line)}", file=stderr)


# --- signals: SIGINT/SIGTERM end the run cleanly ----------------------------------------

_SIGNAL_STATUS = {signal.SIGINT: ExitStatus.INTERRUPTED, signal.SIGTERM: ExitStatus.TERMINATED}


def _interrupt_on_signals() -> dict[int, object]:
    """Make SIGINT and SIGTERM raise ``Interrupted`` so temporaries are removed on the way out.

    Installed by ``main`` only (never at import), and only in the main thread.
    """
    previous: dict[int, object] = {}
    try:
        for signum in _SIGNAL_STATUS:
            previous[signum] = signal.signal(signum, _raise_interrupted)
    except ValueError:  # not the main thread: leave signals alone
        _restore_signals(previous)
        return {}
    return previous


def _raise_interrupted(signum: int, frame: object) -> None:
    for other in _SIGNAL_STATUS:  # a second signal must not cut the clean-up short
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(_SIGNAL_STATUS[signal.Signals(signum)])


def _restore_signals(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


def _interrupted(exc: BaseException, quiet: bool = False) -> tuple[int, str]:
    """Remove this process's temporaries; (exit status, what happened), said unless ``quiet``."""
    from reportgen.output import remove_temporaries

    remove_temporaries()
    status = exc.status if isinstance(exc, Interrupted) else ExitStatus.INTERRUPTED
    word = "terminated" if status == ExitStatus.TERMINATED else "interrupted"
    if not quiet:
        print(f"reportgen: {word}", file=sys.stderr)
    return int(status), word

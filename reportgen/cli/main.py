"""The ``reportgen`` command: ``main`` handles errors and signals, ``run`` does the work.

As httpie's ``main()`` and ``program()``: ``run(spec, stdout, stderr)`` takes
the streams it writes, so a caller (or a test) can replace them, and returns
the exit status of ``docs/cli.md``; ``main`` turns what escapes it into one
``reportgen: error:`` line and a status. Every exit status is decided here.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from reportgen.cli import batch, collector, inputs
from reportgen.cli.args import RunSpec, parse_args
from reportgen.cli.engines import Engine, LocalEngine
from reportgen.cli.events import EventLog, asks_for_json
from reportgen.errors import ExitStatus, Interrupted, ReportgenError, UsageError
from reportgen.printable import escaped
from reportgen.say import _, said, stderr_language


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` command."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["live"]:  # the live lesson has its own parser (reportgen.live.command)
        from reportgen.live.command import main as live

        return live(args[1:])
    debug = "--debug" in args
    log = EventLog(sys.stderr, json=asks_for_json(args))  # the end event, however it ends
    previous = _interrupt_on_signals()
    collector.quiet_exit()
    try:
        # The streams are looked up now, not at import, so a caller that swaps them is obeyed.
        return log.end(run(parse_args(argv), sys.stdout, sys.stderr, log))
    except ReportgenError as exc:
        lang = stderr_language(_lang_asked(args), os.environ)
        if not log.json:  # JSON events only: the error is the end event's
            if debug:
                traceback.print_exc()
            print_error(exc, sys.stderr, lang)
        return log.end(exc.status, exc)
    except (KeyboardInterrupt, Interrupted) as exc:
        lang = stderr_language(_lang_asked(args), os.environ)
        return log.end(*_interrupted(exc, lang, quiet=log.json))
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
        raise UsageError(_("--scheduler names a Dask cluster"), hint=_("add --engine dask"))
    if spec.dask_outputs != "auto":
        raise UsageError("--dask-outputs is for a Dask cluster", hint="add --engine dask")
    return _run_on(LocalEngine(spec.options, spec.jobs), spec, stdout, stderr, log)


def _run_on(
    engine: Engine, spec: RunSpec, stdout: TextIO, stderr: TextIO, log: EventLog
) -> ExitStatus:
    items = _items(engine, spec, stderr)
    return exit_status(batch.run(spec, engine, items, stdout, stderr, log))


def _items(engine: Engine, spec: RunSpec, stderr: TextIO) -> list[inputs.Item]:
    """What the run reads: the local engine lists the inputs here (naming on stderr what a
    directory or workbook holds and is not read, unless ``-q`` or JSON events); another
    engine expands them where it reads. With ``--split-by``, each input's values become
    the items."""
    if engine.local:
        from reportgen.read.sources import list_inputs

        listed = list_inputs(spec.inputs)
        if not spec.quiet and spec.log_format != "json":  # JSON events: stderr is theirs
            for skipped in listed.skipped:
                line = _("reportgen: note: {line}", line=inputs.note(skipped))
                print(escaped(said(line, spec.messages)), file=stderr, flush=True)
        items = inputs.unique([inputs.from_input(item) for item in listed.inputs])
    else:
        items = inputs.from_sources(engine.expand(spec.inputs))
    return inputs.split(items, spec) if spec.split_by is not None else items


def exit_status(statuses: Sequence[int]) -> ExitStatus:
    """The run's status from its reports': OK; one report's own; or PARTIAL for several."""
    failed = [status for status in statuses if status != 0]
    if not failed:
        return ExitStatus.OK
    return ExitStatus(failed[0]) if len(statuses) == 1 else ExitStatus.PARTIAL


def print_error(exc: ReportgenError, stderr: TextIO, lang: str = "en") -> None:
    """One ``reportgen: error:`` line per problem (several for a log with many bad rows),
    in ``lang``."""
    for line in exc.lines():
        # A control character in a value or file name is named, never sent raw to a terminal.
        print(escaped(said(_("reportgen: error: {line}", line=line), lang)), file=stderr)


def _lang_asked(args: Sequence[str]) -> str | None:
    """The ``--lang`` of the arguments, found even when parsing them failed."""
    for i, word in enumerate(args):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


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


def _interrupted(exc: BaseException, lang: str = "en", quiet: bool = False) -> tuple[int, str]:
    """Remove this process's temporaries; (exit status, what happened), said unless ``quiet``."""
    from reportgen.output import remove_temporaries

    remove_temporaries()
    status = exc.status if isinstance(exc, Interrupted) else ExitStatus.INTERRUPTED
    word = "terminated" if status == ExitStatus.TERMINATED else "interrupted"
    if not quiet:
        if status == ExitStatus.TERMINATED:
            line = _("reportgen: terminated")
        else:
            line = _("reportgen: interrupted")
        print(said(line, lang), file=sys.stderr)
    return int(status), word

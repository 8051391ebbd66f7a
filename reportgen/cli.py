"""The command line: parse arguments, run the pipeline per input, map errors to exit statuses.

No statistics and no HTML live here. ``main`` handles errors; ``run`` does the work.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen import __version__, batch
from reportgen.errors import (
    ExitStatus,
    Interrupted,
    IOFailure,
    OutputError,
    ReportgenError,
    UsageError,
)
from reportgen.faces import parse_faces
from reportgen.options import FORMATS, INTERVALS, LANGUAGES, UNITS, Options, parse_confidence

#: File name patterns a directory input expands to.
LOG_PATTERNS = ("*.csv", "*.tsv", "*.csv.gz", "*.tsv.gz")

EXTENSIONS = {"pdf": ".pdf", "html": ".html", "json": ".json"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint="see reportgen --help")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reportgen",
        description="Turn logs of die throws into a lesson-grade statistical report "
        "(frequency and one-hot tables, MLE with intervals, cross-entropy (4.1)-(4.3)).",
        epilog="Exit statuses: 0 ok, 1 some inputs failed, 2 usage, 65 bad data, "
        "66 input unreadable, 73 output not creatable, 74 I/O error, 130 interrupted, "
        "143 terminated.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="CSV/TSV roll log (optionally .gz), a directory of logs, or - for stdin",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="output file, or directory (default: current directory); - for stdout",
    )
    parser.add_argument(
        "-f",
        "--format",
        action="append",
        metavar="LIST",
        help="pdf, html, json; comma-separated or repeated (default: pdf)",
    )
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="report language")
    parser.add_argument(
        "--author", metavar="NAME", help="author named in the report and its PDF metadata"
    )
    parser.add_argument("--column", metavar="NAME", help="column holding the face")
    parser.add_argument(
        "--faces",
        default="6",
        metavar="SPEC",
        help="number of faces K (1..K) or labels like H,T (default: 6)",
    )
    parser.add_argument(
        "--by",
        metavar="NAME",
        help="group column (e.g. die): one analysis per group plus a homogeneity test",
    )
    parser.add_argument(
        "--counts",
        action="store_true",
        help="input is a frequency table (face, count) (default: auto-detected)",
    )
    parser.add_argument(
        "--model",
        default="fair",
        metavar="SPEC",
        help="model y compared with the fit: fair, or K probabilities 0.1,0.2,... "
        "in face order (default: fair)",
    )
    parser.add_argument(
        "--confidence",
        default="0.95",
        metavar="LEVEL",
        help="confidence level of every interval (default: 0.95)",
    )
    parser.add_argument(
        "--interval",
        default="wilson",
        choices=INTERVALS,
        help="interval shown in the report (default: wilson)",
    )
    parser.add_argument(
        "--unit",
        default="nat",
        choices=UNITS,
        help="logarithm base of entropy figures (default: nat)",
    )
    add_input_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    batch.add_arguments(parser)  # --jobs, --combine, --summary, --skip-unchanged
    add_engine_arguments(parser)  # --engine, --scheduler
    return parser


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Where counting runs (``reportgen/dask_engine.py`` holds the Dask engine)."""
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--engine",
        default="local",
        choices=("local", "dask"),
        help="where counting runs: this process and --jobs workers, or a Dask cluster "
        "(default: local)",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="address of the Dask scheduler, e.g. tcp://host:8786 (default: "
        "$DASK_SCHEDULER_ADDRESS, else a local cluster of --jobs workers)",
    )


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Options about reading the inputs (owned by ``ingest``)."""
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        type=_encoding,
        help="text encoding of the inputs, e.g. cp932 (default: detected: "
        "byte-order mark, else UTF-8, else cp932)",
    )


def _encoding(name: str) -> str:
    from reportgen.ingest import check_encoding

    try:
        return check_encoding(name)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(f"unknown or non-text encoding {name!r}") from exc


def _formats(values: list[str] | None) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values or ["pdf"]:
        for name in value.split(","):
            name = name.strip().lower()
            if name not in FORMATS:
                raise UsageError(f"-f {name}: choose from {', '.join(FORMATS)}")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Directories become their logs (sorted); files and ``-`` stay as given."""
    expanded: list[str] = []
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            found = sorted({str(p) for pattern in LOG_PATTERNS for p in path.glob(pattern)})
            if not found:
                from reportgen.errors import InputError

                raise InputError("directory holds no *.csv, *.tsv or *.csv.gz logs", path=item)
            expanded.extend(found)
        else:
            expanded.append(item)
    return expanded


def _stem(source: str) -> str:
    """The output name's stem: the input's file name only, so it stays inside ``-o DIR``."""
    if source == "-":
        return "stdin"
    name = Path(source).name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = Path(name).stem or name
    return stem if stem not in ("", ".", "..") else "input"


@dataclass(frozen=True)
class Target:
    """Where one input's one format goes: a path, or ``None`` for stdout."""

    source: str
    fmt: str
    path: Path | None


def plan_outputs(
    sources: Sequence[str], formats: Sequence[str], output: str | None
) -> list[Target]:
    """Resolve ``-o`` per SPEC.md into one target per input and format."""
    many = len(sources) * len(formats) > 1
    if output == "-":
        if many:
            raise UsageError("-o - writes one format of one input to stdout", hint="drop -o -")
        return [Target(sources[0], formats[0], None)]
    if output is None:
        directory: Path | None = Path.cwd()
    elif output.endswith(("/", os.sep)) or Path(output).is_dir() or many:
        directory = Path(output)
    else:
        directory = None
    targets = []
    for source in sources:
        for fmt in formats:
            path = (directory / (_stem(source) + EXTENSIONS[fmt])) if directory else Path(output)
            targets.append(Target(source, fmt, path))
    _refuse_clobbering_inputs(sources, targets)
    return targets


def _refuse_clobbering_inputs(sources: Sequence[str], targets: Sequence[Target]) -> None:
    inputs = {os.path.realpath(s) for s in sources if s != "-"}
    identities = _file_identities(sources)
    seen: set[str] = set()
    for target in targets:
        if target.path is None:
            continue
        real = os.path.realpath(target.path)
        if real in inputs or _file_identity(target.path) in identities:
            raise OutputError(
                "output would overwrite an input", path=str(target.path), hint="choose another -o"
            )
        if real in seen:
            raise UsageError(
                f"two outputs would both be written to {target.path}", hint="give -o a directory"
            )
        seen.add(real)


def _file_identities(sources: Sequence[str]) -> set[tuple[int, int]]:
    """(device, inode) of every input, so a hard link or another name of one is caught too."""
    found = {_file_identity(Path(s)) for s in sources if s != "-"}
    found.discard(None)
    return found  # type: ignore[return-value]


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def run(args: argparse.Namespace, stdout=None, stderr=None) -> ExitStatus:  # type: ignore[no-untyped-def]
    """Run the pipeline for every input; return the exit status of SPEC.md."""
    # Resolved per call, not at import, so a caller (or a test) that swaps sys.stderr is obeyed.
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    formats = _formats(args.format)
    options = Options(
        faces=parse_faces(args.faces),
        column=args.column,
        confidence=parse_confidence(args.confidence),
        interval=args.interval,
        model=args.model,
        unit=args.unit,
        lang=args.lang,
        by=args.by,
        counts=args.counts,
        encoding=args.encoding,
        author=args.author,
    )
    if getattr(args, "engine", "local") == "dask":  # counting on a Dask cluster; the rest as below
        from reportgen import dask_engine

        return dask_engine.run(args, options, formats, stdout, stderr)
    if getattr(args, "scheduler", None) is not None:
        raise UsageError("--scheduler names a Dask cluster", hint="add --engine dask")
    sources = expand_inputs(args.inputs)
    if batch.wanted(args, sources):  # several inputs or a batch option
        return batch.run(args, options, formats, sources, stdout, stderr)
    return run_each(args, options, formats, sources, stdout, stderr)


def run_each(args, options, formats, sources, stdout, stderr, read=None) -> ExitStatus:  # type: ignore[no-untyped-def]
    """Read, analyse and write each input in turn; ``read`` counts an input (``api.load``)."""
    from reportgen import api

    read = api.load if read is None else read
    targets = plan_outputs(sources, formats, args.output)
    failures: list[ReportgenError] = []
    for source in sources:
        try:
            analysis = api.analyse(read(source, options), options=options)
            for target in (t for t in targets if t.source == source):
                _write(analysis, target, stdout)
                if target.path is not None:
                    print(target.path, file=stdout)
        except ReportgenError as exc:
            if args.debug:
                traceback.print_exc(file=stderr)
            print_error(exc, stderr)
            failures.append(exc)
    if not failures:
        return ExitStatus.OK
    if len(sources) > 1 and len(failures) < len(sources):
        return ExitStatus.PARTIAL
    return ExitStatus(failures[0].status) if len(sources) == 1 else ExitStatus.PARTIAL


def _write(analysis, target: Target, stdout) -> None:  # type: ignore[no-untyped-def]
    from reportgen.output import write_atomic

    data = render_bytes(analysis, target.fmt)
    if target.path is None:
        try:
            stdout.flush()
            sys.stdout.buffer.write(data) if stdout is sys.stdout else stdout.write(data.decode())
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:  # e.g. stdout redirected to a full disk
            raise IOFailure(f"write failed ({exc.strerror or exc})", path="<stdout>") from None
    else:
        write_atomic(target.path, data)


def render_bytes(analysis, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    """One output format of an analysis, as the bytes to write."""
    if fmt == "json":
        return analysis.to_json().encode("utf-8")
    if fmt == "html":
        return analysis.to_html().encode("utf-8")
    return analysis.to_pdf()


def print_error(exc: ReportgenError, stderr=None) -> None:  # type: ignore[no-untyped-def]
    """One ``reportgen: error:`` line per problem (several for a log with many bad rows)."""
    for line in exc.lines():
        print(f"reportgen: error: {line}", file=stderr or sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` command."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    previous = _interrupt_on_signals()
    try:
        args = build_parser().parse_args(argv)
        return int(run(args))
    except ReportgenError as exc:
        if debug:
            traceback.print_exc()
        print_error(exc)
        return int(exc.status)
    except (KeyboardInterrupt, Interrupted) as exc:
        return _interrupted(exc)
    except BrokenPipeError:
        return int(ExitStatus.IOERR)
    finally:
        _restore_signals(previous)


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


def _interrupted(exc: BaseException) -> int:
    from reportgen.output import remove_temporaries

    remove_temporaries()
    status = exc.status if isinstance(exc, Interrupted) else ExitStatus.INTERRUPTED
    word = "terminated" if status == ExitStatus.TERMINATED else "interrupted"
    print(f"reportgen: {word}", file=sys.stderr)
    return int(status)

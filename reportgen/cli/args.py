"""The command line's arguments → a frozen ``RunSpec``; no ``argparse.Namespace`` leaves here."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportgen import __version__
from reportgen.cli.choices import PUBLIC, argparse_message, check_class_options, checked_editions
from reportgen.errors import UsageError
from reportgen.faces import parse_faces
from reportgen.options import INTERVALS, LANGUAGES, UNITS, Options, parse_confidence, parse_seed
from reportgen.render.formats import FORMATS
from reportgen.say import _, stderr_language

#: What ``--engine`` may name (``engines.LocalEngine``, ``dask_engine.DaskEngine``).
ENGINES = ("local", "dask")

#: What ``--log-format`` may name: status lines for people, JSON events for log collectors.
LOG_FORMATS = ("text", "json")

#: Who writes ``-o`` with ``--engine dask`` (``dask_engine.Routing``, docs/dask.md).
DASK_OUTPUTS = ("auto", "workers", "client")


@dataclass(frozen=True)
class RunSpec:
    """Everything one invocation asked for, validated; what the rest of ``cli`` reads."""

    inputs: tuple[str, ...]
    output: str | None  # a file, a directory, ``-`` for stdout; None: the current directory
    formats: tuple[str, ...]
    options: Options
    quiet: bool = False
    debug: bool = False
    jobs: int | None = None  # None: as many as this process may use CPUs, when it pays
    combine: bool = False
    summary: str | None = None
    skip_unchanged: bool = False
    engine: str = "local"
    scheduler: str | None = None
    log_format: str = "text"  # stderr: status lines, or one JSON object per event (cli.events)
    dask_outputs: str = "auto"  # --engine dask: who writes -o (workers, the client, or decided)
    #: How each result is rendered (the report, a worksheet, its key) and ``class``, the
    #: public class overview; several in one run (``--edition student,teacher,class``).
    editions: tuple[str, ...] = ("report",)
    split_by: str | None = None  # --split-by: each value of this column an input of its own
    bundle: bool = False  # --bundle: also one PDF of every input's pages, an edition each
    messages: str = "en"  # the language of stderr (--lang ja or a Japanese locale)

    @property
    def edition(self) -> str:
        """The first edition asked for (``report`` unless told)."""
        return self.editions[0]

    @property
    def per_input(self) -> tuple[str, ...]:
        """The editions made for each input (``class`` is made for the class only)."""
        return tuple(e for e in self.editions if e != PUBLIC)


def parse_args(argv: Sequence[str] | None = None) -> RunSpec:
    """The ``RunSpec`` of ``argv`` (default ``sys.argv[1:]``); ``UsageError`` if it is wrong."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    parser.argv = argv
    args = _restore_double_dash(parser, parser.parse_args(argv))
    formats = _formats(args.format)
    editions = checked_editions(args.edition, formats)
    check_class_options(args.split_by, args.combine)
    if args.log_table and not {"student", "teacher"} & set(editions):
        raise UsageError(
            "--log-table: only a worksheet has a table of logarithms",
            hint="add --edition student or --edition teacher, or drop --log-table",
        )
    return RunSpec(
        inputs=tuple(args.inputs),
        output=args.output,
        formats=formats,
        options=_options(args),
        quiet=args.quiet,
        debug=args.debug,
        jobs=args.jobs,
        combine=args.combine,
        summary=args.summary,
        skip_unchanged=args.skip_unchanged,
        engine=args.engine,
        scheduler=args.scheduler,
        log_format=args.log_format,
        dask_outputs=args.dask_outputs,
        editions=editions,
        split_by=args.split_by,
        bundle=args.bundle,
        messages=stderr_language(args.lang, os.environ),
    )


class _PrintSchema(argparse.Action):
    """``--schema``: print the results' JSON Schema and exit, as ``--version`` prints and exits.

    Acting while the arguments are parsed, before argparse checks that INPUT was
    given, lets ``reportgen --schema`` run without inputs while every other run
    still needs one (the same usage error, exit 2, as without ``--schema``).
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        import sys

        from reportgen.cli.plan import write_stdout
        from reportgen.schema import schema_text

        write_stdout(schema_text().encode("utf-8"), sys.stdout)
        parser.exit(0)


def _restore_double_dash(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.Namespace:
    """``--author=--`` is the value ``--``: Python 3.11's argparse drops it and leaves ``[]``."""
    for action in parser._actions:
        value = getattr(args, action.dest, None)
        if action.nargs is not None or not isinstance(value, list):
            continue
        if isinstance(action, argparse._AppendAction):
            setattr(args, action.dest, ["--" if v == [] else v for v in value])
        elif value == []:
            setattr(args, action.dest, "--")
    return args


class _Parser(argparse.ArgumentParser):
    argv: Sequence[str] = ()

    def error(self, message: str) -> None:  # type: ignore[override]
        dashed = _dashed_value(message, self.argv)
        if dashed is not None and not self._is_option(dashed[1]):
            option, value = dashed
            raise UsageError(
                _(
                    "{option} {value}: a value that starts with '-' reads as another option",
                    option=option,
                    value=value,
                ),
                hint=_("join them with '=': {option}={value}", option=option, value=value),
            )
        raise UsageError(argparse_message(message), hint=_("see reportgen --help"))

    def _is_option(self, word: str) -> bool:
        """Whether argparse reads ``word`` as one of this parser's options (``-f``, ``--form``)."""
        name = word.split("=", 1)[0]
        if word.startswith("--"):
            return any(known.startswith(name) for known in self._option_string_actions)
        return word[:2] in self._option_string_actions


#: argparse's words for an option whose value it took for another option.
_EXPECTED = re.compile(r"argument (?:\S+/)?(--?[\w-]+): expected one argument")


def _dashed_value(message: str, argv: Sequence[str]) -> tuple[str, str] | None:
    """(option, value) when argparse refused ``--model -0.1,…``: the value began with '-'."""
    match = _EXPECTED.fullmatch(message)
    if match is None:
        return None
    option = match.group(1)
    for i, word in enumerate(argv[:-1]):
        following = argv[i + 1]
        named = word == option or _long_form(word, option) or _short_form(word, message)
        if named and following.startswith("-") and following != "--":
            return option, following
    return None


def _short_form(word: str, message: str) -> bool:
    """Whether ``word`` is the short name argparse lists first (``-o`` of ``-o/--output``)."""
    return len(word) == 2 and message.startswith(f"argument {word}/")


def _long_form(word: str, option: str) -> bool:
    """Whether ``word`` names ``option`` as argparse matches it (a prefix of the long name)."""
    return len(word) > 2 and word.startswith("--") and option.startswith(word)


def build_parser() -> argparse.ArgumentParser:
    """The ``reportgen`` command's parser (its ``--help`` is the user's reference)."""
    parser = _Parser(
        prog="reportgen",
        description="Turn logs of die throws into a lesson-grade statistical report "
        "(frequency and one-hot tables, MLE with intervals, cross-entropy (4.1)-(4.3)).",
        epilog="Exit statuses: 0 ok, 1 some inputs failed, 2 usage, 65 bad data, "
        "66 input unreadable, 69 a service gone (the Dask scheduler), 73 output not "
        "creatable, 74 I/O error, 130 interrupted, 143 terminated. See docs/cli.md.",
    )
    _add_output_arguments(parser)
    _add_report_arguments(parser)
    _add_input_arguments(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    parser.add_argument(
        "--log-format",
        default="text",
        choices=LOG_FORMATS,
        help="stderr as status lines (text), or one JSON object per input and one at the "
        "run's end (json: input, status, outputs, seconds, worker, error) for log "
        "collectors (default: text)",
    )
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    parser.add_argument(
        "--schema",
        action=_PrintSchema,
        help="print the JSON Schema of the -f json results and exit",
    )
    _add_batch_arguments(parser)
    _add_engine_arguments(parser)
    return parser


def _add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """What is read and where the reports go, in which formats."""
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="CSV/TSV roll log (optionally .gz), a directory of logs, - for stdin, or a URL "
        "(file://, s3://, ...) of a log or a folder of logs",
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


def _add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """What the report computes and how it shows it."""
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="report language")
    parser.add_argument(
        "--author", metavar="NAME", help="author named in the report and its PDF metadata"
    )
    parser.add_argument(
        "--no-answers",
        dest="answers",
        action="store_false",
        help="leave out the answers to the report's exercises (printed at its end)",
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
    _add_statistics_arguments(parser)
    parser.add_argument(
        "--edition",
        action="append",
        metavar="LIST",
        help="report: the lesson report; student: a worksheet that asks each step from "
        "the student's own throws; teacher: the same worksheet answered (NAME-student.pdf, "
        "NAME-key.pdf; with several inputs also class.pdf); class: only the class overview "
        "without names or answers (class-public.pdf); comma-separated or repeated "
        "(default: report)",
    )
    parser.add_argument(
        "--no-names",
        dest="names",
        action="store_false",
        help="leave the worksheet's name field blank (default: the input's name)",
    )
    parser.add_argument(
        "--log-table",
        action="store_true",
        help="with --edition student or teacher: add a table of the logarithms the exercises "
        "need (-log of each n_k/N and of each model y_k, four decimals), so the worksheet "
        "needs no calculator",
    )


def _add_statistics_arguments(parser: argparse.ArgumentParser) -> None:
    """What is computed: the model, the level, the interval shown, the unit, the seed."""
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
    parser.add_argument(
        "--seed",
        default=None,
        metavar="N",
        help="seed of every Monte Carlo computation (default: a fixed seed, so runs repeat)",
    )
    parser.add_argument(
        "--walk",
        metavar="NAME",
        help="with --by: the group that sections 1-8 follow (default: the dice pooled when "
        "they agree, else the one with the smallest p)",
    )


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Options about reading the inputs (owned by ``reportgen.read``)."""
    parser.add_argument(
        "--split-by",
        metavar="NAME",
        help="split each input's rows by column NAME: each value an input of its own, "
        "named by it (a class in one export)",
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        type=_encoding,
        help="text encoding of the inputs, e.g. cp932 (default: detected: "
        "byte-order mark, else UTF-8, else cp932)",
    )


def _add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of several inputs in one invocation (``batch``, ``manifest``)."""
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
        "--bundle",
        action="store_true",
        help="with several inputs, also one PDF of them all in input order "
        "(report-all.pdf, student-all.pdf, key-all.pdf), each starting on an odd page",
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


def _add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Where counting runs (``engines.LocalEngine``, ``dask_engine.DaskEngine``)."""
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--engine",
        default="local",
        choices=ENGINES,
        help="where reports are made: this process and --jobs workers, or a Dask cluster "
        "(default: local)",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="address of the Dask scheduler, e.g. tcp://host:8786 (default: "
        "$DASK_SCHEDULER_ADDRESS, else a local cluster of --jobs workers)",
    )
    group.add_argument(
        "--dask-outputs",
        default="auto",
        choices=DASK_OUTPUTS,
        help="with --engine dask, who writes -o: the workers (a folder they all share, or a "
        "URL), this client (the workers send the bytes), or auto: the workers when they "
        "all see and can write -o, else this client (default: auto)",
    )


def _encoding(name: str) -> str:
    from reportgen.read.text import check_encoding

    try:
        return check_encoding(name)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(
            _("unknown or non-text encoding {name!r}", name=name)
        ) from exc


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(_("--jobs {text}: give a number of workers ≥ 1", text=text))
    return value


def _formats(values: list[str] | None) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values or ["pdf"]:
        for name in value.split(","):
            name = name.strip().lower()
            if name not in FORMATS:
                raise UsageError(
                    _("-f {name}: choose from {join}", name=name, join=", ".join(FORMATS))
                )
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)


def _options(args: argparse.Namespace) -> Options:
    """The report's options, built as the API builds them (``options.make_options``)."""
    from reportgen.options import make_options

    try:
        confidence = parse_confidence(args.confidence)
    except UsageError:
        parse_faces(args.faces)  # a bad --faces is named first, as the options are listed
        raise
    return make_options(
        faces=args.faces,
        column=args.column,
        by=args.by,
        counts=args.counts or None,  # no --counts: the input decides (ReadOptions)
        encoding=args.encoding,
        confidence=confidence,
        interval=args.interval,
        model=args.model,
        unit=args.unit,
        lang=args.lang,
        author=args.author,
        answers=args.answers,
        **({"seed": parse_seed(args.seed)} if args.seed is not None else {}),
        walk=args.walk,
        log_table=args.log_table,
        names=args.names,
    )

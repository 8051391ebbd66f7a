"""The exit statuses of ``docs/cli.md`` and the user-facing errors that carry them.

Every error a user can cause is a ``ReportgenError``: the CLI prints it as one
line, ``reportgen: error: PATH:LINE: message (hint)``, and exits with its status.
In a workbook PATH names the sheet and LINE is the cell or row:
``class.xlsx[佐藤]:B17: face '7' is not one of 1..6``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from enum import IntEnum
from typing import Any, ParamSpec, TypeVar

from reportgen.say import Text, _n, joined

_P = ParamSpec("_P")
_R = TypeVar("_R")


class ExitStatus(IntEnum):
    """Exit statuses promised in ``docs/cli.md`` (sysexits.h numbers where they exist)."""

    OK = 0
    PARTIAL = 1  # several inputs, at least one failed
    USAGE = 2
    DATAERR = 65
    NOINPUT = 66
    UNAVAILABLE = 69  # a service the run needs is gone (the Dask scheduler)
    CANTCREAT = 73
    IOERR = 74
    INTERRUPTED = 130  # SIGINT: 128 + 2
    TERMINATED = 143  # SIGTERM: 128 + 15


class ReportgenError(Exception):
    """A problem the user can fix; never shown with a traceback.

    ``path`` names the input (a file, ``<stdin>``, or a workbook's sheet as
    ``book.xlsx[sheet]``); ``line`` where in it: a text file's physical line, a
    sheet's cell (``"B17"``) or row number. Either may be ``None``.
    """

    status = ExitStatus.DATAERR

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def text(self) -> Text:
        """The error on one line, ``PATH:LINE: message (hint)``, sayable in any language."""
        where = ""
        if self.path is not None:
            path = _one_line(self.path)
            where = f"{path}:{self.line}: " if self.line is not None else f"{path}: "
        hint = joined(" (", self.hint, ")") if self.hint else ""
        return joined(where, self.message, hint)

    def __str__(self) -> str:
        return str(self.text())

    def lines(self) -> list[str]:
        """What the CLI prints, one ``reportgen: error:`` line each (each a ``Text``)."""
        return [self.text()]


def _one_line(text: str) -> str:
    """A path as a message shows it: a file name holding a line break stays on one line."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


class UsageError(ReportgenError):
    """A bad option or option value."""

    status = ExitStatus.USAGE


#: The options of a run by their neutral names: the command line's flag ``--confidence``,
#: the Python API's keyword ``confidence=``.
OPTIONS = (
    "faces",
    "column",
    "by",
    "counts",
    "encoding",
    "confidence",
    "interval",
    "model",
    "unit",
    "lang",
    "author",
    "seed",
    "walk",
    "draws",
)

#: Options without a value on the command line: ``--counts`` is ``counts=True`` in Python.
SWITCHES = ("counts",)


class OptionError(UsageError):
    """A bad value of one option, whose message names the option as the command line does.

    ``option`` is the option's neutral name (``confidence``), ``value`` the value as
    given, ``reason`` what is wrong with it; ``shown`` is the value as the command
    line's message shows it (default ``str(value)``; ``""``: not shown). The message
    is the command line's, ``--confidence 1.5: give a level …``; the Python API words
    it ``confidence=1.5: give a level …`` (``in_python``).
    """

    def __init__(
        self,
        option: str,
        value: Any,
        reason: str,
        *,
        shown: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.option, self.value, self.reason = option, value, reason
        text = str(value) if shown is None else shown
        flag = "--" + option.replace("_", "-")
        super().__init__(f"{flag} {text}: {reason}" if text else f"{flag}: {reason}", hint=hint)


_NAMES = "|".join(OPTIONS)
#: ``--model 0.5,0.5: …`` at the start of a message: the flag and its value as shown.
_LEADING = re.compile(rf"--({_NAMES}) (.+?): ")
#: A flag mentioned in a message or hint, with the example value that may follow it
#: (a number, a list of labels, ``fair``, an encoding, or a metavar such as ``LABELS``).
_MENTION = re.compile(
    rf"--({_NAMES})(?![\w-])"
    r"(?: ([0-9]+(?:\.[0-9]+)?|fair|utf-[\w-]+|[A-Za-z0-9]+(?:,[A-Za-z0-9]+)+|[A-Z]{2,})\b)?"
)


def _keyword(option: str, value: str | None) -> str:
    """How Python names an option and the value a message shows: ``faces=8``, ``model='fair'``."""
    if option in SWITCHES:
        return f"{option}=True"
    if value is None:
        return f"{option}="
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?|[A-Z]{2,}", value):
        return f"{option}={value}"
    return f"{option}={value!r}"


def _python_words(text: str) -> str:
    """``text`` with each command-line flag it names written as the Python keyword."""
    text = _LEADING.sub(lambda m: _keyword(m[1], m[2]) + ": ", text, count=1)
    return _MENTION.sub(lambda m: _keyword(m[1], m[2]), text)


def in_python(error: ReportgenError) -> ReportgenError:
    """``error`` worded for the Python API: options named as its keyword arguments.

    An ``OptionError`` leads with the keyword and the value as given (``confidence=1.5:
    …``); a flag named anywhere else in a message or hint becomes its keyword
    (``a d8? use --faces 8`` → ``a d8? use faces=8``, ``--counts`` → ``counts=True``).
    The command line's words are the default; this is the API's door. ``error`` is
    changed in place (so a re-raise keeps its traceback) and returned.
    """
    if isinstance(error, OptionError):
        error.message = f"{error.option}={error.value!r}: {error.reason}"
    else:
        error.message = _python_words(error.message)
    if error.hint is not None:
        error.hint = _python_words(error.hint)
    error.args = (error.message,)
    if isinstance(error, Problems):
        for shown in error.shown:
            in_python(shown)
        if error.stopped is not None:
            in_python(error.stopped)
    return error


def python_door(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` as a door of the Python API: its errors worded with keyword arguments
    (``in_python``), the same exceptions with the same tracebacks."""

    @functools.wraps(function)
    def door(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return function(*args, **kwargs)
        except ReportgenError as exc:
            in_python(exc)
            raise

    return door


class DataError(ReportgenError):
    """The data is wrong: a bad cell, an empty log, an unknown face, a bad encoding."""

    status = ExitStatus.DATAERR


class InputError(ReportgenError):
    """An input does not exist or cannot be read."""

    status = ExitStatus.NOINPUT


class OutputError(ReportgenError):
    """An output cannot be created."""

    status = ExitStatus.CANTCREAT


class IOFailure(ReportgenError):
    """An I/O error while reading or writing (a full disk, a vanished file)."""

    status = ExitStatus.IOERR


class ServiceUnavailable(ReportgenError):
    """A service the run needs is gone (the Dask scheduler): the batch stops where it is."""

    status = ExitStatus.UNAVAILABLE


class Problems(DataError):
    """Every problem found in one input: the first few in full, the rest counted.

    ``stop`` records a problem after which the input cannot be read further (a
    decoding error, an unterminated quote); it is always shown, last, and its
    exit status wins.
    """

    def __init__(self, path: str, *, shown: int = 5) -> None:
        super().__init__("bad rows", path=path)
        self.limit = shown
        self.shown: list[ReportgenError] = []
        self.more = 0
        self.stopped: ReportgenError | None = None

    def add(self, error: ReportgenError) -> None:
        if len(self.shown) < self.limit:
            self.shown.append(error)
        else:
            self.more += 1

    def count(self) -> None:
        """One more problem, counted but not shown."""
        self.more += 1

    @property
    def counting_only(self) -> bool:
        """Whether further problems are only counted (so callers need not build them)."""
        return len(self.shown) >= self.limit

    def stop(self, error: ReportgenError) -> None:
        self.stopped = error

    @property
    def status(self) -> ExitStatus:  # type: ignore[override]
        return self.stopped.status if self.stopped is not None else ExitStatus.DATAERR

    def error(self) -> ReportgenError | None:
        """The single problem as itself, several as ``self``; ``None`` if there is none."""
        if not self.shown and self.stopped is not None:
            return self.stopped
        if len(self.shown) == 1 and self.stopped is None:
            return self.shown[0]
        return self if self.shown else None

    def raise_if_any(self) -> None:
        """Raise ``error()``; nothing if there is none."""
        error = self.error()
        if error is not None:
            raise error

    def lines(self) -> list[str]:
        lines: list[str] = [error.text() for error in self.shown]
        if self.more:
            path = _one_line(self.path or "")
            lines.append(
                _n(
                    "{path}: {count} more bad row",
                    "{path}: {count} more bad rows",
                    self.more,
                    path=path,
                )
            )
        if self.stopped is not None:
            lines.append(self.stopped.text())
        return lines

    def text(self) -> Text:
        lines = self.lines()
        rest = len(lines) - 1
        more = _n(" (and {count} more line)", " (and {count} more lines)", rest) if rest else ""
        return joined(lines[0], more)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; like ``KeyboardInterrupt``, not an ``Exception``."""

    def __init__(self, status: ExitStatus) -> None:
        super().__init__(status)
        self.status = status

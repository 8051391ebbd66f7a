"""The exit statuses of ``docs/cli.md`` and the user-facing errors that carry them.

Every error a user can cause is a ``ReportgenError``: the CLI prints it as one
line, ``reportgen: error: PATH:LINE: message (hint)``, and exits with its status.
In a workbook PATH names the sheet and LINE is the cell or row:
``class.xlsx[佐藤]:B17: face '7' is not one of 1..6``.
"""

from __future__ import annotations

from enum import IntEnum

from reportgen.say import Text, _n, joined


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

"""Exit statuses of SPEC.md and the user-facing errors that carry them.

Every error a user can cause is a ``ReportgenError``: the CLI prints it as one
line, ``reportgen: error: PATH:LINE: message (hint)``, and exits with its status.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit statuses promised by SPEC.md (sysexits.h numbers where they exist)."""

    OK = 0
    PARTIAL = 1  # several inputs, at least one failed
    USAGE = 2
    DATAERR = 65
    NOINPUT = 66
    CANTCREAT = 73
    IOERR = 74
    INTERRUPTED = 130


class ReportgenError(Exception):
    """A problem the user can fix; never shown with a traceback."""

    status = ExitStatus.DATAERR

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


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

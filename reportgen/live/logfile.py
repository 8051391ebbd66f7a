"""LOG, the live lesson's roll log: read at start, appended durably, followed.

LOG is a roll log with a header, ``face,time,source``: one line a throw, the
face as its label, the time in ISO 8601 UTC, and where the throw came from
(``key``, ``phone``, or whatever another program writes). ``reportgen LOG``
reads it like any other log (the face column is found by its name).

The file is the live lesson's memory: the state is built only from lines read
back out of it, so what the projector shows is what LOG holds, in its order.
:meth:`LogFile.append` writes whole lines with one ``os.write`` on a file
opened with ``O_APPEND``, then ``fsync``, under one lock, and returns the line
numbers it wrote; :meth:`LogFile.follow` reads the complete lines that anyone
added since the last read. A line that is not a throw is handed to ``warn`` as
``LOG:17: face '7' is not one of 1..6 (…)`` and skipped, by the same rules as
``reportgen``'s reader (three cells, a face of ``--faces``), so a line the live
lesson skips is one ``reportgen LOG`` refuses too.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reportgen.errors import DataError, InputError, IOFailure, OutputError
from reportgen.faces import Faces, normalise_cell, show_cell

#: LOG's header: the face column by the name ``reportgen``'s reader looks for.
HEADER = ("face", "time", "source")

#: The hint of a skipped line: the report after class refuses it too.
SKIPPED = "skipped; remove or fix the line before running reportgen on this file"


@dataclass(frozen=True)
class Line:
    """One throw read from LOG."""

    number: int  # physical line, 1-based (the header is line 1)
    index: int  # the face's index in ``Faces.labels``
    time: str
    source: str


def now() -> str:
    """A throw's time: ISO 8601 in UTC to the millisecond, e.g. ``2025-05-01T09:30:12.345Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def csv_line(cells: Sequence[str]) -> bytes:
    """One CSV line (quoted where a cell needs it), UTF-8, ending in a line feed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue().encode("utf-8")


def parse_line(text: str, number: int, faces: Faces, path: str) -> Line | DataError | None:
    """A throw, the reason a line is not one, or ``None`` for a blank line (skipped silently).

    The rules are those of ``reportgen``'s reader for this header: three cells,
    the first naming a face (``Faces.index``: ``3``, ``３`` and `` 3 `` are face 3).
    """
    try:
        row = next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration) as exc:
        return DataError(f"malformed CSV ({exc})", path=path, line=number, hint=SKIPPED)
    if not "".join(row).strip():
        return None
    if len(row) != len(HEADER):
        fields = "field" if len(row) == 1 else "fields"
        return DataError(
            f"row has {len(row)} {fields} where the header has {len(HEADER)}",
            path=path,
            line=number,
            hint=SKIPPED,
        )
    index, reason = faces.index(row[0])
    if index is None:
        hint = faces.hint_for(row[0])
        return DataError(
            reason, path=path, line=number, hint=f"{hint}; {SKIPPED}" if hint else SKIPPED
        )
    return Line(number, index, normalise_cell(row[1]), normalise_cell(row[2]))


def _line_starts(body: bytes) -> list[int]:
    """Where each line of ``body`` (whole lines, none empty) starts in it."""
    starts, at = [], 0
    while at < len(body):
        starts.append(at)
        at = body.index(b"\n", at) + 1
    return starts


class LogFile:
    """LOG on disk: its header checked, its throws read, appended and followed.

    Parameters
    ----------
    path : path
        The log; created with its header when missing or empty.
    faces : Faces
        The die's faces: a line naming another face is skipped and named.
    warn : callable
        Called with one message (``LOG:17: …``) for each line that is not a throw.
    name : str, optional
        How messages name the file (the argument as typed); ``path`` by default.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        faces: Faces,
        warn: Callable[[str], None],
        name: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = name if name is not None else os.fspath(path)
        self.faces = faces
        self.warn = warn
        self._lock = threading.Lock()  # the one writer: lines never interleave
        self._offset = 0  # bytes read so far: always the end of a complete line
        self._lines = 0  # complete lines read so far

    def open(self, *, create: bool = True) -> list[Line]:
        """Check LOG's header and read every throw; first create LOG if it is missing or empty.

        With ``create=False`` (reading a LOG as it stands) the file is never
        written: a missing LOG is an error, and an empty one holds no throws.

        Raises
        ------
        DataError
            LOG's first line is not the live header ``face,time,source``.
        InputError, OutputError
            LOG cannot be read, or cannot be created.
        """
        with self._lock:
            if create:
                self._create()
            data = self._read_from(0)
            if not data:
                return []
            end = data.find(b"\n")
            self._check_header(data if end < 0 else data[:end])
            if not data.endswith(b"\n"):
                # Its last line is whole (nobody writes to LOG yet) but lacks its line feed:
                # end it, so that the first throw appended starts a line of its own.
                if create:
                    self._write(b"")
                data += b"\n"
            return self._take(data)[0]

    def append(self, throws: Sequence[tuple[int, str]]) -> tuple[list[Line], list[int]]:
        """Append throws (face index, source), flush them to disk, and read back what is new.

        Every throw is written as one line of ``face,time,source``, all of them
        in one ``os.write``, and made durable with ``fsync`` before this returns.

        Returns
        -------
        lines : list of Line
            Every throw LOG gained since the last read, in file order: lines other
            programs added, then these throws (and any added right after them).
        numbers : list of int
            The line number of each of ``throws``, in order.

        Raises
        ------
        IOFailure
            LOG could not be written or flushed (nothing is acknowledged then).
        """
        time = now()
        body = b"".join(csv_line((str(self.faces.labels[i]), time, s)) for i, s in throws)
        with self._lock:
            try:
                start = self._write(body)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise IOFailure(f"cannot append to the log: {reason}", path=self.name) from None
            lines, starts = self._take(self._read_from(self._offset))
        numbers = [starts.get(start + at) for at in _line_starts(body)]
        if None in numbers:  # another program's unfinished line got in before ours
            raise IOFailure("another program wrote to the log at the same moment", path=self.name)
        return lines, [number for number in numbers if number is not None]

    def follow(self) -> list[Line]:
        """The throws that other programs appended since the last read (whole lines only)."""
        with self._lock:
            return self._take(self._read_from(self._offset))[0]

    # --- inside the lock -----------------------------------------------------------------

    def _create(self) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create the log: {exc.strerror}", path=self.name) from None
        try:
            if os.fstat(fd).st_size == 0:
                os.write(fd, csv_line(HEADER))
                os.fsync(fd)
        finally:
            os.close(fd)

    def _check_header(self, first: bytes) -> None:
        text = first.decode("utf-8", "replace").removeprefix("\ufeff").rstrip("\r")
        try:
            cells = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            cells = []
        if [normalise_cell(cell).casefold() for cell in cells] != list(HEADER):
            raise DataError(
                f"not a live log: its first line is '{show_cell(text)}', not {','.join(HEADER)}",
                path=self.name,
                line=1,
                hint="give reportgen live a new file name",
            )

    def _write(self, body: bytes) -> int:
        """Write ``body`` at the end of LOG and fsync; the offset it starts at."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            if self._ends_mid_line(fd):
                body = b"\n" + body  # never glue a throw onto another program's unfinished line
            written = 0
            while written < len(body):
                written += os.write(fd, body[written:])
            end = os.lseek(fd, 0, os.SEEK_CUR)  # O_APPEND: the end of what we wrote
            os.fsync(fd)
        finally:
            os.close(fd)
        return end - len(body) + (1 if body.startswith(b"\n") else 0)

    def _ends_mid_line(self, fd: int) -> bool:
        """Does LOG end past the last line read without a line feed (a line still being written)?"""
        size = os.fstat(fd).st_size
        if size == 0 or size <= self._offset:
            return False
        with open(self.path, "rb") as file:
            file.seek(size - 1)
            return file.read(1) != b"\n"

    def _read_from(self, offset: int) -> bytes:
        try:
            with open(self.path, "rb") as file:
                file.seek(offset)
                return file.read()
        except FileNotFoundError:
            raise InputError("the log has gone (moved or deleted)", path=self.name) from None
        except OSError as exc:
            raise IOFailure(f"cannot read the log: {exc.strerror}", path=self.name) from None

    def _take(self, data: bytes) -> tuple[list[Line], dict[int, int]]:
        """The throws among the complete lines of ``data`` (read at ``self._offset``).

        Also the number of every complete line by the offset it starts at.
        """
        throws, starts = [], {}
        at = self._offset
        for raw in data.split(b"\n")[:-1]:  # the piece after the last line feed is unfinished
            self._lines += 1
            starts[at] = self._lines
            at += len(raw) + 1
            if self._lines == 1:
                continue  # the header, checked by ``open``
            parsed = self._parse(raw, self._lines)
            if isinstance(parsed, Line):
                throws.append(parsed)
            elif parsed is not None:
                self.warn(str(parsed))
        self._offset = at
        return throws, starts

    def _parse(self, raw: bytes, number: int) -> Line | DataError | None:
        try:
            text = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            return DataError(
                "the line is not UTF-8 text", path=self.name, line=number, hint=SKIPPED
            )
        return parse_line(text, number, self.faces, self.name)

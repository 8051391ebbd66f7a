"""The only place where bytes become a validated roll log.

``read_log`` streams one input (a path, ``-`` for standard input, or a ``.gz``
file) and returns a ``RollLog``: the counts per face, which are sufficient
statistics for every figure in the report, and the first throws in file order
for the report's tables. Nothing here ever holds the whole log in memory.

Refused cells raise ``DataError`` naming the path, the physical line and the
value; nothing is silently dropped or guessed.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.errors import DataError, InputError, IOFailure
from reportgen.faces import Faces, normalise_cell, show_cell

#: How many throws, in file order, the report's per-throw tables show.
FIRST_THROWS = 20

#: Header names of the face column (compared after NFKC and casefolding).
FACE_NAMES = ("face", "roll", "value", "outcome", "result", "出た目", "目")

#: Header names of the count column of a frequency table.
COUNT_NAMES = ("count", "n", "frequency", "回数", "度数")

#: Delimiters tried, in order of preference when a line holds none of them.
DELIMITERS = (",", "\t", ";")


@dataclass(frozen=True)
class RollLog:
    """A validated roll log, reduced to what the analysis needs.

    Attributes
    ----------
    source : str
        The input as the user named it (``-`` for standard input).
    sha256 : str
        Hex digest of the input's bytes as stored (compressed, for ``.gz``).
    column : str or None
        Header of the face column; ``None`` for a headerless single column.
    format : str
        ``"log"`` (one row per throw) or ``"counts"`` (a frequency table).
    faces : Faces
        The die's faces, in report order.
    counts : tuple of int
        n_k, the number of throws that showed face k.
    first : tuple of int
        Face indices of the first throws (at most ``FIRST_THROWS``), in file order.
    checkpoints : tuple of (int, tuple of int)
        Cumulative counts after throw m, for m = 1, 2, … 20 and then about 5%
        apart up to N: enough to draw the running mean cross-entropy of the
        whole log without keeping it. Empty for a frequency table.
    """

    source: str
    sha256: str
    column: str | None
    format: str
    faces: Faces
    counts: tuple[int, ...]
    first: tuple[int, ...]
    checkpoints: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def n(self) -> int:
        return sum(self.counts)


class _HashingReader(io.RawIOBase):
    """A binary stream that feeds every byte it passes on into a SHA-256."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _key(name: str) -> str:
    return normalise_cell(name).casefold()


def _open_binary(source: str) -> io.BufferedIOBase:
    if source == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")  # noqa: SIM115 - closed by read_log
    except FileNotFoundError:
        raise InputError("no such file", path=source) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=source) from None
    except PermissionError:
        raise InputError("permission denied", path=source, hint="check the file's mode") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=source) from None


def read_log(
    source: str | os.PathLike[str],
    faces: Faces,
    *,
    column: str | None = None,
    encoding: str = "utf-8-sig",
) -> RollLog:
    """Read one roll log or frequency table and validate every row.

    Parameters
    ----------
    source : str or path
        A CSV/TSV path (optionally ``.gz``) or ``-`` for standard input.
    faces : Faces
        The die's faces; a cell naming any other face is an error.
    column : str, optional
        The face column's header; found by name when not given.
    encoding : str
        Text encoding of the input.

    Raises
    ------
    DataError
        A bad cell, an empty log, a missing column, bytes that are not text.
    InputError
        The input does not exist or cannot be read.
    """
    source = os.fspath(source)
    if column is None and encoding == "utf-8-sig":
        from reportgen.fastcount import count_simple_log  # perf: numpy fast path

        fast = count_simple_log(source, faces)  # None: not the simple layout, read below
        if fast is not None:
            return fast
    raw = _open_binary(source)
    hashing = _HashingReader(raw)
    try:
        binary: io.BufferedIOBase = io.BufferedReader(hashing, buffer_size=1 << 20)
        if source.endswith(".gz"):
            binary = gzip.GzipFile(fileobj=binary, mode="rb")  # type: ignore[assignment]
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        parsed = _parse(source, text, faces, column)
        # Read to the end so the digest covers the whole stored file.
        while hashing.read(1 << 20):
            pass
    except UnicodeDecodeError as exc:
        raise DataError(
            f"bytes that are not {encoding} text ({exc.reason})",
            path=source,
            hint="save the log as UTF-8",
        ) from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"damaged gzip data ({exc})", path=source) from None
    except OSError as exc:
        raise IOFailure(exc.strerror or str(exc), path=source) from None
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()
    column_name, fmt, counts, first, checkpoints = parsed
    return RollLog(
        source=source,
        sha256=hashing.digest.hexdigest(),
        column=column_name,
        format=fmt,
        faces=faces,
        counts=tuple(counts),
        first=tuple(first),
        checkpoints=tuple(checkpoints),
    )


def _rows(text: io.TextIOBase, source: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV rows with the physical line each starts on (1-based)."""
    first_line = text.readline()
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    stream = _chain(first_line, text)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"malformed CSV ({exc})", path=source, line=line) from None


def _chain(first: str, rest: io.TextIOBase) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _parse(
    source: str, text: io.TextIOBase, faces: Faces, column: str | None
) -> tuple[str | None, str, list[int], list[int], list[tuple[int, tuple[int, ...]]]]:
    rows = _rows(text, source)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError("empty log: no throws", path=source, line=1) from None
    layout = _layout(source, header_line, header, faces, column)
    width, face_at, count_at = layout.width, layout.face_at, layout.count_at

    counts = [0] * faces.k
    first: list[int] = []
    lookup: dict[str, int] = {}  # a log repeats K distinct cells; parse each once
    rows_seen = 0
    checkpoints: list[tuple[int, tuple[int, ...]]] = []
    next_checkpoint = 1
    pending = [(header_line, header)] if layout.column is None else []
    for line, row in _iter_rows(pending, rows):
        if len(row) != width:
            raise DataError(
                f"row has {len(row)} fields where the header has {width}",
                path=source,
                line=line,
                hint="every row needs the same columns",
            )
        cell = row[face_at]
        index = lookup.get(cell)
        if index is None:
            index, reason = faces.index(cell)
            if index is None:
                raise DataError(reason, path=source, line=line, hint=faces.hint_for(cell))
            lookup[cell] = index
        rows_seen += 1
        if count_at is None:
            counts[index] += 1
            if len(first) < FIRST_THROWS:
                first.append(index)
            if rows_seen == next_checkpoint:
                checkpoints.append((rows_seen, tuple(counts)))
                next_checkpoint = max(rows_seen + 1, int(rows_seen * 1.05))
        else:
            counts[index] += _count(source, line, row[count_at], faces.labels[index], counts[index])
    if rows_seen == 0:
        raise DataError("empty log: a header but no throws", path=source, line=header_line)
    if sum(counts) == 0:
        raise DataError("frequency table whose counts are all zero", path=source)
    fmt = "log" if count_at is None else "counts"
    if fmt == "log" and (not checkpoints or checkpoints[-1][0] != rows_seen):
        checkpoints.append((rows_seen, tuple(counts)))
    return layout.column, fmt, counts, first, checkpoints


def _iter_rows(
    pending: list[tuple[int, list[str]]], rows: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from pending
    yield from rows


def _count(source: str, line: int, cell: str, label: int | str, seen: int) -> int:
    if seen:
        raise DataError(
            f"face '{label}' appears twice in the frequency table", path=source, line=line
        )
    text = normalise_cell(cell)
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise DataError(
            f"count '{show_cell(cell)}' is not a whole number ≥ 0", path=source, line=line
        )
    return value


@dataclass(frozen=True)
class _Layout:
    column: str | None  # header of the face column; None when the file has no header
    width: int
    face_at: int
    count_at: int | None


def _layout(source: str, line: int, header: list[str], faces: Faces, column: str | None) -> _Layout:
    keys = [_key(cell) for cell in header]
    if column is not None:
        matches = [i for i, key in enumerate(keys) if key == _key(column)]
        if not matches:
            raise DataError(
                f"no column named '{column}'",
                path=source,
                line=line,
                hint="columns: " + ", ".join(show_cell(c) for c in header),
            )
    else:
        matches = [i for i, key in enumerate(keys) if key in FACE_NAMES]
        if not matches:
            if len(header) == 1:
                index, _ = faces.index(header[0])
                if index is not None:
                    return _Layout(None, 1, 0, None)  # headerless single column
                if faces.numeric and _looks_numeric(header[0]):
                    # A lone number that is not a face is a bad first throw, not a header.
                    _, reason = faces.index(header[0])
                    raise DataError(reason, path=source, line=line, hint=faces.hint_for(header[0]))
                return _Layout(header[0], 1, 0, None)  # any single header name
            raise DataError(
                "no face column found",
                path=source,
                line=line,
                hint="name it face, roll, value, outcome, result or 出た目, or use --column",
            )
    if len(matches) > 1:
        raise DataError(
            f"{len(matches)} columns could hold the face",
            path=source,
            line=line,
            hint="choose one with --column",
        )
    face_at = matches[0]
    count_cols = [i for i, key in enumerate(keys) if key in COUNT_NAMES and i != face_at]
    if len(count_cols) > 1:
        raise DataError(f"{len(count_cols)} columns could hold the counts", path=source, line=line)
    count_at = count_cols[0] if count_cols else None
    return _Layout(header[face_at], len(header), face_at, count_at)


def _looks_numeric(cell: str) -> bool:
    text = normalise_cell(cell)
    try:
        float(text)
    except ValueError:
        return False
    return True

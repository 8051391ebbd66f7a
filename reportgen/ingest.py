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
    by : str or None
        Header of the ``--by`` group column, if one was asked for.
    groups : tuple of (str, RollLog)
        With ``--by``: one log per group (its own counts, first throws and
        checkpoints), in order of first appearance. Empty otherwise.
    """

    source: str
    sha256: str
    column: str | None
    format: str
    faces: Faces
    counts: tuple[int, ...]
    first: tuple[int, ...]
    checkpoints: tuple[tuple[int, tuple[int, ...]], ...] = ()
    by: str | None = None
    groups: tuple[tuple[str, RollLog], ...] = ()

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
    by: str | None = None,
    counts: bool = False,
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
    by : str, optional
        Header of a group column (``--by``): counts are also kept per group.
    counts : bool
        The input is a frequency table (``--counts``) even if its count column
        has none of the recognised names.

    Raises
    ------
    DataError
        A bad cell, an empty log, a missing column, bytes that are not text.
    InputError
        The input does not exist or cannot be read.
    """
    source = os.fspath(source)
    raw = _open_binary(source)
    hashing = _HashingReader(raw)
    try:
        binary: io.BufferedIOBase = io.BufferedReader(hashing, buffer_size=1 << 20)
        if source.endswith(".gz"):
            binary = gzip.GzipFile(fileobj=binary, mode="rb")  # type: ignore[assignment]
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        parsed = _parse(source, text, faces, column, by=by, force_counts=counts)
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
    column_name, fmt, totals, first, checkpoints, groups = parsed
    digest = hashing.digest.hexdigest()
    return RollLog(
        source=source,
        sha256=digest,
        column=column_name,
        format=fmt,
        faces=faces,
        counts=tuple(totals),
        first=tuple(first),
        checkpoints=tuple(checkpoints),
        by=None if groups is None else by,
        groups=()
        if groups is None
        else tuple(
            (name, tally.log(source, digest, column_name, fmt, faces))
            for name, tally in groups.items()
        ),
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


class _Tally:
    """Counts, first throws and checkpoints of one group of a ``--by`` log, kept as it streams."""

    def __init__(self, k: int) -> None:
        self.counts = [0] * k
        self.first: list[int] = []
        self.checkpoints: list[tuple[int, tuple[int, ...]]] = []
        self.rows = 0
        self._next_checkpoint = 1

    def throw(self, index: int) -> None:
        self.counts[index] += 1
        self.rows += 1
        if len(self.first) < FIRST_THROWS:
            self.first.append(index)
        if self.rows == self._next_checkpoint:
            self.checkpoints.append((self.rows, tuple(self.counts)))
            self._next_checkpoint = max(self.rows + 1, int(self.rows * 1.05))

    def log(self, source: str, sha256: str, column: str | None, fmt: str, faces: Faces) -> RollLog:
        checkpoints = self.checkpoints
        if fmt == "log" and (not checkpoints or checkpoints[-1][0] != self.rows):
            checkpoints = [*checkpoints, (self.rows, tuple(self.counts))]
        return RollLog(
            source=source,
            sha256=sha256,
            column=column,
            format=fmt,
            faces=faces,
            counts=tuple(self.counts),
            first=tuple(self.first) if fmt == "log" else (),
            checkpoints=tuple(checkpoints) if fmt == "log" else (),
        )


def _group_of(source: str, line: int, row: list[str], at: int, by: str | None) -> str:
    name = normalise_cell(row[at])
    if name == "":
        raise DataError(f"empty cell in the group column '{by}'", path=source, line=line)
    return name


def _parse(
    source: str,
    text: io.TextIOBase,
    faces: Faces,
    column: str | None,
    *,
    by: str | None = None,
    force_counts: bool = False,
) -> tuple[
    str | None,
    str,
    list[int],
    list[int],
    list[tuple[int, tuple[int, ...]]],
    dict[str, _Tally] | None,
]:
    rows = _rows(text, source)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError("empty log: no throws", path=source, line=1) from None
    layout = _layout(source, header_line, header, faces, column, force_counts)
    width, face_at, count_at = layout.width, layout.face_at, layout.count_at
    if force_counts and count_at is None:
        raise DataError(
            "--counts: a frequency table needs a face column and a count column",
            path=source,
            line=header_line,
        )
    group_at = None if by is None else _group_column(source, header_line, header, by, face_at)
    groups: dict[str, _Tally] | None = None if group_at is None else {}

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
        if groups is not None:
            name = _group_of(source, line, row, group_at, by)  # type: ignore[arg-type]
            tally = groups.get(name)
            if tally is None:
                tally = groups[name] = _Tally(faces.k)
        if count_at is None:
            if groups is not None:
                tally.throw(index)
            counts[index] += 1
            if len(first) < FIRST_THROWS:
                first.append(index)
            if rows_seen == next_checkpoint:
                checkpoints.append((rows_seen, tuple(counts)))
                next_checkpoint = max(rows_seen + 1, int(rows_seen * 1.05))
        elif groups is not None:
            added = _count(source, line, row[count_at], faces.labels[index], tally.counts[index])
            tally.counts[index] += added
            counts[index] += added
        else:
            counts[index] += _count(source, line, row[count_at], faces.labels[index], counts[index])
    if rows_seen == 0:
        raise DataError("empty log: a header but no throws", path=source, line=header_line)
    if sum(counts) == 0:
        raise DataError("frequency table whose counts are all zero", path=source)
    fmt = "log" if count_at is None else "counts"
    if fmt == "log" and (not checkpoints or checkpoints[-1][0] != rows_seen):
        checkpoints.append((rows_seen, tuple(counts)))
    if groups is not None:
        # A group whose frequency-table rows are all 0 has no throws to analyse.
        groups = {name: tally for name, tally in groups.items() if sum(tally.counts)}
    return layout.column, fmt, counts, first, checkpoints, groups


def _group_column(source: str, line: int, header: list[str], by: str, face_at: int) -> int:
    """Index of the ``--by`` column, found by name as the face column is."""
    matches = [i for i, cell in enumerate(header) if _key(cell) == _key(by)]
    if not matches:
        raise DataError(
            f"no column named '{by}' to group by",
            path=source,
            line=line,
            hint="columns: " + ", ".join(show_cell(c) for c in header),
        )
    if len(matches) > 1:
        raise DataError(f"{len(matches)} columns are named '{by}'", path=source, line=line)
    if matches[0] == face_at:
        raise DataError(
            f"--by {by}: that is the face column",
            path=source,
            line=line,
            hint="group by another column, e.g. die",
        )
    return matches[0]


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


def _layout(
    source: str,
    line: int,
    header: list[str],
    faces: Faces,
    column: str | None,
    force_counts: bool = False,
) -> _Layout:
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
        if not matches and force_counts and len(header) == 2:
            return _Layout(header[0], 2, 0, 1)  # --counts: face, then count, whatever the names
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
    if force_counts and count_at is None:
        # --counts: a two-column table's other column holds the counts, whatever its name.
        if len(header) != 2:
            raise DataError(
                "--counts: no count column found",
                path=source,
                line=line,
                hint="name it count, n, frequency, 回数 or 度数",
            )
        count_at = 1 - face_at
    return _Layout(header[face_at], len(header), face_at, count_at)


def _looks_numeric(cell: str) -> bool:
    text = normalise_cell(cell)
    try:
        float(text)
    except ValueError:
        return False
    return True

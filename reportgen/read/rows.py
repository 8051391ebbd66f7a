"""Decoded lines become a tally: the CSV layout, the face column, every cell checked.

``tally_rows`` reads the rows of one input: the delimiter from the first line,
then the header (or its absence), the face column (found by name, or named by
``--column``), an optional count column (a frequency table) and ``--by`` group
column, and then each row's cells. Refused cells raise ``DataError`` naming
the path, the physical line and the value; nothing is silently dropped or
guessed. A log with many bad rows is read to its end and reported as its first
few problems plus a count of the rest.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.errors import DataError, Problems, ReportgenError
from reportgen.faces import Faces, normalise_cell, show_cell
from reportgen.read.log import Tally

#: Header names of the face column (compared after NFKC and casefolding).
FACE_NAMES = ("face", "roll", "value", "outcome", "result", "出た目", "目")

#: Header names of the count column of a frequency table.
COUNT_NAMES = ("count", "n", "frequency", "回数", "度数")

#: Delimiters tried, in order of preference when a line holds none of them.
DELIMITERS = (",", "\t", ";")

#: Bad rows shown one by one before the rest are only counted.
SHOWN_PROBLEMS = 5

#: Distinct bad cells whose reason is remembered (bad cells can be many).
_REFUSED_KEPT = 1000


@dataclass(frozen=True)
class Parsed:
    """What the rows of one input held: the face column's header, the format, the tallies."""

    column: str | None
    format: str  # "log" or "counts"
    total: Tally
    groups: dict[str, Tally] | None  # with --by: one tally per group, in order of appearance


def tally_rows(
    source: str,
    lines: Iterator[str],
    faces: Faces,
    column: str | None,
    *,
    by: str | None = None,
    force_counts: bool = False,
) -> Parsed:
    """Check every row of ``lines`` and tally its throws (``source`` names it in errors)."""
    rows = _rows(lines, source)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError("empty log: the file holds no throws", path=source) from None
    layout = _layout(source, header_line, header, faces, column, force_counts)
    if force_counts and layout.count_at is None:
        raise DataError(
            "--counts: a frequency table needs a face column and a count column",
            path=source,
            line=header_line,
        )
    group_at = None
    if by is not None:
        group_at = _group_column(source, header_line, header, by, layout.face_at)
    reader = _RowReader(source, faces, layout, by, group_at)
    pending = [(header_line, header)] if layout.column is None else []
    try:
        for line, row in _iter_rows(pending, rows):
            reader.row(line, row)
    except ReportgenError as exc:
        reader.problems.stop(exc)  # the rest cannot be read: report what was found, then why
    return reader.finish(header_line)


class _RowReader:
    """The checks and tallies of one input's rows, one ``row`` call each."""

    def __init__(
        self, source: str, faces: Faces, layout: _Layout, by: str | None, group_at: int | None
    ) -> None:
        self.source, self.faces, self.layout = source, faces, layout
        self.by, self.group_at = by, group_at
        self.total = Tally(faces.k)
        self.groups: dict[str, Tally] | None = None if group_at is None else {}
        self.problems = Problems(source, shown=SHOWN_PROBLEMS)
        self._lookup: dict[str, int] = {}  # a log repeats K distinct cells; parse each once
        self._refused: dict[str, str] = {}  # the same for bad cells

    def row(self, line: int, row: list[str]) -> None:
        """Check one row and tally it, or record why it is refused."""
        if len(row) != self.layout.width:
            if self.problems.counting_only:  # past the shown few, only the count matters
                self.problems.count()
            else:
                self.problems.add(_width_error(self.source, line, len(row), self.layout.width))
            return
        index = self._lookup.get(row[self.layout.face_at])
        if index is None:
            index = self._face(line, row[self.layout.face_at])
            if index is None:
                return
        tallies = [self.total] if self.groups is None else self._with_group(line, row)
        if not tallies:
            return
        if self.layout.count_at is None:
            for tally in tallies:
                tally.throw(index)
            return
        try:
            seen = tallies[-1].counts[index]  # a face twice in one table (or group's)
            added = _count(
                self.source, line, row[self.layout.count_at], self.faces.labels[index], seen
            )
        except DataError as exc:
            self.problems.add(exc)
            return
        for tally in tallies:
            tally.add_count(index, added)

    def _face(self, line: int, cell: str) -> int | None:
        """The face index a cell names, or ``None`` after recording why it names none."""
        reason = self._refused.get(cell)
        if reason is None:
            index, reason = self.faces.index(cell)
            if index is not None:
                self._lookup[cell] = index
                return index
            if len(self._refused) < _REFUSED_KEPT:
                self._refused[cell] = reason
        if self.problems.counting_only:
            self.problems.count()
        else:
            hint = self.faces.hint_for(cell)
            self.problems.add(DataError(reason, path=self.source, line=line, hint=hint))
        return None

    def _with_group(self, line: int, row: list[str]) -> list[Tally]:
        """The total's tally and the row's group's; none if the group cell is empty."""
        assert self.groups is not None and self.group_at is not None
        name = normalise_cell(row[self.group_at])
        if name == "":
            self.problems.add(
                DataError(
                    f"empty cell in the group column '{self.by}'", path=self.source, line=line
                )
            )
            return []
        tally = self.groups.get(name)
        if tally is None:
            tally = self.groups[name] = Tally(self.faces.k)
        return [self.total, tally]

    def finish(self, header_line: int) -> Parsed:
        """What was read, or the problems found; an input with no throws is an error."""
        self.problems.raise_if_any()
        total, source = self.total, self.source
        if total.rows == 0:
            raise DataError("empty log: a header but no throws", path=source, line=header_line)
        if sum(total.counts) == 0:
            raise DataError("frequency table whose counts are all zero", path=source)
        groups = self.groups
        if groups is not None:
            # A group whose frequency-table rows are all 0 has no throws to analyse.
            groups = {name: tally for name, tally in groups.items() if sum(tally.counts)}
        fmt = "log" if self.layout.count_at is None else "counts"
        return Parsed(self.layout.column, fmt, total, groups)


def _key(name: str) -> str:
    return normalise_cell(name).casefold()


# --- rows: delimiter, header, cells -----------------------------------------------------


def _rows(lines: Iterator[str], source: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV rows with the physical line each starts on (1-based).

    A row whose cells are all empty or spaces counts as a blank line and is skipped.
    """
    first_line = next(lines, "")
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(_chain(first_line, lines), delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            if row and ("".join(row) if len(row) > 1 else row[0]).strip():
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_failure(exc, source, line) from None


def _csv_failure(exc: csv.Error, source: str, line: int) -> DataError:
    text = str(exc)
    if "field limit" in text:
        return DataError(
            f"a field longer than {csv.field_size_limit()} characters",
            path=source,
            line=line,
            hint="an unterminated quote?",
        )
    if "end of data" in text:
        return DataError(
            "a quoted field starts on this line and is never closed",
            path=source,
            line=line,
            hint="an unterminated quote",
        )
    if "expected after" in text:
        return DataError(
            "text after a closing quote",
            path=source,
            line=line,
            hint='write a quote inside a quoted field as ""',
        )
    return DataError(f"malformed CSV ({text})", path=source, line=line)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _named_columns(
    source: str, line: int, header: list[str], name: str, why: str = ""
) -> list[int]:
    """Indices of the columns a user named (``--column``, ``--by``); none is an error."""
    matches = [i for i, cell in enumerate(header) if _key(cell) == _key(name)]
    if not matches:
        raise DataError(
            f"no column named '{name}'{why}",
            path=source,
            line=line,
            hint="columns: " + ", ".join(show_cell(c) for c in header),
        )
    return matches


def _group_column(source: str, line: int, header: list[str], by: str, face_at: int) -> int:
    """Index of the ``--by`` column, found by name as the face column is."""
    matches = _named_columns(source, line, header, by, " to group by")
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


def _width_error(source: str, line: int, got: int, width: int) -> DataError:
    return DataError(
        f"row has {got} field{'s' if got != 1 else ''} where the header has {width}",
        path=source,
        line=line,
        hint="every row needs the same columns",
    )


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
        matches = _named_columns(source, line, header, column)
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

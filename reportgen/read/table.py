"""Rows become tallies: every cell checked, one ``Tally`` per log, ``--by`` group and split part.

``tally_table`` reads the rows of one table, a CSV's or a sheet's, each with the
line (or sheet row) it starts on: the first is the header (or the first throw
of a headerless column), then each row's cells are checked and tallied. A bad
cell is recorded, never dropped, and the table is read to its end; the hints of
bad faces are decided then, from the whole table (``faces.Census``). With
``split`` the rows are also tallied per value of that column (``Part``): each
part keeps its own problems, so one student's typo fails only that student.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reportgen.errors import DataError, Problems, ReportgenError
from reportgen.faces import Census, Faces, normalise_cell, show_cell, whole_number
from reportgen.read.layout import Layout, find_layout, group_column, one_row_error, values_in_row
from reportgen.read.log import KEPT_BYTES, Tally
from reportgen.say import _

#: Bad rows shown one by one before the rest are only counted.
SHOWN_PROBLEMS = 5

#: Distinct bad cells whose reason is remembered (bad cells can be many).
_REFUSED_KEPT = 1000


def csv_line(row: list[str]) -> bytes:
    """One row as a CSV line (UTF-8, quoted where needed, LF), as ``CsvDigest`` hashes it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    return out.getvalue().encode("utf-8")


class CsvDigest:
    """SHA-256 of rows written as CSV (``csv_line`` each), hashed in blocks as they come.

    ``stored``: the CSV itself while it is at most ``KEPT_BYTES`` (a PDF carries it).
    """

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self._kept: list[bytes] | None = []
        self._size = 0

    def add(self, row: list[str]) -> None:
        self._writer.writerow(row)
        if self._buffer.tell() > 1 << 16:
            self._flush()

    def _flush(self) -> None:
        data = self._buffer.getvalue().encode("utf-8")
        self._digest.update(data)
        self._size += len(data)
        if self._kept is not None:
            self._kept = [*self._kept, data] if self._size <= KEPT_BYTES else None
        self._buffer.seek(0)
        self._buffer.truncate()

    @property
    def stored(self) -> bytes | None:
        """The rows as CSV, if at most ``KEPT_BYTES``; ``None`` otherwise."""
        self._flush()
        return None if self._kept is None else b"".join(self._kept)

    def hexdigest(self) -> str:
        """The digest of every row added so far."""
        self._flush()
        return self._digest.hexdigest()


class Part:
    """One value's share of a table split by a column: its tallies, problems and digest."""

    def __init__(self, source: str, faces: Faces, grouped: bool, noun: str) -> None:
        self.tally = Tally(faces.k)
        self.groups: dict[str, Tally] | None = {} if grouped else None
        self.problems = Problems(source, shown=SHOWN_PROBLEMS)
        self.census = Census(noun=noun)
        self.error: ReportgenError | None = None
        self._digest = CsvDigest()

    def keep(self, row: list[str]) -> None:
        """Add a row to the part's digest."""
        self._digest.add(row)

    @property
    def sha256(self) -> str:
        """SHA-256 of the header and the part's rows as CSV (``csv_line`` each)."""
        return self._digest.hexdigest()


@dataclass(frozen=True)
class Parsed:
    """What the rows of one input held: the face column's header, the format, the tallies."""

    column: str | None
    format: str  # "log" or "counts"
    total: Tally
    groups: dict[str, Tally] | None  # with --by: one tally per group, in order of appearance
    parts: dict[str, Part] | None = None  # with a split: one per value, in order of appearance


def tally_table(
    source: str,
    rows: Iterator[tuple[int, list[str]]],
    faces: Faces,
    column: str | None,
    *,
    by: str | None = None,
    split: str | None = None,
    force_counts: bool = False,
    cell_name: Callable[[int, int], str] | None = None,
) -> Parsed:
    """Check every row and tally its throws.

    Parameters
    ----------
    source : str
        How errors name the input (``rolls.csv``, ``class.xlsx[佐藤]``).
    rows : iterator of (int, list of str)
        Non-blank rows with the line (or sheet row) each starts on; the first
        is the header.
    faces, column, by, force_counts
        As ``read_log``'s.
    split : str, optional
        A column whose values split the table into parts (``--split-by``).
    cell_name : callable, optional
        For a sheet: names cell (row, column index) as ``B17``. A sheet's rows
        may be shorter than the header (padded) or longer (the cells beyond it
        are not read). Without it, errors name the line and every row must have
        the header's width.
    """
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError(_("empty log: the file holds no throws"), path=source) from None
    layout = find_layout(source, header_line, header, faces, column, force_counts)
    if force_counts and layout.count_at is None:
        raise DataError(
            _("--counts: a frequency table needs a face column and a count column"),
            path=source,
            line=header_line,
        )
    reader = _RowReader(source, faces, layout, cell_name)
    if by is not None:
        reader.by_at = group_column(source, header_line, header, by, layout.face_at)
        reader.by = by
    if split is not None:
        at = group_column(source, header_line, header, split, layout.face_at, "--split-by")
        reader.split_at, reader.split, reader.header = at, split, header
    if layout.column is None:
        reader.row(header_line, header)  # a headerless column: the first row is a throw
    try:
        for line, row in rows:
            reader.row(line, row)
    except ReportgenError as exc:
        reader.problems.stop(exc)  # the rest cannot be read: report what was found, then why
    return reader.finish(header_line)


class _RowReader:
    """The checks and tallies of one table's rows, one ``row`` call each."""

    def __init__(
        self,
        source: str,
        faces: Faces,
        layout: Layout,
        cell_name: Callable[[int, int], str] | None,
    ) -> None:
        self.source, self.faces, self.layout, self.cell_name = source, faces, layout, cell_name
        self.by: str | None = None
        self.by_at: int | None = None
        self.split: str | None = None
        self.split_at: int | None = None
        self.header: list[str] = []
        self.total = Tally(faces.k)
        self._plain = [self.total]  # the tallies of a row without groups or parts
        self.problems = Problems(source, shown=SHOWN_PROBLEMS)
        self.census = Census(noun="throws" if layout.count_at is None else "rows")
        self.parts: dict[str, Part] = {}
        self._groups: dict[str, Tally] = {}
        self._lookup: dict[str, int] = {}  # a log repeats K distinct cells; parse each once
        self._refused: dict[str, tuple[str, int | None]] = {}  # the same for bad cells
        self._hinted: list[tuple[DataError, str, Census]] = []  # hints decided by ``finish``

    def _at(self, line: int, column: int) -> int | str:
        """Where a cell is, as errors name it: the line, or a sheet's cell (``B17``)."""
        return line if self.cell_name is None else self.cell_name(line, column)

    def row(self, line: int, row: list[str]) -> None:
        """Check one row and tally it, or record why it is refused."""
        if len(row) != self.layout.width:
            fitted = self._fit(line, row)
            if fitted is None:
                return
            row = fitted
        part = None
        if self.split_at is not None:
            part = self._part(line, row)
            if part is None:
                return
        cell = row[self.layout.face_at]
        index = self._lookup.get(cell)
        if index is None:
            index = self._face(line, cell, part)
            if index is None:
                return
        tallies = (
            self._plain if self.by_at is None and part is None else self._tallies(line, row, part)
        )
        if not tallies:
            return
        if self.layout.count_at is None:
            for tally in tallies:
                tally.throw(index)
        else:
            added = self._count(line, row, index, tallies[-1], part)
            if added is None:
                return
            for tally in tallies:
                tally.add_count(index, added)
        if part is not None:
            part.keep(row)

    def _fit(self, line: int, row: list[str]) -> list[str] | None:
        """A row of another width than the header's: a sheet's made to fit, else refused."""
        values = values_in_row(row) if len(row) > self.layout.width else 0
        if values:
            self.problems.add(one_row_error(self.source, line, values))
            return None
        if self.cell_name is not None:
            width = self.layout.width
            return row[:width] + [""] * (width - len(row))
        if self.problems.counting_only:  # past the shown few, only the count matters
            self.problems.count()
        else:
            self.problems.add(_width_error(self.source, line, len(row), self.layout.width))
        return None

    def _part(self, line: int, row: list[str]) -> Part | None:
        """The row's split part (made at its value's first row); ``None`` for an empty cell."""
        assert self.split_at is not None
        name = normalise_cell(row[self.split_at])
        if name == "":
            where = self._at(line, self.split_at)
            message = _("empty cell in the column '{column}' to split by", column=self.split)
            self.problems.add(DataError(message, path=self.source, line=where))
            return None
        part = self.parts.get(name)
        if part is None:
            grouped = self.by_at is not None
            part = self.parts[name] = Part(self.source, self.faces, grouped, self.census.noun)
            part.keep(self.header)
        return part

    def _face(self, line: int, cell: str, part: Part | None) -> int | None:
        """The face index a cell names, or ``None`` after recording why it names none."""
        refused = self._refused.get(cell)
        if refused is None:
            index, reason = self.faces.index(cell)
            if index is not None:
                self._lookup[cell] = index
                return index
            refused = reason, whole_number(normalise_cell(cell))
            if len(self._refused) < _REFUSED_KEPT:
                self._refused[cell] = refused
        reason, value = refused
        problems, census = self._sink(part)
        if value is not None and self.faces.numeric:
            census.note(value)
        if problems.counting_only:
            problems.count()
        else:
            error = DataError(reason, path=self.source, line=self._at(line, self.layout.face_at))
            self._hinted.append((error, cell, census))
            problems.add(error)
        return None

    def _sink(self, part: Part | None) -> tuple[Problems, Census]:
        """Where a row's problems go: its split part's, or the whole table's."""
        return (self.problems, self.census) if part is None else (part.problems, part.census)

    def _tallies(self, line: int, row: list[str], part: Part | None) -> list[Tally]:
        """The tallies a row counts in: the total's, its part's, and their ``--by`` groups'."""
        if self.by_at is None:
            return [self.total] if part is None else [self.total, part.tally]
        name = normalise_cell(row[self.by_at])
        if name == "":
            where = self._at(line, self.by_at)
            message = _("empty cell in the group column '{column}'", column=self.by)
            self._sink(part)[0].add(DataError(message, path=self.source, line=where))
            return []
        tallies = [self.total, _group(self._groups, name, self.faces)]
        if part is not None:
            assert part.groups is not None
            tallies += [part.tally, _group(part.groups, name, self.faces)]
        return tallies

    def _count(
        self, line: int, row: list[str], index: int, tally: Tally, part: Part | None
    ) -> int | None:
        """The count of a frequency table's row, or ``None`` after recording why it is refused."""
        assert self.layout.count_at is not None
        where = self._at(line, self.layout.count_at)
        cell = row[self.layout.count_at]
        try:
            return _count(self.source, where, cell, self.faces.labels[index], tally.counts[index])
        except DataError as exc:
            self._sink(part)[0].add(exc)
            return None

    def finish(self, header_line: int) -> Parsed:
        """What was read, or the problems found; an input with no throws is an error."""
        self.census.good = self.total.rows
        for part in self.parts.values():
            part.census.good = part.tally.rows
        for error, cell, census in self._hinted:
            error.hint = self.faces.hint_for(cell, census)
        self.problems.raise_if_any()
        total, source = self.total, self.source
        if total.rows == 0 and not self.parts:
            raise DataError(_("empty log: a header but no throws"), path=source, line=header_line)
        if sum(total.counts) == 0 and not self.parts:
            raise DataError(_("frequency table whose counts are all zero"), path=source)
        for part in self.parts.values():
            part.groups = None if part.groups is None else _nonzero(part.groups)
            part.error = part.problems.error()
            if part.error is None and sum(part.tally.counts) == 0:
                part.error = DataError(_("frequency table whose counts are all zero"), path=source)
        fmt = "log" if self.layout.count_at is None else "counts"
        groups = _nonzero(self._groups) if self.by_at is not None else None
        return Parsed(self.layout.column, fmt, total, groups, self.parts if self.split else None)


def _group(groups: dict[str, Tally], name: str, faces: Faces) -> Tally:
    tally = groups.get(name)
    if tally is None:
        tally = groups[name] = Tally(faces.k)
    return tally


def _nonzero(groups: dict[str, Tally]) -> dict[str, Tally]:
    """The groups with throws: a group whose frequency-table rows are all 0 has none to analyse."""
    return {name: tally for name, tally in groups.items() if sum(tally.counts)}


def _width_error(source: str, line: int, got: int, width: int) -> DataError:
    return DataError(
        _(
            "row has {got} field{value} where the header has {width}",
            got=got,
            value="s" if got != 1 else "",
            width=width,
        ),
        path=source,
        line=line,
        hint=_("every row needs the same columns"),
    )


def _count(source: str, where: int | str, cell: str, label: int | str, seen: int) -> int:
    if seen:
        raise DataError(
            _("face '{label}' appears twice in the frequency table", label=label),
            path=source,
            line=where,
        )
    text = normalise_cell(cell)
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise DataError(
            _("count '{show_cell}' is not a whole number ≥ 0", show_cell=show_cell(cell)),
            path=source,
            line=where,
        )
    return value

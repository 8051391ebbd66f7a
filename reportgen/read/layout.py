"""A table's header decides its layout: the face column, a count column, the group columns.

The same rules for a CSV's first row and a sheet's first non-blank row: the face
column is found by name (``FACE_NAMES``, compared after NFKC and casefolding) or
named by ``--column``; a count column (``COUNT_NAMES``) makes it a frequency
table; ``--by`` and ``--split-by`` name group columns the same way. A first row
that is many numbers is a log typed along one row, and is named as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.errors import DataError
from reportgen.faces import Faces, normalise_cell, show_cell, whole_number
from reportgen.say import _

#: Header names of the face column (compared after NFKC and casefolding).
FACE_NAMES = ("face", "roll", "value", "outcome", "result", "出た目", "目")

#: Header names of the count column of a frequency table.
COUNT_NAMES = ("count", "n", "frequency", "回数", "度数")

#: A row of at least this many numbers (and nothing else but a label) is a log typed
#: along one row rather than down one column.
ROW_OF_VALUES = 3


@dataclass(frozen=True)
class Layout:
    """Where a table's columns are: the face, and the count of a frequency table."""

    column: str | None  # header of the face column; None when the table has no header
    width: int
    face_at: int
    count_at: int | None


def key(name: str) -> str:
    """A header cell as names are compared: NFKC, surrounding spaces removed, casefolded."""
    return normalise_cell(name).casefold()


def values_in_row(row: list[str]) -> int:
    """How many whole numbers a row holds when it holds nothing else (one label aside), else 0."""
    cells = [cell for cell in row if normalise_cell(cell)]
    numbers = sum(whole_number(normalise_cell(cell)) is not None for cell in cells)
    return numbers if numbers >= ROW_OF_VALUES and len(cells) - numbers <= 1 else 0


def one_row_error(source: str, line: int | str, values: int) -> DataError:
    """A log typed along one row: ``one row of 30 values: a log has one throw per line``."""
    return DataError(
        _("one row of {values} values: a log has one throw per line", values=values),
        path=source,
        line=line,
        hint=_("put each throw on a line of its own, under a header such as face"),
    )


def named_columns(source: str, line: int, header: list[str], name: str, why: str = "") -> list[int]:
    """Indices of the columns a user named (``--column``, ``--by``); none is an error."""
    matches = [i for i, cell in enumerate(header) if key(cell) == key(name)]
    if not matches:
        raise DataError(
            _("no column named '{name}'{why}", name=name, why=why),
            path=source,
            line=line,
            hint=_("columns: {names}", names=", ".join(show_cell(c) for c in header)),
        )
    return matches


def group_column(
    source: str, line: int, header: list[str], name: str, face_at: int, option: str = "--by"
) -> int:
    """Index of a group column (``--by`` or ``--split-by``), found by name as the face column is."""
    why = " to group by" if option == "--by" else " to split by"
    matches = named_columns(source, line, header, name, why)
    if len(matches) > 1:
        raise DataError(
            _("{len} columns are named '{name}'", len=len(matches), name=name),
            path=source,
            line=line,
        )
    if matches[0] == face_at:
        raise DataError(
            _("{option} {name}: that is the face column", option=option, name=name),
            path=source,
            line=line,
            hint=_("group by another column, e.g. die"),
        )
    return matches[0]


def find_layout(
    source: str,
    line: int,
    header: list[str],
    faces: Faces,
    column: str | None,
    force_counts: bool = False,
) -> Layout:
    """The layout a header row announces, or ``DataError`` naming the header's line."""
    keys = [key(cell) for cell in header]
    if column is not None:
        matches = named_columns(source, line, header, column)
    else:
        matches = [i for i, name in enumerate(keys) if name in FACE_NAMES]
        values = values_in_row(header) if len(matches) <= 1 else 0
        if values and not force_counts:
            raise one_row_error(source, line, values)
        if not matches and force_counts and len(header) == 2:
            return Layout(header[0], 2, 0, 1)  # --counts: face, then count, whatever the names
        if not matches:
            return _without_face_name(source, line, header, faces)
    if len(matches) > 1:
        raise DataError(
            _("{len} columns could hold the face", len=len(matches)),
            path=source,
            line=line,
            hint=_("choose one with --column"),
        )
    return _with_face_at(source, line, header, keys, matches[0], force_counts)


def _without_face_name(source: str, line: int, header: list[str], faces: Faces) -> Layout:
    """A header with no face column's name: a single column (named anyhow, or none), or an error."""
    if len(header) == 1:
        index, _why = faces.index(header[0])
        if index is not None or (faces.numeric and _looks_numeric(header[0])):
            # A face, or a number that is not one (a bad first throw, reported as a row).
            return Layout(None, 1, 0, None)
        return Layout(header[0], 1, 0, None)  # any single header name
    raise DataError(
        _("no face column found"),
        path=source,
        line=line,
        hint=_("name it face, roll, value, outcome, result or 出た目, or use --column"),
    )


def _with_face_at(
    source: str, line: int, header: list[str], keys: list[str], face_at: int, force_counts: bool
) -> Layout:
    count_cols = [i for i, name in enumerate(keys) if name in COUNT_NAMES and i != face_at]
    if len(count_cols) > 1:
        raise DataError(
            _("{len} columns could hold the counts", len=len(count_cols)), path=source, line=line
        )
    count_at = count_cols[0] if count_cols else None
    if force_counts and count_at is None:
        # --counts: a two-column table's other column holds the counts, whatever its name.
        if len(header) != 2:
            raise DataError(
                _("--counts: no count column found"),
                path=source,
                line=line,
                hint=_("name it count, n, frequency, 回数 or 度数"),
            )
        count_at = 1 - face_at
    return Layout(header[face_at], len(header), face_at, count_at)


def _looks_numeric(cell: str) -> bool:
    text = normalise_cell(cell)
    try:
        float(text)
    except ValueError:
        return False
    return True

"""Decoded lines become a tally: the CSV layout, then every cell checked (``table``).

``tally_rows`` reads the rows of one text input: the delimiter from the first
line, standard CSV quoting, the physical line each row starts on, blank rows
skipped. ``table.tally_table`` then finds the header's layout (the face column,
found by name or named by ``--column``, an optional count column, the ``--by``
and ``--split-by`` columns) and checks each row's cells. Refused cells raise
``DataError`` naming the path, the physical line and the value; nothing is
silently dropped or guessed. A log with many bad rows is read to its end and
reported as its first few problems plus a count of the rest.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from reportgen.errors import DataError
from reportgen.faces import Faces
from reportgen.read.layout import COUNT_NAMES, FACE_NAMES
from reportgen.read.table import SHOWN_PROBLEMS, Parsed, tally_table
from reportgen.say import _

__all__ = ["COUNT_NAMES", "FACE_NAMES", "SHOWN_PROBLEMS", "Parsed", "tally_rows"]

#: Delimiters tried, in order of preference when a line holds none of them.
DELIMITERS = (",", "\t", ";")


def tally_rows(
    source: str,
    lines: Iterator[str],
    faces: Faces,
    column: str | None,
    *,
    by: str | None = None,
    split: str | None = None,
    force_counts: bool = False,
) -> Parsed:
    """Check every row of ``lines`` and tally its throws (``source`` names it in errors).

    ``split`` names a column whose values split the rows into parts (``Parsed.parts``).
    """
    return tally_table(
        source,
        _rows(lines, source),
        faces,
        column,
        by=by,
        split=split,
        force_counts=force_counts,
    )


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
            _(
                "a field longer than {field_size_limit} characters",
                field_size_limit=csv.field_size_limit(),
            ),
            path=source,
            line=line,
            hint=_("an unterminated quote?"),
        )
    if "end of data" in text:
        return DataError(
            _("a quoted field starts on this line and is never closed"),
            path=source,
            line=line,
            hint=_("an unterminated quote"),
        )
    if "expected after" in text:
        return DataError(
            _("text after a closing quote"),
            path=source,
            line=line,
            hint=_('write a quote inside a quoted field as ""'),
        )
    return DataError(_("malformed CSV ({text})", text=text), path=source, line=line)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest

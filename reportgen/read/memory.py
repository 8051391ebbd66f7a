"""Throws and counts already in memory (pandas, numpy, lists, mappings) become a RollLog.

The same validation as a file: every value must name a face, and an error
names the position and the value, as a file's error names the line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from reportgen.errors import DataError
from reportgen.faces import Faces
from reportgen.read.log import RollLog, Tally
from reportgen.say import _


def _digest(table: list[int], faces: Faces) -> str:
    """The digest of the table written as a ``face,count`` CSV."""
    lines = ["face,count"] + [f"{f},{c}" for f, c in zip(faces.labels, table, strict=True)]
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def _index(faces: Faces, value: Any, source: str) -> int:
    cell = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    index, reason = faces.index(cell)
    if index is None:
        raise DataError(reason, path=source, line=None, hint=faces.hint_for(cell)) from None
    return index


def from_throws(values: Iterable[Any], faces: Faces, *, source: str = "<memory>") -> RollLog:
    """A roll log from an iterable of faces in throw order (a Series, an array, a list)."""
    tally = Tally(faces.k)
    lookup: dict[Any, int] = {}
    digest = hashlib.sha256(b"face\n")  # the digest of the log written as a one-column CSV
    for position, value in enumerate(values):
        key = (type(value), value)
        index = lookup.get(key)
        if index is None:
            try:
                index = _index(faces, value, source)
            except DataError as exc:
                raise DataError(
                    _("item {position}: {message}", position=position, message=exc.message),
                    path=source,
                    hint=exc.hint,
                ) from None
            lookup[key] = index
        tally.throw(index)
        digest.update(f"{faces.labels[index]}\n".encode())
    if tally.rows == 0:
        raise DataError(_("empty log: no throws"), path=source)
    return tally.log(source, digest.hexdigest(), None, "log", faces)


def _is_count(count: Any) -> bool:
    """A whole number ≥ 0 (``3`` or ``3.0``; not ``True``, NaN, ∞ or a word)."""
    if isinstance(count, bool):
        return False
    try:
        return int(count) == count and count >= 0
    except (TypeError, ValueError, OverflowError):
        return False


def from_counts(
    counts: Mapping[Any, int] | Iterable[tuple[Any, int]],
    faces: Faces,
    *,
    source: str = "<memory>",
) -> RollLog:
    """A frequency table from a mapping of face → count, or (face, count) pairs (a pandas
    Series' items), a face named twice counting twice."""
    table = [0] * faces.k
    pairs = counts.items() if isinstance(counts, Mapping) else counts
    for face, count in pairs:
        try:
            index = _index(faces, face, source)
        except DataError as exc:
            raise DataError(exc.message, path=source, hint=exc.hint) from None
        if not _is_count(count):
            raise DataError(
                _(
                    "count {count_!r} of face {face} is not a whole number ≥ 0",
                    count_=count,
                    face=face,
                ),
                path=source,
            )
        table[index] += int(count)
    if sum(table) == 0:
        raise DataError(_("frequency table whose counts are all zero"), path=source)
    return RollLog(
        source=source,
        sha256=_digest(table, faces),
        column=None,
        format="counts",
        faces=faces,
        counts=tuple(table),
        first_faces=(),
    )

"""A pandas Series is throws or a frequency table: the rule that decides, never a guess.

``rolls`` (a Series of throws) and ``rolls.value_counts()`` (faces in the index,
their counts as values) are both Series of small whole numbers; read the wrong
way, the counts of 20 throws become 6 throws. ``reading`` decides with
``counts=`` unset, in this order (``docs/api.md``, "What a Series is"):

1. a Series indexed by several levels is refused (one die at a time, or a
   DataFrame with ``by=``);
2. named like a count column (``count``, as ``value_counts()`` names its result,
   ``n``, ``frequency``, ``回数``, ``度数``): a frequency table; ``proportion``
   (``value_counts(normalize=True)``) is refused: proportions are not counts;
3. named like a face column (``face``, ``roll``, …, as ``df["face"]`` is): throws;
4. its index named like a face column (``df.groupby("face").size()``): a
   frequency table;
5. the default ``RangeIndex`` (a plain Series, as a list): throws;
6. otherwise by what fits: a frequency table when the index holds distinct faces
   and the values are whole numbers ≥ 0, throws when the values are faces; when
   both fit the Series is refused, naming both readings and ``counts=``; when
   neither does, it is read the way its index suggests, whose error says why.

``counts=True`` and ``counts=False`` choose without the rule. The column names
are those a CSV's header is recognised by (``layout``).
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.errors import DataError, UsageError
from reportgen.faces import Faces, whole_number
from reportgen.read.layout import COUNT_NAMES, FACE_NAMES, key

COUNTS, THROWS = "counts", "log"


def reading(series: Any, faces: Faces, counts: bool | None, source: str) -> str:
    """How a pandas Series is read: ``"counts"`` (a frequency table) or ``"log"`` (throws).

    Parameters
    ----------
    series : pandas.Series
        The data.
    faces : Faces
        The die's faces.
    counts : bool or None
        ``True``/``False`` choose; ``None`` applies the rule of this module.
    source : str
        How errors name the input.

    Raises
    ------
    UsageError
        A Series indexed by several levels, proportions, or one that reads both ways.
    """
    if getattr(series.index, "nlevels", 1) > 1:
        names = ", ".join(str(name) for name in series.index.names)
        raise UsageError(
            f"a Series indexed by several levels ({names}): one die at a time",
            hint="give a DataFrame with a column a level, and by= the group's",
        )
    if counts is not None:
        return COUNTS if counts else THROWS
    by_name = _by_names(series, source)
    if by_name is not None:
        return by_name
    if type(series.index).__name__ == "RangeIndex":
        return THROWS
    return _by_values(series, faces, source)


def _by_names(series: Any, source: str) -> str | None:
    """Steps 2 to 4: what the Series' name and its index's name say, or ``None``."""
    name = _name(series.name)
    if name == "proportion":
        raise UsageError(
            "a Series of proportions (value_counts(normalize=True)), not of counts",
            hint="give value_counts() itself",
        )
    if name in COUNT_NAMES:
        return COUNTS
    if name in FACE_NAMES:
        return THROWS
    if _name(series.index.name) in FACE_NAMES:
        return COUNTS
    return None


def _name(name: object) -> str | None:
    return key(name) if isinstance(name, str) else None


def _by_values(series: Any, faces: Faces, source: str) -> str:
    """Step 6: the reading that fits the index and the values; refused when both do."""
    labels = series.index.tolist()
    values = series.unique().tolist()
    index_faces = len(set(labels)) == len(labels) and all(_is_face(v, faces) for v in labels)
    as_counts = index_faces and all(_is_count(v) for v in values)
    as_throws = all(_is_face(v, faces) for v in values)
    if as_counts and as_throws:
        total = sum(int(v) for v in series)
        raise UsageError(
            f"this Series reads two ways: as a frequency table (its index holds faces, its "
            f"values their counts: {total} throws) or as {len(series)} throws (its values "
            f"are faces)",
            path=source,
            hint="say which: counts=True for the table, counts=False for throws",
        )
    if as_counts or (index_faces and not as_throws):
        return COUNTS
    return THROWS


def _is_face(value: Any, faces: Faces) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return faces.index(str(value))[0] is not None


def _is_count(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0 and float(value).is_integer()


def labels(source: Any, counts: bool | None) -> tuple[str, ...] | None:
    """The faces a frequency table in memory names by its keys, when ``faces=`` is not given.

    A mapping's keys, or the index of a Series read as counts (``counts=True``, or
    by its names: ``value_counts()``), in their order, when every key is a label
    that is not a number (``{"H": 7, "T": 3}``); ``None`` otherwise, and the
    faces stay the default die's (numbers are faces 1..K: give ``faces=``).
    """
    from collections.abc import Mapping

    if isinstance(source, Mapping):
        keys = list(source)
    elif type(source).__module__.split(".")[0] == "pandas" and hasattr(source, "index"):
        if hasattr(source, "columns") or getattr(source.index, "nlevels", 1) > 1:
            return None
        try:
            named = COUNTS if counts else _by_names(source, "<memory>")
        except UsageError:
            return None
        if named != COUNTS:
            return None
        keys = list(source.index)
    else:
        return None
    if len(keys) >= 2 and all(isinstance(k, str) and whole_number(k) is None for k in keys):
        return tuple(keys)
    return None


def counts_error(series: Any, faces: Faces, source: str) -> DataError | None:
    """The error of a Series read as counts whose index is row numbers, not faces, or ``None``.

    ``df["count"]`` keeps the DataFrame's ``RangeIndex``: the faces belong in the
    index. (Any other index that names no face gets the frequency table's own
    error, with its hint: ``a d8? …``.)
    """
    if type(series.index).__name__ != "RangeIndex":
        return None
    bad = [label for label in series.index.tolist() if not _is_face(label, faces)]
    if not bad:
        return None
    return DataError(
        f"a frequency table's index holds the faces, not {bad[0]!r} ({faces.describe()})",
        path=source,
        hint="index it by its faces, e.g. df.set_index('face')['count'], or give counts=False",
    )

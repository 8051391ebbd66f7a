"""One input split by a column (``--split-by``): one ``RollLog`` per value, from one read.

A class's throws often arrive as one export (a Google-Forms sheet:
``タイムスタンプ,氏名,出た目``). ``split_log`` reads it once through the same
checks as any input, tallying every row also in its value's ``Part``
(``table.tally_table``), and gives one ``SplitPart`` per value, in order of first
appearance: its own counts, first throws and checkpoints, named by its value.

A problem in the rows of one value (a bad face, a bad count) fails only that
value's part; a problem of the whole input (its header, an empty cell in the
split column, a row of the wrong width, bytes that are not text) is raised, as
for any input. ``safe_stem`` and ``unique_stems`` make values file names.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.errors import ReportgenError
from reportgen.faces import Faces
from reportgen.options import ReadOptions
from reportgen.read.log import RollLog
from reportgen.read.reader import parse_input, to_log

#: Longest output stem made from a value, in UTF-8 bytes: room for a suffix such as
#: ``-key.pdf`` and a temporary name's, within the 255 bytes most file systems allow.
MAX_STEM_BYTES = 80

#: Characters no file name may hold on some system (Windows' set, and the path separators).
_UNSAFE = re.compile(r'[\\/:*?"<>|]')

#: Names Windows reserves for devices, whatever the extension (``con.pdf`` is the console).
_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)


@dataclass(frozen=True)
class SplitPart:
    """One value's share of an input split by a column.

    Attributes
    ----------
    value : str
        The value as read (Unicode NFKC, surrounding spaces removed); also the
        log's ``name``, how pages name it.
    stem : str
        The value made a file name, unique within the input (``unique_stems``).
    log : RollLog or None
        The value's own log: ``source`` is the input's, ``sha256`` that of the
        header and the value's rows as CSV, ``name`` the value. ``None`` when
        its rows had problems.
    error : ReportgenError or None
        Those problems (one error, or a ``Problems`` listing them), or ``None``.
    """

    value: str
    stem: str
    log: RollLog | None
    error: ReportgenError | None


def split_log(
    source: str | os.PathLike[str],
    faces: Faces,
    split_by: str,
    *,
    column: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    counts: bool = False,
    fileobj: io.BufferedIOBase | None = None,
) -> list[SplitPart]:
    """Read one input once and split it by column ``split_by``.

    Parameters
    ----------
    source : str or path
        A CSV/TSV path, ``-``, a workbook's sheet (``book.xlsx[sheet]``) or a
        one-sheet workbook; ``fileobj`` as for ``read_log``.
    faces, column, encoding, by, counts, fileobj
        As for ``read_log``; ``by`` groups each part's rows again.
    split_by : str
        The column whose values split the rows, found by name as ``--by``'s is.

    Returns
    -------
    list of SplitPart
        One per distinct value, in order of first appearance.

    Raises
    ------
    DataError
        A problem of the whole input: no column ``split_by``, an empty cell in
        it, a bad header or row, bytes that are not text, no rows at all.
    InputError, IOFailure
        As for ``read_log``.
    """
    source = os.fspath(source)
    parsed, _, _, _ = parse_input(
        source,
        faces,
        column=column,
        encoding=encoding,
        by=by,
        counts=counts,
        split=split_by,
        fileobj=fileobj,
    )
    parts = parsed.parts or {}
    stems = unique_stems(list(parts))
    result = []
    for (value, part), stem in zip(parts.items(), stems, strict=True):
        log = None
        if part.error is None:
            tally, digest, groups = part.tally, part.sha256, part.groups
            log = to_log(tally, parsed, source, digest, faces, name=value, by=by, groups=groups)
        result.append(SplitPart(value, stem, log, part.error))
    return result


def load_split(
    source: str | os.PathLike[str],
    options: ReadOptions,
    split_by: str,
    *,
    fileobj: io.BufferedIOBase | None = None,
) -> list[SplitPart]:
    """``split_log`` with the input options of one run (as ``load`` is ``read_log``'s)."""
    return split_log(
        source,
        options.faces,
        split_by,
        column=options.column,
        encoding=options.encoding,
        by=options.by,
        counts=options.counts,
        fileobj=fileobj,
    )


def safe_stem(value: str) -> str:
    """A value made a file name's stem, safe on every common file system.

    Path separators, ``:*?"<>|``, control characters and NUL become ``_``;
    leading dots and dashes (a hidden file, an option) and surrounding spaces
    and trailing dots are removed; a name Windows reserves (``CON``) gets a
    ``_``; a name longer than ``MAX_STEM_BYTES`` UTF-8 bytes is cut at a
    character and ends with 8 hex digits of its SHA-256, so two long values
    stay apart. Nothing left is ``_``. Letters of every script are kept.
    """
    text = unicodedata.normalize("NFC", value)
    text = "".join("_" if unicodedata.category(c).startswith("C") else c for c in text)
    text = _UNSAFE.sub("_", text)
    text = text.strip().lstrip(".-").strip().rstrip(". ")
    if not text:
        return "_"
    if _DEVICES.fullmatch(text):
        text += "_"
    if len(text.encode("utf-8")) > MAX_STEM_BYTES:
        tag = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = text.encode("utf-8")[: MAX_STEM_BYTES - len(tag) - 1].decode("utf-8", "ignore")
        text = f"{cut.rstrip('. ')}-{tag}"
    return text


def unique_stems(values: Sequence[str]) -> list[str]:
    """``safe_stem`` of each value, made unique within the list (``-2``, ``-3``, … added).

    Stems are compared ignoring case, as macOS and Windows file systems do, so
    ``Sato`` and ``sato`` do not write one file.
    """
    used: set[str] = set()
    stems = []
    for value in values:
        stem = base = safe_stem(value)
        n = 1
        while stem.casefold() in used:
            n += 1
            stem = f"{base}-{n}"
        used.add(stem.casefold())
        stems.append(stem)
    return stems

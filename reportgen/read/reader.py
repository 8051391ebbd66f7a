"""The two doors into ``read``: ``read_log`` for one file, ``load`` for anything.

``read_log`` takes the numpy fast path when the input has its simple layout
and otherwise reads it line by line (``text`` → ``rows``), which yields the same
``RollLog`` or the line-numbered error; a workbook's sheet (known by its bytes,
or named ``book.xlsx[sheet]``) is read by ``workbook`` through the same checks.
``parse_input`` and ``to_log`` are its steps, shared with ``split``. ``load``
accepts every source the API does (a path, an open file, a pandas object, a
sequence of throws, a mapping of counts, a ``RollLog``) and sends each to the
reader that fits; a pandas Series is throws or counts by the rule of ``series``.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from reportgen.errors import DataError, ReportgenError, UsageError
from reportgen.faces import Faces
from reportgen.options import ReadOptions
from reportgen.read import memory, series
from reportgen.read.log import KEPT_BYTES, RollLog, Tally, default_name
from reportgen.read.opening import is_url, open_binary
from reportgen.read.rows import tally_rows
from reportgen.read.table import Parsed, tally_table
from reportgen.read.text import display_name, not_text_error, read_text
from reportgen.read.workbook import kind_of, read_sheet, split_source, workbook_stem
from reportgen.say import _

#: What ``load``'s ``source`` may be, in words, for the error message.
SOURCES = (
    "a path, a file, a pandas Series, DataFrame or DataFrameGroupBy, a list or 1-D array of "
    "throws, or a mapping of counts"
)


def read_log(
    source: str | os.PathLike[str],
    faces: Faces,
    *,
    column: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    counts: bool = False,
    fileobj: io.BufferedIOBase | None = None,
) -> RollLog:
    """Read one roll log or frequency table and validate every row.

    Parameters
    ----------
    source : str or path
        A CSV/TSV path (gzip-compressed or not) or ``-`` for standard input.
    faces : Faces
        The die's faces; a cell naming any other face is an error.
    column : str, optional
        The face column's header; found by name when not given.
    encoding : str, optional
        Text encoding of the input; detected from its first bytes when not given
        (a byte-order mark, else UTF-8, else cp932; see ``text.detect_encoding``).
    by : str, optional
        Header of a group column (``--by``): counts are also kept per group.
    counts : bool
        The input is a frequency table (``--counts``) even if its count column
        has none of the recognised names.
    fileobj : binary file, optional
        Read the bytes from this open file instead of opening ``source``, which
        then only names the input (e.g. a URL opened with fsspec on a Dask
        worker). It is read to its end and left open.

    Raises
    ------
    DataError
        A bad cell, an empty log, a missing column, bytes that are not text.
        Several bad rows come as one ``Problems`` error listing them.
    InputError
        The input does not exist or cannot be opened.
    IOFailure
        Reading failed part way.
    """
    source = os.fspath(source)
    kept = _small_file(source) if fileobj is None else None
    if fileobj is None and column is None and encoding is None and by is None and not counts:
        from reportgen.read.fastcount import count_simple_log  # numpy over the raw bytes

        fast = count_simple_log(source, faces, kept)  # None: not the simple layout, read below
        if fast is not None:
            return replace(fast, stored=kept)
    opened = io.BytesIO(kept) if kept is not None else fileobj  # a small file is read once
    parsed, digest, name, stored = parse_input(
        source, faces, column=column, encoding=encoding, by=by, counts=counts, fileobj=opened
    )
    log = to_log(parsed.total, parsed, source, digest, faces, name=name, by=by)
    return replace(log, stored=stored)


def _small_file(source: str) -> bytes | None:
    """The bytes of a regular file (or a URL's object) of at most ``KEPT_BYTES`` (``None``:
    stdin, a sheet, a FIFO (opened once, by the reader), a large file, or one that cannot be
    opened, whose error the reader words)."""
    if source == "-" or (not is_url(source) and not os.path.isfile(source)):
        return None
    try:
        with open_binary(source) as handle:
            size = _size(handle)
            if size is None or size > KEPT_BYTES:
                return None
            data = handle.read(KEPT_BYTES + 1)
    except (OSError, ReportgenError):
        return None
    return data if len(data) <= KEPT_BYTES else None


def parse_input(
    source: str,
    faces: Faces,
    *,
    column: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    counts: bool = False,
    split: str | None = None,
    fileobj: io.BufferedIOBase | None = None,
) -> tuple[Parsed, str, str, bytes | None]:
    """The rows of one input checked and tallied: ``(parsed, sha256, name, stored)``.

    A workbook's sheet (``book.xlsx[sheet]``, or a workbook's only sheet) is
    read by ``workbook``, a text log by ``text`` and ``rows``; ``name`` is how
    pages name the input (the sheet, the workbook's stem, or the file's name);
    ``stored`` is what a PDF carries of it: a small file's bytes (``fileobj``,
    when it holds them), a sheet's cells as the CSV its digest is of.
    The options are ``read_log``'s; ``split`` names a column to split by.
    """
    path, sheet = split_source(source)
    kind = "xlsx" if sheet is not None else kind_of(source, fileobj)
    if kind == "xlsx":

        def tally(shown: str, rows: Iterator[tuple[int, list[str]]], cells: Any) -> Parsed:
            return tally_table(
                shown, rows, faces, column, by=by, split=split, force_counts=counts, cell_name=cells
            )

        parsed, digest, read, cells = read_sheet(path, sheet, tally, fileobj=fileobj)
        return parsed, digest, read if sheet is not None else workbook_stem(path), cells
    if kind is not None:
        raise not_text_error(kind, display_name(source))

    def parse(shown: str, lines: Iterable[str]) -> Any:
        return tally_rows(
            shown, iter(lines), faces, column, by=by, split=split, force_counts=counts
        )

    parsed, digest = read_text(source, parse, encoding=encoding, fileobj=fileobj)
    stored = fileobj.getvalue() if isinstance(fileobj, io.BytesIO) else None
    return parsed, digest, default_name(source), stored


def to_log(
    tally: Tally,
    parsed: Parsed,
    source: str,
    digest: str,
    faces: Faces,
    *,
    name: str,
    by: str | None,
    groups: dict[str, Tally] | None = None,
) -> RollLog:
    """The ``RollLog`` of one tally (a whole input's, or a split part's) and its ``--by`` groups."""
    log = replace(tally.log(source, digest, parsed.column, parsed.format, faces), name=name)
    groups = parsed.groups if groups is None else groups
    if by is None or groups is None:
        return log
    return replace(
        log,
        by=by,
        groups=tuple(
            (group, tally.log(source, digest, parsed.column, parsed.format, faces))
            for group, tally in groups.items()
        ),
    )


def _size(handle: Any) -> int | None:
    """The size of an open regular file or fsspec object; ``None`` for anything else."""
    try:
        info = os.fstat(handle.fileno())
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        size = getattr(handle, "size", None)  # an fsspec object's
        return size if isinstance(size, int) else None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def load(
    source: Any,
    options: ReadOptions,
    *,
    name: str | None = None,
    fileobj: io.BufferedIOBase | None = None,
) -> RollLog:
    """The ``RollLog`` of any source, read with the input options of one run.

    ``source`` is a path (``-`` for standard input), an open file, a pandas
    ``Series``, ``DataFrame`` or ``DataFrameGroupBy``, a sequence (or 1-D array)
    of throws, a mapping face → count, or a ``RollLog`` (returned as it is).
    ``name`` names an in-memory source (default ``<memory>``); with ``fileobj``,
    the bytes come from that open file and ``source`` only names it. An array
    of another shape than 1-D is refused (``UsageError``).
    """
    label = name or "<memory>"
    if isinstance(source, RollLog):
        return source
    if isinstance(source, str | os.PathLike):
        return _read(source, options, fileobj)
    if isinstance(source, io.IOBase) or hasattr(source, "read"):
        return _from_file(source, options, name)
    kind = type(source).__module__.split(".")[0]
    if kind == "pandas":
        return _from_pandas(source, options, label)
    if isinstance(source, Mapping):
        return memory.from_counts(source, options.faces, source=label)
    shape = getattr(source, "shape", None)
    if getattr(source, "ndim", 1) != 1 and isinstance(shape, tuple):
        raise UsageError(
            f"cannot analyse an array of shape {shape}: give a 1-D array of throws",
            hint="array.ravel() if every cell is a throw; or a DataFrame with a face column",
        )
    if isinstance(source, Iterable) and not isinstance(source, bytes | bytearray):
        return memory.from_throws(source, options.faces, source=label)
    raise UsageError(
        _("cannot analyse a {name}: give {SOURCES}", name=type(source).__name__, SOURCES=SOURCES)
    )


def _read(
    source: str | os.PathLike[str], options: ReadOptions, fileobj: io.BufferedIOBase | None = None
) -> RollLog:
    return read_log(
        source,
        options.faces,
        column=options.column,
        encoding=options.encoding,
        by=options.by,
        counts=options.counts,
        fileobj=fileobj,
    )


def _from_file(handle: Any, options: ReadOptions, name: str | None) -> RollLog:
    """An open file goes through the same reader as a path, via a private temporary copy.

    A file opened in binary mode from a path keeps its bytes (``RollLog.stored``),
    as a path would; text and in-memory files keep none.
    """
    data = handle.read()
    binary = isinstance(data, bytes)
    if not binary:
        data = data.encode(options.encoding or "utf-8")
    opened_from = getattr(handle, "name", None)
    label = name or opened_from or "<file>"
    with tempfile.TemporaryDirectory(prefix="reportgen-") as folder:
        path = os.path.join(folder, "input")
        with open(path, "wb") as copy:
            copy.write(data)
        try:
            log = _read(path, options)
        except ReportgenError as exc:
            raise _named(exc, path, str(label)) from None
    from_a_path = binary and name is None and isinstance(opened_from, str)
    return replace(_renamed(log, str(label)), stored=log.stored if from_a_path else None)


def _named(error: ReportgenError, path: str, label: str) -> ReportgenError:
    """``error`` naming the input by ``label``, not by the private copy at ``path``."""
    for each in [error, *getattr(error, "shown", ()), getattr(error, "stopped", None)]:
        if each is not None and each.path == path:
            each.path = label
    return error


def _from_pandas(source: Any, options: ReadOptions, label: str) -> RollLog:
    """A DataFrame (or its ``groupby``) is read as the CSV it stands for; a Series is
    throws or a frequency table (``series.reading``)."""
    if type(source).__name__ == "DataFrameGroupBy":
        source, options = _ungrouped(source, options)
    if hasattr(source, "columns"):  # a DataFrame: write it as the CSV it stands for
        if type(source.index).__name__ != "RangeIndex" and source.index.name not in source:
            source = source.reset_index()  # the faces of value_counts().to_frame()
        buffer = io.StringIO()
        source.to_csv(buffer, index=False)
        text = buffer.getvalue()
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: no text file could hold it
            line = text.count("\n", 0, exc.start) + 1
            raise DataError(
                _("lone surrogate {value!r} in the text: not a text value", value=text[exc.start]),
                path=label,
                line=line,
            ) from None
        return replace(_from_file(io.BytesIO(data), options, label), stored=None)
    if series.reading(source, options.faces, options.counts, label) == series.COUNTS:
        error = series.counts_error(source, options.faces, label)
        if error is not None:
            raise error
        return memory.from_counts(list(source.items()), options.faces, source=label)
    log = memory.from_throws(source.tolist(), options.faces, source=label)
    column = source.name if isinstance(source.name, str) else None
    return _renamed(log, label, column=column)


def _ungrouped(grouped: Any, options: ReadOptions) -> tuple[Any, ReadOptions]:
    """``df.groupby("die")``: the DataFrame, read with ``by="die"`` (the comparison of
    ``--by``: one full result per group, the test of homogeneity, Holm's verdicts)."""
    keys, frame = grouped.keys, grouped.obj
    if not isinstance(keys, str) or keys not in getattr(frame, "columns", ()):
        raise UsageError(
            f"cannot analyse a groupby by {keys!r}: group by one column's name",
            hint="df.groupby('die'), or the DataFrame with by='die'",
        )
    if options.by is not None and options.by != keys:
        raise UsageError(f"by={options.by!r} and a groupby by {keys!r}: give the groups once")
    return frame, replace(options, by=keys)


def _renamed(log: RollLog, source: str, **changes: Any) -> RollLog:
    changes["name"] = default_name(source)
    groups = tuple((g, replace(sub, source=source, **changes)) for g, sub in log.groups)
    return replace(log, source=source, groups=groups, **changes)

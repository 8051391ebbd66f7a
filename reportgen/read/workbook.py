"""Excel workbooks (``.xlsx``): each sheet a table whose cells are read as a CSV's are.

A workbook is known by its bytes (a zip holding ``xl/workbook.xml``), whatever
its name. openpyxl reads it in read-only mode, imported only when a workbook is
read. Each cell becomes the text a CSV would hold (``cell_text``: 3.0 is ``3``,
a date ``2026-01-03``), and the rows go through the same checks as a CSV's
(``table.tally_table``), so the same headers, faces, frequency tables and
``--by`` groups are read, and errors name the sheet and the cell:
``class.xlsx[佐藤]:B17: face '7' is not one of 1..6 (…)``.

A sheet is an input of its own, named ``book.xlsx[sheet]`` (``sheet_source``).
Its SHA-256 is that of its cells as CSV (``table.csv_line`` per non-blank row),
not of the file, whose bytes change on every save: the same cells give the same
digest, the same JSON and the same PDF.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import DataError, InputError
from reportgen.faces import show_cell
from reportgen.read.log import default_name
from reportgen.read.opening import open_binary
from reportgen.read.table import CsvDigest, csv_line
from reportgen.read.text import OLE2_MAGIC, ZIP_MAGIC, display_name
from reportgen.say import _

#: A sheet named as an input: ``class.xlsx[佐藤]`` (Excel forbids ``[`` and ``]`` in sheet names).
_SHEET_SOURCE = re.compile(r"(.+)\[([^\[\]]+)\]", re.DOTALL)

#: A formula in a sheet's XML: ``<f>``, ``<f t="shared" …/>``, with or without a prefix.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")

_DAMAGED = (zipfile.BadZipFile, KeyError, ValueError, EOFError)


def sheet_source(path: str, sheet: str) -> str:
    """How one sheet of a workbook is named as an input: ``class.xlsx[佐藤]``."""
    return f"{path}[{sheet}]"


def workbook_stem(path: str) -> str:
    """How a one-sheet workbook is named: its file name without the extension (``class``)."""
    name = default_name(path)
    return Path(name).stem or name


def split_source(source: str) -> tuple[str, str | None]:
    """The workbook and sheet a source names, or ``(source, None)`` when it names a file.

    ``class.xlsx[佐藤]`` is sheet ``佐藤`` of ``class.xlsx`` when no file is called
    ``class.xlsx[佐藤]`` and ``class.xlsx`` is a file (or a URL).
    """
    match = _SHEET_SOURCE.fullmatch(source)
    if match is None or "://" not in source and os.path.lexists(source):
        return source, None
    path, sheet = match.groups()
    if "://" in path or os.path.isfile(path):
        return path, sheet
    return source, None


def kind_of(source: str, fileobj: Any = None) -> str | None:
    """What a file that is no text is, by its bytes: ``xlsx``, ``xls``, ``ods``, ``zip`` or None.

    A file that cannot be opened is ``None`` (reading it reports why), as is anything
    that is not a regular file (a FIFO or a device is read as a stream, never sniffed);
    ``fileobj`` is looked at only when it can seek back.
    """
    try:
        if fileobj is not None:
            if not fileobj.seekable():
                return None
            head = fileobj.read(len(OLE2_MAGIC))
            fileobj.seek(0)
            return _kind(head, fileobj)
        if source == "-" or not os.path.isfile(source):
            return None
        with open(source, "rb") as handle:
            return _kind(handle.read(len(OLE2_MAGIC)), handle)
    except OSError:
        return None


def _kind(head: bytes, handle: Any) -> str | None:
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and b"spreadsheet" in archive.read("mimetype"):
                return "ods"
    except _DAMAGED:
        pass
    finally:
        handle.seek(0)
    return "zip"


@dataclass(frozen=True)
class Sheets:
    """The sheets of a workbook: those holding cells, in workbook order, and those skipped.

    Attributes
    ----------
    path : str
        The workbook.
    logs : tuple of str
        Names of the sheets that hold at least one cell.
    skipped : tuple of (str, str)
        Each sheet not read, with why: an empty sheet, a chart sheet, a hidden sheet.
    """

    path: str
    logs: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]


def list_sheets(path: str, fileobj: Any = None) -> Sheets:
    """The sheets of workbook ``path`` that hold cells, and those skipped (with why).

    Raises
    ------
    DataError
        The file is not a readable workbook.
    InputError
        It cannot be opened.
    """
    logs: list[str] = []
    skipped: list[tuple[str, str]] = []
    with _Workbook(path, fileobj) as book:
        sheets = {ws.title: ws for ws in book.values.worksheets}
        for name in book.values.sheetnames:
            ws = sheets.get(name)
            if ws is None:
                skipped.append((name, _("a chart sheet")))
            elif ws.sheet_state != "visible":
                skipped.append((name, _("a hidden sheet")))
            elif _holds_cells(ws):
                logs.append(name)
            else:
                skipped.append((name, _("an empty sheet")))
    return Sheets(path, tuple(logs), tuple(skipped))


def read_sheet(
    path: str,
    sheet: str | None,
    tally: Callable[[str, Iterator[tuple[int, list[str]]], Callable[[int, int], str]], Any],
    *,
    fileobj: Any = None,
) -> tuple[Any, str, str, bytes | None]:
    """``tally(shown, rows, cell_name)`` over one sheet's rows; with the sheet's digest and name.

    Parameters
    ----------
    path : str
        The workbook (it only names the input when ``fileobj`` is given).
    sheet : str or None
        The sheet; ``None``: the workbook's only sheet holding cells.
    tally : callable
        Reads the rows (``table.tally_table`` with the run's options).
    fileobj : binary file, optional
        The workbook's bytes, seekable.

    Returns
    -------
    tuple
        What ``tally`` returned, the sheet's SHA-256 (of its cells as CSV), the
        sheet's name, and its cells as that CSV when it is small enough to keep.

    Raises
    ------
    DataError
        A bad cell, an empty sheet, a formula without a saved value, a damaged workbook.
    InputError
        No such file, or no such sheet.
    """
    if sheet is None:
        sheet = only_sheet(path, fileobj)
    with _Workbook(path, fileobj, formulas=True) as book:
        shown = sheet_source(display_name(path), sheet)
        if sheet not in book.names():
            raise InputError(
                _("no sheet named '{show_cell}'", show_cell=show_cell(sheet)),
                path=display_name(path),
                hint="sheets: " + ", ".join(book.names()),
            )
        rows = SheetRows(shown, book.values[sheet], book.formulas_of(sheet))
        first = next(iter_rows := iter(rows), None)
        if first is None:
            raise DataError(_("empty sheet: it holds no throws"), path=shown)
        parsed = tally(shown, _chain(first, iter_rows), rows.cell_name)
    return parsed, rows.sha256, sheet, rows.stored


def only_sheet(path: str, fileobj: Any = None) -> str:
    """The one sheet holding cells, or ``DataError`` when none or several do."""
    sheets = list_sheets(path, fileobj)
    if len(sheets.logs) == 1:
        return sheets.logs[0]
    shown = display_name(path)
    if not sheets.logs:
        raise DataError(_("empty workbook: no sheet holds a cell"), path=shown)
    raise DataError(
        _(
            "a workbook of {len} sheets with data: each is an input of its own",
            len=len(sheets.logs),
        ),
        path=shown,
        hint=_("read one as {sheet_source}", sheet_source=sheet_source(shown, sheets.logs[0])),
    )


def sheet_csv(source: str) -> bytes:
    """One sheet's cells as the CSV its SHA-256 is of (for a PDF to carry)."""
    path, sheet = split_source(source)
    with _Workbook(path, None) as book:
        rows = SheetRows(source, book.values[sheet or only_sheet(path)], None)
        return b"".join(csv_line(row) for _, row in rows)


class _Workbook:
    """An open workbook: its cells' values, and its formulas when it has any (``formulas``).

    A path is opened once for each; a ``fileobj``'s bytes are read once into memory.
    """

    def __init__(self, path: str, fileobj: Any, formulas: bool = False) -> None:
        self.path = path
        self.data: bytes | None = None if fileobj is None else _read_all(fileobj)
        self.want_formulas = formulas
        self.values: Any = None
        self.formulas: Any = None
        self._handles: list[Any] = []

    def __enter__(self) -> _Workbook:
        try:
            self.values = self._load(data_only=True)
            if self.want_formulas and _has_formulas(self._open()):
                self.formulas = self._load(data_only=False)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        for book in (self.values, self.formulas):
            if book is not None:
                book.close()
        for handle in self._handles:
            handle.close()

    def _open(self) -> Any:
        handle = open_binary(self.path) if self.data is None else io.BytesIO(self.data)
        self._handles.append(handle)
        return handle

    def _load(self, data_only: bool) -> Any:
        import openpyxl

        handle = self._open()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl's notes on styles and extensions
                return openpyxl.load_workbook(handle, read_only=True, data_only=data_only)
        except (*_DAMAGED, OSError, TypeError) as exc:
            raise DataError(
                _("a damaged workbook ({name}: {exc})", name=type(exc).__name__, exc=exc),
                path=display_name(self.path),
                hint=_("open it in Excel and save it again"),
            ) from None

    def names(self) -> list[str]:
        """The worksheets' names (chart sheets have no cells)."""
        return [ws.title for ws in self.values.worksheets]

    def formulas_of(self, sheet: str) -> Any:
        return None if self.formulas is None else self.formulas[sheet]


def _read_all(fileobj: Any) -> bytes:
    fileobj.seek(0)
    return fileobj.read()


def _has_formulas(handle: Any) -> bool:
    """Whether any worksheet of the workbook holds a formula (a scan of its XML)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as part:
                        tail = b""
                        while data := part.read(1 << 20):
                            if _FORMULA.search(tail + data):
                                return True
                            tail = data[-16:]
    except _DAMAGED:
        return False
    finally:
        handle.seek(0)
    return False


def _chain(first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]) -> Iterator:
    yield first
    yield from rest


def _holds_cells(sheet: Any) -> bool:
    """Whether a sheet holds any cell with a value (read until the first one)."""
    sheet.reset_dimensions()  # a writer's <dimension ref="A1"/> must not hide the rows below
    return any(
        cell.value is not None and cell.value != "" for row in sheet.iter_rows() for cell in row
    )


class SheetRows:
    """A sheet's non-blank rows as text, each with its row number, hashed as they pass.

    Columns are counted from the first row's first cell (a table may start in
    column B); a later cell left of it is an error, so nothing is left unread.
    Trailing empty cells are dropped. A formula without a saved value is an
    error naming its cell: its value is not in the file.
    """

    def __init__(self, shown: str, values: Any, formulas: Any) -> None:
        self.shown, self.values, self.formulas = shown, values, formulas
        self.offset: int | None = None  # index of the table's first column
        self._digest = CsvDigest()

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        self.values.reset_dimensions()  # a wrong <dimension> must not hide cells
        rows = self.values.iter_rows()
        if self.formulas is None:
            pairs: Iterator[tuple[Any, Any]] = ((row, None) for row in rows)
        else:
            self.formulas.reset_dimensions()
            pairs = zip(rows, self.formulas.iter_rows(), strict=False)
        for row, formulas in pairs:
            texts = self._texts(row, formulas)
            if texts is None:
                continue
            number, cells = texts
            self._digest.add(cells)
            yield number, cells

    def _texts(self, row: tuple[Any, ...], formulas: Any) -> tuple[int, list[str]] | None:
        """A row's row number and cells as text, from the table's first column; None if blank."""
        texts = [cell_text(cell.value, cell.data_type) for cell in row]
        if formulas is not None:
            self._check_formulas(row, formulas)
        while texts and not texts[-1].strip():
            texts.pop()
        if not texts:
            return None
        number = next(cell.row for cell in row if getattr(cell, "row", None) is not None)
        if self.offset is None:
            self.offset = next(i for i, text in enumerate(texts) if text.strip())
        left = next((i for i, t in enumerate(texts[: self.offset]) if t.strip()), None)
        if left is not None:
            raise DataError(
                _(
                    "a cell left of the table, which starts in column {column_letter}",
                    column_letter=column_letter(self.offset),
                ),
                path=self.shown,
                line=f"{column_letter(left)}{number}",
                hint=_("move it into the table, or start the table further left"),
            )
        return number, texts[self.offset :]

    def _check_formulas(self, row: tuple[Any, ...], formulas: tuple[Any, ...]) -> None:
        for cell, formula in zip(row, formulas, strict=False):
            if formula.data_type == "f" and cell.value is None:
                raise DataError(
                    _(
                        "formula '{show_cell}' has no saved value",
                        show_cell=show_cell(str(formula.value)),
                    ),
                    path=self.shown,
                    line=formula.coordinate,
                    hint=_(
                        "open the workbook in Excel or LibreOffice and save it: that stores each "
                        "formula's value"
                    ),
                )

    def cell_name(self, row: int, column: int) -> str:
        """The cell at ``row`` and table column ``column`` (0-based), as Excel names it: ``B17``."""
        return f"{column_letter((self.offset or 0) + column)}{row}"

    @property
    def sha256(self) -> str:
        """SHA-256 of the rows read so far as CSV: the sheet's, once all are read."""
        return self._digest.hexdigest()

    @property
    def stored(self) -> bytes | None:
        """The rows as that CSV, if small enough to keep (``read.log.KEPT_BYTES``)."""
        return self._digest.stored


def column_letter(index: int) -> str:
    """Excel's name of the column at 0-based ``index``: A, B, …, Z, AA, …"""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def cell_text(value: Any, data_type: str = "n") -> str:
    """A cell's value as the text a CSV would hold.

    A whole number stored as a float (``3.0``) is ``3``; other numbers as Python
    writes them (``3.5``); a date ``2026-01-03``, a date and time ``2026-01-03
    10:15:00``; ``TRUE``/``FALSE``; an error value as Excel shows it (``#N/A``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = _whole_seconds(value)
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _whole_seconds(value: datetime.datetime) -> datetime.datetime:
    """A time that a float serial left a hair off a whole second, put back on it."""
    micro = value.microsecond
    if micro and (micro < 1000 or micro > 999_000):
        value = value.replace(microsecond=0)
        if micro > 999_000:
            value += datetime.timedelta(seconds=1)
    return value

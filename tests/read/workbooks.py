"""Real .xlsx files for the reading tests, written with openpyxl as a teacher's Excel holds them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl


def write_book(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    *,
    saved: Mapping[str, str] | None = None,
    creator: str = "reportgen tests",
) -> Path:
    """A workbook with one sheet per entry, rows appended from A1 (``None``: an empty cell).

    ``saved`` gives formulas (as written, without ``=``) the value Excel would
    have saved with them: openpyxl writes formulas with no saved value at all.
    """
    book = openpyxl.Workbook()
    book.properties.creator = creator
    for i, (title, rows) in enumerate(sheets.items()):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    if saved:
        _save_formula_values(path, saved)
    return path


def _save_formula_values(path: Path, saved: Mapping[str, str]) -> None:
    """Give formulas the ``<v>`` Excel writes beside them (openpyxl leaves it empty)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            if info.filename.startswith("xl/worksheets/"):
                for formula, value in saved.items():
                    pattern = re.escape(f"<f>{formula}</f><v />".encode())
                    data = re.sub(pattern, f"<f>{formula}</f><v>{value}</v>".encode(), data)
            archive.writestr(info, data)
    path.write_bytes(out.getvalue())

"""Write the input battery, ``tests/e2e/battery/``: real small files, odd and bad.

The files are committed; this script documents how each was made and rewrites
them all: ``python tests/e2e/make_battery.py``. Their expected outcomes are the
table in ``tests/e2e/test_battery.py``. The workbook is written with openpyxl and
its zip entries dated 2026-01-01, so a rerun writes the same bytes.
"""

from __future__ import annotations

import codecs
import gzip
import io
import random
import re
import zipfile
from pathlib import Path

BATTERY = Path(__file__).resolve().parent / "battery"

#: The throws of every good file: the same log written many ways.
THROWS = [4, 2, 6, 1, 3, 3, 5, 2, 6, 4, 1, 1, 5, 6, 2, 3, 4, 4, 6, 5, 2, 1, 3, 6, 6, 4, 5, 2, 1, 3]


def _log(header: str = "face", throws=THROWS, end: str = "\n") -> str:
    return end.join([header, *map(str, throws)]) + end


#: A good row of 70 bytes, to fill a file past the head without thousands of lines.
_PADDED = b"1," + b"n" * 67 + b"\n"


def _random_log(n: int) -> str:
    rng = random.Random(1)
    return "face\n" + "".join(f"{rng.randint(1, 6)}\n" for _ in range(n))


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _xlsx(rows: list[list[object]]) -> bytes:
    """A one-sheet workbook holding ``rows``, with fixed dates (same bytes every run)."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    made = io.BytesIO()
    book.save(made)
    fixed = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, data)
    return fixed.getvalue()


def _typo_among_many() -> bytes:
    throws = list(THROWS)
    throws[16] = 7  # line 18
    return _log(throws=throws).encode()


def _d8_log() -> bytes:
    rng = random.Random(8)
    return _log(throws=[rng.randint(1, 8) for _ in range(30)]).encode()


def files() -> dict[str, bytes]:
    plain = _log()
    full_width = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in plain)
    out: dict[str, bytes] = {
        # --- good but odd: each must give the plain file's result -------------------
        "plain.csv": plain.encode(),
        "bom_utf8.csv": codecs.BOM_UTF8 + plain.encode(),
        "cp932_deta_me.csv": _log("出た目").replace("4", "４").encode("cp932"),
        "utf8_me.csv": _log("目").encode(),
        "utf16le_bom.csv": plain.encode("utf-16"),  # the platform's order: LE with BOM
        "utf16be_bom.csv": codecs.BOM_UTF16_BE + plain.encode("utf-16-be"),
        "full_width_spaces.csv": "\n".join(
            f"  {line} " if i else line for i, line in enumerate(full_width.splitlines())
        ).encode()
        + b"\n",
        "crlf.csv": _log(end="\r\n").encode(),
        "cr.csv": _log(end="\r").encode(),
        "tab.tsv": (
            "throw\tface\n" + "".join(f"{i}\t{t}\n" for i, t in enumerate(THROWS, 1))
        ).encode(),
        "semicolon.csv": (
            "throw;face;note\n" + "".join(f"{i};{t};ok\n" for i, t in enumerate(THROWS, 1))
        ).encode(),
        "quoted.csv": (
            'throw,"face",note\n'
            + "".join(
                f'{i},"{t}","a, b"\n' if i != 3 else f'{i},"{t}","spans\nthree\nlines"\n'
                for i, t in enumerate(THROWS, 1)
            )
        ).encode(),
        "plain.csv.gz": _gzip(plain.encode()),
        "float_faces.csv": _log(throws=[f"{t}.0" for t in THROWS]).encode(),
        "headerless.csv": "\n".join(map(str, THROWS)).encode() + b"\n",
        "blank_lines.csv": plain.replace("\n1\n", "\n\n1\n\n   \n", 2).encode() + b"\n\n",
        "blank_rows_multi.csv": (
            "throw,face\n" + "".join(f"{i},{t}\n,\n" for i, t in enumerate(THROWS, 1))
        ).encode(),
        "other_columns.csv": (
            "throw,die,face,timestamp\n"
            + "".join(f"{i},red,{t},2026-11-27T10:{i:02d}\n" for i, t in enumerate(THROWS, 1))
        ).encode(),
        "column_option.csv": (
            "throw,score\n" + "".join(f"{i},{t}\n" for i, t in enumerate(THROWS, 1))
        ).encode(),
        "html_cells.csv": (
            "throw,face,note\n"
            + "".join(
                f'{i},{t},"<script>alert(1)</script><img src=""file:///etc/passwd"">"\n'
                for i, t in enumerate(THROWS, 1)
            )
        ).encode(),
        # --- bad: each gives one clear line and its exit status -----------------------
        "empty.csv": b"",
        "header_only.csv": b"face\n",
        "only_blank_lines.csv": b"\n\n  \n\n",
        "face_0.csv": b"face\n1\n0\n2\n",
        "face_7.csv": b"face\n1\n2\n7\n",
        "face_minus_1.csv": b"face\n1\n-1\n",
        "face_typeset_minus_1.csv": "face\n1\n2\n\u22121\n".encode(),
        "face_3_5.csv": b"face\n3.5\n",
        "nan.csv": b"face\n1\nNaN\n",
        "na.csv": b"face\n1\n2\nNA\n",
        "empty_cell.csv": b"throw,face\n1,3\n2,\n3,4\n",
        "huge_integer.csv": b"face\n99999999999999999999\n",
        "words.csv": b"face\n1\nfour\n",
        "formula.csv": b"face\n2\n=1+2\n",
        "script_cell.csv": b"face\n1\n<script>alert(1)</script>\n",
        "extra_column.csv": b"throw,face\n1,2\n2,3,x\n3,4\n",
        "missing_column.csv": b"throw,face\n1,2\n2,3\n3\n",
        "duplicate_face_columns.csv": b"face,face\n1,2\n",
        "ambiguous_face_columns.csv": b"throw,roll,result\n1,2,3\n",
        "no_face_column.csv": b"throw,score\n1,2\n",
        "unterminated_quote.csv": b'face\n1\n"2\n3\n4\n',
        "text_after_quote.csv": b'face\n1\n"2"x\n',
        "multiline_then_bad.csv": b'throw,face,note\n1,2,"one\ntwo\nthree"\n2,9,ok\n',
        "bad_row_spanning_lines.csv": b'throw,face,note\n1,2,ok\n2,"\n8",ok\n',
        "nul_bytes.csv": b"face\n1\n2\x003\n",
        "control_character.csv": b"face\n1\n\x1b[31m2\n",
        "random_binary.csv": random.Random(20261127).randbytes(512),
        "truncated.csv.gz": _gzip(_random_log(20000).encode())[:9000],
        "not_gzip.csv.gz": b"\x1f\x8b\x08\x00garbage-not-deflate",
        "utf16le_no_bom.csv": plain.encode("utf-16-le"),
        "mixed_encodings.csv": "出た目\n1\n".encode() + "２\n".encode("cp932"),
        # past the 64 KiB the encoding is decided on: 1000 rows of 70 bytes
        "mixed_encodings_late.csv": b"face,note\n" + _PADDED * 1000 + "２,x\n".encode("cp932"),
        "not_utf8_nor_cp932.csv": b"face\n1\n\x80\xff\n",
        "many_bad_rows.csv": b"face\n" + b"1\n" + b"9\n" * 20 + b"2\n",
        "bad_rows_then_bad_bytes.csv": (
            b"face,note\n" + b"x,a\n" * 7 + _PADDED * 1000 + b"\xff,x\n"
        ),
        "labels_unknown.csv": b"face\nH\nT\nX\n",
        # --- what the data say (issue 25): a typo, a larger die, a row typed across ------
        "typo_among_many.csv": _typo_among_many(),
        "d8_as_d6.csv": _d8_log(),
        "one_row.csv": (",".join(map(str, THROWS)) + "\n").encode(),
        "one_row_under_header.csv": ("face\n" + ",".join(map(str, THROWS)) + "\n").encode(),
        # --- workbooks: known by their bytes, whatever the name --------------------------
        "xlsx_as.csv": _xlsx([["face"], *([t] for t in THROWS)]),
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    }
    return out


def main() -> None:
    BATTERY.mkdir(exist_ok=True)
    for old in BATTERY.iterdir():
        if old.is_file():
            old.unlink()
    for name, data in files().items():
        (BATTERY / name).write_bytes(data)


if __name__ == "__main__":
    main()

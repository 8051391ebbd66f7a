"""Excel workbooks read as their CSVs are: real .xlsx files written with openpyxl here.

Every count is checked against one done in the test from the values written;
every digest against the CSV text the test builds from them.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import random
import subprocess
import sys
from collections import Counter

import pytest

from reportgen.errors import DataError, InputError, Problems
from reportgen.faces import parse_faces
from reportgen.read import read_log
from reportgen.read.log import FIRST_THROWS
from reportgen.read.sources import list_inputs
from reportgen.read.workbook import cell_text, column_letter, list_sheets, split_source
from tests.conftest import ROOT
from tests.read.workbooks import write_book

D6 = parse_faces(6)
STUDENTS = ("佐藤", "鈴木", "高橋")


def _throws(seed: int, n: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(1, 6) for _ in range(n)]


def _counts(throws: list[int]) -> tuple[int, ...]:
    seen = Counter(throws)
    return tuple(seen[face] for face in range(1, 7))


def _csv_digest(lines: list[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode()).hexdigest()


@pytest.fixture
def class_book(tmp_path):
    """One sheet per student (出た目 column, throw numbers beside), and an empty sheet."""
    sheets = {}
    for i, name in enumerate(STUDENTS):
        throws = _throws(i, 25 + 5 * i)
        sheets[name] = [["回", "出た目"], *([j, t] for j, t in enumerate(throws, 1))]
    sheets["メモ"] = []
    return write_book(tmp_path / "class.xlsx", sheets), sheets


def test_one_sheet_per_student_is_one_log_per_sheet(class_book) -> None:
    path, sheets = class_book
    listed = list_inputs([str(path)])
    assert [item.source for item in listed.inputs] == [f"{path}[{name}]" for name in STUDENTS]
    assert [item.name for item in listed.inputs] == list(STUDENTS)
    assert [str(s) for s in listed.skipped] == [f"{path}[メモ]: not read (an empty sheet)"]
    for item, name in zip(listed.inputs, STUDENTS, strict=True):
        throws = [row[1] for row in sheets[name][1:]]
        log = read_log(item.source, D6)
        assert (log.name, log.source, log.column) == (name, item.source, "出た目")
        assert log.counts == _counts(throws)
        assert log.first_faces == tuple(t - 1 for t in throws[:FIRST_THROWS])
        assert log.checkpoints[-1] == (len(throws), _counts(throws))
        lines = ["回,出た目", *(f"{j},{t}" for j, t in enumerate(throws, 1))]
        assert log.sha256 == _csv_digest(lines)


def test_a_one_sheet_workbook_is_named_by_its_stem(tmp_path) -> None:
    throws = _throws(7, 40)
    path = write_book(tmp_path / "2年3組.xlsx", {"Sheet1": [["face"], *([t] for t in throws)]})
    listed = list_inputs([str(path)])
    assert [(i.source, i.name, i.stem) for i in listed.inputs] == [(str(path), "2年3組", "2年3組")]
    log = read_log(path, D6)
    assert (log.name, log.counts) == ("2年3組", _counts(throws))


def test_the_digest_is_the_cells_not_the_files_bytes(tmp_path) -> None:
    rows = [["face"], *([t] for t in _throws(3, 30))]
    one = write_book(tmp_path / "a.xlsx", {"S": rows}, creator="first save")
    two = write_book(tmp_path / "b.xlsx", {"S": rows}, creator="second save")
    assert one.read_bytes() != two.read_bytes()
    log = read_log(one, D6)
    assert log.sha256 == read_log(two, D6).sha256
    assert log.stored == "".join(f"{r[0]}\n" for r in rows).encode()


def test_a_bad_cell_names_file_sheet_and_cell(tmp_path) -> None:
    throws = _throws(5, 20)
    throws[15] = 7  # row 17: the header is row 1
    path = write_book(
        tmp_path / "class.xlsx",
        {"佐藤": [["throw", "face"], *([0, t] for t in throws)], "b": [[1]]},
    )
    with pytest.raises(DataError) as caught:
        read_log(f"{path}[佐藤]", D6)
    assert str(caught.value) == (
        f"{path}[佐藤]:B17: face '7' is not one of 1..6 (a typo? 19 other throws are 1..6)"
    )


def test_several_bad_cells_are_listed_with_their_cells(tmp_path) -> None:
    rows = [["face"], *([v] for v in [1, "x", 2, 3.5, None, 4])]
    rows[5] = [None, "note"]  # an empty face cell beside a note
    path = write_book(tmp_path / "s.xlsx", {"S": rows})
    with pytest.raises(Problems) as caught:
        read_log(path, D6)
    assert caught.value.lines() == [
        f"{path}[S]:A3: face 'x' is not a whole number "
        "(faces are whole numbers; use --faces LABELS for named faces)",
        f"{path}[S]:A5: face '3.5' is not a whole number "
        "(faces are whole numbers; use --faces LABELS for named faces)",
        f"{path}[S]:A6: empty cell where a face was expected",
    ]


def test_numbers_as_excel_stores_them_and_full_width_digits(tmp_path) -> None:
    values = [3, 3.0, "３", " ６ ", "4", 1.0, "２"]
    path = write_book(tmp_path / "w.xlsx", {"S": [["出た目"], *([v] for v in values)]})
    assert read_log(path, D6).counts == _counts([3, 3, 3, 6, 4, 1, 2])


def test_a_formula_is_read_by_its_saved_value_and_without_one_is_an_error(tmp_path) -> None:
    rows = [["face"], [1], ["=1+2"], [6]]
    saved = write_book(tmp_path / "saved.xlsx", {"S": rows}, saved={"1+2": "3"})
    assert read_log(saved, D6).counts == _counts([1, 3, 6])
    unsaved = write_book(tmp_path / "unsaved.xlsx", {"S": rows})
    with pytest.raises(DataError) as caught:
        read_log(unsaved, D6)
    assert str(caught.value).startswith(f"{unsaved}[S]:A3: formula '=1+2' has no saved value")


def test_dates_are_text_and_a_date_where_a_face_belongs_says_so(tmp_path) -> None:
    when = datetime.datetime(2026, 1, 9, 10, 15, 0)
    rows = [["face", "when"], [2, when], [datetime.date(2026, 1, 3), when]]
    path = write_book(tmp_path / "d.xlsx", {"S": rows})
    with pytest.raises(DataError) as caught:
        read_log(path, D6)
    assert str(caught.value) == (
        f"{path}[S]:A3: face '2026-01-03' is not a whole number "
        "(a date: is the column formatted as dates? format it as numbers)"
    )
    assert cell_text(when) == "2026-01-09 10:15:00"
    assert cell_text(datetime.datetime(2026, 1, 9, 10, 14, 59, 999_990)) == "2026-01-09 10:15:00"


def test_frequency_tables_and_groups_are_read_from_sheets(tmp_path) -> None:
    table = [["face", "count"], *([f, 10 + f] for f in range(1, 7))]
    throws = _throws(11, 30)
    dice = ["red" if i % 3 else "blue" for i in range(30)]
    grouped = [["die", "face"], *zip(dice, throws, strict=True)]
    path = write_book(tmp_path / "t.xlsx", {"table": table, "dice": grouped})
    log = read_log(f"{path}[table]", D6)
    assert (log.format, log.counts) == ("counts", tuple(10 + f for f in range(1, 7)))
    by = read_log(f"{path}[dice]", D6, by="die")
    assert [name for name, _ in by.groups] == ["blue", "red"]
    for name, group in by.groups:
        assert group.counts == _counts([t for d, t in zip(dice, throws, strict=True) if d == name])


def test_a_table_may_start_right_of_column_a_and_cells_keep_their_names(tmp_path) -> None:
    rows = [[], [None, "face"], [None, 4], [None, 9], [None, 2]]
    path = write_book(tmp_path / "m.xlsx", {"S": rows})
    with pytest.raises(DataError, match=r"\[S\]:B4: face '9'"):
        read_log(path, D6)
    rows[3] = [None, 5]
    assert read_log(write_book(tmp_path / "n.xlsx", {"S": rows}), D6).counts == _counts([4, 5, 2])
    rows[4] = ["x", 2]
    left = write_book(tmp_path / "l.xlsx", {"S": rows})
    with pytest.raises(DataError, match=r"\[S\]:A5: a cell left of the table"):
        read_log(left, D6)


def test_cells_beyond_the_header_are_not_read_but_a_row_of_values_is_named(tmp_path) -> None:
    rows = [["face"], [3, None, "=SUM(A2:A9)"], [4]]
    path = write_book(tmp_path / "x.xlsx", {"S": rows}, saved={"SUM(A2:A9)": "7"})
    assert read_log(path, D6).counts == _counts([3, 4])
    across = write_book(tmp_path / "r.xlsx", {"S": [["face"], list(range(1, 7)) * 5]})
    with pytest.raises(DataError) as caught:
        read_log(across, D6)
    assert str(caught.value).startswith(
        f"{across}[S]:2: one row of 30 values: a log has one throw per line"
    )


def test_a_workbook_is_known_by_its_bytes_whatever_its_name(tmp_path) -> None:
    throws = _throws(2, 12)
    data = write_book(tmp_path / "w.xlsx", {"S": [["face"], *([t] for t in throws)]}).read_bytes()
    disguised = tmp_path / "rolls.csv"
    disguised.write_bytes(data)
    log = read_log(disguised, D6)
    assert (log.counts, log.name) == (_counts(throws), "rolls")
    from_a_file = read_log("memory://rolls.xlsx", D6, fileobj=io.BytesIO(data))
    assert from_a_file.counts == _counts(throws)
    packed = tmp_path / "w.xlsx.gz"
    packed.write_bytes(gzip.compress(data))
    with pytest.raises(DataError, match="an Excel workbook \\(.xlsx\\) where a text log"):
        read_log(packed, D6)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "an Excel 97-2003 workbook (.xls)"),
        (b"PK\x03\x04" + bytes(60), "a zip archive, not a text log"),
    ],
)
def test_old_and_other_binary_files_name_the_fix(tmp_path, data, message) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_log(path, D6)
    assert message in str(caught.value) and caught.value.hint


def test_sheets_named_and_missing(class_book) -> None:
    path, _ = class_book
    assert split_source(f"{path}[鈴木]") == (str(path), "鈴木")
    assert split_source(str(path)) == (str(path), None)
    with pytest.raises(InputError, match="no sheet named 'nope'"):
        read_log(f"{path}[nope]", D6)
    with pytest.raises(DataError, match="a workbook of 3 sheets with data"):
        read_log(path, D6)
    assert list_sheets(str(path)).logs == STUDENTS


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


def test_reading_a_csv_never_imports_openpyxl(tmp_path) -> None:
    log = tmp_path / "r.csv"
    log.write_text("face,note\n1,a\n2,b\n")
    code = (
        "import sys\nfrom reportgen.faces import parse_faces\nfrom reportgen.read import read_log\n"
        "from reportgen.read.sources import list_inputs\n"
        f"list_inputs([{str(tmp_path)!r}]); read_log({str(log)!r}, parse_faces(6))\n"
        "print('openpyxl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_wrong_dimension_in_the_file_hides_no_row(tmp_path) -> None:
    import re
    import zipfile

    path = write_book(tmp_path / "dim.xlsx", {"S": [[], ["face"], [3], [4]], "T": [["face"], [1]]})
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":  # as some writers do: "A1" only
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            archive.writestr(info, data)
    path.write_bytes(out.getvalue())
    assert list_sheets(str(path)).logs == ("S", "T")
    assert read_log(f"{path}[S]", D6).counts == _counts([3, 4])

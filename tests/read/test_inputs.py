"""A directory as a teacher's folder holds it: logs in any case, a workbook, and things not read."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.options import ReadOptions
from reportgen.read import load
from reportgen.read.sources import LOG_PATTERNS, expand_inputs, is_log_name, list_inputs
from tests.read.workbooks import write_book


def _throws(seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(1, 6) for _ in range(rng.randint(15, 40))]


def _counts(throws: list[int]) -> tuple[int, ...]:
    return tuple(throws.count(k) for k in range(1, 7))


@pytest.fixture
def folder(tmp_path) -> tuple[Path, dict[str, list[int]]]:
    """a.csv, b.CSV, c.txt, d.xlsx (two students, one empty sheet), and what is not a log."""
    root = tmp_path / "class"
    root.mkdir()
    throws = {name: _throws(i) for i, name in enumerate(["a", "b", "c", "佐藤", "鈴木"])}
    (root / "a.csv").write_text("face\n" + "".join(f"{t}\n" for t in throws["a"]))
    (root / "b.CSV").write_text(
        "throw,face\n" + "".join(f"{i},{t}\n" for i, t in enumerate(throws["b"]))
    )
    (root / "c.txt").write_text("".join(f"{t}\n" for t in throws["c"]))
    sheets = {name: [["出た目"], *([t] for t in throws[name])] for name in ("佐藤", "鈴木")}
    write_book(root / "d.xlsx", {**sheets, "空": []})
    (root / "note.pdf").write_bytes(b"%PDF-1.7\n")
    (root / ".hidden.csv").write_text("face\n1\n")
    (root / "~$d.xlsx").write_bytes(b"\x05owner")
    (root / "sub").mkdir()
    (root / "sub" / "e.csv").write_text("face\n2\n")
    (root / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return root, throws


def test_a_folder_gives_its_logs_sorted_and_names_what_it_does_not_read(folder) -> None:
    root, throws = folder
    listed = list_inputs([str(root)])
    assert [(item.source, item.name, item.stem) for item in listed.inputs] == [
        (f"{root}/a.csv", "a.csv", "a"),
        (f"{root}/b.CSV", "b.CSV", "b"),
        (f"{root}/c.txt", "c.txt", "c"),
        (f"{root}/d.xlsx[佐藤]", "佐藤", "佐藤"),
        (f"{root}/d.xlsx[鈴木]", "鈴木", "鈴木"),
    ]
    assert [str(s) for s in listed.skipped] == [
        f"{root}/.hidden.csv: not read (a hidden file)",
        f"{root}/note.pdf: not read (not a log: *.csv, *.tsv, *.txt, *.xlsx are read)",
        f"{root}/old.xls: not read (an Excel 97-2003 workbook: save it as .xlsx)",
        f"{root}/sub: not read (a directory: only the files directly inside are read)",
        f"{root}/~$d.xlsx: not read (an Excel lock file: the workbook is open in Excel)",
        f"{root}/d.xlsx[空]: not read (an empty sheet)",
    ]
    expected = [throws[name] for name in ("a", "b", "c", "佐藤", "鈴木")]
    for item, values in zip(listed.inputs, expected, strict=True):
        log = load(item.source, ReadOptions())
        assert log.counts == _counts(values)
        assert log.name == item.name


def test_expand_inputs_keeps_files_and_stdin_and_expands_folders(folder, tmp_path) -> None:
    root, _ = folder
    single = tmp_path / "x.csv"
    single.write_text("face\n1\n")
    assert expand_inputs(["-", str(single), str(root)]) == [
        "-",
        str(single),
        *list_inputs([str(root)]).sources,
    ]


def test_a_folder_without_logs_says_what_it_holds(tmp_path) -> None:
    (tmp_path / "logs").mkdir()
    for name in ("notes.pdf", "old.xls", ".DS_Store"):
        (tmp_path / "logs" / name).write_bytes(b"x")
    with pytest.raises(InputError) as caught:
        list_inputs([str(tmp_path / "logs")])
    assert str(caught.value) == (
        f"{tmp_path}/logs: directory holds no logs (*.csv, *.tsv, *.txt, *.xlsx, optionally .gz) "
        "(it holds .DS_Store, notes.pdf, old.xls)"
    )


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("sato.CSV", True),
        ("a.Tsv", True),
        ("r.TXT", True),
        ("r.csv.gz", True),
        ("r.CSV.GZ", True),
        ("class.XLSX", True),
        ("class.xlsx.gz", False),
        ("old.xls", False),
        ("note.pdf", False),
        ("csv", False),
    ],
)
def test_log_names_in_any_case(name: str, read: bool) -> None:
    assert is_log_name(name) is read


def test_the_patterns_say_the_same() -> None:
    import fnmatch

    for name in ("a.csv", "a.tsv", "a.txt", "a.xlsx", "a.csv.gz", "a.tsv.gz", "a.txt.gz"):
        assert is_log_name(name)
        assert any(fnmatch.fnmatchcase(name, pattern) for pattern in LOG_PATTERNS)

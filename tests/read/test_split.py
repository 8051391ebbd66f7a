"""One input split by a column: a Google-Forms export (UTF-8 with BOM, Japanese names) and a sheet.

Each part's counts, first throws and digest are checked against the rows the
test wrote for that student, counted and hashed here.
"""

from __future__ import annotations

import codecs
import hashlib
import random
from collections import Counter

import pytest

from reportgen.errors import DataError, Problems
from reportgen.faces import parse_faces
from reportgen.options import ReadOptions
from reportgen.read.log import FIRST_THROWS
from reportgen.read.split import MAX_STEM_BYTES, load_split, safe_stem, split_log, unique_stems
from tests.read.workbooks import write_book

D6 = parse_faces(6)
NAMES = ("17_木村颯", "佐藤 花子", "鈴木", "ＴＡＮＡＫＡ", "髙橋", "山田/太郎")
HEADER = "タイムスタンプ,氏名,出た目"


def _export(seed: int = 25, n: int = 300) -> list[tuple[str, str, str]]:
    """Forms rows in arrival order: (timestamp, name, face as typed; some full-width)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        name = rng.choice(NAMES)
        face = str(rng.randint(1, 6))
        if rng.random() < 0.1:
            face = chr(0xFF10 + int(face))  # ４ typed with the Japanese input method on
        rows.append((f"2026/11/27 10:{i // 60:02d}:{i % 60:02d}", name, face))
    return rows


def _write(path, rows, header=HEADER):  # type: ignore[no-untyped-def]
    text = "".join(f"{line}\n" for line in [header, *(",".join(row) for row in rows)])
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    return path


def _face(cell: str) -> int:
    return int(cell) if cell.isascii() else ord(cell) - 0xFF10


def test_a_forms_export_splits_by_name_in_order_of_first_appearance(tmp_path) -> None:
    rows = _export()
    parts = split_log(_write(tmp_path / "forms.csv", rows), D6, "氏名")
    order = list(dict.fromkeys(name for _, name, _ in rows))
    assert [part.value for part in parts] == [n.replace("ＴＡＮＡＫＡ", "TANAKA") for n in order]
    for part, name in zip(parts, order, strict=True):
        mine = [row for row in rows if row[1] == name]
        faces = [_face(face) for _, _, face in mine]
        seen = Counter(faces)
        assert part.error is None and part.log is not None
        log = part.log
        assert log.counts == tuple(seen[k] for k in range(1, 7))
        assert log.first_faces == tuple(f - 1 for f in faces[:FIRST_THROWS])
        assert log.checkpoints[-1] == (len(faces), log.counts)
        assert (log.name, log.source, log.column) == (
            part.value,
            str(tmp_path / "forms.csv"),
            "出た目",
        )
        text = "".join(f"{line}\n" for line in [HEADER, *(",".join(row) for row in mine)])
        assert log.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert [part.stem for part in parts] == [safe_stem(part.value) for part in parts]
    assert "山田_太郎" in [part.stem for part in parts]


def test_a_typo_fails_only_its_students_part_and_is_called_a_typo(tmp_path) -> None:
    rows = _export(n=120)
    at = next(i for i, row in enumerate(rows) if row[1] == "鈴木" and i > 40)
    rows[at] = (rows[at][0], "鈴木", "7")
    path = _write(tmp_path / "forms.csv", rows)
    parts = {part.value: part for part in split_log(path, D6, "氏名")}
    others = sum(1 for row in rows if row[1] == "鈴木") - 1
    failed = parts["鈴木"]
    assert failed.log is None
    assert str(failed.error) == (
        f"{path}:{at + 2}: face '7' is not one of 1..6 (a typo? {others} other throws are 1..6)"
    )
    assert all(part.log is not None for value, part in parts.items() if value != "鈴木")


def test_problems_of_the_whole_file_are_raised(tmp_path) -> None:
    rows = _export(n=30)
    rows[9] = (rows[9][0], " ", "3")
    with pytest.raises(
        DataError, match=r"forms.csv:11: empty cell in the column '氏名' to split by"
    ):
        split_log(_write(tmp_path / "forms.csv", rows), D6, "氏名")
    with pytest.raises(DataError, match="no column named 'name' to split by"):
        split_log(_write(tmp_path / "f.csv", _export(n=5)), D6, "name")
    with pytest.raises(DataError, match="--split-by 出た目: that is the face column"):
        split_log(tmp_path / "f.csv", D6, "出た目")
    broken = tmp_path / "b.csv"
    broken.write_text("氏名,出た目\n佐藤,1\n鈴木,2,x\n")
    with pytest.raises(DataError, match="row has 3 fields"):
        split_log(broken, D6, "氏名")


def test_split_and_by_together_and_the_options_door(tmp_path) -> None:
    rng = random.Random(3)
    rows = [
        (rng.choice("AB"), rng.choice(["red", "blue"]), str(rng.randint(1, 6))) for _ in range(80)
    ]
    path = tmp_path / "dice.csv"
    path.write_text("name,die,face\n" + "".join(",".join(r) + "\n" for r in rows))
    parts = load_split(path, ReadOptions(by="die"), "name")
    for part in parts:
        assert part.log is not None and part.log.by == "die"
        for die, group in part.log.groups:
            faces = [int(f) for n, d, f in rows if n == part.value and d == die]
            assert group.counts == tuple(faces.count(k) for k in range(1, 7))


def test_a_sheet_with_a_name_column_splits_too(tmp_path) -> None:
    rng = random.Random(8)
    rows = [[rng.choice(["佐藤", "鈴木"]), rng.randint(1, 6)] for _ in range(50)]
    book = write_book(tmp_path / "class.xlsx", {"一覧": [["氏名", "出た目"], *rows]})
    parts = split_log(f"{book}[一覧]", D6, "氏名")
    assert [p.value for p in parts] == list(dict.fromkeys(r[0] for r in rows))
    for part in parts:
        faces = [f for n, f in rows if n == part.value]
        assert part.log is not None and part.log.counts == tuple(
            faces.count(k) for k in range(1, 7)
        )
        assert part.log.source == f"{book}[一覧]"
    rows[30][1] = 9
    book = write_book(tmp_path / "bad.xlsx", {"一覧": [["氏名", "出た目"], *rows]})
    failed = [p for p in split_log(book, D6, "氏名") if p.error is not None]
    assert [str(p.error).split(": face")[0] for p in failed] == [f"{book}[一覧]:B32"]
    assert isinstance(failed[0].error, DataError) and not isinstance(failed[0].error, Problems)


@pytest.mark.parametrize(
    ("value", "stem"),
    [
        ("佐藤 花子", "佐藤 花子"),
        ("a/b", "a_b"),
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i"),
        ("nul\x00byte", "nul_byte"),
        ("..", "_"),
        ("../../etc/passwd", "_.._etc_passwd"),
        (".hidden", "hidden"),
        ("-rf", "rf"),
        ("  spaced out. ", "spaced out"),
        ("", "_"),
        ("CON", "CON_"),
        ("com1.txt", "com1.txt_"),
        ("line\nbreak", "line_break"),
    ],
)
def test_values_become_safe_file_stems(value: str, stem: str) -> None:
    assert safe_stem(value) == stem


def test_long_values_are_cut_and_kept_apart() -> None:
    one, two = "木" * 100 + "一", "木" * 100 + "二"
    stems = [safe_stem(one), safe_stem(two)]
    assert stems[0] != stems[1]
    assert all(len(s.encode("utf-8")) <= MAX_STEM_BYTES for s in stems)
    assert all(s.startswith("木" * 20) for s in stems)


def test_values_that_clean_to_one_stem_are_made_unique() -> None:
    values = ["a/b", "a_b", "A_B", "a_b-2", "佐藤", "佐藤 "]
    assert unique_stems(values) == ["a_b", "a_b-2", "A_B-3", "a_b-2-2", "佐藤", "佐藤-2"]

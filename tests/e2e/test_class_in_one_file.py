"""Issue 25: a class as its data really arrive, each in one command.

Real files made here: a Google-Forms export (UTF-8 with a BOM, ``タイムスタンプ,氏名,出た目``,
Japanese names), workbooks written with openpyxl (a sheet per student; a sheet with a
name column), a folder of mixed files. Each gives the class's worksheets, keys, the
teacher's overview (naming the student whose log failed), a bundle whose students start
on odd pages, and the public overview with no name anywhere in the PDF.

Rendering is what costs: the worksheets and overviews are checked in HTML (the same page
the PDF is laid out from), the bundle and the public overview in PDF; the 40-student page
test renders one overview through the API.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, listing, run_cli
from tests.read.workbooks import write_book

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}

#: 35 students of a Japanese class (the export's 氏名).
NAMES = [
    "佐藤陽翔", "鈴木結菜", "高橋蓮", "田中陽葵", "伊藤湊", "渡辺凛", "山本蒼", "中村結愛",
    "小林大和", "加藤咲良", "吉田悠真", "山田澪", "佐々木朝陽", "山口紬", "松本樹", "井上芽依",
    "木村颯", "林心春", "斎藤律", "清水杏", "山崎陸", "森美月", "池田悠人", "橋本葵", "阿部新",
    "石川楓", "山下奏太", "中島彩葉", "石井蒼空", "小川結衣", "前田海斗", "岡田心愛",
    "長谷川暖", "藤田莉子", "後藤湊斗",
]  # fmt: skip


def forms_export(path: Path, names: list[str], throws: int, typo: str | None = None) -> dict:
    """A Forms export: rows interleaved as answers arrive; ``typo``'s 5th throw is a 7."""
    rng = random.Random(25)
    faces = {name: [rng.randint(1, 6) for _ in range(throws)] for name in names}
    if typo is not None:
        faces[typo][4] = 7
    lines = ["タイムスタンプ,氏名,出た目"]
    for i in range(throws):
        for j, name in enumerate(names):
            lines.append(f"2026/01/15 10:{i:02d}:{j:02d},{name},{faces[name][i]}")
    path.write_bytes("\ufeff".encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return faces


def _stderr(result) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()


# --- one export, 35 students, ~1,050 rows: read once, one input a student ---


def test_a_forms_export_splits_into_its_students(tmp_path) -> None:
    export = tmp_path / "フォーム.csv"
    faces = forms_export(export, NAMES, 30, typo="木村颯")
    assert export.read_bytes().count(b"\n") == 1 + 35 * 30
    out = tmp_path / "out"
    result = run_cli(export, "--split-by", "氏名", "-f", "json", "-o", out, cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    good = [name for name in NAMES if name != "木村颯"]
    assert listing(out) == sorted(f"{name}.json" for name in good)
    for name in good:
        data = json.loads((out / f"{name}.json").read_text("utf-8"))
        assert data["counts"] == [faces[name].count(k) for k in range(1, 7)], name
    lines = _stderr(result)
    failed = [line for line in lines if line.startswith("reportgen: error:")]
    assert failed == [
        f"reportgen: error: {export}:"
        f"{2 + 35 * 4 + NAMES.index('木村颯')}: face '7' is not one of 1..6 "
        "(a typo? 29 other throws are 1..6)"
    ]
    assert lines[-1] == "reportgen: 35 inputs: 34 done, 1 failed"
    # in order of first appearance, each named by its value
    done = [line.split()[2] for line in lines if line.startswith("reportgen: done:")]
    assert done == [f"{export}[氏名={name}]" for name in good]


# --- a small class, every edition at once: worksheets, keys, overviews, bundles ---

CLASS = ["佐藤", "鈴木", "高橋", "木村"]


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> tuple[Path, Path, object]:
    work = tmp_path_factory.mktemp("export")
    forms_export(work / "export.csv", CLASS, 12, typo="木村")
    out = work / "out"
    result = run_cli(
        "export.csv", "--split-by", "氏名", "--edition", "student,teacher,class", "--bundle",
        "-f", "html", "-o", out, "--jobs", "1", cwd=work, env=EPOCH,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr.decode()
    return work, out, result


def test_one_command_writes_the_whole_class(klass) -> None:
    _, out, result = klass
    good = CLASS[:3]
    per_student = [f"{n}-{e}.html" for n in good for e in ("student", "key")]
    expected = [*per_student, "class.html", "class-public.html", "student-all.pdf", "key-all.pdf"]
    assert listing(out) == sorted(expected)
    assert _stderr(result)[-1] == "reportgen: 4 inputs: 3 done, 1 failed"


def test_each_worksheet_carries_its_students_name(klass) -> None:
    _, out, _ = klass
    for name in CLASS[:3]:
        for edition in ("student", "key"):
            page = (out / f"{name}-{edition}.html").read_text("utf-8")
            cell = re.search(r'<table class="name-line">.*?<td class="line">(.*?)</td>', page)
            assert cell is not None and cell.group(1) == name, (name, edition)


def test_no_names_leaves_the_name_field_blank(tmp_path) -> None:
    forms_export(tmp_path / "e.csv", CLASS[:2], 6)
    result = run_cli("e.csv", "--split-by", "氏名", "--edition", "student", "--no-names",
                     "-f", "html", "-o", "out", "--jobs", "1", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    page = (tmp_path / "out" / "佐藤-student.html").read_text("utf-8")
    assert '<th scope="row">Name</th><td class="line"></td>' in page


def test_the_teacher_overview_names_everyone_and_the_failed_student(klass) -> None:
    work, out, _ = klass
    page = (out / "class.html").read_text("utf-8")
    for name in CLASS[:3]:
        assert f'<th scope="row">{name}</th>' in page
    failed = page[page.index('id="failed"') : page.index('id="students"')]
    assert "<b>木村</b>: <code>export.csv:" in failed and "face &#39;7&#39;" in failed
    assert str(work) not in page


def test_the_bundle_starts_every_student_on_an_odd_page(klass) -> None:
    from pypdf import PdfReader

    _, out, _ = klass
    for bundle in ("student-all.pdf", "key-all.pdf"):
        reader = PdfReader(out / bundle)
        texts = [page.extract_text() or "" for page in reader.pages]
        firsts = [next(i for i, t in enumerate(texts) if name in t) for name in CLASS[:3]]
        assert firsts == sorted(firsts) and firsts[0] == 0, (bundle, firsts)
        assert all(i % 2 == 0 for i in firsts), (bundle, firsts)  # page i + 1 is odd
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, like every PDF
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        assert b"pdfaid" in xmp  # PDF/A


def test_the_public_overview_page_holds_no_name(klass) -> None:
    _, out, _ = klass
    page = (out / "class-public.html").read_text("utf-8")
    assert not [name for name in CLASS if name in page]
    assert "Student 1" in page and "Student 3" in page and "Student 4" not in page


def test_the_bundle_is_the_same_bytes_run_after_run(tmp_path) -> None:
    """Reproducible like every PDF: the same class and SOURCE_DATE_EPOCH give the same
    bundle, whichever folder it is written to."""
    forms_export(tmp_path / "e.csv", CLASS[:2], 6)
    made = []
    for out in ("a", "b"):
        argv = ["e.csv", "--split-by", "氏名", "--edition", "student", "--bundle", "-f", "html"]
        result = run_cli(*argv, "-o", out, "--jobs", "1", cwd=tmp_path, env=EPOCH)
        assert result.returncode == 0, result.stderr.decode()
        made.append((tmp_path / out / "student-all.pdf").read_bytes())
    assert made[0] == made[1]


# --- the public overview's PDF: every string in it, and no student's name ---


def _all_strings(path: Path) -> str:
    """Every string a PDF holds: page text, metadata, XMP, attachments (names and bytes),
    and every string object in it (alt texts, structure, file names)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, TextStringObject

    reader = PdfReader(path)
    found = [page.extract_text() or "" for page in reader.pages]
    found += [str(v) for v in (reader.metadata or {}).values()]
    if reader.xmp_metadata is not None:
        found.append(reader.xmp_metadata.stream.get_data().decode("utf-8", "replace"))
    for name, contents in reader.attachments.items():
        found += [str(name), *(c.decode("utf-8", "replace") for c in contents)]
    seen: set[int] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, TextStringObject | str):
            found.append(str(obj))
        elif isinstance(obj, DictionaryObject):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(reader.trailer)
    return "\n".join(found)


def test_the_public_pdf_names_no_student(tmp_path) -> None:
    names = ["佐藤", "鈴木", "高橋", "Aiko"]
    folder = tmp_path / "class"
    folder.mkdir()
    rng = random.Random(3)
    for name in names:
        rows = "".join(f"{rng.randint(1, 6)}\n" for _ in range(20))
        (folder / f"{name}.csv").write_text("face\n" + rows, encoding="utf-8")
    result = run_cli(folder, "--edition", "class", "-o", "out", cwd=tmp_path, env=EPOCH)
    # -o names the folder of the class's outputs, as for the students'; -o x.pdf names the file
    assert result.returncode == 0, result.stderr.decode()
    assert listing(tmp_path / "out") == ["class-public.pdf"]
    strings = _all_strings(tmp_path / "out" / "class-public.pdf")
    assert "Student 4" in strings and "class-public-counts.csv" in strings
    assert not [name for name in names if name in strings]
    assert "by chance alone; here" in strings.replace("\n", " ")


# --- workbooks: a sheet per student; a sheet with a name column ---


def test_a_workbook_of_sheets_gives_one_worksheet_a_sheet(tmp_path) -> None:
    rng = random.Random(7)
    sheets = {n: [["出た目"], *([rng.randint(1, 6)] for _ in range(15))] for n in CLASS[:3]}
    write_book(tmp_path / "組.xlsx", {**sheets, "メモ": []})
    argv = ["組.xlsx", "--edition", "student", "-f", "html", "-o", "out", "--jobs", "1"]
    result = run_cli(*argv, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert listing(tmp_path / "out") == sorted(f"{n}-student.html" for n in CLASS[:3])
    assert "reportgen: note: 組.xlsx[メモ]: not read (an empty sheet)" in _stderr(result)
    page = (tmp_path / "out" / "鈴木-student.html").read_text("utf-8")
    assert '<td class="line">鈴木</td>' in page


def test_a_sheet_with_a_name_column_splits_and_skip_unchanged_knows_it(tmp_path) -> None:
    rows = [["氏名", "出た目"], *([n, 1 + (i * 5 + j) % 6] for i in range(10) for j, n in
                                 enumerate(CLASS[:3]))]  # fmt: skip
    write_book(tmp_path / "book.xlsx", {"1組": rows})
    argv = ["book.xlsx", "--split-by", "氏名", "-f", "json", "-o", "out", "--skip-unchanged"]
    first = run_cli(*argv, cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    assert listing(tmp_path / "out") == sorted(f"{n}.json" for n in CLASS[:3])
    again = run_cli(*argv, cwd=tmp_path)
    assert [line.split(": ", 1)[1] for line in _stderr(again)[:3]] == [
        f"unchanged: book.xlsx[氏名={n}]" for n in CLASS[:3]
    ]


# --- a folder of mixed files ---


def test_a_folder_names_what_it_does_not_read(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "sato.CSV").write_text("face\n" + "1\n2\n3\n4\n5\n6\n" * 3)
    (folder / "suzuki.txt").write_text("3\n4\n5\n6\n1\n2\n" * 3)
    (folder / "note.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    write_book(folder / "tanaka.xlsx", {"Sheet1": [["face"], *([k] for k in range(1, 7))]})
    result = run_cli("class", "-f", "json", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert listing(tmp_path / "out") == ["sato.json", "suzuki.json", "tanaka.json"]
    lines = _stderr(result)
    assert lines[:2] == [
        "reportgen: note: class/note.pdf: not read (not a log: *.csv, *.tsv, *.txt, *.xlsx "
        "are read)",
        "reportgen: note: class/old.xls: not read (an Excel 97-2003 workbook: save it as .xlsx)",
    ]
    assert lines[-1] == "reportgen: 3 inputs: 3 done, 0 failed"
    quiet = run_cli("class", "-f", "json", "-o", "out", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == b""


# --- the overview of 40 students stays inside its pages ---


def test_forty_students_stay_inside_the_page(tmp_path) -> None:
    import pdfplumber

    import reportgen
    from reportgen.api import class_overview
    from reportgen.options import RenderOptions

    rng = random.Random(40)
    students = [
        (f"{i + 1:02d}_{NAMES[i % 35]}", reportgen.analyse([rng.randint(1, 6) for _ in range(30)]))
        for i in range(40)
    ]
    render = RenderOptions(lang="ja")
    path = tmp_path / "class.pdf"
    failed = [("41_欠席者", "41_欠席者.csv:5: 目 '7' は 1..6 のどれでもありません")]
    class_overview(students, fmt="pdf", path_or_file=path, render=render, failed=failed)
    with pdfplumber.open(path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            for word in page.extract_words():
                inside = 0 <= word["x0"] and word["x1"] <= page.width
                inside = inside and 0 <= word["top"] and word["bottom"] <= page.height
                assert inside, (number, word["text"])
    for name, _ in students:
        assert name in text, name
    assert "41_欠席者" in text


# --- messages in Japanese ---

BATTERY = ROOT / "tests" / "e2e" / "battery"

#: A sample of the battery's cases with their error lines in Japanese.
JAPANESE = [
    (
        "face_7.csv",
        "face_7.csv:4: 目 '7' は 1..6 のどれでもありません (入力ミス? ほかの2回は 1..6 です)",
    ),
    ("empty.csv", "empty.csv: 空の記録です。ファイルに投げた記録がありません"),
    ("no_face_column.csv", "no_face_column.csv:1: 目の列が見つかりません"),
    ("one_row.csv", "one_row.csv:1: 1行に30個の値があります。記録は1行に1回分です"),
    ("old_excel.xls", "old_excel.xls: Excel 97-2003 のブック(.xls)です。"),
]


def _main(argv: list[str], capsys, monkeypatch, **environ: str) -> tuple[int, list[str]]:
    """``reportgen ARGV`` in this process (no interpreter to start): status, stderr lines."""
    from reportgen.cli import main

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, environ.get(name, ""))
    capsys.readouterr()
    status = main(argv)
    return status, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("how", ["--lang", "LANG"])
def test_error_lines_are_japanese_with_lang_ja_or_a_japanese_locale(
    tmp_path, how, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for case, message in JAPANESE:
        (tmp_path / case).write_bytes((BATTERY / case).read_bytes())
        argv = [case, "-f", "json", "-o", "-"]
        if how == "--lang":
            status, lines = _main([*argv, "--lang", "ja"], capsys, monkeypatch, LANG="C.UTF-8")
        else:
            status, lines = _main(argv, capsys, monkeypatch, LANG="ja_JP.UTF-8")
        assert status == 65 and len(lines) == 1, lines
        assert lines[0].startswith("reportgen: エラー: " + message), lines
        status, english = _main(argv, capsys, monkeypatch, LANG="C.UTF-8")
        assert status == 65 and english[0].startswith("reportgen: error: " + case)


def test_usage_errors_and_notes_are_japanese_too(tmp_path) -> None:
    result = run_cli("x.csv", "--lang", "ja", "--edition", "answers", cwd=tmp_path)
    assert _stderr(result) == [
        "reportgen: エラー: --edition answers: report, student, teacher, class から選んでください"
    ]
    result = run_cli("x.csv", "--lang", "fr", cwd=tmp_path, env={"LANG": "ja_JP.UTF-8"})
    assert _stderr(result)[0].startswith("reportgen: エラー: 引数 --lang: 'fr' は選べません")

"""Issue 15: the student's worksheet asks what its key answers, and leaks none of it.

Both editions of ``data/rolls.csv`` are rendered by the CLI in each language;
the student edition's text (pages, metadata, attachments) is compared with the
key's number by number, and the key's answers with the ``-f json`` results.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_cli

from reportgen.render.numbers import fmt_number
from tests.render.test_i18n import _fonts_and_codes

LANGS = ("en", "ja")
EPOCH = "1700000000"
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Per language: the worksheet, the key (two runs, for reproducibility) and the JSON."""
    out: dict[str, dict[str, Path]] = {}
    for lang in LANGS:
        folder = tmp_path_factory.mktemp(f"editions-{lang}")
        for edition, run in (
            ("student", "a"),
            ("teacher", "a"),
            ("student", "b"),
            ("teacher", "b"),
        ):
            target = folder / run
            result = run_cli(
                DATA / "rolls.csv", "--lang", lang, "--edition", edition, "-o", f"{target}/",
                cwd=ROOT, env={"SOURCE_DATE_EPOCH": EPOCH},
            )  # fmt: skip
            assert result.returncode == 0, result.stderr.decode()
            assert b".notdef" not in result.stderr
        result = run_cli(DATA / "rolls.csv", "--lang", lang, "-f", "json", "-o", folder / "r.json")
        assert result.returncode == 0, result.stderr.decode()
        out[lang] = {
            "student": folder / "a" / "rolls-student.pdf",
            "teacher": folder / "a" / "rolls-key.pdf",
            "student-b": folder / "b" / "rolls-student.pdf",
            "teacher-b": folder / "b" / "rolls-key.pdf",
            "json": folder / "r.json",
        }
    return out


def _reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(path)


def _text(path: Path) -> str:
    """Every word a reader of the PDF can get at: pages, metadata and attached files."""
    reader = _reader(path)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    for name, contents in reader.attachments.items():
        parts.append(name)
        parts += [data.decode("utf-8", "replace") for data in contents]
    return "\n".join(parts).replace("\u2212", "-")


def answers(results: dict) -> set[str]:
    """Every number the worksheet asks for, as the key prints it (four decimals)."""
    ce, ref = results["cross_entropy"], results["reference"]
    counts, first = results["counts"], ce["first"][0]
    values = [
        *results["mle"],
        *[-v for v in ce["per_face"]],  # log ŷ_k, exercise 3
        *ce["per_face"],  # −log ŷ_k, exercise 5
        *[n * v for n, v in zip(counts, ce["per_face"], strict=True)],
        -first["value"],  # log L of the first throw (4.1)
        first["value"],  # E of the first throw (4.3)
        ce["total"],
        ce["mean"],
        results["entropy"],
        ref["cross_entropy_total"],
        ref["cross_entropy_total"] - ce["total"],
        results["tests"]["g_test"]["statistic"],  # exercise 8's G, which the key writes out
    ]
    return {fmt_number(v).replace("\u2212", "-") for v in values}


@pytest.mark.parametrize("lang", LANGS)
def test_the_student_edition_holds_none_of_the_keys_answers(editions, lang):
    results = json.loads(editions[lang]["json"].read_text("utf-8"))
    student, key = _text(editions[lang]["student"]), _text(editions[lang]["teacher"])
    in_student, in_key = set(NUMBER.findall(student)), set(NUMBER.findall(key))
    asked = answers(results)
    assert not asked & in_student, sorted(asked & in_student)
    # Number by number: what the key adds is its answers, and the worksheet adds nothing.
    assert asked <= in_key - in_student, sorted(asked - in_key)
    assert in_student <= in_key, sorted(in_student - in_key)
    # The one-hot t of the first throw: the key writes it out, the worksheet leaves it blank.
    t = ", ".join(map(str, results["cross_entropy"]["first"][0]["t"]))
    assert t in key and t not in student


@pytest.mark.parametrize("lang", LANGS)
def test_the_worksheet_attaches_the_log_only_and_the_key_the_results(editions, lang):
    student = _reader(editions[lang]["student"]).attachments
    key = _reader(editions[lang]["teacher"]).attachments
    assert set(student) == {"rolls.csv"}
    assert student["rolls.csv"][0] == (DATA / "rolls.csv").read_bytes()
    assert set(key) == {"rolls.csv", "results.json"}
    attached = json.loads(key["results.json"][0])
    results = json.loads(editions[lang]["json"].read_text("utf-8"))
    assert attached["cross_entropy"] == results["cross_entropy"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_keys_answers_equal_the_json(editions, lang):
    results = json.loads(editions[lang]["json"].read_text("utf-8"))
    key = _reader(editions[lang]["teacher"])
    text = "\n".join(page.extract_text() for page in key.pages).replace("\u2212", "-")
    for value in answers(results):
        assert value in text, value
    ce = results["cross_entropy"]
    # Exercise 5's blanks, filled: the total and the mean as the report and JSON have them.
    assert fmt_number(ce["total"]) in text and fmt_number(ce["mean"]) in text


@pytest.mark.parametrize("lang", LANGS)
def test_worksheets_are_small_a4_pdfa_and_tagged(editions, lang):
    pages = {}
    for edition in ("student", "teacher"):
        reader = _reader(editions[lang][edition])
        # Three pages before issue 24's formulas and yardstick; one more at most (Japanese).
        pages[edition] = len(reader.pages)
        assert 2 <= pages[edition] <= 4, (edition, pages[edition])
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        xmp = root["/Metadata"].get_object().get_data()
        assert b"pdfaid:part" in xmp and b"3" in xmp
        assert str(reader.metadata["/Lang"] if "/Lang" in reader.metadata else root["/Lang"])
    assert pages["student"] == pages["teacher"]  # the key marks the worksheet page by page


@pytest.mark.parametrize("lang", LANGS)
def test_both_editions_are_byte_reproducible(editions, lang):
    for edition in ("student", "teacher"):
        a, b = editions[lang][edition], editions[lang][f"{edition}-b"]
        assert a.read_bytes() == b.read_bytes(), edition


@pytest.mark.parametrize("lang", LANGS)
def test_no_glyph_of_either_edition_is_missing(editions, lang):
    for edition in ("student", "teacher"):
        reader = _reader(editions[lang][edition])
        fonts, codes = _fonts_and_codes(reader)
        assert codes and set(codes) <= set(fonts)
        for name, shown in codes.items():
            assert 0 not in shown, f"{edition} {lang}: {name} shows .notdef (a box)"
        text = "".join(page.extract_text() for page in reader.pages)
        covered = set()
        for font in fonts.values():
            covered |= {chr(code) for code in (font.getBestCmap() or {})}
        drawn = {c for c in text if not c.isspace()}
        assert drawn <= covered, sorted(drawn - covered)[:20]


def test_the_api_renders_each_edition(tmp_path):
    import reportgen

    result = reportgen.analyse(DATA / "rolls.csv")
    html = result.to_html(edition="student")
    assert "Exercise 8" in html and fmt_number(result.cross_entropy.total) not in html
    assert fmt_number(result.cross_entropy.total) in result.to_html(edition="teacher")
    data = result.to_pdf(tmp_path / "w.pdf", edition="student")
    assert (tmp_path / "w.pdf").read_bytes() == data
    assert data.startswith(b"%PDF")
    with pytest.raises(reportgen.UsageError, match="--edition"):
        result.to_html(edition="answers")
    buffer = io.BytesIO()
    result.to_pdf(buffer, edition="teacher")
    assert buffer.getvalue().startswith(b"%PDF")


def test_the_student_page_data_holds_no_answers():
    import reportgen
    from reportgen.render.pages.worksheet import worksheet

    result = reportgen.analyse(DATA / "rolls.csv")
    assert worksheet(result, result.render, "student").answers is None
    key = worksheet(result, result.render, "teacher").answers
    assert key is not None and key.total == result.cross_entropy.total
    assert key.difference == result.reference.total - result.cross_entropy.total
    assert key.t == result.first_throws[0].t and key.e_first == result.first_throws[0].value


def test_a_frequency_table_skips_the_first_throws_exercises_and_keeps_the_numbers():
    import reportgen

    result = reportgen.analyse({1: 4, 2: 3, 3: 0, 4: 5, 5: 3, 6: 5})
    html = result.to_html(edition="student")
    ids = re.findall(r'id="exercise-(\d)"', html)
    assert ids == ["1", "5", "6", "7", "8"]
    assert "Skip exercises 2–4" in html
    key = result.to_html(edition="teacher")
    assert re.findall(r'id="exercise-(\d)"', key) == ids
    assert "∞" in key  # −log ŷ of the face never seen


@pytest.mark.parametrize("lang", LANGS)
def test_a_coins_worksheet_speaks_of_tosses_and_a_custom_model_is_named(lang):
    import reportgen

    coin = reportgen.analyse(list("HTTHHTHT"), faces="H,T", lang=lang)
    html = coin.to_html(edition="student")
    if lang == "en":
        assert "tosses" in html and "throws" not in html.split("<body", 1)[1]
    model = reportgen.analyse(DATA / "rolls.csv", model="0.1,0.1,0.1,0.1,0.1,0.5", unit="bit")
    key = model.to_html(edition="teacher")
    assert "0.1, 0.1, 0.1, 0.1, 0.1, 0.5" in key and "bits" in key
    assert fmt_number(model.reference.total) in key
    assert fmt_number(model.reference.total) not in model.to_html(edition="student")

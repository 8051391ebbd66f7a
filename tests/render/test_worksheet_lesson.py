"""Issue 24: the worksheet stands on its own and question 8 is answered from the sheet.

The lesson's formulas in a box (L₁ for one throw, (3.6) with t_k = n_k, the note on
(4.3)'s missing minus sign), the chance yardstick at exercise 8 and the key's reading
of it, "0 · log 0 is 0" only for a face never seen, ``--log-table``, a Japanese title
that breaks between phrases and table rules under every column; in English and
Japanese, for a die and a coin.

Real PDFs made by the command line (WeasyPrint) are read back with poppler's
``pdftotext``. Oracles: the ``-f json`` results of the same inputs; ``math.log`` for
the table of logarithms; P(G ≥ g) enumerated over every outcome with scipy
(``tests/analysis/test_yardstick.py``) for the share the figure shades; WeasyPrint's
own resolved border grid for the tables' rules.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_cli

import reportgen
from reportgen.analysis import yardstick
from reportgen.render.lesson_plots import share as share_text
from reportgen.render.numbers import fmt_number
from tests.analysis.test_yardstick import exact_g_pvalue

EPOCH = "1700000000"
#: A die never showing 6 in 12 throws: ŷ_6 = 0, so 0 · log 0 has to be said.
ZERO_LOG = "face\n3\n1\n4\n1\n5\n2\n2\n3\n5\n1\n4\n2\n"
COIN_LOG = "face\nH\nT\nH\nH\nT\nH\nH\nH\nT\nH\nH\nT\n"
#: The worksheet of a six-faced die today (before issue 24) is three pages; one more at most.
MOST_PAGES = 4


def _cli(*args) -> None:
    result = run_cli(*args, cwd=ROOT, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr.decode()
    assert b".notdef" not in result.stderr


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[str, Path]:
    """The PDFs, each made once: ``{name}-{lang}-{edition}`` and ``{name}.json``."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils' pdftotext is not installed")
    folder = tmp_path_factory.mktemp("issue24")
    zero, coin = folder / "zero.csv", folder / "coin.csv"
    zero.write_text(ZERO_LOG)
    coin.write_text(COIN_LOG)
    out: dict[str, Path] = {}
    for lang in ("en", "ja"):
        target = folder / f"student-{lang}"
        _cli(DATA / "rolls.csv", zero, "--log-table", "--lang", lang, "--edition", "student",
             "-o", f"{target}/")  # fmt: skip
        out[f"rolls-{lang}-student"] = target / "rolls-student.pdf"
        out[f"zero-{lang}-student"] = target / "zero-student.pdf"
        key = folder / f"rolls-{lang}-key.pdf"
        _cli(DATA / "rolls.csv", "--log-table", "--lang", lang, "--edition", "teacher", "-o", key)
        out[f"rolls-{lang}-teacher"] = key
    for lang, edition in (("en", "teacher"), ("ja", "student")):
        path = folder / f"coin-{lang}-{edition}.pdf"
        _cli(coin, "--faces", "H,T", "--log-table", "--lang", lang, "--edition", edition,
             "-o", path)  # fmt: skip
        out[f"coin-{lang}-{edition}"] = path
    _cli(DATA / "rolls.csv", "-f", "json", "-o", folder / "rolls.json")
    _cli(coin, "--faces", "H,T", "-f", "json", "-o", folder / "coin.json")
    out["rolls.json"], out["coin.json"] = folder / "rolls.json", folder / "coin.json"
    return out


def pdftotext(path: Path, *options: str, page: int | None = None) -> str:
    """The PDF's text as poppler reads it, no-break spaces as spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", *options, *pages, str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8").replace("\xa0", " ").replace("\u202f", " ")


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _read(path: Path, lang: str, page: int | None = None) -> str:
    """The PDF's text as running prose: Japanese lines join without a space."""
    text = pdftotext(path, page=page)
    return _folded(text.replace("\n", "") if lang == "ja" else text)


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _results(sheets, name: str) -> dict:
    return json.loads(sheets[f"{name}.json"].read_text("utf-8"))


# ------------------------------------------------------------------ the title and the rules


@pytest.mark.parametrize("name", ["rolls", "coin"])
def test_the_japanese_title_breaks_only_between_its_phrases(sheets, name):
    """「へ」 (or any piece of a phrase) never stands alone: every line of the title ends
    where a phrase ends, and the whole title takes at most two lines."""
    die = "サイコロ" if name == "rolls" else "コイン"
    phrases = ["ワークシート：", f"自分で投げた{die}から", "交差エントロピーへ"]
    title = "".join(phrases)
    ends = {len("".join(phrases[: i + 1])) for i in range(len(phrases))}
    lines = pdftotext(sheets[f"{name}-ja-student"], page=1).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ワークシート："))
    taken, read = [], ""
    for line in lines[start:]:
        taken.append(line)
        read += line
        assert len(read) in ends, taken
        if read == title:
            break
    assert read == title and len(taken) <= 2, taken


def _tables(box):
    """Every table box under ``box`` (WeasyPrint's layout), with its <table> element."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _tables(child)


@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_the_closing_rule_of_every_table_to_write_in_runs_under_every_column(edition):
    """Table 2 (the ✔ table) and the tables of exercises 1, 3 and 5: WeasyPrint's resolved
    border under the last body row is a solid 1 pt rule in every column, not the dotted
    writing line of the empty (or, in the key, filled) cells."""
    from weasyprint import HTML

    html = reportgen.analyse(DATA / "rolls.csv").to_html(edition=edition)
    document = HTML(string=html).render()
    checked = 0
    for page in document.pages:
        for table in _tables(page._page_box):
            classes = (table.element.get("class") or "").split()
            if not {"check", "write"} & set(classes):
                continue
            head = table.element.find("thead")
            rows = len(head.findall("tr")) if head is not None else 0
            rows += len(table.element.find("tbody").findall("tr"))
            _, horizontal = table.collapsed_border_grid
            under_last_row = horizontal[rows]
            for style, width, _ in (border for _, border in under_last_row):
                assert style == "solid" and width >= 1.3, (classes, style, width)  # 1 pt
            checked += 1
    assert checked == 4  # Table 2 and the tables of exercises 1, 3 and 5


# ------------------------------------------------------------------ the formulas


def test_the_formulas_box_gives_the_lessons_equations_with_l1_for_one_throw():
    from reportgen.render.pages.worksheet import worksheet

    result = reportgen.analyse(DATA / "rolls.csv")
    eq = worksheet(result, result.render, "student").eq
    assert eq["3.6"].latex == r"\log L = \sum_{k=1}^{K} t_k \log y_k, \qquad t_k = n_k"
    assert eq["4.1"].latex == r"\log L_1 = \sum_{k=1}^{6} t_k \log y_k"
    assert eq["4.2"].latex == r"\log L_1 = \sum_{k=1}^{K} t_k \log y_k"
    assert eq["4.3"].latex == r"E = -\log L_1 = -\sum_{k=1}^{K} t_k \log y_k"
    html = result.to_html(edition="student")
    box = html[html.index('<aside class="box formulas"') : html.index('<section id="given"')]
    assert [n for n in re.findall(r'eq-number">\((\d\.\d)\)', box)] == ["3.6", "4.1", "4.2", "4.3"]
    for exercise in ("3", "4"):  # the single throw is L₁ in the exercises too
        part = html[html.index(f'id="exercise-{exercise}"') :]
        part = part[: part.index('id="exercise-', 20)]
        assert "log <var>L</var><sub>1</sub>" in part, exercise
        assert "<var>L</var> =" not in part and "log <var>L</var>\xa0=" not in part


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "The lesson’s formulas",
                "is how often face k came up (its count)",
                "L1 is the likelihood of this one throw",
                "Note on the lesson. The lesson prints (4.3) without the minus sign on the "
                "right-hand side; the correct form is E = −log L1 = −Σk tk log yk",
                "write its relative frequency nk/N",
            ],
        ),
        (
            "ja",
            [
                "元記事の式",
                "は目 k が出た回数(頻度)です。",
                "L1 はこの1回の",  # the box's equations interleave with its last characters
                "元記事の式についての注意：元記事では、式 (4.3) が右辺のマイナス記号なしで"
                "書かれています。正しくは、上に示したとおり",
                "E = −log L1 = −Σk tk log yk です。",
                "相対頻度 nk/N(目 k が出た回数を N で割ったもの)",
            ],
        ),
    ],
)
def test_the_sheet_words_the_formulas_and_keeps_count_and_relative_frequency_apart(
    sheets, lang, words
):
    text = _read(sheets[f"rolls-{lang}-student"], lang)
    first = _read(sheets[f"rolls-{lang}-student"], lang, page=1)
    for phrase in words:
        assert phrase in text, phrase
    heading = "The lesson’s formulas" if lang == "en" else "元記事の式"
    throws = "Your throws" if lang == "en" else "あなたの記録"
    assert first.index(heading) < first.index(throws)  # the box is near the top, on page 1
    if lang == "en":
        assert "observed frequency" not in text and "the lesson’s tk in (3.6)" not in text
    else:  # 頻度 is the count (3.6), 相対頻度 n_k/N: never 頻度 for n_k/N
        assert "(式 (3.6) の tk)" not in text
        assert re.sub(r"相対頻度|回数\(頻度\)", "", text).count("頻度") == 0


def test_the_japanese_catalogue_says_頻度_only_for_the_count():
    sheet = json.loads((ROOT / "templates/messages/ja.json").read_text("utf-8"))["worksheet"]
    flat = json.dumps({k: v for k, v in sheet.items() if k != "class"}, ensure_ascii=False)
    assert "回数(頻度)" in flat and "相対頻度" in flat
    assert re.sub(r"相対頻度|回数\(頻度\)", "", flat).count("頻度") == 0


# ------------------------------------------------------------------ 0 · log 0


@pytest.mark.parametrize(
    ("lang", "hint"),
    [
        ("en", "A face you never saw has ŷk = 0: take 0 · log 0 as 0 (in exercises 5 and 6 too)."),
        ("ja", "一度も出なかった目は ŷk = 0 です。0 · log 0 は 0 とします(問5と問6でも同じです)。"),
    ],
)
def test_0_log_0_is_said_only_when_a_face_was_never_seen(sheets, lang, hint):
    zero = _read(sheets[f"zero-{lang}-student"], lang)
    rolls = _read(sheets[f"rolls-{lang}-student"], lang)
    assert hint in zero
    assert "log 0" not in rolls and "0 · log" not in rolls
    exercise_3 = zero[zero.index("Exercise 3" if lang == "en" else "問3") :]
    assert exercise_3.index(hint) < exercise_3.index("Table" if lang == "en" else "表")


def test_a_frequency_table_says_it_in_exercise_5_when_exercise_3_is_left_out():
    never = reportgen.analyse({1: 4, 2: 3, 3: 0, 4: 5, 5: 3, 6: 5}).to_html(edition="student")
    part = never[never.index('id="exercise-5"') : never.index('id="exercise-6"')]
    assert "take 0 · log 0 as 0 (in exercise 6 too)" in part
    every = reportgen.analyse({1: 4, 2: 3, 3: 1, 4: 5, 5: 3, 6: 5}).to_html(edition="student")
    assert "0 · log 0" not in every


# ------------------------------------------------------------------ the yardstick of exercise 8


def _within_monte_carlo_error(share: float, pvalue: float, draws: int = yardstick.DRAWS) -> bool:
    """|share − p| within 4 Monte Carlo standard errors, plus the 3-decimal rounding."""
    return abs(share - pvalue) <= 4 * math.sqrt(pvalue * (1 - pvalue) / draws) + 5e-4


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_exercise_8_shows_the_yardstick_for_the_students_log(sheets, lang):
    """The figure is on the student's sheet with its caption and the student's G marked
    but not written (G = 2 × exercise 7's answer: the legend must not give that away);
    its shaded share agrees with the JSON's exact p and the exact P(G ≥ g) within Monte
    Carlo error, and is the share of the report's seed."""
    results = _results(sheets, "rolls")
    text = _read(sheets[f"rolls-{lang}-student"], lang)
    g = fmt_number(results["tests"]["g_test"]["statistic"], 2)
    if lang == "en":
        assert "Figure 1: The chance yardstick." in text and "your G" in text
        assert f"G = {g}" not in text
        assert "Your G = 2 × (the difference of exercise 7) is the dashed line of Figure 1." in text
        assert "that share is the p-value" in text
        assert not re.search(r"share (\d\.\d{3}) = p", text)  # the student reads it off
        key = _read(sheets[f"rolls-{lang}-teacher"], lang)
        found = re.search(r"share (\d\.\d{3}) = p", key)
    else:
        assert "図1" in text and "偶然のものさし。棒は" in text and "あなたの G" in text
        assert f"G = {g}" not in text
        assert "あなたの G = 2 ×(問7の差) は図1の破線の位置です。" in text
        assert "この割合が p 値です。" in text
        assert not re.search(r"割合 (\d\.\d{3}) = p", text)  # the student reads it off
        key = _read(sheets[f"rolls-{lang}-teacher"], lang)
        found = re.search(r"割合 (\d\.\d{3}) = p", key)
    shaded = float(found.group(1))
    assert _within_monte_carlo_error(shaded, results["tests"]["exact_multinomial"]["pvalue"])
    assert _within_monte_carlo_error(shaded, exact_g_pvalue(results["counts"], [1 / 6] * 6))
    analysis = reportgen.analyse(DATA / "rolls.csv")
    seeded = yardstick.of(analysis, seed=analysis.options.seed)
    assert f"{shaded:.3f}" == share_text(seeded.share)


@pytest.mark.parametrize(
    ("lang", "answer", "exact"),
    [
        (
            "en",
            "p ≈ {share} (the share of the dark bars) is not below α = 0.05: chance alone "
            "often gives a G this large, so there is no significant evidence against a fair die "
            "(yk = 1/6).",
            "The report decides by the exact test, p = {p}: the same conclusion.",
        ),
        (
            "ja",
            "p ≈ {share}(濃い棒の割合) は α = 0.05 を下回っていません。偶然だけでも"
            "このくらいの G はよく出るので、公平なサイコロ(yk = 1/6)という仮説を棄却する根拠は"
            "ありません。",
            "レポートでは正確検定の p = {p} で判定しますが、結論は同じです。",
        ),
    ],
)
def test_the_key_reads_exercise_8_off_the_figure_then_gives_the_reports_exact_p(
    sheets, lang, answer, exact
):
    results = _results(sheets, "rolls")
    key = pdftotext(sheets[f"rolls-{lang}-teacher"])
    shaded = re.search(r"(?:share|割合) (\d\.\d{3}) = p", key).group(1)
    read = _read(sheets[f"rolls-{lang}-teacher"], lang)
    # The reading comes from the figure the student sees: the exact test is not in it.
    reading = answer.format(share=shaded)
    assert reading in read
    assert "exact" not in reading.lower() and "正確" not in reading
    # Then the report's own verdict: the JSON's exact p, on the same side of α.
    p = results["tests"]["exact_multinomial"]["pvalue"]
    assert (p >= 0.05) == ("not below" in answer or "いません" in answer)
    assert read.split(reading, 1)[1].lstrip().startswith(exact.format(p=f"{p:.4f}"))
    student = pdftotext(sheets[f"rolls-{lang}-student"])
    assert "dark bars)" not in student and "濃い棒の割合)" not in student
    assert "exact test" not in student and "正確検定" not in student


def test_a_coins_key_reads_its_own_yardstick(sheets):
    results = _results(sheets, "coin")
    text = _folded(pdftotext(sheets["coin-en-teacher"]))
    assert "simulated records of 12 tosses" in text and "You tossed a coin N = 12 times." in text
    shaded = float(re.search(r"share (\d\.\d{3}) = p", text).group(1))
    assert _within_monte_carlo_error(shaded, results["tests"]["exact_multinomial"]["pvalue"])
    assert _within_monte_carlo_error(shaded, exact_g_pvalue(results["counts"], [0.5, 0.5]))
    assert f"p ≈ {shaded:.3f} (the share of the dark bars) is not below α = 0.05" in text
    assert "against a fair coin (yk = 1/2)." in text
    ja = _read(sheets["coin-ja-student"], "ja")
    assert "あなたはコインを N = 12回投げました。" in ja and "サイコロ" not in ja.split("問1")[0]


def test_another_seed_draws_another_yardstick_and_the_key_follows_it():
    analysis = reportgen.analyse(DATA / "rolls.csv", seed=7)
    key = analysis.to_html(edition="teacher")
    found = yardstick.of(analysis, seed=7)
    assert f"p</var>\xa0≈\xa0{share_text(found.share)} (the share of the dark bars)" in key


@pytest.mark.parametrize(
    ("model", "tier"),
    [("0,0.2,0.2,0.2,0.2,0.2", "cannot have made these throws"), ("fair", "not below")],
)
def test_the_keys_reading_follows_the_yardstick_when_a_face_is_forbidden(model, tier):
    key = reportgen.analyse(DATA / "rolls.csv", model=model).to_html(edition="teacher")
    part = key[key.index('id="exercise-8"') :]
    assert tier in part


def test_a_loaded_die_is_strong_evidence_read_off_the_figure():
    analysis = reportgen.analyse(DATA / "loaded.csv")
    found = yardstick.of(analysis, seed=analysis.options.seed)
    assert found.pvalue < 0.01  # b = 1 of 4 000: the shaded share is 0.00025
    key = analysis.to_html(edition="teacher")
    part = key[key.index('id="exercise-8"') :]
    assert f"≈\xa0{share_text(found.share)} (the share of the dark bars) is far below α" in part
    assert "strong evidence against a fair die" in part


# ------------------------------------------------------------------ --log-table


def _log_rows(path: Path) -> dict[str, str]:
    """Table 3 of the sheet as x → −log x, read off the page's layout."""
    lines = pdftotext(path, "-layout").splitlines()
    pairs: dict[str, str] = {}
    for i, line in enumerate(lines):
        cells = line.split()
        if cells[:1] == ["x"] and i + 1 < len(lines):
            values = lines[i + 1].split()
            assert values[0] == "−log" and values[1] == "x", lines[i + 1]
            pairs.update(zip(cells[1:], values[2:], strict=True))
    return pairs


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", ["rolls", "coin"])
def test_the_log_table_gives_minus_log_of_each_value_to_four_decimals(sheets, lang, name):
    """Each n_k/N > 0 of the log and the model's 1/K, checked against math.log."""
    path = sheets.get(f"{name}-{lang}-student") or sheets[f"{name}-{lang}-teacher"]
    pairs = _log_rows(path)
    results = _results(sheets, name)
    n, k = results["n"], len(results["counts"])
    assert set(pairs) == {f"{c}/{n}" for c in results["counts"] if c} | {f"1/{k}"}
    for x, shown in pairs.items():
        a, b = (int(part) for part in x.split("/"))
        assert shown == f"{-math.log(a / b):.4f}", (x, shown)
    caption = "Logarithms for the exercises" if lang == "en" else "問題で使う対数の表"
    assert caption in pdftotext(path)


def test_the_log_table_in_bits_and_for_a_given_model():
    """Base 2 (math.log2), and a ``--model``'s probabilities as they are written."""
    analysis = reportgen.analyse(
        DATA / "rolls.csv", unit="bit", model="0.1,0.1,0.1,0.1,0.1,0.5", log_table=True
    )
    html = analysis.to_html(edition="student")
    table = html[html.index('<table class="data logs">') :]
    table = table[: table.index("</table>")]
    xs = re.findall(r'<td class="num">([\d./]+)</td>', table)
    labels = [x for x in xs if "/" in x or x in {"0.1", "0.5"}]
    values = dict(zip(labels, re.findall(r'<td class="num">(\d\.\d{4})</td>', table), strict=True))
    assert set(values) == {"2/20", "3/20", "4/20", "5/20", "0.1", "0.5"}
    for x, shown in values.items():
        a, b = (float(p) for p in x.split("/")) if "/" in x else (float(x), 1.0)
        assert shown == f"{-math.log2(a / b):.4f}", x
    assert "logarithms to base 2, four decimals" in html


def test_without_the_option_no_table_of_logarithms_and_the_api_keyword_sets_it():
    plain = reportgen.analyse(DATA / "rolls.csv")
    assert plain.render.log_table is False
    assert 'class="data logs"' not in plain.to_html(edition="student")
    asked = reportgen.analyse(DATA / "rolls.csv", log_table=True)
    assert asked.render.log_table is True
    assert 'class="data logs"' in asked.to_html(edition="teacher")


def test_the_log_table_with_the_report_is_a_usage_error():
    result = run_cli(DATA / "rolls.csv", "--log-table", "-o", "-", "-f", "html", cwd=ROOT)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        "reportgen: error: --log-table: only a worksheet has a table of logarithms "
        "(add --edition student or --edition teacher, or drop --log-table)"
    ]
    assert result.stdout == b""


# ------------------------------------------------------------------ pages


def test_the_sheets_keep_to_their_page_budget_and_both_editions_break_alike(sheets):
    for lang in ("en", "ja"):
        student = _pages(sheets[f"rolls-{lang}-student"])
        assert student == _pages(sheets[f"rolls-{lang}-teacher"]) <= MOST_PAGES, lang
    for name in ("zero-en-student", "zero-ja-student", "coin-en-teacher", "coin-ja-student"):
        assert _pages(sheets[name]) <= MOST_PAGES, name


def test_a_sheet_without_the_log_table_asks_for_a_calculator():
    record = reportgen.analyse(DATA / "rolls.csv", lang="ja")
    assert "対数が計算できる電卓を用意しましょう。" in record.to_html(edition="student")
    assert "電卓を用意" not in record.to_html(edition="teacher")
    tabled = reportgen.analyse(DATA / "rolls.csv", log_table=True).to_html(edition="student")
    assert "You need a calculator" not in tabled and "Table 3" in tabled
    assert "You need a calculator that computes logarithms." in reportgen.analyse(
        DATA / "rolls.csv"
    ).to_html(edition="student")

"""Issue 25.3: ``--by`` with a class of 40 students keeps its groups section on the page.

The dice table becomes a row a die (its header repeated overleaf), the figure a dot
plot with a panel a face, and the homogeneity G one sum over the dice, so no word of
any page lies outside it (pdfplumber) and no equation is shrunk below its size. Two
dice keep the side-by-side table, the grouped bars and each die's term.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

import reportgen
from reportgen.cli import main
from reportgen.render import latex
from reportgen.render.layout import GROUP_BARS, SIDE_BY_SIDE, WRITTEN_DICE
from reportgen.render.svg import drawing_of

DATA = Path(__file__).resolve().parents[2] / "data"

#: The text column of A4 with the report's 16 mm margins, in CSS px: what an equation may take.
COLUMN_PX = (210 - 2 * 16) / 25.4 * 96

FAMILY = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤".split()
GIVEN = "蓮 陽翔 湊 結衣 陽葵 凛".split()


def _class_log(path: Path, students: int, throws: int = 30, seed: int = 25) -> Path:
    """A Forms-like export: ``氏名,出た目``, ``throws`` fair throws a student, names in Japanese."""
    rng = np.random.default_rng(seed)
    rows = ["氏名,出た目"]
    for i in range(students):
        rows += [f"{_name(i)},{face}" for face in rng.integers(1, 7, throws)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _name(i: int) -> str:
    return f"{i + 1:02d}_{FAMILY[i % len(FAMILY)]}{GIVEN[i % len(GIVEN)]}"


@pytest.fixture(scope="module")
def forty(tmp_path_factory) -> Path:
    return _class_log(tmp_path_factory.mktemp("class") / "class40.csv", 40)


def _outside(pdf_path: Path) -> list[tuple[int, str]]:
    """(page, word) of every word whose box is not inside its page's box."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for w in page.extract_words():
                inside = w["x0"] >= 0 and w["top"] >= 0
                if not (inside and w["x1"] <= page.width and w["bottom"] <= page.height):
                    found.append((number, w["text"]))
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_forty_dice_keep_every_word_inside_the_page(forty, tmp_path, monkeypatch, lang):
    monkeypatch.setattr(sys, "stdout", sys.stderr)
    pdf = tmp_path / f"class40-{lang}.pdf"
    assert main([str(forty), "--by", "氏名", "-f", "pdf", "--lang", lang, "-o", str(pdf)]) == 0
    assert _outside(pdf) == []
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    for name in (_name(0), _name(39)):  # the first and last die have their row
        assert name in text


def test_forty_dice_are_a_row_each_and_a_dot_plot(forty):
    page = reportgen.analyse(forty, by="氏名").to_html()
    assert 'class="data compare long by-row"' in page  # a row a die, continued overleaf
    assert "a panel a face and a row a die" in page  # the dot plot's caption
    assert page.count("01_佐藤蓮") >= 3  # its row, the figure, its paragraph


def test_an_equation_over_forty_dice_is_one_sum_at_full_size(forty):
    record = reportgen.analyse(forty, by="氏名")
    shown = latex.homogeneity_equation(record)
    assert r"\sum_{g=1}^{40}" in shown.latex
    total = sum(g.cross_entropy.total for g in record.groups.values())
    assert f"{total:.4f}" in shown.latex and "+" not in shown.latex
    assert _width(shown.svg) <= COLUMN_PX


@pytest.mark.parametrize("students", [WRITTEN_DICE, WRITTEN_DICE + 1])
def test_the_equation_fits_the_column_either_side_of_the_switch(tmp_path, students):
    record = reportgen.analyse(_class_log(tmp_path / "c.csv", students), by="氏名", unit="bit")
    shown = latex.homogeneity_equation(record)
    assert shown.latex.count("+") == (students - 1 if students <= WRITTEN_DICE else 0)
    assert _width(shown.svg) <= COLUMN_PX


def test_two_dice_stay_side_by_side_with_bars_and_each_term():
    record = reportgen.analyse(DATA / "two_dice.csv", by="die")
    assert len(record.groups) <= min(SIDE_BY_SIDE, GROUP_BARS, WRITTEN_DICE)
    page = record.to_html()
    assert 'class="data compare long by-row"' not in page
    assert 'colspan="2" class="group">white' in page
    assert "Observed frequency of each face for each die (white, red)" in page
    white, red = (f"{g.cross_entropy.total:.4f}" for g in record.groups.values())
    assert f"({white} + {red})" in latex.homogeneity_equation(record).latex


def _width(markup: str) -> float:
    """The drawn equation's width in CSS px, as ziamath sets it at the display size."""
    return float(re.search(r'width="([\d.]+)"', drawing_of(markup)).group(1))

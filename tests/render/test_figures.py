"""The report's figures as drawn: no broken accents."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reportgen
from reportgen.render import figures, plots
from reportgen.render.catalogue import messages, plain

DATA = Path(__file__).resolve().parents[2] / "data"
MODEL = "0.25,0.15,0.15,0.15,0.15,0.15"


def _coin(folder: Path) -> Path:
    path = folder / "coin.csv"
    path.write_text("face\n" + "\n".join("HTHHTHHHTH" * 10) + "\n", encoding="utf-8")
    return path


#: The logs the issue names: the sample, two dice with --by, a coin, a --model run,
#: and a model that gives a seen face probability 0.
CASES = {
    "sample": lambda tmp: (DATA / "rolls.csv", {}),
    "by-die": lambda tmp: (DATA / "two_dice.csv", {"by": "die"}),
    "coin": lambda tmp: (_coin(tmp), {"faces": "H,T"}),
    "model": lambda tmp: (DATA / "rolls.csv", {"model": MODEL}),
    "zero-model": lambda tmp: (DATA / "rolls.csv", {"model": "0,0.2,0.2,0.2,0.2,0.2"}),
}


def _analysis(case: str, lang: str, tmp_path: Path):
    source, options = CASES[case](tmp_path)
    return reportgen.analyse(source, lang=lang, **options)


def _report_figures(analysis, lang: str):
    m = messages(lang)
    return plots.report_figures(analysis, m, plain(m["units"][analysis.options.unit]))


def _drawn_text(svg: str) -> list[str]:
    """Every piece of text of an inline SVG: element text, tails and the alt text."""
    root = ET.fromstring(svg)
    pieces = [root.get("aria-label", "")]
    for element in root.iter():
        pieces += [element.text or "", element.tail or ""]
    return [piece for piece in pieces if piece.strip()]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", list(CASES))
def test_no_drawn_text_holds_a_combining_mark(case, lang, tmp_path):
    """A lone combining U+0302 is drawn as a dotted circle by WeasyPrint (issue 12)."""
    made = _report_figures(_analysis(case, lang, tmp_path), lang)
    assert {"running", "bars", "profile", "model"} <= made.keys()
    if case == "by-die":
        assert "groups" in made
    hats = 0
    for name, figure in made.items():
        svg = str(figure.svg)
        broken = [
            (piece, hex(ord(ch)))
            for piece in _drawn_text(svg)
            for ch in piece
            if unicodedata.combining(ch)
        ]
        assert not broken, (name, broken)
        assert not any(unicodedata.combining(ch) for ch in svg), name
        assert not any(unicodedata.combining(ch) for ch in plain(figure.caption)), name
        hats += svg.count("\u02c6")
    assert hats >= 3  # ŷ and p̂ in the legends and labels still wear their hats


def test_a_hat_is_moved_to_where_the_combining_one_was_drawn():
    """The spacing circumflex sits over the letter: its ink centre is the combining one's."""
    from matplotlib.figure import Figure

    figure = Figure()
    figure.text(0.5, 0.5, r"$\hat{y}$", fontsize=20)
    svg = figures.to_svg(figure)
    root = ET.fromstring(svg)
    spans = {span.text: span for span in root.iter("tspan")}
    hat, letter = spans["\u02c6"], spans["y"]
    size = float(letter.get("font-size").removesuffix("px"))
    glyph = figures._ink_box(figures._font_path(dict(letter.attrib)), "y", size)
    mark = figures._ink_box(figures._font_path(dict(hat.attrib)), "\u02c6", size)
    letter_centre = float(letter.get("x")) + (glyph[0] + glyph[2]) / 2
    hat_centre = float(hat.get("x")) + (mark[0] + mark[2]) / 2
    assert abs(hat_centre - letter_centre) < 0.25 * size
    assert float(hat.get("y")) < float(letter.get("y")) + 0.01  # not below the letter's baseline

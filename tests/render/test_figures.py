"""The report's figures as drawn: no broken accents, the model named as itself, honest captions."""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reportgen
from reportgen.analysis.entropy import running_entropy
from reportgen.render import plots, svg
from reportgen.render.catalogue import messages, plain
from reportgen.render.svg import drawing_of

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
    units = plain(m["units"][analysis.options.unit])
    return plots.report_figures(
        analysis, analysis.render, m, units, names=tuple(plots.FIGURES)
    )  # all, not only the handout's


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
        svg = drawing_of(str(figure.svg))
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
    drawing = svg.to_svg(figure)
    root = ET.fromstring(drawing)
    spans = {span.text: span for span in root.iter("tspan")}
    hat, letter = spans["\u02c6"], spans["y"]
    size = float(letter.get("font-size").removesuffix("px"))
    glyph = svg.ink_box(svg.font_path(dict(letter.attrib)), "y", size)
    mark = svg.ink_box(svg.font_path(dict(hat.attrib)), "\u02c6", size)
    letter_centre = float(letter.get("x")) + (glyph[0] + glyph[2]) / 2
    hat_centre = float(hat.get("x")) + (mark[0] + mark[2]) / 2
    assert abs(hat_centre - letter_centre) < 0.25 * size
    assert float(hat.get("y")) < float(letter.get("y")) + 0.01  # not below the letter's baseline


def _legend(ax) -> list[str]:
    return ax.get_legend_handles_labels()[1]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_legends_name_the_model_given(lang):
    analysis = reportgen.analyse(DATA / "rolls.csv", lang=lang, model=MODEL)
    fair = "fair" if lang == "en" else "公平"
    for draw in (plots.running_mean, plots.frequencies, plots.models):
        labels = " ".join(_legend(draw(analysis, lang=lang)))
        assert "0.25, 0.15, 0.15, 0.15, 0.15, 0.15" in labels, draw.__name__
        assert fair not in labels, draw.__name__
    caption = plain(_report_figures(analysis, lang)["running"].caption)
    assert "0.25, 0.15" in caption and fair not in caption


@pytest.mark.parametrize(
    ("lang", "die", "coin"), [("en", "fair die", "fair coin"), ("ja", "サイコロ", "コイン")]
)
def test_legends_say_die_or_coin_for_the_fair_model(lang, die, coin, tmp_path):
    dice = reportgen.analyse(DATA / "rolls.csv", lang=lang)
    labels = _legend(plots.models(dice, lang=lang))
    assert any(die in label and "1/6" in label for label in labels), labels
    toss = _analysis("coin", lang, tmp_path)
    for draw in (plots.running_mean, plots.frequencies, plots.models):
        labels = " ".join(_legend(draw(toss, lang=lang)))
        assert coin in labels and die not in labels, (draw.__name__, labels)
    for name, figure in _report_figures(toss, lang).items():
        assert die not in plain(figure.caption), name


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_infinity_is_promised_only_when_a_seen_face_has_probability_zero(lang, tmp_path):
    fair = _report_figures(_analysis("sample", lang, tmp_path), lang)["model"]
    assert "\u221e" not in plain(fair.caption) and "\u221e" not in drawing_of(str(fair.svg))
    zero = _analysis("zero-model", lang, tmp_path)
    assert zero.infinite_indices == (0,)
    drawn = _report_figures(zero, lang)["model"]
    assert "\u221e" in plain(drawn.caption) and "\u221e" in drawing_of(str(drawn.svg))


@pytest.mark.parametrize("case", list(CASES))
def test_english_captions_start_with_a_capital(case, tmp_path):
    for name, figure in _report_figures(_analysis(case, "en", tmp_path), "en").items():
        assert plain(figure.caption)[0].isupper(), name


def test_running_figure_plots_the_model_and_the_entropy_of_the_first_m_throws():
    analysis = reportgen.analyse(DATA / "rolls.csv")
    ax = plots.running_mean(analysis)
    assert ax.get_xscale() == "linear"  # 20 throws: no log axis
    model, entropy = (line.get_ydata() for line in ax.get_lines())
    assert all(math.isclose(v, math.log(6)) for v in model)  # a fair die: every E_i = log 6
    assert entropy[0] == 0  # one throw: one-hot frequencies, entropy 0
    assert math.isclose(entropy[-1], analysis.entropy)
    assert all(h <= y + 1e-12 for h, y in zip(entropy, model, strict=True))  # Gibbs
    big = reportgen.analyse(DATA / "two_dice.csv", by="die")
    assert plots.running_mean(big).get_xscale() == "log"  # 600 throws


def test_running_entropy_is_the_entropy_of_each_checkpoints_frequencies():
    points = running_entropy([(1, (1, 0)), (2, (1, 1)), (4, (3, 1))], "bit")
    assert points[0] == (1, 0.0)
    assert points[1] == (2, 1.0)
    assert math.isclose(points[2][1], -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25)))


def _drawing_elements(html: str) -> dict[str, int]:
    """Drawing nodes (paths, uses) of each figure image of a report's HTML, by its alt text."""
    import base64
    import re

    found = {}
    for src, alt in re.findall(r'<img class="figure" src="([^"]+)" alt="([^"]*)"', html):
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        found[" ".join(alt.split()[:3])] = svg.count("<path") + svg.count("<use")
    return found


def test_a_d1000_costs_no_drawing_nodes_per_face():
    # Issue 13: bars, interval bars and dashes are one path each past figures.ONE_PATH faces.
    import random

    import reportgen

    rng = random.Random(13)
    sizes = {}
    for k in (100, 1000):
        throws = [rng.randint(1, k) for _ in range(3000)]
        sizes[k] = _drawing_elements(reportgen.analyse(throws, faces=str(k)).to_html())
    assert sizes[100].keys() == sizes[1000].keys() and len(sizes[1000]) >= 2
    for name, count in sizes[1000].items():
        assert count <= sizes[100][name] + 10, (name, sizes)
        assert count < 100, (name, count)


@pytest.mark.parametrize(
    ("case", "lang"), [("sample", "ja"), ("by-die", "en"), ("coin", "en"), ("zero-model", "ja")]
)
def test_the_text_points_to_every_figure_by_its_number(case, lang, tmp_path):
    """Each figure of the report is named in the text (or a table's caption) outside its own
    caption, so a reader meets it where the argument uses it."""
    import re

    html = _analysis(case, lang, tmp_path).to_html()
    numbers = [int(n) for n in re.findall(r'<figure id="figure-(\d+)">', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    outside = re.sub(r"<figure id=.*?</figure>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "", outside)
    word = "Figure " if lang == "en" else "図"
    for number in numbers:
        assert re.search(rf"{word}{number}(?!\d)", text), f"{case} {lang}: figure {number}"

"""Equations typeset as SVG that keeps its LaTeX as alt text."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from reportgen.render import equations
from reportgen.render import svg as drawings

ROOT = Path(__file__).resolve().parents[2]
LATEX = r"E = -\log L = -\sum_{k=1}^{K} t_k \log y_k"


def test_equation_is_vector_svg_with_its_latex_as_alt_text():
    svg = equations.to_svg(LATEX)
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == LATEX
    assert root.find("title").text == LATEX
    assert root.iter("path") and any(True for _ in root.iter("path"))  # drawn, not text
    assert "\\sum" not in "".join(root.itertext()).replace(LATEX, "")  # no raw LaTeX shown


def test_equation_svg_holds_no_url_not_even_a_namespace():
    svg = equations.to_svg(LATEX)
    assert "http" not in svg and "xmlns" not in svg


def test_alt_text_is_escaped():
    svg = equations.to_svg(r"a < b")
    root = ET.fromstring(svg)  # would fail on a raw "<"
    assert root.get("aria-label") == "a < b"


def test_equations_are_plain_paths_with_nothing_to_copy():
    # ziamath's svg2 <symbol> + <use> makes WeasyPrint copy each glyph: plain paths instead.
    root = ET.fromstring(equations.to_svg(r"\log y_1 + \log y_1"))
    assert not list(root.iter("use")) and not list(root.iter("symbol"))
    assert len(list(root.iter("path"))) >= 6


def test_equation_is_an_image_of_its_svg_with_the_latex_as_alt():
    eq = equations.equation(r"a < b")
    tag = ET.fromstring(eq.svg.replace(">", "/>", 1) if not eq.svg.endswith("/>") else eq.svg)
    assert tag.tag == "img" and tag.get("alt") == "a < b"
    src = tag.get("src")
    assert src.startswith("data:image/svg+xml;base64,")
    inner = ET.fromstring(base64.b64decode(src.split(",", 1)[1]))
    assert inner.tag == "{http://www.w3.org/2000/svg}svg"  # a standalone image declares it
    assert drawings.is_own_drawing(src) and not drawings.is_own_drawing(src[:-4] + "AAAA")


def test_a_drawing_that_references_anything_outside_itself_is_refused():
    for bad in (
        '<svg><image href="file:///etc/passwd"/></svg>',
        '<svg><path fill="url(https://x.org/p)"/></svg>',
        '<svg><use href="https://x.org/a.svg#g"/></svg>',
        "<svg><style>@import url(x.css)</style></svg>",
    ):
        with pytest.raises(ValueError):
            drawings.data_url(bad)
    assert drawings.data_url('<svg><use href="#g"/><path clip-path="url(#c)"/></svg>')


def test_aligned_environment_is_supported():
    svg = equations.to_svg(r"\begin{aligned} a &= b \\ &= c \end{aligned}")
    assert ET.fromstring(svg).get("aria-label").startswith(r"\begin{aligned}")


def test_numbered_equation_keeps_its_number_apart_from_the_svg():
    eq = equations.equation(r"\log L = \sum_{k=1}^{6} t_k \log y_k", "4.1")
    assert eq.number == "4.1"
    assert "(4.1)" not in eq.svg  # the number is HTML text placed by the template


def test_importing_the_render_modules_has_no_side_effects():
    # Importing must not load the heavy libraries nor touch matplotlib's configuration.
    code = (
        "import sys, json\n"
        "import reportgen.render.equations, reportgen.render.figures, reportgen.render.svg\n"
        "import reportgen.render.formats.html, reportgen.render.formats.pdf\n"
        "import reportgen.render.plots\n"
        "print(json.dumps(sorted(m for m in ('matplotlib', 'weasyprint', 'ziamath', 'jinja2')"
        " if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert json.loads(done.stdout) == []


def test_log_gets_the_thin_space_tex_would_give_it_but_alt_text_stays_clean():
    assert equations.spaced(r"-\log L + \log_2 y") == r"-\log\, L + \log_2\, y"
    # before it too after an ordinary atom (TeX's thin space between Ord and Op) ...
    assert equations.spaced(r"3 \log 0.15 + t_{k} \log y") == (
        r"3 \,\log\, 0.15 + t_{k} \,\log\, y"
    )
    assert equations.spaced(r"\frac{1}{N} \log L") == r"\frac{1}{N} \,\log\, L"
    # ... but not after a command, relation, operator or opening bracket
    for latex in (r"1 \cdot \log y", r"L = \log y", r"(\log y", r"\quad \log y", r"\log y"):
        assert r"\,\log" not in equations.spaced(latex), latex
    svg = equations.to_svg(r"\log L")
    assert ET.fromstring(svg).get("aria-label") == r"\log L"


def test_glyphs_of_the_math_font_carry_their_character_and_become_text_in_place():
    svg = equations.to_svg(r"E = -\sum_{k=1}^{K} t_k \log y_k")
    root = ET.fromstring(svg)
    glyphs = [g for g in root.iter("g") if g.get("data-char")]
    assert "\U0001d438" in {g.get("data-char") for g in glyphs}  # math italic E
    placed = [  # (x, y, size, character): the outline's origin, 12 pt outlines scaled
        (*g.get("transform").split(")")[0].removeprefix("translate(").split(),
         f'{12 * float(g.get("transform").split("scale(")[1].rstrip(")")):.4f}', g.get("data-char"))
        for g in glyphs
    ]  # fmt: skip
    text = ET.fromstring(equations.glyphs_as_text(svg))
    assert not [g for g in text.iter("g") if g.get("data-char")]
    assert list(text.iter("path"))  # the display-size sum and script glyphs stay outlines
    drawn = []
    for run in text.iter("text"):
        assert run.get("font-family") == "STIX Two Math"
        xs = run.get("x").split()
        assert len(xs) == len(run.text)  # one position a glyph
        drawn += [
            (x, run.get("y"), run.get("font-size"), c) for x, c in zip(xs, run.text, strict=True)
        ]
    assert sorted(drawn) == sorted(placed)
    runs = list(text.iter("text"))
    assert len(runs) < len(drawn)  # glyphs side by side share a run
    assert runs[0].text == "\U0001d438=\u2212"  # E = − up to the sum sign
    assert float(runs[0].get("font-size")) == pytest.approx(equations.DISPLAY_SIZE)


def _ink(pdf: bytes) -> Any:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def test_equation_glyphs_drawn_as_text_land_where_their_outlines_were():
    # The PDF draws an equation's glyphs as text (formats.pdf's fetcher); rendered at 300 dpi,
    # the page matches the same equation drawn as outlines but for antialiasing.
    from PIL import ImageChops

    from reportgen.render.formats.pdf import write_pdf

    latex = r"\hat{y}_k = \frac{n_k}{N}, \quad E = -\sum_{k=1}^{K} t_k \log y_k"
    svg = equations.to_svg(latex)
    outlines = re.sub(r' data-char="[^"]*"', "", svg)
    pages = []
    for drawing in (svg, outlines):
        img = drawings.img(drawing, latex, "math")
        pages.append(_ink(write_pdf(f"<html lang=en><body><p>{img}</p></body></html>", "en", [])))
    as_text, as_outlines = pages
    inked = sum(as_outlines.histogram()[:128])
    assert inked > 2000
    ink_text = ImageChops.invert(as_text).getbbox()
    ink_outlines = ImageChops.invert(as_outlines).getbbox()
    assert max(abs(a - b) for a, b in zip(ink_text, ink_outlines, strict=True)) <= 2
    difference = ImageChops.difference(as_text, as_outlines)
    assert sum(difference.histogram()[129:]) < 0.03 * inked


def test_the_pdf_holds_equations_as_searchable_text_in_the_embedded_math_font(tmp_path):
    from pypdf import PdfReader

    import reportgen

    pdf = reportgen.analyse(ROOT / "data" / "rolls.csv").to_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "\U0001d438 = \u2212 log \U0001d43f = \u2212" in text  # (4.3): E = -log L = -...
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[2]["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+STIX-Two-Math") for name in fonts)  # embedded, subset

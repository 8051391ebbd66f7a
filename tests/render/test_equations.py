"""Equations typeset as SVG that keeps its LaTeX as alt text."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

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
        "import reportgen.render.html, reportgen.render.pdf, reportgen.render.plots\n"
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
    svg = equations.to_svg(r"\log L")
    assert ET.fromstring(svg).get("aria-label") == r"\log L"

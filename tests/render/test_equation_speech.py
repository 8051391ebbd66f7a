"""Every equation the report writes, as MathML and in words (en, ja), and its PDF alt text.

Oracles: the readings below, written by hand as a teacher reads the formula aloud
(the English one of (4.3) is issue 24's own); ``xml.etree`` for well-formed
MathML and its structure (a ∑ with limits, one table row per line of an
``aligned``); pypdf reading WeasyPrint's tagged PDF for the Figure's /Alt.
"""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reportgen
from reportgen.render import equations, latex
from reportgen.render.pages import worksheet
from reportgen.render.speech import spoken

DATA = Path(__file__).resolve().parents[2] / "data"
MATHML = "{http://www.w3.org/1998/Math/MathML}"

READINGS = {
    r"E = -\log L = -\sum_{k=1}^{K} t_k \log y_k": (
        "E equals minus log L equals minus the sum over k from 1 to K of t sub k log y sub k",
        "E イコール マイナス ログ L イコール マイナス k が 1 から K までの t k ログ y k の和",
    ),
    r"\hat y_k = \frac{n_k}{N}": (
        "y hat sub k equals n sub k over N",
        "y ハット k イコール N 分の n k",
    ),
    r"L = \prod_{k=1}^{K} y_k^{\,n_k}": (
        "L equals the product over k from 1 to K of y sub k to the power n sub k",
        "L イコール k が 1 から K までの y k の n k 乗 の積",
    ),
    r"\log_2 L = \sum_{k=1}^{K} n_k \log_2 y_k": (
        "log base 2 of L equals the sum over k from 1 to K of n sub k log base 2 of y sub k",
        "底が 2 のログ L イコール k が 1 から K までの n k 底が 2 のログ y k の和",
    ),
    r"\frac{\partial^2 \log L}{\partial y_j \, \partial y_k}"
    r" = \begin{cases} -\dfrac{n_k}{y_k^2} & j = k \\ 0 & j \ne k \end{cases}": (
        "the second partial derivative of log L with respect to y sub j and y sub k equals"
        " minus n sub k over y sub k squared if j equals k; 0 if j is not equal to k",
        "ログ L の y j と y k による 2 階偏微分 イコール j イコール k のとき"
        " マイナス y k の 2 乗 分の n k、j ノットイコール k のとき 0",
    ),
    r"\frac{1}{N} \sum_{i=1}^{N} E_i(y) = H(\hat p) + D_{\mathrm{KL}}(\hat p \,\|\, y)"
    r" \ge H(\hat p)": (
        "1 over N times the sum over i from 1 to N of E sub i of y equals H of p hat plus the"
        " KL divergence of p hat from y is greater than or equal to H of p hat",
        "N 分の 1 かける i が 1 から N までの E i カッコ y カッコとじ の和 イコール"
        " H カッコ p ハット カッコとじ プラス p ハット から y への KL ダイバージェンス"
        " 大なりイコール H カッコ p ハット カッコとじ",
    ),
    r"\frac{\partial \Lambda}{\partial y_k} = \frac{n_k}{(\ln 2)\,y_k} - \lambda": (
        "the partial derivative of capital lambda with respect to y sub k equals the fraction"
        " n sub k, over open paren natural log of 2 close paren y sub k, end fraction minus lambda",
        "大文字のラムダ の y k による偏微分 イコール 分母が カッコ 自然対数 2 カッコとじ y k、"
        "分子が n k の分数 マイナス ラムダ",
    ),
    r"\begin{aligned}\log L(\hat y) &= 3 \log 0.1500 + 2 \log 0.1000 \\ &\quad"
    r" + 5 \log 0.2500 \\ &= {-35.0485}\end{aligned}": (
        "log L of y hat equals 3 log 0.1500 plus 2 log 0.1000, plus 5 log 0.2500,"
        " equals minus 35.0485",
        "ログ L カッコ y ハット カッコとじ イコール 3 ログ 0.1500 プラス 2 ログ 0.1000、"
        "プラス 5 ログ 0.2500、イコール マイナス 35.0485",
    ),
}


@pytest.mark.parametrize("source", list(READINGS))
def test_readings_in_english_and_japanese(source):
    """The hand-written readings."""
    english, japanese = READINGS[source]
    assert spoken(source, "en") == english
    assert spoken(source, "ja") == japanese


def _every_equation():
    """Every display equation of the sample, a coin, --by die, and the worksheet's; the
    bits forms (log_2, ln 2) are those of READINGS (typesetting costs time)."""
    runs = [
        (DATA / "rolls.csv", {}),
        (DATA / "two_dice.csv", {"by": "die"}),
        (["H", "T", "H", "H"] * 5, {"faces": "H,T"}),
    ]
    found = {}
    for source, options in runs:
        analysis = reportgen.analyse(source, **options)
        found.update({e.latex: e for e in latex.report_equations(analysis).values()})
        extra = latex.homogeneity_equation(analysis)
        if extra is not None:
            found[extra.latex] = extra
        found.update({e.latex: e for e in worksheet._equations("nat", analysis.k).values()})
    return list(found.values())


def test_every_equation_has_well_formed_mathml_and_words_without_latex():
    """MathML parses as XML, one row per line of an aligned, a ∑ with limits where LaTeX has
    one; the words hold no backslash, brace, _ or ^ in either language."""
    every = _every_equation()
    assert len(every) >= 25
    for e in every:
        root = ET.fromstring(e.mathml.replace("<math ", f'<math xmlns="{MATHML[1:-1]}" ', 1))
        assert root.get("display") == "block", e.latex
        if r"\begin{aligned}" in e.latex:
            rows = len(re.findall(r"\\\\", e.latex.split(r"\begin{aligned}")[1])) + 1
            assert len(root.findall(f".//{MATHML}mtr")) == rows, e.latex
        if r"\sum_{k=1}^{K}" in e.latex:
            assert root.findall(f".//{MATHML}munderover"), e.latex
        for lang in ("en", "ja"):
            words = e.spoken(lang)
            assert words and not re.search(r"[\\{}_^]", words), (lang, e.latex, words)


def test_the_pages_today_are_unchanged():
    """Equation.svg still carries the LaTeX as alt (the golden files stay valid)."""
    e = equations.equation(r"\hat y_k = \frac{n_k}{N}")
    assert e.svg.startswith('<img class="math" src="data:image/svg+xml;base64,')
    assert e.svg.endswith('alt="\\hat y_k = \\frac{n_k}{N}">')


def test_the_pdf_tags_the_picture_with_words_and_leaves_the_mathml_out(caplog):
    """WeasyPrint on Equation.html with MATHML_CSS: a Figure whose /Alt is the Japanese
    reading, no MathML text in the page (pypdf), and no warning about the CSS."""
    import pypdf
    from weasyprint import HTML

    e = equations.equation(r"E = -\log L = -\sum_{k=1}^{K} t_k \log y_k", "4.3")
    page = (
        f'<!DOCTYPE html><html lang="ja"><head><style>{equations.MATHML_CSS}</style></head>'
        f"<body><main><p>Before</p><div>{e.html('ja')}</div><p>After</p></main></body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = pypdf.PdfReader(io.BytesIO(HTML(string=page).write_pdf(pdf_tags=True)))
    assert [r.getMessage() for r in caplog.records] == []
    assert pdf.pages[0].extract_text().split() == ["Before", "After"]
    alts = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                if kid is not None:
                    walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert alts == [e.spoken("ja")]

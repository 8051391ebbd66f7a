"""The rendered report, made by the real CLI and read back (PDF: pypdf, HTML: html.parser).

Nothing is mocked: WeasyPrint, matplotlib and ziamath really run.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli
from pypdf import PdfReader

from reportgen.render import catalogue, layout
from reportgen.render import numbers as fmt
from reportgen.render.formats.pdf import refusing_fetcher

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "rolls.csv"
#: The subprocess imports this worktree's package, wherever pytest runs from.
ENV = {"PYTHONPATH": str(ROOT)}

# data/rolls.csv counted by hand (see tests/analysis/test_tables.py).
COUNTS = (3, 3, 2, 5, 3, 4)
N = 20


def hand_total() -> float:
    """Σ_i E_i = −Σ_k n_k log(n_k/N), written out as a plain loop (independent of reportgen)."""
    total = 0.0
    for n_k in COUNTS:
        total -= n_k * math.log(n_k / N)
    return total


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """The sample rendered once as PDF, HTML and JSON by the CLI."""
    out = tmp_path_factory.mktemp("report")
    done = run_cli(SAMPLE, "-f", "pdf,html,json", "-o", f"{out}/", env=ENV)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b"", done.stderr.decode()  # no warnings from WeasyPrint either
    return out


@pytest.fixture(scope="module")
def pdf(rendered) -> PdfReader:
    return PdfReader(rendered / "rolls.pdf")


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


# ---------------------------------------------------------------- PDF


def test_pdf_has_the_lesson_equation_numbers_as_text(pdf_text):
    for number in ("(3.6)", "(4.1)", "(4.2)", "(4.3)"):
        assert number in pdf_text


def test_pdf_prints_the_counts_and_the_total_cross_entropy(pdf_text):
    for face, n_k in enumerate(COUNTS, start=1):
        assert f"{face} {n_k} {n_k / N:.4f}" in pdf_text  # a row of the counts table
    total = fmt.fmt_number(hand_total())
    assert total == "35.0485"
    assert f"Total {N}" in pdf_text
    assert total in pdf_text


def test_pdf_metadata_title_and_language(pdf):
    assert pdf.metadata.title == "Cross-entropy from the throws of a die"
    assert pdf.metadata.author is None  # no --author: none is named
    assert pdf.trailer["/Root"]["/Lang"] == "en"


def test_pdf_has_several_a4_pages_numbered_n_of_total(pdf, pdf_text):
    pages = len(pdf.pages)
    assert pages >= 2
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert f"1 / {pages}" in pdf_text and f"{pages} / {pages}" in pdf_text


def _fonts(pdf: PdfReader):
    for page in pdf.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            yield font


def test_pdf_fonts_are_embedded(pdf):
    fonts = list(_fonts(pdf))
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")


def test_pdf_is_tagged_and_equations_carry_their_words(pdf):
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    alts: list[str] = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if depth < 60:
                        walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    assert any("t sub k log y sub k" in alt for alt in alts)
    # (4.3) with the correct sign, in words (render.speech)
    assert "E equals minus log L sub 1 equals minus the sum over k from 1 to K of" in " ".join(alts)


# ---------------------------------------------------------------- HTML


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture(scope="module")
def html(rendered) -> str:
    return (rendered / "rolls.html").read_text(encoding="utf-8")


#: The one address a page may name: the lesson's, a link the reader follows (it loads nothing).
LESSON = "https://blog.qualiteg.com/cross-entropy-03"


def test_html_references_nothing_outside_itself(html):
    """Self-contained: nothing is loaded from elsewhere; the source's link is the only URL."""
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag != "link", attrs
        assert not (tag == "script" and "src" in attrs), attrs
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            if tag == "a" and name == "href" and value == LESSON:
                continue
            assert not value.startswith(("http:", "https:", "file:", "//")), (tag, name, value)
    rest = html.replace(LESSON, "")
    assert "http:" not in rest and "https:" not in rest  # not even in CSS url() or xmlns
    assert "@import" not in html


def test_html_is_one_document_with_language_title_and_description(html):
    page = parse(html)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en"}) in page.tags
    metas = {a.get("name"): a.get("content") for t, a in page.tags if t == "meta"}
    assert "author" not in metas and metas["description"]  # no --author: none is named
    assert sum(1 for t, _ in page.tags if t == "style") == 1  # the inline stylesheet only
    assert "@page" in html and "@media print" in html


def test_html_equation_numbers_are_text_beside_labelled_images(html):
    page = parse(html)
    text = "".join(page.text)
    for number in ("(3.6)", "(4.1)", "(4.2)", "(4.3)"):
        assert number in text
    pictures = [a for t, a in page.tags if t == "img" and a.get("class") == "math"]
    # issue 24: screen readers get the MathML beside each drawing, so the drawing is hidden
    assert pictures and all(a.get("aria-hidden") == "true" for a in pictures)
    maths = [a for t, a in page.tags if t == "math"]
    assert len(maths) == len(pictures) and all(a.get("alttext") for a in maths)
    # the running mean, the curve, the bars and the yardstick (the model bars and the
    # profiles are public plots only)
    figures = [a for t, a in page.tags if t == "img" and a.get("class") == "figure"]
    assert len(figures) == 4 and all(a["alt"] for a in figures)
    assert not any(t == "svg" for t, _ in page.tags)  # drawings are images: no HTML cascade


def test_html_drawings_are_svg_images_that_reference_nothing_outside(html):
    # The report's own data: URLs: SVG, base64, and inside only their own ids (#…).
    sources = [a["src"] for t, a in parse(html).tags if t == "img"]
    assert sources
    for src in sources:
        assert src.startswith("data:image/svg+xml;base64,")
        inner = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        root = ET.fromstring(inner)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        for element in root.iter():
            for name, value in element.attrib.items():
                if name.endswith("href"):
                    assert value.startswith("#"), (name, value)
                assert "url(" not in value or value.startswith("url(#"), (name, value)
        assert inner.count("http") == 1  # the namespace's name, never fetched


def test_html_ids_are_unique(html):
    ids = [a["id"] for _, a in parse(html).tags if "id" in a]
    assert len(ids) == len(set(ids))


def test_html_shows_first_throws_and_how_many_follow(tmp_path):
    log = tmp_path / "long.csv"
    log.write_text("face\n" + "\n".join(str(1 + i % 6) for i in range(50)) + "\n")
    done = run_cli(log, "-f", "html", "-o", tmp_path / "long.html", env=ENV)
    assert done.returncode == 0, done.stderr.decode()
    text = "".join(parse((tmp_path / "long.html").read_text(encoding="utf-8")).text)
    assert "… and 30 more throws." in text


def test_face_labels_are_escaped(tmp_path):
    log = tmp_path / "labels.csv"
    log.write_text("face\n<script>\nb\n<script>\n", encoding="utf-8")
    out = tmp_path / "labels.html"
    done = run_cli(log, "--faces", "<script>,b", "-f", "html", "-o", out, env=ENV)
    assert done.returncode == 0, done.stderr.decode()
    html = out.read_text(encoding="utf-8")
    assert not any(tag == "script" for tag, _ in parse(html).tags)
    assert "&lt;script&gt;" in html


def test_json_run_imports_neither_matplotlib_nor_weasyprint(tmp_path):
    code = (
        "import json, runpy, sys\n"
        f"sys.argv = ['reportgen', {str(SAMPLE)!r}, '-f', 'json', '-o', {str(tmp_path)!r} + '/']\n"
        "try:\n"
        "    runpy.run_module('reportgen', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "heavy = ('matplotlib', 'weasyprint', 'ziamath', 'jinja2', 'reportgen.render.pages')\n"
        "print(json.dumps({'status': status, 'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"status": 0, "loaded": []}
    assert (tmp_path / "rolls.json").is_file()


# ---------------------------------------------------------------- in-process rendering


def _analysis(tmp_path: Path, text: str, faces: str = "6", **options):
    from reportgen import analyse

    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return analyse(path, faces=faces, **options)


def render_html(report) -> str:  # type: ignore[no-untyped-def]
    """The report's page, as the HTML format makes it."""
    return report.to_html()


def test_html_is_reproducible(tmp_path):
    analysis = _analysis(tmp_path, SAMPLE.read_text())
    assert render_html(analysis) == render_html(analysis)


def test_many_faces_elide_the_one_hot_columns(tmp_path):
    rolls = "face\n" + "\n".join(str(1 + (7 * i) % 20) for i in range(60)) + "\n"
    html = render_html(_analysis(tmp_path, rolls, faces="20", unit="bit"))
    text = "".join(parse(html).text).replace("\xa0", " ")
    assert "t<sub>20</sub></th>" not in html and "t<sub>1</sub></th>" not in html
    assert "k with tk = 1" in text
    assert "bits" in text and "nats" not in text


def test_exact_interval_alone_when_chosen(tmp_path):
    html = render_html(_analysis(tmp_path, SAMPLE.read_text(), interval="exact"))
    mle_table = html[html.index('<table class="data mle') :]
    assert "Wilson" not in mle_table[: mle_table.index("</table>")]


def test_frequency_table_input_skips_the_single_throw_steps(tmp_path):
    html = render_html(_analysis(tmp_path, "face,count\n1,3\n2,0\n3,5\n4,2\n5,1\n6,9\n"))
    assert '<div class="eq-number">(4.1)</div>' not in html
    assert '<div class="eq-number">(4.2)</div>' in html
    assert '<div class="eq-number">(4.3)</div>' in html
    assert "frequency table" in "".join(parse(html).text)


def test_number_filters():
    assert fmt.fmt_number(-1.38629436) == "\u22121.3863"
    # A figure below 0.001 keeps three significant digits (issue 23); only zero is unsigned.
    assert fmt.fmt_number(-0.00001) == "\u22120.0000100" and fmt.fmt_number(-0.0) == "0.0000"
    assert fmt.fmt_number(math.inf) == "\u221e"
    assert fmt.fmt_count(1234567) == "1\u202f234\u202f567"
    assert fmt.fmt_percent(0.95) == "95%" and fmt.fmt_percent(0.999) == "99.9%"
    assert fmt.fmt_pvalue(0.9012345) == "=\u00a00.9012" and fmt.fmt_pvalue(1e-9) == "<\u00a00.0001"
    assert fmt.fmt_tex(-1.5) == "{-1.5000}" and fmt.fmt_tex(0.25) == "0.2500"


def test_templates_are_found_and_autoescape_is_on():
    assert (catalogue.templates_dir() / catalogue.TEMPLATE).is_file()
    env = catalogue.environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_refusing_fetcher_refuses_files_and_network():
    fetcher = refusing_fetcher()
    foreign = "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
    for url in ("file:///etc/passwd", "https://example.org/x.css", "data:text/css,p{}", foreign):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_refusing_fetcher_serves_the_drawings_the_report_made():
    from reportgen.render.svg import data_url

    url = data_url('<svg width="1" height="1"><path d="M 0 0 L 1 1"/></svg>')
    response = refusing_fetcher().fetch(url)
    assert response.content_type == "image/svg+xml" and response.read().startswith(b"<svg")


def test_figure_svg_is_deterministic_and_self_contained():
    from reportgen.render import figures, svg

    def draw() -> str:
        ax = figures.running_mean(
            [(1, math.log(6)), (2, math.log(6)), (20, math.log(6))],
            [(1, 0.0), (2, 0.69), (20, 1.7)],
            xlabel="m",
            ylabel="E",
            model_label=r"fair, $\hat{y}$",
            entropy_label="H",
            gap_label="KL",
        )
        return svg.to_svg(ax.figure, title="Figure <1>", id_prefix="f")

    first, second = draw(), draw()
    assert first == second
    assert "http" not in first and "<style" not in first and ' style="' not in first
    assert first.startswith('<svg role="img" aria-label="Figure &lt;1&gt;"')


def test_templates_are_found_inside_the_package_as_in_a_wheel(tmp_path):
    # A wheel force-includes templates/ as reportgen/templates; mimic that layout by copying.
    import shutil

    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "reportgen", site / "reportgen", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "templates", site / "reportgen" / "templates")
    out = tmp_path / "rolls.html"
    done = run_cli(SAMPLE, "-f", "html", "-o", out, env={"PYTHONPATH": str(site)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert "(4.3)" in out.read_text(encoding="utf-8")


def test_a_hundred_named_faces_render(tmp_path):
    labels = [f"f{i}" for i in range(100)]
    rolls = "face\n" + "\n".join(labels[(i * 37) % 100] for i in range(300)) + "\n"
    html = render_html(_analysis(tmp_path, rolls, faces=",".join(labels)))
    text = "".join(parse(html).text)
    assert "f99" in text and "⋮" in text


def test_elision_of_faces_keeps_the_ends_and_the_face_seen():
    assert layout.visible(6, (3,)) == [0, 1, 2, 3, 4, 5]
    assert layout.visible(20, (9,)) == [0, 1, 2, None, 9, None, 19]
    assert layout.visible(20, (3,)) == [0, 1, 2, 3, None, 19]
    assert layout.written_out(6, 3) == [0, 1, 2, 3, 4, 5]
    assert layout.written_out(20, 0) == [0, 1, None, 19]


def test_grouped_counts_get_a_box_of_their_own_in_page_text_only():
    """The WeasyPrint early-break workaround touches text, never attributes, SVG or <title>."""
    from reportgen.render.formats.html import grouped_numbers_apart

    nn = "\u202f"
    page = (
        f'<title>1{nn}000</title><p title="1{nn}000">of the 53{nn}130 and 1{nn}000{nn}000 throws,'
        f" 999 and 2026</p><svg><text>2{nn}000</text></svg>"
    )
    assert grouped_numbers_apart(page) == (
        f'<title>1{nn}000</title><p title="1{nn}000">of the <span class="n">53{nn}130</span> and'
        f' <span class="n">1{nn}000{nn}000</span> throws, 999 and 2026</p>'
        f"<svg><text>2{nn}000</text></svg>"
    )


def test_japanese_blocks_end_with_their_last_characters_together():
    """No 「す。」 or lone 「の」 on a last line: the last four characters are kept in one box."""
    from reportgen.render.formats.html import no_lone_last_characters

    assert no_lone_last_characters("<p>交差エントロピーの平均です。</p>") == (
        '<p>交差エントロピーの平<span class="nobr">均です。</span></p>'
    )
    assert no_lone_last_characters('<caption>表2　表したもの</caption><td class="x">1</td>') == (
        '<caption>表2　表<span class="nobr">したもの</span></caption><td class="x">1</td>'
    )
    assert (
        no_lone_last_characters("<p>a &amp;</p><p><b>x</b></p>") == "<p>a &amp;</p><p><b>x</b></p>"
    )


def test_a_d1000_lists_the_ends_of_its_per_face_tables_and_says_so():
    """Above layout.HUGE faces the per-face tables list HEAD + TAIL faces and the first throw's."""
    import random

    import reportgen
    from reportgen.render.layout import HEAD, HUGE, TAIL, rows

    assert rows(HUGE) == list(range(HUGE))
    assert rows(1000, [500]) == [*range(HEAD), None, 500, None, *range(1000 - TAIL, 1000)]
    rng = random.Random(3)
    throws = [rng.randint(1, 1000) for _ in range(2000)]
    report = reportgen.analyse(throws, faces=1000)
    page = report.to_html()
    assert "this table and the per-face tables below list the first 20 faces" in page
    first = throws[0]
    shown = sorted({*range(1, HEAD + 1), first, *range(1001 - TAIL, 1001)})
    for name in ("counts", "perface", "mle"):  # Tables 1, 4 and 6 of the sample
        table = page[page.index(f'<table class="data {name}') :]
        table = table[: table.index("</table>")]
        faces = [int(f) for f in re.findall(r'<tr><th scope="row">(\d+)</th>', table)]
        assert faces == shown, name
    # totals are still over every face: Table 4's total is the JSON's
    assert f"{report.cross_entropy.total:.4f}" in page


def test_japanese_captions_and_headings_break_between_phrases_not_inside_words():
    """場/合, 示/した and Clopper–/Pearson were broken; paragraphs still break anywhere."""
    from reportgen.render.formats.html import whole_phrases

    nobr = '<span class="nobr">{}</span>'.format
    caption = whole_phrases(
        "<caption>表5　最尤推定値 <var>ŷ</var> の場合と、正確(Clopper–Pearson)</caption>"
    )
    assert nobr("場合と、") in caption and nobr("(Clopper–Pearson)") in caption
    assert "<var>ŷ</var>" in caption and nobr("表5　") in caption
    title = whole_phrases("<h1>自分で投げたサイコロから交差エントロピーへ</h1>")
    assert title.endswith(nobr("交差エントロピーへ") + "</h1>")  # no 「へ」 alone on a line
    # a symbol between two phrases is a box of its own, without the spaces around it
    assert whole_phrases("<th>同じ ✔ の表</th>") == (
        "<th>" + nobr("同じ ") + "✔" + nobr(" の") + "表</th>"  # one character needs no box
    )
    paragraph = "<p>場合によっては、ここで改行されてもかまいません。</p>"
    assert whole_phrases(paragraph) == paragraph
    assert whole_phrases("<caption>a &amp; b</caption>") == (
        "<caption>" + nobr("a ") + "&amp;" + nobr(" b") + "</caption>"
    )

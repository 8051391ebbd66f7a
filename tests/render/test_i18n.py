"""Issue 6: the report in Japanese and English, with real glyphs, data and reproducible bytes.

Each language's PDF and HTML are rendered twice by the CLI in separate
processes with ``SOURCE_DATE_EPOCH`` set (module-scoped: once per module), and
read back with pypdf and fontTools.
"""

from __future__ import annotations

import io
import json
import re
import string
import warnings
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_cli

LANGS = ("en", "ja")
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
AUTHOR = "Yamada Hanako 山田花子"
CATALOGUES = ROOT / "templates" / "messages"

#: Hiragana, katakana, CJK ideographs and full-width forms: what needs a CJK font.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _flat(node: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    out: dict[tuple[str, ...], object] = {}
    for key, value in node.items():
        if isinstance(value, dict):
            out.update(_flat(value, (*prefix, key)))
        else:
            out[(*prefix, key)] = value
    return out


def _catalogue(lang: str) -> dict[tuple[str, ...], object]:
    return _flat(json.loads((CATALOGUES / f"{lang}.json").read_text(encoding="utf-8")))


def _placeholders(text: object) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(str(text)) if name}


# ---------------------------------------------------------------- catalogues


def test_every_language_has_every_key():
    keys = {lang: set(_catalogue(lang)) for lang in LANGS}
    for lang in LANGS:
        for other in LANGS:
            missing = sorted(".".join(k) for k in keys[other] - keys[lang])
            assert not missing, f"{lang}.json lacks keys of {other}.json: {missing}"


def test_placeholders_are_the_same_in_every_language():
    en = _catalogue("en")
    for lang in LANGS:
        messages = _catalogue(lang)
        for key, text in en.items():
            assert _placeholders(messages[key]) == _placeholders(text), ".".join(key)


def test_japanese_uses_the_lessons_terms():
    text = json.dumps(json.loads((CATALOGUES / "ja.json").read_text("utf-8")), ensure_ascii=False)
    terms = "尤度関数 対数尤度関数 交差エントロピー 最尤推定 信頼区間 ワンホット表現 標本 事象 頻度"
    for term in terms.split():
        assert term in text, term


# ---------------------------------------------------------------- rendered once


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Per language, the PDF and HTML of two separate CLI runs with SOURCE_DATE_EPOCH."""
    out: dict[str, dict[str, Path]] = {}
    for lang in LANGS:
        for run in ("a", "b"):
            folder = tmp_path_factory.mktemp(f"{lang}-{run}")
            result = run_cli(
                DATA / "rolls.csv",
                "--lang",
                lang,
                "--author",
                AUTHOR,
                "-f",
                "pdf,html",
                "-o",
                folder,
                cwd=ROOT,
                env={"SOURCE_DATE_EPOCH": EPOCH},
            )
            assert result.returncode == 0, result.stderr.decode()
            assert b".notdef" not in result.stderr, result.stderr.decode()[:2000]
            out.setdefault(lang, {})[f"pdf-{run}"] = folder / "rolls.pdf"
            out[lang][f"html-{run}"] = folder / "rolls.html"
    return out


def _reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_bytes_are_reproducible_across_processes(rendered, lang, fmt):
    first = rendered[lang][f"{fmt}-a"].read_bytes()
    assert first == rendered[lang][f"{fmt}-b"].read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_html_language_and_dates(rendered, lang):
    html = rendered[lang]["html-a"].read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert '<meta name="dcterms.created" content="2023-11-14T22:13:20Z">' in html
    assert f'<meta name="author" content="{AUTHOR}">' in html


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_metadata_language_title_author_subject(rendered, lang):
    reader = _reader(rendered[lang]["pdf-a"])
    info = reader.metadata
    catalogue = _catalogue(lang)
    assert info.title == catalogue[("meta", "title")]
    assert info.author == AUTHOR
    assert info.subject == catalogue[("meta", "description")]
    assert info["/CreationDate"].startswith("D:20231114221320")
    assert reader.trailer["/Root"]["/Lang"] == lang


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_pdfa_3b_by_its_metadata(rendered, lang):
    """verapdf is not installed here: this checks the declaration, not conformance."""
    reader = _reader(rendered[lang]["pdf-a"])
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_carries_the_input_and_the_results(rendered, lang):
    reader = _reader(rendered[lang]["pdf-a"])
    files = reader.attachments
    assert sorted(files) == ["results.json", "rolls.csv"]
    assert files["rolls.csv"] == [(DATA / "rolls.csv").read_bytes()]
    results = json.loads(files["results.json"][0])
    assert results["n"] == 20 and results["input"]["path"].endswith("rolls.csv")
    assert len(reader.trailer["/Root"]["/AF"]) == 2


def test_stdin_input_is_attached_as_its_frequency_table(tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "out.pdf"
    result = run_cli("-", "-o", target, stdin=(DATA / "rolls.csv").read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    files = PdfReader(target).attachments
    table = files["stdin-counts.csv"][0].decode()
    assert table.splitlines()[0] == "face,count"
    assert sum(int(line.split(",")[1]) for line in table.splitlines()[1:]) == 20


def _walk_struct(node, found: list) -> None:
    node = node.get_object()
    if hasattr(node, "get"):
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object"):
                    _walk_struct(kid, found)
    elif isinstance(node, list):
        for kid in node:
            _walk_struct(kid, found)


@pytest.mark.parametrize("lang", LANGS)
def test_equations_are_figures_whose_alt_text_is_the_equation_in_words(rendered, lang):
    """Issue 24: a screen reader reads (4.3) and (4.2) in words of the page's language, not
    their LaTeX (render.speech words them; tests/render/test_equation_speech.py pins how)."""
    from reportgen.render import equations

    reader = _reader(rendered[lang]["pdf-a"])
    alts: list[str] = []
    _walk_struct(reader.trailer["/Root"]["/StructTreeRoot"], alts)
    corrected = equations.equation(r"E = -\log L_1 = -\sum_{k=1}^{K} t_k \log y_k", "4.3")
    general = equations.equation(r"\log L_1 = \sum_{k=1}^{K} t_k \log y_k", "4.2")
    assert corrected.spoken(lang) in alts and general.spoken(lang) in alts
    assert not any("\\" in alt for alt in alts)  # no LaTeX command reaches the reader


@pytest.mark.parametrize("lang", LANGS)
def test_toc_lists_sections_with_page_numbers(rendered, lang):
    reader = _reader(rendered[lang]["pdf-a"])
    first = reader.pages[0].extract_text()
    heading = _catalogue(lang)[("toc", "heading")]
    assert heading in first
    assert re.search(r"\.\s*\d+\s*$", first.split(heading, 1)[1].splitlines()[2])


# ---------------------------------------------------------------- glyphs


def _fonts_and_codes(reader):
    """Every embedded font (name → parsed fontTools font) and the codes shown with it."""
    from fontTools.ttLib import TTFont
    from pypdf.generic import ContentStream

    fonts: dict[str, TTFont] = {}
    codes: dict[str, set[int]] = {}

    def visit(resources, content) -> None:
        resources = resources.get_object() if resources is not None else {}
        by_key = {}
        for key, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            by_key[key] = name
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            for file_key in ("/FontFile2", "/FontFile3"):
                if file_key in descriptor and name not in fonts:
                    data = descriptor[file_key].get_object().get_data()
                    fonts[name] = TTFont(io.BytesIO(data))
        current = None
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"Tf":
                current = by_key.get(operands[0])
            elif operator in (b"Tj", b"TJ") and current:
                items = operands[0] if operator == b"TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, bytes | str) and not isinstance(item, int | float):
                        raw = item if isinstance(item, bytes) else item.original_bytes
                        codes.setdefault(current, set()).update(
                            int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                        )
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"), xobject)

    for page in reader.pages:
        visit(page.get("/Resources"), page.get_contents())
    return fonts, codes


@pytest.fixture(scope="module")
def japanese_pdf_fonts(rendered):
    reader = _reader(rendered["ja"]["pdf-a"])
    text = "".join(page.extract_text() for page in reader.pages)
    fonts, codes = _fonts_and_codes(reader)
    return text, fonts, codes


def test_japanese_text_is_set_in_embedded_fonts_that_have_its_glyphs(japanese_pdf_fonts):
    text, fonts, _ = japanese_pdf_fonts
    japanese = set(JAPANESE.findall(text))
    assert len(japanese) > 200  # the prose really is Japanese
    covered: set[str] = set()
    for font in fonts.values():
        covered |= {chr(code) for code in (font.getBestCmap() or {})}
    assert japanese <= covered, sorted(japanese - covered)[:20]


def test_no_glyph_shown_is_notdef(japanese_pdf_fonts):
    _, fonts, codes = japanese_pdf_fonts
    assert codes and set(codes) <= set(fonts)
    for name, shown in codes.items():
        assert 0 not in shown, f"{name} shows .notdef (a box)"


def test_headings_are_set_in_a_real_bold_cjk_font(japanese_pdf_fonts):
    """Bold Japanese is Noto Sans CJK JP Bold from the noto-cjk-sans-jp-bold wheel, always."""
    _, fonts, _ = japanese_pdf_fonts
    bold_cjk = [
        name
        for name, font in fonts.items()
        if font["OS/2"].usWeightClass >= 700
        and any(JAPANESE.match(chr(code)) for code in (font.getBestCmap() or {}))
    ]
    assert any("Sans-CJK-JP-Bold" in name for name in bold_cjk), sorted(fonts)


def test_plot_labels_in_japanese_have_their_glyphs():
    """matplotlib uses the packaged CJK font inside the plots, leaving rcParams alone."""
    import matplotlib

    import reportgen
    from reportgen import plots
    from reportgen.render import svg

    before = dict(matplotlib.rcParams)
    analysis = reportgen.analyse(DATA / "rolls.csv", lang="ja")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        for draw in (plots.frequencies, plots.running_mean, plots.models, plots.profiles):
            ax = draw(analysis)
            svg.to_svg(ax.figure)
            family = ax.figure.texts[0] if ax.figure.texts else ax.xaxis.label
            assert family.get_fontproperties().get_family()[0] == "Noto Sans CJK JP"
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(("lang", "label"), [("en", "throws m"), ("ja", "試行回数 m")])
def test_plot_labels_are_text_in_the_pdf(rendered, lang, label):
    """Plots keep their labels as text (svg.fonttype 'none'): searchable, in embedded fonts."""
    reader = _reader(rendered[lang]["pdf-a"])
    assert label in "".join(page.extract_text() for page in reader.pages)


# ---------------------------------------------------------------- fonts (issue 12)


def _postscript_name(font) -> str:
    return font["name"].getDebugName(6)


def _packaged_postscript_names() -> dict[str, str]:
    """PostScript name → family of every face ``render.fonts`` declares."""
    from fontTools.ttLib import TTFont

    from reportgen.render import fonts

    return {
        _postscript_name(TTFont(face.path, lazy=True)): face.family
        for face in fonts.LATIN_FACES + fonts.CJK_FACES
    }


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_embeds_the_packaged_fonts_and_no_other(rendered, lang):
    """Text, bold and italic in STIXGeneral (and Noto CJK JP with its Bold): no system font."""
    fonts, _ = _fonts_and_codes(_reader(rendered[lang]["pdf-a"]))
    embedded = {_postscript_name(font) for font in fonts.values()}
    packaged = _packaged_postscript_names()
    assert embedded <= set(packaged), sorted(embedded - set(packaged))
    required = {"STIXGeneral-Regular", "STIXGeneral-Bold", "STIXGeneral-Italic"}
    if lang == "ja":
        required |= {"NotoSansCJKjp-Regular", "NotoSansCJKjp-Bold"}
    assert required <= embedded, sorted(required - embedded)


@pytest.mark.parametrize("lang", LANGS)
def test_dejavu_sets_the_check_marks_and_nothing_else(rendered, lang):
    """DejaVu Sans sets ✓ ✔ alone; DejaVu Sans Mono the ASCII of the colophon's command alone."""
    fonts, codes = _fonts_and_codes(_reader(rendered[lang]["pdf-a"]))
    mono = set()
    for name, font in fonts.items():
        if "DejaVu-Sans-Mono" in name:
            mono = set(font.getBestCmap() or {})
            assert mono <= set(range(0x20, 0x7F)), name
        elif "DejaVu" in name:
            assert set(font.getBestCmap() or {}) <= {0x2713, 0x2714}, name
    assert {ord(c) for c in "reportgen rolls.csv"} <= mono


@pytest.mark.parametrize("lang", LANGS)
def test_every_family_the_html_names_is_declared_or_generic(rendered, lang):
    """WeasyPrint would look any other family up on the machine (an SVG label's, too)."""
    from reportgen.render import fonts

    html = rendered[lang]["html-a"].read_text(encoding="utf-8")
    named = set()
    for stack in re.findall(r'font-family(?:="|:)\s*([^;">]+)', html):
        named |= {family.strip(" '\"") for family in stack.split(",")}
    for stack in re.findall(r"\bfont:[^;\"]*?\d+(?:\.\d+)?pt\s+([^;]+);", html):
        named |= {family.strip(" '\"") for family in stack.split(",")}
    declared = {face.family for face in fonts.LATIN_FACES + fonts.CJK_FACES}
    assert named - {"serif", "sans-serif", ""} <= declared, sorted(named - declared)


@pytest.fixture(scope="module")
def rendered_without_system_fonts(tmp_path_factory) -> dict[str, Path]:
    """Per language, the PDF of a CLI run whose fontconfig knows no system font at all."""
    folder = tmp_path_factory.mktemp("no-system-fonts")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    out: dict[str, Path] = {}
    for lang in LANGS:
        result = run_cli(
            DATA / "rolls.csv",
            "--lang",
            lang,
            "--author",
            AUTHOR,
            "-o",
            folder / f"{lang}.pdf",
            cwd=ROOT,
            env={"SOURCE_DATE_EPOCH": EPOCH, "FONTCONFIG_FILE": str(config)},
        )
        assert result.returncode == 0, result.stderr.decode()
        out[lang] = folder / f"{lang}.pdf"
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_bytes_do_not_depend_on_the_machines_fonts(
    rendered, rendered_without_system_fonts, lang
):
    """This machine's fonts (DejaVu, perhaps Debian's Noto CJK) or none: the same PDF."""
    with_system = rendered[lang]["pdf-a"].read_bytes()
    assert rendered_without_system_fonts[lang].read_bytes() == with_system


@pytest.mark.parametrize(("lang", "most"), [("en", 8), ("ja", 9)])
def test_the_sample_report_is_at_most_eight_pages_in_english_and_nine_in_japanese(
    rendered, lang, most
):
    """Issue 24's budget for ``reportgen data/rolls.csv`` with its yardstick, curve and held-out
    throws (with an author, as the fixture runs it)."""
    assert len(_reader(rendered[lang]["pdf-a"]).pages) <= most


@pytest.mark.parametrize("lang", LANGS)
def test_the_one_hot_table_of_twenty_throws_is_on_one_page(rendered, lang):
    """Issue 24: 表3 left its last two rows overleaf; a table of 20 throws fits a page."""
    caption = {"en": "All 20 throws as one-hot vectors", "ja": "全20回のワンホット表現"}[lang]
    pages = [page.extract_text() for page in _reader(rendered[lang]["pdf-a"]).pages]
    (text,) = [text for text in pages if caption in text]
    assert re.search(r"^1 \d( [01]){6} [\d.]+ 11 \d", text, flags=re.MULTILINE), text
    assert re.search(r"^10 \d( [01]){6} [\d.]+ 20 \d", text, flags=re.MULTILINE), text


def test_japanese_sentences_follow_each_other_without_a_space():
    """Sentences the template joins (e.g. the χ² note on small expected counts) take no space."""
    import reportgen

    for path, options in ((DATA / "rolls.csv", {}), (DATA / "two_dice.csv", {"by": "die"})):
        page = reportgen.analyse(path, lang="ja", **options).to_html()
        body = page[page.index("<body>") : page.index('<section id="answers">')]
        for paragraph in re.findall(r"<p\b[^>]*>(.*?)</p>", body, flags=re.DOTALL):
            text = re.sub(r"<svg\b.*?</svg>|<[^>]+>", "", paragraph, flags=re.DOTALL)
            assert "。 " not in text and "。\u00a0" not in text, text

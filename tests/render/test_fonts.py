"""Issue 12: the report's fonts are files of installed packages, chosen the same everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.render import fonts

ALL_FACES = fonts.LATIN_FACES + fonts.CJK_FACES


@pytest.mark.parametrize("face", ALL_FACES, ids=lambda face: face.file.rsplit("/", 1)[-1])
def test_every_face_is_installed_with_a_free_licence(face):
    from fontTools.ttLib import TTFont

    assert face.path is not None, f"{face.package} is not installed"
    names = TTFont(face.path, lazy=True)["name"]
    # STIX 1.0 names its licence in prose; matplotlib's LICENSE_STIX is the OFL 1.1.
    licence = " ".join(filter(None, (names.getDebugName(13), names.getDebugName(14))))
    assert (
        "Open Font License" in licence
        or "scripts.sil.org" in licence
        or ("DejaVu" in face.family and "Bitstream" in (names.getDebugName(0) or ""))
    ), licence[:200]


def test_bold_and_italic_are_real_faces():
    styles = {(face.weight, face.style) for face in fonts.LATIN_FACES if face.family == fonts.TEXT}
    assert styles == {
        ("normal", "normal"),
        ("bold", "normal"),
        ("normal", "italic"),
        ("bold", "italic"),
    }
    assert {face.weight for face in fonts.CJK_FACES} == {"normal", "bold"}


def test_font_face_css_names_every_installed_file():
    css = fonts.font_face_css(fonts.faces("ja"))
    for face in ALL_FACES:
        assert face.path.as_uri() in css
    assert "unicode-range: U+2713-2714" in css  # DejaVu Sans sets the check marks only


def test_japanese_faces_only_when_needed():
    assert fonts.faces("en") == fonts.LATIN_FACES
    assert fonts.faces("ja") == ALL_FACES
    assert fonts.faces("en", "<td>山田</td>") == ALL_FACES  # a Japanese label in an English report


def test_uncovered_lists_what_no_packaged_face_has():
    assert not fonts.uncovered("ŷ₄ = −1.3863 · 53\u2009130 ✔ 交差エントロピー", fonts.faces("ja"))
    assert fonts.uncovered("สวัสดี", fonts.faces("ja")) == set("สวัสดี")
    assert fonts.uncovered("₪", fonts.faces("ja")) == {"₪"}  # DejaVu has it, but sets ✔ only
    assert not fonts.uncovered("\n\t\u200b\u00ad", fonts.LATIN_FACES)  # nothing to draw


def test_the_fetcher_serves_the_declared_files_and_no_other_font():
    from reportgen.render.formats.pdf import refusing_fetcher

    fetcher = refusing_fetcher()
    face = fonts.LATIN_FACES[0]
    assert fetcher.fetch(face.path.as_uri()).read() == face.path.read_bytes()
    other = Path(face.path).with_name("cmr10.ttf")  # a font of the same package, not declared
    for url in (other.as_uri(), "https://example.org/font.ttf", "data:font/ttf;base64,AAAA"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_matplotlib_resolves_the_families_to_the_packaged_files(lang):
    """A system font of the same name (Debian's Noto CJK, fonts-stix) must not set the labels."""
    import matplotlib
    from matplotlib import font_manager

    before = dict(matplotlib.rcParams)
    with fonts.matplotlib_context(lang):
        assert matplotlib.rcParams["font.family"] == fonts.matplotlib_family(lang)
        assert matplotlib.rcParams["mathtext.fontset"] == "stix"
        for face in fonts.faces(lang):
            if face.family not in (fonts.TEXT, fonts.CJK):
                continue
            properties = font_manager.FontProperties(
                family=face.family, weight=face.weight, style=face.style
            )
            found = font_manager.findfont(properties, fallback_to_default=False)
            assert Path(found).resolve() == face.path, face
    assert dict(matplotlib.rcParams) == before

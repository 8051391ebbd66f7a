"""An HTML page carries a glyph for every Japanese character it shows: no boxes without fonts.

Each ``@font-face`` of the page is read back from its ``data:`` URL with fontTools;
every character of the page's text from U+3000 on (kana, kanji, full-width forms)
must be in one, under the family the report's stylesheet names.
"""

from __future__ import annotations

import base64
import html
import io
import re

import pytest

import reportgen
from reportgen.api import class_overview
from reportgen.options import RenderOptions
from reportgen.render.formats.html import carrying_fonts
from tests.conftest import DATA

_FACE = re.compile(
    r'@font-face \{ font-family: "([^"]+)"; src: url\("data:font/[a-z0-9]+;base64,([^"]+)"\)'
    r"[^}]*font-weight: (\w+)"
)
_NOT_TEXT = re.compile(r"(<(svg|style|title|script)\b.*?</\2>|<[^>]*>)", re.DOTALL)


def _faces(page: str) -> dict[tuple[str, str], set[int]]:
    from fontTools.ttLib import TTFont

    found: dict[tuple[str, str], set[int]] = {}
    for family, data, weight in _FACE.findall(page):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        found[(family, weight)] = set(font.getBestCmap())
    return found


def _shown_cjk(page: str) -> set[int]:
    text = html.unescape(_NOT_TEXT.sub("", page))
    return {ord(char) for char in text if ord(char) >= 0x3000}


PAGES = {
    "report-ja": lambda: reportgen.analyse(DATA / "rolls.csv", lang="ja").to_html(),
    "report-en": lambda: reportgen.analyse(DATA / "rolls.csv").to_html(),  # cites a Japanese title
    "key-ja": lambda: reportgen.analyse(DATA / "rolls.csv", lang="ja").to_html(edition="teacher"),
    "class-ja": lambda: class_overview(
        [("愛子", reportgen.analyse(DATA / "rolls.csv")), ("Ben", reportgen.analyse([1, 2] * 9))],
        fmt="html",
        render=RenderOptions(lang="ja"),
    ).decode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_japanese_character_of_a_page_has_a_glyph_in_it(name: str) -> None:
    page = PAGES[name]()
    faces = _faces(page)
    assert set(faces) == {("Noto Sans CJK JP", "normal"), ("Noto Sans CJK JP", "bold")}
    shown = _shown_cjk(page)
    assert shown, "the page shows Japanese"
    for (_, weight), covered in faces.items():
        missing = sorted(chr(code) for code in shown - covered)
        assert not missing, (weight, missing)
    assert page.count("<style") == 1  # the fonts join the page's one stylesheet


def test_a_page_without_japanese_carries_no_font() -> None:
    page = "<html><head><style>p {}</style></head><body><p>No CJK here: ŷ, Σ, ∞.</p></body></html>"
    assert carrying_fonts(page, "en") == page

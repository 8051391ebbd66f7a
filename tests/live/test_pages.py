"""The pages carry a glyph for every character they can show: no tofu without system fonts.

Each ``@font-face`` of a page is read back from its ``data:`` URL with fontTools;
every character of the page outside plain ASCII (words, symbols, face labels)
and every printable ASCII character (numbers, the code, the URL) must be in one.
"""

from __future__ import annotations

import base64
import io
import json
import re

import pytest

from reportgen.faces import parse_faces
from reportgen.live import Session
from reportgen.live.pages import Lesson, Pages

pytest.importorskip("segno", reason="needs the live extra: pip install 'reportgen[live]'")


def _covered(html: str) -> set[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for data in re.findall(r'url\("data:font/[a-z0-9]+;base64,([^"]+)"\)', html):
        covered |= set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())
    return covered


@pytest.mark.parametrize(("lang", "faces"), [("ja", "6"), ("en", "H,T")])
def test_every_character_of_a_page_has_a_glyph_in_it(lang: str, faces: str):
    die = parse_faces(faces)
    session = Session(die)
    session.add(die.labels[0])
    lesson = Lesson(
        lang, die, session.model, True, "ABCD", "http://127.0.0.1:1/throw?code=ABCD", True
    )
    pages = Pages(lesson)
    state = json.dumps(session.state().to_dict(), ensure_ascii=False)
    for html in (pages.projector(state, show_code=True, nonce="n"), pages.phone(nonce="n")):
        shown = {ord(c) for c in html if ord(c) > 0x7E and c not in "\u2028\u2029"}
        shown |= set(range(0x20, 0x7F))
        missing = sorted(chr(c) for c in shown - _covered(html))
        assert not missing, missing

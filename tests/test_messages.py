"""The stderr catalogues (reportgen/say.py): every message translated, the .mo current.

The messages are extracted from the code with Babel as ``scripts/messages.sh`` does;
each must have its Japanese in ``reportgen/locale/ja/LC_MESSAGES/reportgen.po`` with the
same placeholders, and the ``.mo`` an installed reportgen reads must hold what the
``.po`` says (run ``sh scripts/messages.sh`` after changing a message).
"""

from __future__ import annotations

import io
import pickle
import string

import pytest

from reportgen.say import LOCALE_DIR, Text, _, _n, joined, locale_language, stderr_language
from tests.conftest import ROOT

PO = LOCALE_DIR / "ja" / "LC_MESSAGES" / "reportgen.po"
MO = PO.with_suffix(".mo")


def _extracted() -> set[str | tuple[str, str]]:
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "_n": (1, 2), "N_": None}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "reportgen", keywords=keywords, comment_tags=()
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_its_japanese_with_the_same_placeholders() -> None:
    from babel.messages.pofile import read_po

    catalog = read_po(PO.open("rb"))
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id
    }
    missing = sorted(map(str, _extracted() - set(translated)))
    assert not missing, f"translate them in {PO.name} (sh scripts/messages.sh): {missing}"
    for msgid, msgstr in translated.items():
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        assert all(strings), msgid
        english = msgid[1] if isinstance(msgid, tuple) else msgid
        for text in strings:
            assert _fields(text) <= _fields(english) | {"count"}, (msgid, text)


def test_the_compiled_catalogue_is_current() -> None:
    from babel.messages.mofile import read_mo, write_mo
    from babel.messages.pofile import read_po

    compiled = io.BytesIO()
    write_mo(compiled, read_po(PO.open("rb")))
    compiled.seek(0)
    fresh = {str(m.id): str(m.string) for m in read_mo(compiled) if m.id}
    shipped = {str(m.id): str(m.string) for m in read_mo(MO.open("rb")) if m.id}
    assert shipped == fresh, "run sh scripts/messages.sh"


def test_a_text_is_its_english_and_says_itself_in_japanese() -> None:
    hint = _n("a typo? {count} other throw is {faces}", "a typo? {count} other throws are {faces}",
              29, faces="1..6")  # fmt: skip
    line = joined("rolls.csv:18: ", _("face '{cell}' is not one of {faces}", cell="7",
                                       faces="1..6"), " (", hint, ")")  # fmt: skip
    assert line == "rolls.csv:18: face '7' is not one of 1..6 (a typo? 29 other throws are 1..6)"
    assert isinstance(line, Text) and line.said("en") == line
    japanese = (
        "rolls.csv:18: 目 '7' は 1..6 のどれでもありません (入力ミス? ほかの29回は 1..6 です)"
    )
    assert line.said("ja") == japanese
    assert pickle.loads(pickle.dumps(line)).said("ja") == japanese  # from a worker, whole


@pytest.mark.parametrize(
    ("environ", "lang", "said"),
    [
        ({"LANG": "ja_JP.UTF-8"}, None, "ja"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, None, "en"),
        ({"LC_MESSAGES": "ja_JP.eucJP", "LANG": "en_GB.UTF-8"}, None, "ja"),
        ({"LANG": "C.UTF-8"}, "ja", "ja"),
        ({}, None, "en"),
    ],
)
def test_the_language_of_stderr(environ, lang, said) -> None:
    assert stderr_language(lang, environ) == said
    if lang is None:
        assert locale_language(environ) == said

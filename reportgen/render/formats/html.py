"""The HTML format: one self-contained page (inline CSS, drawings as ``data:`` images).

Nothing in it is fetched. ``page(document)`` is the edition's page, made once
a document (the PDF is laid out from it); ``fill`` puts page data into a
template, and ``typeset`` is what every page (report, worksheet, class
overview) gets before it is laid out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reportgen.render.formats.base import Document, Format

if TYPE_CHECKING:
    from reportgen.analysis.cohort import Cohort
    from reportgen.options import RenderOptions

#: A count grouped with narrow no-break spaces (U+202F), as English pages write 1 000.
_GROUPED = re.compile("\\d{1,3}(?:\u202f\\d{3})+")
#: What is not page text: tags (attributes included), and elements whose text is not laid out.
_NOT_TEXT = re.compile(r"(<(svg|style|title)\b.*?</\2>|<[^>]*>)", re.DOTALL)
#: A p-value after its symbol: "<var>p</var> = 0.0035" (``fmt_pvalue`` joins "= 0.0035"
#: with a no-break space; this joins it to the p).
_RELATION_AFTER_VARIABLE = re.compile("</var> (=|&lt;)\u00a0")
#: The last few characters of a Japanese paragraph, caption or item, before its end tag.
_LAST_CHARACTERS = re.compile(r"([^<>&;\s]{2,4})(</(?:p|caption|figcaption|li|dd)>)")
#: Short Japanese blocks whose lines break between phrases only: captions, headings, table heads.
_PHRASED = re.compile(r"(<(caption|figcaption|h[1-3]|th)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
#: A tag or an entity inside such a block: never part of a phrase.
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")
#: A phrase (文節, roughly): opening brackets, a word of kanji, katakana or Latin letters and
#: digits (or hiragana alone), the hiragana after it (okurigana, particles), closing marks;
#: with the spaces around it, so that a symbol between two phrases (the ✔ of 「同じ ✔ の表」)
#: is a text box of its own without them (a space beside ✔ would be set in DejaVu Sans).
_WORD = "\u3005\u3006\u30f6\u3400-\u4dbf\u4e00-\u9fff\u30a1-\u30fa\u30fc-\u30ffA-Za-z0-9%./\u2013"
_KANA = "\u3041-\u309f"
_PHRASE = re.compile(f"\\s*[「『(]*(?:[{_WORD}]+[{_KANA}]*|[{_KANA}]+)[、。,:;)」』〜：]*\\s*")
#: A phrase longer than this may still break inside (a long run of kana, a long name).
_LONGEST_PHRASE = 20
#: Paragraph-like blocks, where a katakana word is kept whole (「ナッ／ト」 broke a unit).
_RUNNING_TEXT = re.compile(r"(<(p|li|dd|td)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
#: A katakana word of 2–5 characters (ー included; a unit, a short name): a line never breaks
#: inside it. A longer word (エントロピー) may break, as Japanese text does, rather than leave
#: a line short before it.
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff"
_KATAKANA_WORD = re.compile(f"(?<![{_KATAKANA}])[{_KATAKANA}]{{2,5}}(?![{_KATAKANA}])")


def page(document: Document) -> str:
    """The HTML page of the document's edition, made once (``document.html`` keeps it)."""
    from reportgen.render.quiet import quiet_libraries

    if document.html is None:
        with quiet_libraries():  # the figures' and equations' libraries stay off stderr
            template, variables = _page_data(document)
            document.html = fill(template, variables, document.render.lang)
    return document.html


def _page_data(document: Document) -> tuple[str, dict[str, Any]]:
    """The edition's template and its page data (``render.pages``)."""
    if document.edition == "report":
        from reportgen.render.pages.report import page as report_page

        return "report.html.j2", report_page(document.analysis, document.render).variables()
    from reportgen.render.pages.worksheet import worksheet

    sheet = worksheet(document.analysis, document.render, document.edition)
    return "worksheet.html.j2", sheet.variables()


def fill(template: str, variables: Mapping[str, Any], lang: str) -> str:
    """``templates/TEMPLATE`` filled with page data, typeset for ``lang``."""
    from reportgen.render.catalogue import environment
    from reportgen.render.quiet import quiet_libraries

    with quiet_libraries():  # the figures' and equations' libraries stay off stderr
        text = environment().get_template(template).render(variables)
    return typeset(text, lang)


def export(document: Document) -> bytes:
    """The edition's page as UTF-8 bytes, carrying its Japanese glyphs (``carrying_fonts``)."""
    return carrying_fonts(page(document), document.render.lang).encode("utf-8")


#: Kana, kanji and full-width forms start here: a page showing one needs a CJK font.
_FIRST_CJK = 0x3000


def carrying_fonts(document: str, lang: str) -> str:
    """The page with ``@font-face`` rules of the report's Japanese face, cut to its characters.

    Only a page that shows a CJK character gets them (``render.webfonts``): on a
    computer without Japanese fonts it then shows its words, not boxes. The cut holds
    every CJK character of ``lang``'s catalogue (and ASCII), so pages in one language
    share one cut, made once and cached (about 0.9 MB in a Japanese page, 0.2 MB in an
    English one, which cites the lesson's Japanese title); a face label outside it adds
    its own characters. The PDF is laid out from ``page`` and embeds its own fonts.
    """
    import html

    from reportgen.render import webfonts
    from reportgen.render.fonts import CJK, CJK_FACES

    shown = {char for char in html.unescape(_NOT_TEXT.sub("", document)) if ord(char) >= _FIRST_CJK}
    if not shown:
        return document
    faces = tuple((CJK, face) for face in CJK_FACES if face.family == CJK)
    css = webfonts.font_css("".join(sorted(shown | _catalogue_cjk(lang))), faces)
    return document.replace("<style>", f"<style>\n{css}\n", 1)  # the page's one stylesheet


@functools.cache
def _catalogue_cjk(lang: str) -> frozenset[str]:
    """Every CJK character of ``lang``'s catalogues: ``<lang>.json`` and ``<lang>.coin.json``."""
    from reportgen.render.catalogue import templates_dir

    folder = templates_dir() / "messages"
    texts = (path.read_text(encoding="utf-8") for path in folder.glob(f"{lang}.*json"))
    return frozenset(char for text in texts for char in text if ord(char) >= _FIRST_CJK)


def class_overview(
    cohort: Cohort, render: RenderOptions, failed: Sequence[tuple[str, str]] = ()
) -> str:
    """The class overview (``pages.classroom``) as one self-contained page; ``failed``:
    (name, first error) of each student whose log failed."""
    from reportgen.render.pages.classroom import class_page
    from reportgen.render.quiet import quiet_libraries

    with quiet_libraries():
        page = class_page(cohort, render, failed)
        return fill("class.html.j2", page.variables(), render.lang)


def class_public(cohort: Cohort, render: RenderOptions, failed: int = 0) -> str:
    """The class's public overview (``pages.public``), without names, as one page."""
    from reportgen.render.pages.public import TEMPLATE, public_page
    from reportgen.render.quiet import quiet_libraries

    with quiet_libraries():
        return fill(TEMPLATE, public_page(cohort, render, failed).variables(), render.lang)


FORMAT = Format("html", ".html", "text/html", ("report", "student", "teacher"), export)


def typeset(document: str, lang: str) -> str:
    """What every page (report, worksheet, class overview) gets before it is laid out."""
    document = grouped_numbers_apart(document)
    document = _RELATION_AFTER_VARIABLE.sub("</var>\u00a0\\1\u00a0", document)
    if lang != "ja":
        return document
    return no_lone_last_characters(whole_katakana_words(whole_phrases(document)))


def whole_phrases(document: str) -> str:
    """Break Japanese captions, headings and table heads between phrases, not inside words.

    Japanese may break between any two characters; in a long paragraph that is
    the norm, but a caption set to a table's width broke 場合 and 示した, and a
    title left 「へ」 alone. WeasyPrint 70 has no ``word-break: keep-all`` (nor
    ``auto-phrase``), so each phrase (a word and the kana after it, see
    ``_PHRASE``) goes in a ``<span class="nobr">``: lines break between them.
    """

    def block(match: re.Match[str]) -> str:
        start, _, inner, end = match.groups()
        parts = _TAG_OR_ENTITY.split(inner)
        for i in range(0, len(parts), 2):  # the text between tags and entities
            parts[i] = _PHRASE.sub(_kept, parts[i])
        return start + "".join(parts) + end

    return _PHRASED.sub(block, document)


def whole_katakana_words(document: str) -> str:
    """Keep each short katakana word (ナット, サイコロ) on one line in running text.

    A paragraph may break between any two Japanese characters, and did inside
    a unit (「ナッ」「ト」); a word of up to five katakana goes in a ``<span class="nobr">``.
    Only text between tags is touched, never an attribute.
    """

    def block(match: re.Match[str]) -> str:
        start, _, inner, end = match.groups()
        parts = _TAG_OR_ENTITY.split(inner)
        for i in range(0, len(parts), 2):
            parts[i] = _KATAKANA_WORD.sub(r'<span class="nobr">\g<0></span>', parts[i])
        return start + "".join(parts) + end

    return _RUNNING_TEXT.sub(block, document)


def _kept(phrase: re.Match[str]) -> str:
    text = phrase.group(0)
    if len(text) < 2 or len(text.strip()) > _LONGEST_PHRASE:
        return text
    return f'<span class="nobr">{text}</span>'


def no_lone_last_characters(document: str) -> str:
    """Keep the last four characters of each Japanese block together on its last line.

    Japanese breaks between any two characters, so a paragraph can end with
    a line holding 「す。」 or a caption with a lone 「の」; four characters in
    a ``<span class="nobr">`` (``white-space: nowrap``) move to the last line
    together.
    """
    return _LAST_CHARACTERS.sub(r'<span class="nobr">\1</span>\2', document)


def grouped_numbers_apart(document: str) -> str:
    """Set each grouped count (``1 000``) in a ``<span class="n">`` of its own.

    WeasyPrint 70 breaks a line far too early ("Table" alone, the caption on
    the next line) when a text run holds a character from a fallback font,
    such as STIX Two Math's U+202F beside STIXGeneral, and the line must
    break later, after an inline element such as ``<var>ŷ</var>``. In an
    inline box of its own the count no longer joins that run.
    """
    parts = _NOT_TEXT.split(document)
    # split() with two groups: text, whole match, inner name, text, ...
    for i in range(0, len(parts), 3):
        parts[i] = _GROUPED.sub(r'<span class="n">\g<0></span>', parts[i])
    return "".join(part for j, part in enumerate(parts) if j % 3 != 2)

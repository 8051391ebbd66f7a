"""The live pages' fonts: packaged files, subset to a page's characters, as ``data:`` URLs.

A classroom's computer may have no Japanese fonts and no network, so each
page carries its fonts inside it: ``@font-face`` rules whose ``src`` is a
``data:`` URL of a WOFF2 (or, without ``brotli``, an OpenType) subset holding
only the characters the page can show. The families, in order of preference
for each character:

- **DejaVu Sans** (regular, bold, oblique; matplotlib's copies): Latin text,
  digits and the lesson's symbols (−, Σ, ŷ, ∞, ‖), a sans-serif that stays
  legible from the back of a room.
- **Noto Sans CJK JP** (regular, bold; the ``noto-cjk-sans-jp-*`` packages, as
  in the report, ``render.fonts``): kana and kanji, for Japanese pages and any
  face label that needs them.
- **STIX Two Math** (ziamath's): any other symbol.

Each character is given to the first family that has it, and each file is cut
down to its own characters, so a Japanese page carries about 100 kB of fonts
instead of 32 MB. Subsetting a Noto file takes about 1.5 s; a page's rules are
made once and kept (``font_css`` is memoised).
"""

from __future__ import annotations

import base64
import functools
import io

from reportgen.render.fonts import CJK, CJK_FACES, LATIN_FACES, MATH, Face

#: The names the page's CSS uses: none of them can be a font the machine has.
TEXT_FAMILY = "reportgen-live-text"
CJK_FAMILY = "reportgen-live-cjk"
MATH_FAMILY = "reportgen-live-math"

#: The CSS ``font-family`` of every live page.
FAMILY = f'"{TEXT_FAMILY}", "{CJK_FAMILY}", "{MATH_FAMILY}", sans-serif'

_MPL_TTF = "mpl-data/fonts/ttf"

#: (CSS family, packaged face) in order of preference; weights and styles as the files are.
FACES: tuple[tuple[str, Face], ...] = (
    (TEXT_FAMILY, Face("DejaVu Sans", "matplotlib", f"{_MPL_TTF}/DejaVuSans.ttf")),
    (TEXT_FAMILY, Face("DejaVu Sans", "matplotlib", f"{_MPL_TTF}/DejaVuSans-Bold.ttf", "bold")),
    (
        TEXT_FAMILY,
        Face("DejaVu Sans", "matplotlib", f"{_MPL_TTF}/DejaVuSans-Oblique.ttf", style="italic"),
    ),
    *((CJK_FAMILY, face) for face in CJK_FACES if face.family == CJK),
    *((MATH_FAMILY, face) for face in LATIN_FACES if face.family == MATH),
)

#: Every page may show these whatever its words: digits, Latin letters, ASCII punctuation.
ALWAYS = "".join(chr(code) for code in range(0x20, 0x7F))


@functools.cache
def _cmap(face: Face) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    path = face.path
    return frozenset(TTFont(path, lazy=True).getBestCmap() or {}) if path else frozenset()


@functools.cache
def font_css(text: str) -> str:
    """``@font-face`` rules that give every character of ``text`` (and ``ALWAYS``) a glyph.

    Characters no packaged face has are left to the machine's fonts. Faces of
    the same family share the characters their family was given (the bold of
    a word the regular face sets), so bold text never falls back.
    """
    chars = sorted(set(text + ALWAYS) - {"\n", "\r", "\t"})
    given: dict[str, set[str]] = {}
    for char in chars:
        for family, face in FACES:
            if face.style == "normal" and face.weight == "normal" and ord(char) in _cmap(face):
                given.setdefault(family, set()).add(char)
                break
    rules = []
    for family, face in FACES:
        wanted = "".join(sorted(given.get(family, ())))
        if wanted and face.path is not None:
            rules.append(_rule(family, face, wanted))
    return "\n".join(rules)


def _rule(family: str, face: Face, text: str) -> str:
    """One ``@font-face`` rule: ``face`` cut down to ``text``, inline."""
    data, mime, fmt = _subset(face, text)
    url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f'@font-face {{ font-family: "{family}"; src: url("{url}") format("{fmt}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; font-display: block; }}"
    )


def _subset(face: Face, text: str) -> tuple[bytes, str, str]:
    """The bytes of ``face`` holding only ``text``'s glyphs (and their layout), and their type."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        import brotli  # noqa: F401  (WOFF2 needs it)

        flavor: str | None = "woff2"
    except ImportError:
        flavor = None
    options = subset.Options()
    options.layout_features = ["*"]  # combining marks (ŷ) and kerning keep their positions
    options.name_IDs = ["*"]  # the licence and the family's names stay in the file
    options.flavor = flavor
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps: not needed
    font = TTFont(face.path, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    if flavor == "woff2":
        return out.getvalue(), "font/woff2", "woff2"
    return out.getvalue(), "font/otf", "opentype"

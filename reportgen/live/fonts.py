"""The live pages' fonts: packaged files, subset to a page's characters, as ``data:`` URLs.

A classroom's computer may have no Japanese fonts and no network, so each
page carries its fonts inside it (``render.webfonts``: subsets as ``data:``
URLs). The families, in order of preference for each character:

- **DejaVu Sans** (regular, bold, oblique; matplotlib's copies): Latin text,
  digits and the lesson's symbols (−, Σ, ŷ, ∞, ‖), a sans-serif that stays
  legible from the back of a room.
- **Noto Sans CJK JP** (regular, bold; the ``noto-cjk-sans-jp-*`` packages, as
  in the report, ``render.fonts``): kana and kanji, for Japanese pages and any
  face label that needs them.
- **STIX Two Math** (ziamath's): any other symbol.

Each character is given to the first family that has it, and each file is cut
down to its own characters, so a Japanese page carries about 200 kB of fonts
instead of 32 MB; the subsets are kept on disk, and a class's second lesson
starts with its fonts ready.
"""

from __future__ import annotations

from reportgen.render import webfonts
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


def font_css(text: str) -> str:
    """``@font-face`` rules that give every character of ``text`` (and ASCII) a glyph."""
    return webfonts.font_css(text, FACES)

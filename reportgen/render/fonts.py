"""The report's fonts: files inside installed Python packages, never the machine's.

The fonts, and why:

- Latin text is **STIXGeneral** (STIX 1, OFL), the text companion of the
  STIX Two Math that ziamath sets the equations in, so prose, tables, plot
  labels and formulas share one design. matplotlib ships its four faces
  (regular, bold, italic, bold italic) in ``mpl-data/fonts/ttf`` and draws
  its mathtext with them (``mathtext.fontset: stix``). STIX Two Text itself
  is not on PyPI.
- **STIX Two Math** (from ziamath) is the second family of every stack: it
  has the spaces STIXGeneral lacks (U+2009 thin space, U+202F narrow no-break
  space, the digit groupers) and the rest of the mathematical symbols.
- Japanese is **Noto Sans CJK JP**, regular and a real Bold, from the PyPI
  packages ``noto-cjk-sans-jp-regular`` and ``noto-cjk-sans-jp-bold`` (OFL):
  a plain ``pip install`` prints Japanese with bold, no system step. Its
  digits have one width (tabular) and sit on the Japanese baseline.
- **DejaVu Sans** (matplotlib's copy) is declared for the check marks
  U+2713–U+2714 alone (``unicode-range``): no other packaged font has ✔.
- **DejaVu Sans Mono** (matplotlib's copy) sets the ASCII of the colophon's
  commands, which a reader types as printed; any other character of a
  command (a Japanese file name) falls to the families after it.

WeasyPrint gets these faces through ``@font-face`` rules added to the PDF
rendering only (:func:`font_face_css`; the HTML stays free of machine paths),
and lays out with a fontconfig that holds these files and nothing else
(``render.pdf``), so the PDF's bytes do not depend on which fonts the machine
has. Only text with characters that none of these files covers (a log's
labels in, say, Thai) falls back to the system's fonts (:func:`uncovered`).
matplotlib gets the same families inside the plotting functions, through an
``rc_context`` (:func:`matplotlib_context`), never through global rcParams.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: The Latin text family (also matplotlib's mathtext, ``mathtext.fontset: stix``).
TEXT = "STIXGeneral"
#: ziamath's math font: spaces and symbols STIXGeneral lacks.
MATH = "STIX Two Math"
#: The Japanese family, regular and bold.
CJK = "Noto Sans CJK JP"
#: The family that supplies the check marks (U+2713–U+2714) and nothing else.
MARKS = "DejaVu Sans"
#: The commands a reader types (the colophon's).
MONO = "DejaVu Sans Mono"


@dataclass(frozen=True)
class Face:
    """One font file shipped inside an installed package, as a CSS ``@font-face``."""

    family: str
    package: str  # the importable package that ships the file
    file: str  # its path inside that package
    weight: str = "normal"
    style: str = "normal"
    unicode_range: tuple[int, int] | None = None  # first and last code point it may set

    @property
    def path(self) -> Path | None:
        """The installed file, or None when its package (or the file) is missing."""
        folder = _package_folder(self.package)
        if folder is None:
            return None
        path = folder / self.file
        return path if path.is_file() else None


_MPL_TTF = "mpl-data/fonts/ttf"

#: Latin text, math and marks: every report.
LATIN_FACES = (
    Face(TEXT, "matplotlib", f"{_MPL_TTF}/STIXGeneral.ttf"),
    Face(TEXT, "matplotlib", f"{_MPL_TTF}/STIXGeneralBol.ttf", weight="bold"),
    Face(TEXT, "matplotlib", f"{_MPL_TTF}/STIXGeneralItalic.ttf", style="italic"),
    Face(TEXT, "matplotlib", f"{_MPL_TTF}/STIXGeneralBolIta.ttf", "bold", "italic"),
    Face(MATH, "ziamath", "fonts/STIXTwoMath-Regular.ttf"),
    Face(MARKS, "matplotlib", f"{_MPL_TTF}/DejaVuSans.ttf", unicode_range=(0x2713, 0x2714)),
    Face(MONO, "matplotlib", f"{_MPL_TTF}/DejaVuSansMono.ttf", unicode_range=(0x20, 0x7E)),
)

#: Japanese (about 16 MB a face): for ``lang=ja`` and any report whose text needs it.
CJK_FACES = (
    Face(CJK, "noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular.otf"),
    Face(CJK, "noto_cjk_sans_jp_bold", "NotoSansCJKjp-Bold.otf", weight="bold"),
)


@functools.cache
def _package_folder(package: str) -> Path | None:
    """Where an installed package lives, found without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]).resolve() if locations else None


@functools.cache
def _charset(face: Face) -> frozenset[int]:
    """The code points a face sets: its file's, within its ``unicode_range``."""
    from fontTools.ttLib import TTFont

    path = face.path
    codes = frozenset(TTFont(path, lazy=True).getBestCmap() or {}) if path else frozenset()
    if face.unicode_range is not None:
        first, last = face.unicode_range
        codes = frozenset(code for code in codes if first <= code <= last)
    return codes


def _drawn(text: str) -> set[str]:
    """The characters of ``text`` that need a glyph (not controls, format marks or ASCII)."""
    return {
        char
        for char in set(text)
        if ord(char) > 0x7E and unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
    }


def faces(lang: str, text: str = "") -> tuple[Face, ...]:
    """The installed faces a report in ``lang`` uses; the CJK ones too when ``text`` needs them."""
    chosen = LATIN_FACES
    if lang == "ja" or uncovered(text, LATIN_FACES):
        chosen = LATIN_FACES + CJK_FACES
    return tuple(face for face in chosen if face.path is not None)


def uncovered(text: str, chosen: Iterable[Face]) -> set[str]:
    """The characters of ``text`` that none of the ``chosen`` faces has a glyph for."""
    missing = _drawn(text)
    for face in chosen:
        if not missing:
            break
        missing = {char for char in missing if ord(char) not in _charset(face)}
    return missing


def font_face_css(chosen: Iterable[Face]) -> str:
    """``@font-face`` rules that make the ``chosen`` packaged faces available to WeasyPrint."""
    rules = []
    for face in chosen:
        path = face.path
        if path is None:
            continue
        descriptors = [
            f'font-family: "{face.family}"',
            f'src: url("{path.as_uri()}")',
            f"font-weight: {face.weight}",
            f"font-style: {face.style}",
        ]
        if face.unicode_range is not None:
            first, last = face.unicode_range
            descriptors.append(f"unicode-range: U+{first:04X}-{last:04X}")
        rules.append("@font-face { " + "; ".join(descriptors) + "; }\n")
    return "".join(rules)


def is_packaged_font(path: Path) -> bool:
    """Is ``path`` one of the font files of :data:`LATIN_FACES` or :data:`CJK_FACES`?"""
    resolved = path.resolve()
    return any(resolved == face.path for face in LATIN_FACES + CJK_FACES)


def matplotlib_family(lang: str) -> list[str]:
    """The ``font.family`` list for plot labels in ``lang`` (falling back glyph by glyph)."""
    # CJK first in Japanese: mathtext sets the text outside $…$ in the first family.
    # In English CJK is the fallback, for a log's labels in Japanese.
    return [CJK, TEXT] if lang == "ja" else [TEXT, CJK]


def _prefer_packaged() -> None:
    """Make matplotlib's font manager resolve the families to the packaged files.

    The Noto files are registered (``addfont``: one entry each, idempotent, no
    rcParams), and the packaged entries are moved to the front of the list:
    matplotlib takes the first of equally good matches, and a system font of
    the same name (Debian's ``fonts-noto-cjk``, ``fonts-stix``) would otherwise
    decide the labels' widths, and so the SVG's coordinates.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    wanted = [face for face in LATIN_FACES + CJK_FACES if face.family in (TEXT, CJK)]
    paths = {str(face.path) for face in wanted if face.path is not None}
    known = {entry.fname for entry in manager.ttflist}
    for path in sorted(paths - known):
        manager.addfont(path)
    ours = [entry for entry in manager.ttflist if entry.fname in paths]
    if manager.ttflist[: len(ours)] != ours:
        manager.ttflist[:] = ours + [e for e in manager.ttflist if e.fname not in paths]
        clear = getattr(manager._findfont_cached, "cache_clear", None)
        if clear is not None:
            clear()


@contextlib.contextmanager
def matplotlib_context(lang: str) -> Iterator[None]:
    """Plot labels in ``lang`` in the report's families: STIX, for Japanese Noto CJK first."""
    import matplotlib

    _prefer_packaged()
    with matplotlib.rc_context(
        {"font.family": matplotlib_family(lang), "mathtext.fontset": "stix"}
    ):
        yield

"""CJK fonts for Japanese reports, found at render time (never at import).

The decision (issue 6):

- ``scripts/install.sh`` installs Debian's ``fonts-noto-cjk``: Noto Sans CJK JP
  and Noto Serif CJK JP with a real Bold. The report's ``lang=ja`` stylesheet
  (``templates/report.ja.css``) names them first, so after the install script
  alone Japanese prose is Mincho (serif), headings Gothic, bold is bold.
- Every stack then falls back to IPAexGothic, which the PyPI package
  ``matplotlib-fontja`` (a dependency) ships as ``fonts/ipaexg.ttf``, so a
  plain ``pip install reportgen`` still prints real Japanese glyphs, never
  boxes. IPAexGothic has no bold and WeasyPrint does not synthesise one:
  without Noto, bold Japanese text is set in the regular weight (headings still
  stand out by size and rule).
- WeasyPrint gets IPAexGothic through an ``@font-face`` rule added to the PDF
  rendering only (the HTML stays free of machine paths), and the URL fetcher
  serves files from the installed packages' font folders and nothing else.
- matplotlib gets the same choice inside the plotting functions, through an
  ``rc_context`` (:func:`matplotlib_context`), never through global rcParams.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

#: Font families tried for Japanese plot labels, best first (the first found is used).
MATPLOTLIB_CJK = ("Noto Sans CJK JP", "IPAexGothic")

#: The family name the packaged fallback font is registered under.
FALLBACK_FAMILY = "IPAexGothic"


@functools.cache
def packaged_font_dirs() -> tuple[Path, ...]:
    """Font folders inside installed Python packages that reportgen may read from."""
    import importlib.util

    # Found, not imported: importing matplotlib_fontja sets matplotlib's rcParams.
    spec = importlib.util.find_spec("matplotlib_fontja")
    locations = (spec.submodule_search_locations or []) if spec is not None else []
    return tuple(
        (Path(folder) / "fonts").resolve()
        for folder in locations
        if (Path(folder) / "fonts").is_dir()
    )


@functools.cache
def fallback_font() -> Path | None:
    """IPAexGothic as shipped by ``matplotlib-fontja``, or None if it is missing."""
    for folder in packaged_font_dirs():
        path = folder / "ipaexg.ttf"
        if path.is_file():
            return path
    return None


def is_packaged_font(path: Path) -> bool:
    """Is ``path`` a font file inside one of :func:`packaged_font_dirs`?"""
    resolved = path.resolve()
    return resolved.suffix.lower() in {".ttf", ".otf", ".ttc"} and any(
        resolved.is_relative_to(folder) for folder in packaged_font_dirs()
    )


def font_face_css(lang: str) -> str:
    """``@font-face`` rules that make the packaged CJK fallback available to WeasyPrint."""
    path = fallback_font()
    if lang != "ja" or path is None:
        return ""
    return f'@font-face {{ font-family: "{FALLBACK_FAMILY}"; src: url("{path.as_uri()}"); }}\n'


def matplotlib_family(lang: str) -> list[str] | None:
    """The ``font.family`` list for plot labels in ``lang`` (None: matplotlib's default)."""
    if lang != "ja":
        return None
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    path = fallback_font()
    if FALLBACK_FAMILY not in known and path is not None:
        # Registering with the font manager adds one entry to its list; it is
        # idempotent and touches no rcParams.
        font_manager.fontManager.addfont(str(path))
        known.add(FALLBACK_FAMILY)
    cjk = [name for name in MATPLOTLIB_CJK if name in known][:1]
    # CJK first: mathtext sets the text outside $…$ in the first family found.
    return [*cjk, "DejaVu Sans"]


@contextlib.contextmanager
def matplotlib_context(lang: str) -> Iterator[None]:
    """Plot labels in ``lang`` use a font that has its glyphs (for Japanese, a CJK font)."""
    family = matplotlib_family(lang)
    if family is None:
        yield
        return
    import matplotlib

    with matplotlib.rc_context({"font.family": family}):
        yield

"""Fonts a page carries inside it: packaged files, subset to its characters, as ``data:`` URLs.

A page read on any screen (the HTML report, the class overview, the live
lesson) may meet a computer with no Japanese fonts and no network. It then
carries ``@font-face`` rules whose ``src`` is a ``data:`` URL of a WOFF2 (or,
without ``brotli``, an OpenType) subset holding only the characters the page
can show: ``font_css(text, faces)``, each character given to the first of the
``(CSS family, packaged face)`` pairs whose font has it.

Cutting a Noto CJK file takes about 1.5 s, so each subset is kept on disk
beside the report's equations (``render.eqcache``'s folder, in ``web-fonts``;
off with ``REPORTGEN_CACHE=0``) and in memory: the next page with the same
characters starts with its fonts ready.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reportgen.render.fonts import Face

#: Every page may show these whatever its words: digits, Latin letters, ASCII punctuation.
ALWAYS = "".join(chr(code) for code in range(0x20, 0x7F))


@functools.cache
def _cmap(face: Face) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    path = face.path
    return frozenset(TTFont(path, lazy=True).getBestCmap() or {}) if path else frozenset()


#: Rule sets kept in memory (a Japanese report's is about 300 kB): a batch's pages mostly
#: share their characters, and a long one must not keep every variant.
KEPT = 8


@functools.lru_cache(maxsize=KEPT)
def font_css(text: str, faces: Sequence[tuple[str, Face]]) -> str:
    """``@font-face`` rules that give every character of ``text`` (and ``ALWAYS``) a glyph.

    ``faces``: (CSS family, packaged face) in order of preference, a tuple. Characters
    no packaged face has are left to the machine's fonts. Faces of the same family
    share the characters their family was given (the bold of a word the regular face
    sets), so bold text never falls back.
    """
    chars = sorted(set(text + ALWAYS) - {"\n", "\r", "\t"})
    given: dict[str, set[str]] = {}
    for char in chars:
        for family, face in faces:
            if face.style == "normal" and face.weight == "normal" and ord(char) in _cmap(face):
                given.setdefault(family, set()).add(char)
                break
    rules = []
    for family, face in faces:
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


def _flavor() -> str | None:
    """WOFF2 when ``brotli`` is there to compress it, else plain OpenType (``None``)."""
    try:
        import brotli  # noqa: F401
    except ImportError:
        return None
    return "woff2"


def _subset(face: Face, text: str) -> tuple[bytes, str, str]:
    """The bytes of ``face`` holding only ``text``'s glyphs (and their layout), and their type."""
    flavor = _flavor()
    kind = ("font/woff2", "woff2") if flavor == "woff2" else ("font/otf", "opentype")
    path = face.path
    assert path is not None
    stat = path.stat()
    name = hashlib.sha256(
        "\0".join(
            [FORMAT, str(path), str(stat.st_size), str(stat.st_mtime_ns), str(flavor), text]
        ).encode("utf-8", "surrogatepass")
    ).hexdigest()
    data = _cached(name)
    if data is None:
        data = _cut(path, text, flavor)
        _keep(name, data)
    return data, *kind


#: Bumped when what ``_cut`` makes of the same font and text changes.
FORMAT = "1"


def _folder() -> Path:
    from reportgen.render import eqcache

    return eqcache.folder().parent / "web-fonts"


def _cached(name: str) -> bytes | None:
    """A subset made before (its first 32 bytes are the SHA-256 of the rest), or ``None``."""
    from reportgen.render import eqcache

    if not eqcache.enabled():
        return None
    try:
        entry = (_folder() / name).read_bytes()
    except OSError:
        return None
    digest, data = entry[:32], entry[32:]
    return data if hashlib.sha256(data).digest() == digest else None


def _keep(name: str, data: bytes) -> None:
    """Write a subset for the next start: to a temporary file, renamed into place."""
    from reportgen.render import eqcache

    if not eqcache.enabled():
        return
    with contextlib.suppress(OSError):
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(hashlib.sha256(data).digest() + data)
            os.replace(temporary, folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _cut(path: Path, text: str, flavor: str | None) -> bytes:
    """The font at ``path`` cut down to ``text``'s glyphs, as ``flavor`` (WOFF2 or OpenType)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # combining marks (ŷ) and kerning keep their positions
    options.name_IDs = ["*"]  # the licence and the family's names stay in the file
    options.flavor = flavor
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps: not needed
    font = TTFont(path, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()

"""The equations' SVG on disk, shared by every run and worker of this user.

An entry is the SVG ziamath made for one (LaTeX, size, math font, ziamath
version, output format), so a cold run whose equations are all cached never
imports ziamath (about 0.2 s of import and 20 ms an equation).

- Where: ``$REPORTGEN_CACHE_DIR`` if set, else the user cache directory
  (``$XDG_CACHE_HOME/reportgen`` or ``~/.cache/reportgen``; ``%LOCALAPPDATA%``
  on Windows, ``~/Library/Caches`` on macOS), in a folder ``equations``.
- Off: ``REPORTGEN_CACHE=0`` (or ``off``, ``no``, ``false``); nothing is read
  or written then, and a folder that cannot be written simply goes unused.
- Safe to share: an entry is written to a temporary file in the same folder
  and renamed over its name (atomic on POSIX and Windows), so many workers can
  write the same entry at once; each entry starts with the SHA-256 of its
  SVG, and one that does not match (truncated, edited) is made again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

#: Bumped when what ``equations`` stores changes (ziamath's options, our attributes).
FORMAT = 5
_OFF = {"0", "off", "no", "false"}


def enabled() -> bool:
    """Whether the disk cache is on (``REPORTGEN_CACHE`` is not 0/off/no/false)."""
    return os.environ.get("REPORTGEN_CACHE", "1").strip().lower() not in _OFF


def folder() -> Path:
    """Where entries live (``$REPORTGEN_CACHE_DIR`` or the user cache directory)."""
    explicit = os.environ.get("REPORTGEN_CACHE_DIR")
    if explicit:
        return Path(explicit) / "equations"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "reportgen" / "equations"


@functools.cache
def _versions() -> str:
    """ziamath's version and its math font's size, read without importing ziamath."""
    from importlib.metadata import PackageNotFoundError, version

    from reportgen.render.fonts import LATIN_FACES, MATH

    try:
        found = version("ziamath")
    except PackageNotFoundError:
        found = "?"
    font = next((face.path for face in LATIN_FACES if face.family == MATH), None)
    return f"{found}:{font.stat().st_size if font is not None else 0}"


def key(latex: str, size: float) -> str:
    """The entry's name: a digest of the LaTeX, size, font, ziamath version and format."""
    text = json.dumps([FORMAT, _versions(), "STIXTwoMath", float(size), latex])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get(name: str) -> str | None:
    """The cached SVG, or ``None`` when off, missing or corrupt."""
    if not enabled():
        return None
    try:
        data = (folder() / f"{name}.svg").read_bytes()
    except OSError:
        return None
    digest, _, svg = data.partition(b"\n")
    if hashlib.sha256(svg).hexdigest().encode("ascii") != digest:
        return None  # truncated or altered: made again and rewritten by the caller
    try:
        return svg.decode("utf-8")
    except UnicodeDecodeError:
        return None


def put(name: str, svg: str) -> None:
    """Store ``svg`` atomically (temporary file, then rename); never fails the report."""
    if not enabled():
        return
    body = svg.encode("utf-8")
    data = hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{name[:16]}-", suffix=".tmp", dir=where)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, where / f"{name}.svg")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        pass  # a read-only or full cache folder costs time, not the report

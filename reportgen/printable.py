"""Text that may reach a page, a PDF's metadata or a terminal, made safe to show.

The lowest leaf: every stage may use it. XML 1.0 (the PDF's XMP metadata, the
HTML report) admits no C0 control other than tab, line feed and carriage return,
no lone surrogate and neither U+FFFE nor U+FFFF; a terminal acts on C0 and C1
controls (ESC starts an escape sequence, CSI is U+009B). ``clean`` removes all of
them, so the cleaned text is valid XML character data and prints as itself.
"""

from __future__ import annotations

import re

#: Line and tab controls, each shown as one space (they separate words).
_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"

#: What XML 1.0 refuses or a terminal obeys: C0 and C1 controls, DEL, lone
#: surrogates, and the two non-characters XML excludes.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` with each line or tab control as a space and every other control dropped.

    Controls are the characters of ``_UNSHOWABLE``: C0 and C1 (Unicode category
    Cc), lone surrogates (Cs, e.g. an undecodable byte of a file name) and
    U+FFFE, U+FFFF. Everything else, format characters and private use included,
    is kept as it is.
    """
    text = text.translate({ord(c): " " for c in _SPACES})
    return _UNSHOWABLE.sub("", text)


def unshowable(text: str) -> str | None:
    """The first character ``clean`` would change, as ``U+XXXX`` (None: there is none)."""
    for char in text:
        if char in _SPACES or _UNSHOWABLE.fullmatch(char):
            return f"U+{ord(char):04X}"
    return None


def escaped(text: str) -> str:
    """``text`` for one terminal line: each character ``clean`` would change as ``\\xNN``,
    ``\\uNNNN`` (``unicode_escape``), so a message names the bad character without obeying it."""
    return _ESCAPE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


_ESCAPE = re.compile(f"[{re.escape(_SPACES)}]|{_UNSHOWABLE.pattern}")

"""Bytes become decoded lines: opening, hashing, gzip, the encoding rule, strict decoding.

The path from bytes to lines, each step streaming::

    file/stdin/URL ─▶ SHA-256 ─▶ gunzip (if gzip magic) ─▶ strict decode ─▶ lines

The encoding is decided on the first bytes (``HEAD_BYTES``); ``docs/input-formats.md``
states the rule for users. ``read_text`` hands the lines to a parser and returns
what it made with the digest of every stored byte. Nothing here holds the whole
input in memory, and every failure is a ``ReportgenError`` naming the input and,
where there is one, the line.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from reportgen.errors import DataError, IOFailure, ReportgenError, UsageError
from reportgen.read.opening import open_binary
from reportgen.say import N_, _

#: The encoding is decided on this many bytes at the start (after gunzip).
HEAD_BYTES = 1 << 16

#: Bytes read and decoded per step once the encoding is known.
CHUNK_BYTES = 1 << 18

#: A physical line longer than this is not a roll log (and would cost memory).
MAX_LINE = 1 << 20

#: How standard input is named in messages.
STDIN_NAME = "<stdin>"

#: Gzip data is recognised by these first bytes, whatever the file is called.
_GZIP_MAGIC = b"\x1f\x8b"

#: A zip archive (an .xlsx workbook is one) and an OLE2 compound file (an old .xls).
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Characters no text log holds in its first bytes: the sign of a binary file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The same, as bytes: they mean the same in UTF-8 and cp932 (no trail byte is below 0x40).
_CONTROL_BYTES = re.compile(b"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: What Python's cp932 makes of bytes no Shift-JIS text holds (0x80, 0xA0, 0xFD-0xFF).
_NOT_SHIFT_JIS = re.compile("[\x80\uf8f0-\uf8f3]")

_READ_ERRORS = (EOFError, zlib.error, OSError)  # gzip.BadGzipFile is an OSError

_CODEC_NAMES = {"utf-8": "UTF-8", "cp932": "cp932 (Shift-JIS)"}

#: The byte-order marks that decide an encoding by themselves.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


_Parsed = TypeVar("_Parsed")


def display_name(source: str) -> str:
    """How messages name an input: its path, or ``<stdin>`` for ``-``."""
    return STDIN_NAME if source == "-" else source


def check_encoding(name: str) -> str:
    """The codec ``--encoding NAME`` names, or ``UsageError`` (exit 2) when none does."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError(
            _("--encoding {name}: unknown encoding", name=name), hint=_("e.g. utf-8, cp932, utf-16")
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            _("--encoding {name}: not a text encoding", name=name), hint=_("e.g. utf-8, cp932")
        )
    return info.name


class _HashingReader(io.RawIOBase):
    """A binary stream that feeds every byte it passes on into a SHA-256."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()
        self._again = b""  # bytes ``start`` looked at, to be read again

    def readable(self) -> bool:
        return True

    def start(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer only at the end), without consuming them."""
        data = b""
        while len(data) < size and (more := self._raw.read(size - len(data))):
            data += more
        self.digest.update(data)
        self._again = data
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._again:
            size = min(len(buffer), len(self._again))
            buffer[:size] = self._again[:size]
            self._again = self._again[size:]
            return size
        data = self._raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def read_text(
    source: str | os.PathLike[str],
    parse: Callable[[str, Iterator[str]], _Parsed],
    *,
    encoding: str | None = None,
    fileobj: io.BufferedIOBase | None = None,
) -> tuple[_Parsed, str]:
    """``parse(shown_name, lines)`` over the input's decoded lines, and the input's SHA-256.

    ``encoding`` forces a codec (else ``detect_encoding`` decides); with
    ``fileobj`` the bytes come from that open file, read to its end and left
    open, and ``source`` only names the input. The digest covers every stored
    byte, so the input is read to its end even when ``parse`` stops early.
    """
    source = os.fspath(source)
    shown = display_name(source)
    forced = check_encoding(encoding) if encoding is not None else None
    raw = open_binary(source) if fileobj is None else fileobj
    hashing = _HashingReader(raw)
    try:
        gzipped = hashing.start(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        binary = io.BufferedReader(hashing, buffer_size=CHUNK_BYTES)
        stream = gzip.GzipFile(fileobj=binary, mode="rb") if gzipped else binary
        head, at_eof, failure = _read_head(stream)
        codec = _choose_codec(head, at_eof, forced, shown)
        chunks = _chunks(stream, head, at_eof, failure)
        lines = _decoded_lines(chunks, codec, shown, forced=forced is not None)
        parsed = parse(shown, lines)
        # Read to the end so the digest covers the whole stored file.
        while hashing.read(CHUNK_BYTES):
            pass
    except _READ_ERRORS as exc:
        raise _read_failure(exc, shown, None) from None
    finally:
        if raw is not sys.stdin.buffer and raw is not fileobj:
            raw.close()
    return parsed, hashing.digest.hexdigest()


# --- bytes: gzip, the head, chunks --------------------------------------------------------


def _read_head(stream: io.BufferedIOBase) -> tuple[bytes, bool, BaseException | None]:
    """Up to ``HEAD_BYTES`` from the start, whether that was all, and a read failure if any.

    A failure (e.g. a truncated gzip member) is kept, not raised, so the rows
    before it are still checked and the failure is reported at its line.
    """
    parts: list[bytes] = []
    size = 0
    try:
        while size < HEAD_BYTES:
            data = stream.read1(HEAD_BYTES - size)
            if not data:
                return b"".join(parts), True, None
            parts.append(data)
            size += len(data)
    except _READ_ERRORS as exc:
        return b"".join(parts), True, exc
    return b"".join(parts), False, None


def _chunks(
    stream: io.BufferedIOBase, head: bytes, at_eof: bool, failure: BaseException | None
) -> Iterator[bytes]:
    yield head
    if failure is not None:
        raise failure
    if at_eof:
        return
    while data := stream.read1(CHUNK_BYTES):
        yield data


def _read_failure(exc: BaseException, shown: str, line: int | None) -> ReportgenError:
    if isinstance(exc, EOFError):
        return DataError(
            _("the gzip data ends early"), path=shown, line=line, hint=_("a truncated file?")
        )
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return DataError(_("damaged gzip data ({exc})", exc=exc), path=shown, line=line)
    assert isinstance(exc, OSError)
    return IOFailure(_("read failed ({value})", value=exc.strerror or exc), path=shown, line=line)


# --- text: the encoding rule and strict decoding --------------------------------------------


def detect_encoding(head: bytes, at_eof: bool = True, *, path: str | None = None) -> str:
    """The codec of a log, decided on its first bytes by one fixed rule.

    1. A byte-order mark decides: UTF-8, UTF-16 LE or UTF-16 BE.
    2. Otherwise NUL bytes mean the file is not a text log we can read
       (UTF-16 without a byte-order mark, or binary): an error.
    3. Otherwise, if the bytes decode strictly as UTF-8, it is UTF-8 (pure ASCII
       included). A non-ASCII text that is valid UTF-8 is almost never cp932.
    4. Otherwise, if the bytes before the first non-UTF-8 byte already held
       UTF-8 characters, the file mixes encodings: an error, not a guess.
    5. Otherwise, if they decode strictly as cp932 (Shift-JIS), it is cp932.
    6. Otherwise: an error naming the line of the first undecodable byte.

    Parameters
    ----------
    head : bytes
        The first bytes of the (decompressed) input.
    at_eof : bool
        Whether ``head`` is the whole input (a multi-byte character cut at its
        end is then an error rather than the rest of the file's business).
    path : str, optional
        How error messages name the input.
    """
    for bom, codec in _BYTE_ORDER_MARKS:
        if head.startswith(bom):
            return codec
    if b"\x00" in head:
        raise _nul_error(head, path)
    control = _CONTROL_BYTES.search(head)
    if control is not None:
        raise _control_error(
            control.group().decode("ascii"), _line_of(head[: control.start()]), path
        )
    try:
        _decode(head, "utf-8", at_eof)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    bad = utf8_error.start
    line = _line_of(head[:bad])
    if not head[:bad].isascii():
        message = N_("byte 0x{value:02x} is not UTF-8, but the lines before it are UTF-8 text")
        hint = _("the file mixes encodings; save it in one, or name it with --encoding")
        raise DataError(_(message, value=head[bad]), path=path, line=line, hint=hint)
    try:
        if not _NOT_SHIFT_JIS.search(_decode(head, "cp932", at_eof)):
            return "cp932"
    except UnicodeDecodeError:
        pass
    raise DataError(
        _("byte 0x{value:02x} is neither UTF-8 nor cp932 (Shift-JIS) text", value=head[bad]),
        path=path,
        line=line,
        hint=_("save the log as UTF-8 CSV, or name its encoding with --encoding"),
    )


def binary_kind(head: bytes) -> str | None:
    """What a file that is no text is, by its first bytes: ``xlsx``, ``xls``, ``zip`` or None."""
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head.startswith(ZIP_MAGIC):
        return "xlsx" if b"xl/workbook.xml" in head or b"xl/worksheets/" in head else "zip"
    return None


def not_text_error(kind: str, path: str | None, *, as_text: bool = False) -> DataError:
    """The error for a file of ``kind`` (``binary_kind``) that reportgen does not read.

    ``as_text``: an .xlsx met where only text is read (standard input, gzip data).
    """
    if kind == "xlsx" and as_text:
        return DataError(
            _("an Excel workbook (.xlsx) where a text log was expected"),
            path=path,
            hint=_(
                "give the .xlsx file's own path: workbooks are not read from standard input "
                "or gzip data"
            ),
        )
    if kind == "xls":
        return DataError(
            _("an Excel 97-2003 workbook (.xls): reportgen reads .xlsx workbooks"),
            path=path,
            hint=_("open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8"),
        )
    if kind == "ods":
        return DataError(
            _("an OpenDocument spreadsheet (.ods): reportgen reads .xlsx workbooks"),
            path=path,
            hint=_("save it as Excel 2007-365 (.xlsx) or as CSV"),
        )
    return DataError(
        _("a zip archive, not a text log or an .xlsx workbook"),
        path=path,
        hint=_("unzip it and give the logs inside"),
    )


def _choose_codec(head: bytes, at_eof: bool, forced: str | None, shown: str) -> str:
    kind = binary_kind(head)
    if kind is not None:
        raise not_text_error(kind, shown, as_text=True)
    if forced is None:
        codec = detect_encoding(head, at_eof, path=shown)
    elif forced in ("utf-16", "utf-32"):
        # Decode with an explicit byte order so a line can be located after an error.
        wide = 16 if forced == "utf-16" else 32
        big = head.startswith(codecs.BOM_UTF16_BE if wide == 16 else codecs.BOM_UTF32_BE)
        codec = f"utf-{wide}-{'be' if big else 'le'}"
    else:
        codec = forced
    try:
        text = _decode(head, codec, at_eof)
    except UnicodeDecodeError:
        return codec  # a forced codec that fails here fails again, at its line, while reading
    control = _CONTROL.search(text)
    if control is not None:
        raise _control_error(control.group(), _line_of(text[: control.start()]), shown)
    return codec


def _control_error(char: str, line: int, path: str | None) -> DataError:
    return DataError(
        _("control character {char!r} in the text: not a text log", char=char),
        path=path,
        line=line,
        hint=_("a binary file? a roll log is CSV text"),
    )


def _decode(data: bytes, codec: str, final: bool) -> str:
    return codecs.getincrementaldecoder(codec)("strict").decode(data, final)


def _nul_error(head: bytes, path: str | None) -> DataError:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    if max(even, odd) > half // 3 and min(even, odd) <= half // 20:
        order = "le" if odd > even else "be"
        return DataError(
            _("NUL bytes between the characters: UTF-16 text without a byte-order mark"),
            path=path,
            line=1,
            hint=_("save it as UTF-8, or use --encoding utf-16-{order}", order=order),
        )
    return DataError(
        _("NUL byte in the text: not a text log"),
        path=path,
        line=_line_of(head[: head.index(0)]),
        hint=_("a binary file? a roll log is CSV text"),
    )


def _line_of(before: bytes | str) -> int:
    """The 1-based physical line that starts after ``before`` (breaks: LF, CRLF, CR)."""
    if isinstance(before, bytes):
        return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _decoded_lines(
    chunks: Iterator[bytes], codec: str, shown: str, *, forced: bool = False
) -> Iterator[str]:
    """Physical lines (ends kept: LF, CRLF or CR) of strictly decoded text.

    Every line before a decoding or read failure is handed out first, so rows
    are checked in file order and the failure names the line it happened on.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    carry = ""  # an unfinished line (or one ending in CR, which may be half a CRLF)
    done = 0  # lines handed out so far
    start = True
    while True:
        try:
            raw = next(chunks, None)
        except _READ_ERRORS as exc:
            raise _read_failure(exc, shown, done + 1) from None
        final = raw is None
        failure: UnicodeDecodeError | None = None
        try:
            text = decoder.decode(raw or b"", final)
        except UnicodeDecodeError as exc:
            failure = exc
            text = exc.object[: exc.start].decode(codec, "replace")
        if start and text:
            text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the header
            start = False
        text = carry + text
        lines = io.StringIO(text, newline="").readlines() if text else []
        carry = ""
        if final or failure is not None:
            if lines and not lines[-1].endswith(("\n", "\r")) and failure is not None:
                lines.pop()  # the start of the line the bad byte is on
        elif lines and not lines[-1].endswith("\n"):
            carry = lines.pop()
            if len(carry) > MAX_LINE:
                raise DataError(
                    _(
                        "a line longer than {MAX_LINE} characters: not a roll log",
                        MAX_LINE=MAX_LINE,
                    ),
                    path=shown,
                    line=done + len(lines) + 1,
                )
        done += len(lines)
        yield from lines
        if failure is not None:
            raise _decode_failure(failure, codec, shown, done + 1, forced)
        if final:
            return


def _decode_failure(
    exc: UnicodeDecodeError, codec: str, shown: str, line: int, forced: bool
) -> DataError:
    name = _CODEC_NAMES.get(codec, codec)
    bad = exc.object[exc.start : exc.end]
    what = _("bytes {hex}", hex=bad.hex(" ")) if len(bad) > 1 else _("byte 0x{hex}", hex=bad.hex())
    if forced:
        hint = _("is the log really {name}? without --encoding it is detected", name=name)
    else:
        hint = _("the file mixes encodings? save it in one, or name it with --encoding")
    if exc.end >= len(exc.object) and exc.reason.startswith(("unexpected end", "truncated")):
        what, hint = _("a character cut off at the end"), _("a truncated file?")
    return DataError(
        _("{what}: not {name} text", what=what, name=name), path=shown, line=line, hint=hint
    )

"""The only place where bytes become a validated roll log.

``read_log`` streams one input (a path, ``-`` for standard input, or gzip data)
and returns a ``RollLog``: the counts per face, which are sufficient statistics
for every figure in the report, and the first throws in file order for the
report's tables. Nothing here ever holds the whole log in memory.

The path from bytes to rows, each step streaming::

    file/stdin ─▶ SHA-256 ─▶ gunzip (if gzip magic) ─▶ strict decode ─▶ lines ─▶ csv rows

The encoding and the delimiter are decided on the first bytes (``HEAD_BYTES``
and the first line); ``docs/input-formats.md`` states the rule for users.
Refused cells raise ``DataError`` naming the path, the physical line and the
value; nothing is silently dropped or guessed. A log with many bad rows is read
to its end and reported as its first few problems plus a count of the rest.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from reportgen.errors import DataError, InputError, IOFailure, Problems, ReportgenError, UsageError
from reportgen.faces import Faces, normalise_cell, show_cell
from reportgen.options import Options

#: How many throws, in file order, the report's per-throw tables show.
FIRST_THROWS = 20

#: Header names of the face column (compared after NFKC and casefolding).
FACE_NAMES = ("face", "roll", "value", "outcome", "result", "出た目", "目")

#: Header names of the count column of a frequency table.
COUNT_NAMES = ("count", "n", "frequency", "回数", "度数")

#: Delimiters tried, in order of preference when a line holds none of them.
DELIMITERS = (",", "\t", ";")

#: The encoding is decided on this many bytes at the start (after gunzip).
HEAD_BYTES = 1 << 16

#: Bytes read and decoded per step once the encoding is known.
CHUNK_BYTES = 1 << 18

#: A physical line longer than this is not a roll log (and would cost memory).
MAX_LINE = 1 << 20

#: Bad rows shown one by one before the rest are only counted.
SHOWN_PROBLEMS = 5

#: How standard input is named in messages.
STDIN_NAME = "<stdin>"

#: Gzip data is recognised by these first bytes, whatever the file is called.
_GZIP_MAGIC = b"\x1f\x8b"

#: Characters no text log holds in its first bytes: the sign of a binary file.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: The same, as bytes: they mean the same in UTF-8 and cp932 (no trail byte is below 0x40).
_CONTROL_BYTES = re.compile(b"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: What Python's cp932 makes of bytes no Shift-JIS text holds (0x80, 0xA0, 0xFD-0xFF).
_NOT_SHIFT_JIS = re.compile("[\x80\uf8f0-\uf8f3]")

_READ_ERRORS = (EOFError, zlib.error, OSError)  # gzip.BadGzipFile is an OSError

_CODEC_NAMES = {"utf-8": "UTF-8", "cp932": "cp932 (Shift-JIS)"}


@dataclass(frozen=True)
class RollLog:
    """A validated roll log, reduced to what the analysis needs.

    Attributes
    ----------
    source : str
        The input as the user named it (``-`` for standard input).
    sha256 : str
        Hex digest of the input's bytes as stored (compressed, for ``.gz``).
    column : str or None
        Header of the face column; ``None`` for a headerless single column.
    format : str
        ``"log"`` (one row per throw) or ``"counts"`` (a frequency table).
    faces : Faces
        The die's faces, in report order.
    counts : tuple of int
        n_k, the number of throws that showed face k.
    first : tuple of int
        Face indices of the first throws (at most ``FIRST_THROWS``), in file order.
    checkpoints : tuple of (int, tuple of int)
        Cumulative counts after throw m, for m = 1, 2, … 20 and then about 5%
        apart up to N: enough to draw the running mean cross-entropy of the
        whole log without keeping it. Empty for a frequency table.
    by : str or None
        Header of the ``--by`` group column, if one was asked for.
    groups : tuple of (str, RollLog)
        With ``--by``: one log per group (its own counts, first throws and
        checkpoints), in order of first appearance. Empty otherwise.
    """

    source: str
    sha256: str
    column: str | None
    format: str
    faces: Faces
    counts: tuple[int, ...]
    first: tuple[int, ...]
    checkpoints: tuple[tuple[int, tuple[int, ...]], ...] = ()
    by: str | None = None
    groups: tuple[tuple[str, RollLog], ...] = ()

    @property
    def n(self) -> int:
        return sum(self.counts)


def display_name(source: str) -> str:
    """How messages name an input: its path, or ``<stdin>`` for ``-``."""
    return STDIN_NAME if source == "-" else source


def check_encoding(name: str) -> str:
    """The codec ``--encoding NAME`` names, or ``UsageError`` (exit 2) when none does."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError(
            f"--encoding {name}: unknown encoding", hint="e.g. utf-8, cp932, utf-16"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"--encoding {name}: not a text encoding", hint="e.g. utf-8, cp932")
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


def _key(name: str) -> str:
    return normalise_cell(name).casefold()


def _open_binary(source: str) -> io.BufferedIOBase:
    if source == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")  # noqa: SIM115 - closed by read_log
    except FileNotFoundError:
        raise InputError("no such file", path=source) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=source) from None
    except PermissionError:
        raise InputError("permission denied", path=source, hint="check the file's mode") from None
    except OSError as exc:
        raise InputError(f"cannot open ({exc.strerror or exc})", path=source) from None


def read_log(
    source: str | os.PathLike[str],
    faces: Faces,
    *,
    column: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    counts: bool = False,
    fileobj: io.BufferedIOBase | None = None,
) -> RollLog:
    """Read one roll log or frequency table and validate every row.

    Parameters
    ----------
    source : str or path
        A CSV/TSV path (gzip-compressed or not) or ``-`` for standard input.
    faces : Faces
        The die's faces; a cell naming any other face is an error.
    column : str, optional
        The face column's header; found by name when not given.
    encoding : str, optional
        Text encoding of the input; detected from its first bytes when not given
        (a byte-order mark, else UTF-8, else cp932; see ``detect_encoding``).
    by : str, optional
        Header of a group column (``--by``): counts are also kept per group.
    counts : bool
        The input is a frequency table (``--counts``) even if its count column
        has none of the recognised names.
    fileobj : binary file, optional
        Read the bytes from this open file instead of opening ``source``, which
        then only names the input (e.g. a URL opened with fsspec on a Dask
        worker). It is read to its end and left open.

    Raises
    ------
    DataError
        A bad cell, an empty log, a missing column, bytes that are not text.
        Several bad rows come as one ``Problems`` error listing them.
    InputError
        The input does not exist or cannot be opened.
    IOFailure
        Reading failed part way.
    """
    source = os.fspath(source)
    if fileobj is None and column is None and encoding is None and by is None and not counts:
        from reportgen.fastcount import count_simple_log  # numpy over the raw bytes

        fast = count_simple_log(source, faces)  # None: not the simple layout, read below
        if fast is not None:
            return fast
    shown = display_name(source)
    forced = check_encoding(encoding) if encoding is not None else None
    raw = _open_binary(source) if fileobj is None else fileobj
    hashing = _HashingReader(raw)
    try:
        gzipped = hashing.start(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        binary = io.BufferedReader(hashing, buffer_size=CHUNK_BYTES)
        stream = gzip.GzipFile(fileobj=binary, mode="rb") if gzipped else binary
        head, at_eof, failure = _read_head(stream)
        codec = _choose_codec(head, at_eof, forced, shown)
        chunks = _chunks(stream, head, at_eof, failure)
        lines = _decoded_lines(chunks, codec, shown, forced=forced is not None)
        parsed = _parse(shown, lines, faces, column, by=by, force_counts=counts)
        # Read to the end so the digest covers the whole stored file.
        while hashing.read(CHUNK_BYTES):
            pass
    except _READ_ERRORS as exc:
        raise _read_failure(exc, shown, None) from None
    finally:
        if raw is not sys.stdin.buffer and raw is not fileobj:
            raw.close()
    column_name, fmt, total, groups = parsed
    digest = hashing.digest.hexdigest()
    log = total.log(source, digest, column_name, fmt, faces)
    if groups is None:
        return log
    return replace(
        log,
        by=by,
        groups=tuple(
            (name, tally.log(source, digest, column_name, fmt, faces))
            for name, tally in groups.items()
        ),
    )


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
            "the gzip data ends early", path=shown, line=line, hint="a truncated file?"
        )
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return DataError(f"damaged gzip data ({exc})", path=shown, line=line)
    assert isinstance(exc, OSError)
    return IOFailure(f"read failed ({exc.strerror or exc})", path=shown, line=line)


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
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
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
        raise DataError(
            f"byte 0x{head[bad]:02x} is not UTF-8, but the lines before it are UTF-8 text",
            path=path,
            line=line,
            hint="the file mixes encodings; save it in one, or name it with --encoding",
        )
    try:
        if not _NOT_SHIFT_JIS.search(_decode(head, "cp932", at_eof)):
            return "cp932"
    except UnicodeDecodeError:
        pass
    raise DataError(
        f"byte 0x{head[bad]:02x} is neither UTF-8 nor cp932 (Shift-JIS) text",
        path=path,
        line=line,
        hint="save the log as UTF-8 CSV, or name its encoding with --encoding",
    )


def _choose_codec(head: bytes, at_eof: bool, forced: str | None, shown: str) -> str:
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
        f"control character {char!r} in the text: not a text log",
        path=path,
        line=line,
        hint="a binary file? a roll log is CSV text",
    )


def _decode(data: bytes, codec: str, final: bool) -> str:
    return codecs.getincrementaldecoder(codec)("strict").decode(data, final)


def _nul_error(head: bytes, path: str | None) -> DataError:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    if max(even, odd) > half // 3 and min(even, odd) <= half // 20:
        order = "le" if odd > even else "be"
        return DataError(
            "NUL bytes between the characters: UTF-16 text without a byte-order mark",
            path=path,
            line=1,
            hint=f"save it as UTF-8, or use --encoding utf-16-{order}",
        )
    return DataError(
        "NUL byte in the text: not a text log",
        path=path,
        line=_line_of(head[: head.index(0)]),
        hint="a binary file? a roll log is CSV text",
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
                    f"a line longer than {MAX_LINE} characters: not a roll log",
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
    what = f"bytes {bad.hex(' ')}" if len(bad) > 1 else f"byte 0x{bad.hex()}"
    if forced:
        hint = f"is the log really {name}? without --encoding it is detected"
    else:
        hint = "the file mixes encodings? save it in one, or name it with --encoding"
    if exc.end >= len(exc.object) and exc.reason.startswith(("unexpected end", "truncated")):
        what, hint = "a character cut off at the end", "a truncated file?"
    return DataError(f"{what}: not {name} text", path=shown, line=line, hint=hint)


# --- rows: delimiter, header, cells -----------------------------------------------------


def _rows(lines: Iterator[str], source: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV rows with the physical line each starts on (1-based).

    A row whose cells are all empty or spaces counts as a blank line and is skipped.
    """
    first_line = next(lines, "")
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(_chain(first_line, lines), delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            if row and ("".join(row) if len(row) > 1 else row[0]).strip():
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_failure(exc, source, line) from None


def _csv_failure(exc: csv.Error, source: str, line: int) -> DataError:
    text = str(exc)
    if "field limit" in text:
        return DataError(
            f"a field longer than {csv.field_size_limit()} characters",
            path=source,
            line=line,
            hint="an unterminated quote?",
        )
    if "end of data" in text:
        return DataError(
            "a quoted field starts on this line and is never closed",
            path=source,
            line=line,
            hint="an unterminated quote",
        )
    if "expected after" in text:
        return DataError(
            "text after a closing quote",
            path=source,
            line=line,
            hint='write a quote inside a quoted field as ""',
        )
    return DataError(f"malformed CSV ({text})", path=source, line=line)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def next_checkpoint(m: int) -> int:
    """The throw after ``m`` at which cumulative counts are kept: every one up to 20, then ~5%."""
    return max(m + 1, int(m * 1.05))


def read(
    source: str | os.PathLike[str],
    options: Options,
    fileobj: io.BufferedIOBase | None = None,
) -> RollLog:
    """``read_log`` with the input options of one run (faces, column, encoding, --by, --counts)."""
    return read_log(
        source,
        options.faces,
        column=options.column,
        encoding=options.encoding,
        by=options.by,
        counts=options.counts,
        fileobj=fileobj,
    )


def combine(logs: Sequence[RollLog], source: str, sha256: str) -> RollLog:
    """Merge parts of one log, in order, into one ``RollLog``.

    Counts add up. The first throws are those of the first part(s). Checkpoints
    are exact cumulative counts at each part's checkpoints shifted by the throws
    before it, thinned to the spacing ``ingest`` uses (every throw up to 20,
    then about 5% apart) and always ending at N. With ``--by``, groups of the
    same name merge the same way, in order of first appearance over all parts.
    """
    formats = {log.format for log in logs}
    if len(formats) > 1:
        raise DataError(
            "parts mix roll logs and frequency tables",
            path=source,
            hint="combine parts of one kind",
        )
    k = logs[0].faces.k
    counts = (0,) * k
    first: list[int] = []
    points: list[tuple[int, tuple[int, ...]]] = []
    offset = 0
    for log in logs:
        for m, cumulative in log.checkpoints:
            points.append(
                (offset + m, tuple(a + b for a, b in zip(counts, cumulative, strict=True)))
            )
        first.extend(log.first[: FIRST_THROWS - len(first)])
        counts = tuple(map(sum, zip(counts, log.counts, strict=True)))
        offset += log.n
    checkpoints: list[tuple[int, tuple[int, ...]]] = []
    wanted_at = 1
    for m, cumulative in points:
        if m >= wanted_at:
            checkpoints.append((m, cumulative))
            wanted_at = next_checkpoint(m)
    if points and checkpoints[-1] != points[-1]:
        checkpoints.append(points[-1])
    groups: dict[str, list[RollLog]] = {}
    for log in logs:
        for name, group in log.groups:
            groups.setdefault(name, []).append(group)
    return replace(
        logs[0],
        source=source,
        sha256=sha256,
        counts=counts,
        first=tuple(first),
        checkpoints=tuple(checkpoints),
        groups=tuple((name, combine(parts, source, sha256)) for name, parts in groups.items()),
    )


class _Tally:
    """Counts, first throws and checkpoints of a log (or of one ``--by`` group) as it streams."""

    def __init__(self, k: int) -> None:
        self.counts = [0] * k
        self.first: list[int] = []
        self.checkpoints: list[tuple[int, tuple[int, ...]]] = []
        self.rows = 0
        self._next_checkpoint = 1

    def throw(self, index: int) -> None:
        self.counts[index] += 1
        self.rows += 1
        if len(self.first) < FIRST_THROWS:
            self.first.append(index)
        if self.rows == self._next_checkpoint:
            self.checkpoints.append((self.rows, tuple(self.counts)))
            self._next_checkpoint = next_checkpoint(self.rows)

    def log(self, source: str, sha256: str, column: str | None, fmt: str, faces: Faces) -> RollLog:
        checkpoints = self.checkpoints
        if fmt == "log" and (not checkpoints or checkpoints[-1][0] != self.rows):
            checkpoints = [*checkpoints, (self.rows, tuple(self.counts))]
        return RollLog(
            source=source,
            sha256=sha256,
            column=column,
            format=fmt,
            faces=faces,
            counts=tuple(self.counts),
            first=tuple(self.first) if fmt == "log" else (),
            checkpoints=tuple(checkpoints) if fmt == "log" else (),
        )


def _parse(
    source: str,
    lines: Iterator[str],
    faces: Faces,
    column: str | None,
    *,
    by: str | None = None,
    force_counts: bool = False,
) -> tuple[str | None, str, _Tally, dict[str, _Tally] | None]:
    rows = _rows(lines, source)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise DataError("empty log: the file holds no throws", path=source) from None
    layout = _layout(source, header_line, header, faces, column, force_counts)
    width, face_at, count_at = layout.width, layout.face_at, layout.count_at
    if force_counts and count_at is None:
        raise DataError(
            "--counts: a frequency table needs a face column and a count column",
            path=source,
            line=header_line,
        )
    group_at = None if by is None else _group_column(source, header_line, header, by, face_at)
    groups: dict[str, _Tally] | None = None if group_at is None else {}

    total = _Tally(faces.k)
    lookup: dict[str, int] = {}  # a log repeats K distinct cells; parse each once
    refused: dict[str, str] = {}  # the same for bad cells (bounded: bad cells can be many)
    problems = Problems(source, shown=SHOWN_PROBLEMS)
    pending = [(header_line, header)] if layout.column is None else []
    try:
        for line, row in _iter_rows(pending, rows):
            if len(row) != width:
                if problems.counting_only:  # past the shown few, only the count matters
                    problems.count()
                else:
                    problems.add(_width_error(source, line, len(row), width))
                continue
            cell = row[face_at]
            index = lookup.get(cell)
            if index is None:
                reason = refused.get(cell)
                if reason is None:
                    index, reason = faces.index(cell)
                    if index is not None:
                        lookup[cell] = index
                    elif len(refused) < 1000:
                        refused[cell] = reason
                if index is None:
                    if problems.counting_only:
                        problems.count()
                    else:
                        hint = faces.hint_for(cell)
                        problems.add(DataError(reason, path=source, line=line, hint=hint))
                    continue
            tallies = [total]
            if groups is not None:
                name = normalise_cell(row[group_at])  # type: ignore[index]
                if name == "":
                    problems.add(
                        DataError(f"empty cell in the group column '{by}'", path=source, line=line)
                    )
                    continue
                tally = groups.get(name)
                if tally is None:
                    tally = groups[name] = _Tally(faces.k)
                tallies.append(tally)
            if count_at is None:
                for tally in tallies:
                    tally.throw(index)
                continue
            try:
                seen = tallies[-1].counts[index]  # a face twice in one table (or group's)
                added = _count(source, line, row[count_at], faces.labels[index], seen)
            except DataError as exc:
                problems.add(exc)
                continue
            for tally in tallies:
                tally.counts[index] += added
                tally.rows += 1
    except ReportgenError as exc:
        problems.stop(exc)  # the rest cannot be read: report what was found, then why
    problems.raise_if_any()
    if total.rows == 0:
        raise DataError("empty log: a header but no throws", path=source, line=header_line)
    if sum(total.counts) == 0:
        raise DataError("frequency table whose counts are all zero", path=source)
    if groups is not None:
        # A group whose frequency-table rows are all 0 has no throws to analyse.
        groups = {name: tally for name, tally in groups.items() if sum(tally.counts)}
    fmt = "log" if count_at is None else "counts"
    return layout.column, fmt, total, groups


def _named_columns(
    source: str, line: int, header: list[str], name: str, why: str = ""
) -> list[int]:
    """Indices of the columns a user named (``--column``, ``--by``); none is an error."""
    matches = [i for i, cell in enumerate(header) if _key(cell) == _key(name)]
    if not matches:
        raise DataError(
            f"no column named '{name}'{why}",
            path=source,
            line=line,
            hint="columns: " + ", ".join(show_cell(c) for c in header),
        )
    return matches


def _group_column(source: str, line: int, header: list[str], by: str, face_at: int) -> int:
    """Index of the ``--by`` column, found by name as the face column is."""
    matches = _named_columns(source, line, header, by, " to group by")
    if len(matches) > 1:
        raise DataError(f"{len(matches)} columns are named '{by}'", path=source, line=line)
    if matches[0] == face_at:
        raise DataError(
            f"--by {by}: that is the face column",
            path=source,
            line=line,
            hint="group by another column, e.g. die",
        )
    return matches[0]


def _width_error(source: str, line: int, got: int, width: int) -> DataError:
    return DataError(
        f"row has {got} field{'s' if got != 1 else ''} where the header has {width}",
        path=source,
        line=line,
        hint="every row needs the same columns",
    )


def _iter_rows(
    pending: list[tuple[int, list[str]]], rows: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from pending
    yield from rows


def _count(source: str, line: int, cell: str, label: int | str, seen: int) -> int:
    if seen:
        raise DataError(
            f"face '{label}' appears twice in the frequency table", path=source, line=line
        )
    text = normalise_cell(cell)
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise DataError(
            f"count '{show_cell(cell)}' is not a whole number ≥ 0", path=source, line=line
        )
    return value


@dataclass(frozen=True)
class _Layout:
    column: str | None  # header of the face column; None when the file has no header
    width: int
    face_at: int
    count_at: int | None


def _layout(
    source: str,
    line: int,
    header: list[str],
    faces: Faces,
    column: str | None,
    force_counts: bool = False,
) -> _Layout:
    keys = [_key(cell) for cell in header]
    if column is not None:
        matches = _named_columns(source, line, header, column)
    else:
        matches = [i for i, key in enumerate(keys) if key in FACE_NAMES]
        if not matches and force_counts and len(header) == 2:
            return _Layout(header[0], 2, 0, 1)  # --counts: face, then count, whatever the names
        if not matches:
            if len(header) == 1:
                index, _ = faces.index(header[0])
                if index is not None:
                    return _Layout(None, 1, 0, None)  # headerless single column
                if faces.numeric and _looks_numeric(header[0]):
                    # A lone number that is not a face is a bad first throw, not a header.
                    _, reason = faces.index(header[0])
                    raise DataError(reason, path=source, line=line, hint=faces.hint_for(header[0]))
                return _Layout(header[0], 1, 0, None)  # any single header name
            raise DataError(
                "no face column found",
                path=source,
                line=line,
                hint="name it face, roll, value, outcome, result or 出た目, or use --column",
            )
    if len(matches) > 1:
        raise DataError(
            f"{len(matches)} columns could hold the face",
            path=source,
            line=line,
            hint="choose one with --column",
        )
    face_at = matches[0]
    count_cols = [i for i, key in enumerate(keys) if key in COUNT_NAMES and i != face_at]
    if len(count_cols) > 1:
        raise DataError(f"{len(count_cols)} columns could hold the counts", path=source, line=line)
    count_at = count_cols[0] if count_cols else None
    if force_counts and count_at is None:
        # --counts: a two-column table's other column holds the counts, whatever its name.
        if len(header) != 2:
            raise DataError(
                "--counts: no count column found",
                path=source,
                line=line,
                hint="name it count, n, frequency, 回数 or 度数",
            )
        count_at = 1 - face_at
    return _Layout(header[face_at], len(header), face_at, count_at)


def _looks_numeric(cell: str) -> bool:
    text = normalise_cell(cell)
    try:
        float(text)
    except ValueError:
        return False
    return True

"""The fast path of ingestion: one small whole number per line, counted with numpy.

Most logs are a single column, ``face`` then one digit a line. For them the
general CSV path (one ``csv.reader`` row, about 1 µs a throw) is needlessly
slow; here the raw bytes are read in 1 MiB chunks and counted with a few
vectorised comparisons, in constant memory, while a thread hashes the same
chunks for ``input.sha256``.

The fast path is a pure optimisation: it accepts only the layout below and
gives up (returns ``None``) on anything else, and ``read_log`` then
reads the WHOLE input again through the general path, which yields the same
result or the same line-numbered error as it always has. Accepted layout:

- an optional UTF-8 BOM, then an optional header line that is one of the ASCII
  face-column names of ``rows.FACE_NAMES`` (any case);
- then lines of 1 to 4 ASCII digits, each ending in LF or CRLF (the last line
  may lack its line end), whose value is one of the die's numeric faces;
- no blank line anywhere, nothing else.

Standard input and other non-regular files (pipes) are never taken here: a
fallback must be able to read the input a second time. ``REPORTGEN_FASTPATH=0``
in the environment turns the fast path off (to compare, or to rule it out).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import queue
import re
import stat
import threading
import zlib
from typing import Any

import numpy as np

from reportgen.faces import Faces
from reportgen.read.layout import FACE_NAMES
from reportgen.read.log import RollLog, Tally
from reportgen.read.opening import local_path

#: Bytes read at a time: small enough to stay in cache, large enough to amortise calls.
CHUNK = 1 << 20

#: Longest line (in digits) the fast path decodes; ``--faces 1000`` needs 4.
MAX_DIGITS = 4

#: A line longer than this without a line end is not the layout above.
_MAX_CARRY = 64

_BOM = b"\xef\xbb\xbf"
_HEADER = re.compile(rb"([A-Za-z]+)\r?\n")
_ASCII_NAMES = frozenset(name for name in FACE_NAMES if name.isascii())


class _GiveUp(Exception):
    """The input is not in the fast layout; the general path must read it."""


def count_simple_log(source: str, faces: Faces, data: bytes | None = None) -> RollLog | None:
    """Count a one-column log of small whole numbers, or ``None`` to use the general path.

    Returns exactly the ``RollLog`` that ``read_log`` would return for the
    same input (counts, first throws, checkpoints, sha256, column), or ``None``
    when the input is not a regular file in the accepted layout, or anything at
    all is unusual (including every error: the general path reports it).
    ``data``: the file's bytes, already read (a small file): counted from memory.
    """
    if source == "-" or not faces.numeric or os.environ.get("REPORTGEN_FASTPATH") == "0":
        return None
    lut = _lookup(faces)
    if lut is None:
        return None
    path = local_path(source)  # a file:// URL is its local file
    try:
        if data is None and not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb", buffering=0) if data is None else io.BytesIO(data) as raw:
            if source.endswith(".gz"):
                return _count_gzip(raw, source, faces, lut)
            return _count_plain(raw, source, faces, lut)
    except (_GiveUp, OSError, EOFError, zlib.error, gzip.BadGzipFile):
        return None


def _lookup(faces: Faces) -> np.ndarray | None:
    """Face index by the line's value (0..9999), -1 for values that are no face."""
    lut = np.full(10**MAX_DIGITS, -1, dtype=np.int16)
    for index, label in enumerate(faces.labels):
        if not (isinstance(label, int) and 0 <= label < 10**MAX_DIGITS):
            return None
        lut[label] = index
    return lut


class _Hasher:
    """SHA-256 of the chunks in order, computed by a thread while numpy counts.

    ``hashlib`` and numpy's loops release the GIL, so on two cores the hash of
    a large file costs almost nothing extra. Small inputs are hashed inline.
    """

    def __init__(self, threaded: bool) -> None:
        self.digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] | None = None
        if threaded:
            self._queue = queue.Queue(maxsize=8)
            self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._queue is not None
        while (data := self._queue.get()) is not None:
            self.digest.update(data)

    def update(self, data: bytes) -> None:
        if self._queue is None:
            self.digest.update(data)
        else:
            self._queue.put(data)

    def close(self) -> str:
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        return self.digest.hexdigest()


def _size(raw: io.RawIOBase | io.BytesIO) -> int:
    if isinstance(raw, io.BytesIO):
        return len(raw.getbuffer())
    return os.fstat(raw.fileno()).st_size


def _count_plain(raw: Any, source: str, faces: Faces, lut: np.ndarray) -> RollLog:
    hasher = _Hasher(threaded=_size(raw) > 4 * CHUNK)
    try:

        def chunks():  # type: ignore[no-untyped-def]
            while data := raw.read(CHUNK):
                hasher.update(data)
                yield data

        counter = _Counter(faces, lut)
        counter.feed_all(chunks())
    finally:
        digest = hasher.close()
    return counter.result(source, digest, faces)


def _count_gzip(raw: Any, source: str, faces: Faces, lut: np.ndarray) -> RollLog:
    hasher = hashlib.sha256()

    class _Hashing:  # the digest covers the stored (compressed) bytes
        def read(self, n: int = -1) -> bytes:
            data = raw.read(n)
            hasher.update(data)
            return data

    with gzip.GzipFile(fileobj=_Hashing(), mode="rb") as unzipped:  # type: ignore[arg-type]

        def chunks():  # type: ignore[no-untyped-def]
            while data := unzipped.read(CHUNK):
                yield data

        counter = _Counter(faces, lut)
        counter.feed_all(chunks())
    hasher.update(raw.read())  # anything after the gzip members is hashed too
    return counter.result(source, hasher.hexdigest(), faces)


class _Counter:
    """Counts, first throws and checkpoints over a stream of byte chunks."""

    def __init__(self, faces: Faces, lut: np.ndarray) -> None:
        self.k = faces.k
        self.lut = lut
        self.tally = Tally(faces.k)
        self.column: str | None = None
        # "d\n" read as one little-endian uint16 is d | LF << 8: one comparison per face.
        single = all(0 <= label <= 9 for label in faces.labels)  # type: ignore[operator]
        self.codes = (
            [(0x30 + int(label)) | (0x0A << 8) for label in faces.labels] if single else None
        )
        self.try_words = single  # off after the first block that is not all "d\n"
        self.try_crlf = single  # off after the first block that is not all "d\r\n"

    def feed_all(self, chunks) -> None:  # type: ignore[no-untyped-def]
        carry = b""
        started = False
        for data in chunks:
            if not started:
                data = carry + data
                carry = b""
                if len(data) < 2 * _MAX_CARRY and b"\n" not in data:
                    carry = data  # too little to see the header yet
                    continue
                data = self._header(data)
                started = True
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry += data
                if len(carry) > _MAX_CARRY:
                    raise _GiveUp
                continue
            block = carry + data[:cut] if carry else data[:cut]
            carry = data[cut:]
            if len(carry) > _MAX_CARRY:
                raise _GiveUp
            self._block(block)
        if not started:
            carry = self._header(carry)
        if carry:
            # The last line may lack its line end; csv reads "3" and "3\r" alike.
            self._block(carry + b"\n")
        if self.tally.rows == 0:
            raise _GiveUp  # empty log: the general path words the error

    def _header(self, data: bytes) -> bytes:
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
        match = _HEADER.match(data)
        if match is None:
            return data  # headerless: the first line must be a throw
        name = match.group(1).decode("ascii")
        if name.lower() not in _ASCII_NAMES:
            raise _GiveUp
        self.column = name
        return data[match.end() :]

    def _block(self, block: bytes) -> None:
        """Count whole lines (``block`` ends with LF)."""
        if self.try_words and len(block) % 2 == 0:
            if self._block_single_digits(np.frombuffer(block, dtype="<u2"), self.codes):
                return
            self.try_words = False  # CRLF or longer numbers: don't pay twice per block
        if self.try_crlf and len(block) % 3 == 0:
            rows = np.frombuffer(block, dtype=np.uint8).reshape(-1, 3)
            if (rows[:, 1] == 0x0D).all() and (rows[:, 2] == 0x0A).all():
                digits = np.ascontiguousarray(rows[:, 0])
                if self._block_single_digits(digits, [code & 0xFF for code in self.codes]):
                    return
            self.try_crlf = False
        self._block_general(block)

    def _block_single_digits(self, words: np.ndarray, codes) -> bool:  # type: ignore[no-untyped-def]
        """One fixed-width line per element of ``words``: count each face's code."""
        lines = len(words)
        cuts = self.tally.cuts(lines)
        counts = np.empty((len(cuts) - 1, self.k), dtype=np.int64)
        for s, (lo, hi) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
            part = words[lo:hi]
            for k, code in enumerate(codes):
                counts[s, k] = np.count_nonzero(part == code)
        if int(counts.sum()) != lines:
            return False  # not every line is one digit naming a face: decode line by line
        if self.tally.first_wanted:
            head = (words[: self.tally.first_wanted] & 0xFF).astype(np.intp) - 0x30
            self.tally.first_faces.extend(int(i) for i in self.lut[head])
        self.tally.account(cuts, counts.tolist())
        return True

    def _block_general(self, block: bytes) -> None:
        a = np.frombuffer(block, dtype=np.uint8)
        ends = np.flatnonzero(a == 0x0A)
        is_digit = (a - np.uint8(0x30)) < 10
        cr = np.flatnonzero(a == 0x0D)
        if int(np.count_nonzero(is_digit)) + len(cr) + len(ends) != len(a):
            raise _GiveUp  # a byte that is neither digit nor line end
        if len(cr) and not (a[cr + 1] == 0x0A).all():
            raise _GiveUp  # a lone CR ends a line for csv; leave that to it
        starts = np.empty_like(ends)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        if len(cr):
            ends = ends - (a[ends - 1] == 0x0D)
        lengths = ends - starts
        if lengths.min() < 1 or lengths.max() > MAX_DIGITS:
            raise _GiveUp  # a blank line, or a number too long for a face
        values = np.zeros(len(ends), dtype=np.intp)
        scale = 1
        for j in range(int(lengths.max())):
            digit = a[ends - 1 - j].astype(np.intp) - 0x30
            values += np.where(lengths > j, digit, 0) * scale
            scale *= 10
        index = self.lut[values]
        if (index < 0).any():
            raise _GiveUp  # not a face: the general path names line and value
        lines = len(index)
        cuts = self.tally.cuts(lines)
        counts = np.stack(
            [
                np.bincount(index[lo:hi], minlength=self.k)
                for lo, hi in zip(cuts[:-1], cuts[1:], strict=True)
            ]
        )
        if self.tally.first_wanted:
            self.tally.first_faces.extend(int(i) for i in index[: self.tally.first_wanted])
        self.tally.account(cuts, counts.tolist())

    def result(self, source: str, digest: str, faces: Faces) -> RollLog:
        return self.tally.log(source, digest, self.column, "log", faces)

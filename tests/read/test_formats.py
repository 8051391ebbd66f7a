"""Formats in depth, in-process: the encoding rule, cells, and streaming at every chunk size.

The battery (``test_battery.py``) runs real files through the CLI; these tests
call ``reportgen.read`` directly so they can shrink the head and chunk sizes
and put every boundary (a CRLF, a multi-byte character, a quoted line break)
across a chunk edge.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.errors import DataError, IOFailure, Problems, UsageError
from reportgen.faces import parse_faces, whole_number
from reportgen.read import RollLog, read_log, text
from reportgen.read.text import check_encoding, detect_encoding
from tests.conftest import ROOT

D6 = parse_faces(6)
THROWS = [4, 2, 6, 1, 3, 3, 5, 2, 6, 4, 1, 1, 5, 6, 2, 3, 4, 4, 6, 5, 2, 1, 3, 6]
COUNTS = tuple(THROWS.count(k) for k in range(1, 7))


def _read(path: Path, **kwargs) -> RollLog:  # type: ignore[no-untyped-def]
    return read_log(path, D6, **kwargs)


def _small_chunks(head: int, chunk: int):  # type: ignore[no-untyped-def]
    return mock.patch.multiple(text, HEAD_BYTES=head, CHUNK_BYTES=chunk)


# --- the encoding rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b"face\n1\n", "utf-8"),
        (codecs.BOM_UTF8 + "出た目\n1\n".encode(), "utf-8"),
        ("出た目\n1\n".encode(), "utf-8"),
        ("出た目\n1\n".encode("cp932"), "cp932"),
        ("face\n１\n".encode("cp932"), "cp932"),
        ("face\n1\n".encode("utf-16"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "face\n1\n".encode("utf-16-be"), "utf-16-be"),
        (b"", "utf-8"),
    ],
)
def test_encoding_rule_accepts(head: bytes, codec: str) -> None:
    assert detect_encoding(head) == codec


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ("face\n1\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        ("face\n1\n".encode("utf-16-be"), "UTF-16 text without a byte-order mark"),
        (b"face\n1\n\x002\n", "NUL byte"),
        (b"face\n\x07\n", "control character"),
        ("目\n".encode() + "２\n".encode("cp932"), "the lines before it are UTF-8 text"),
        (b"face\n\x80\n", "neither UTF-8 nor cp932"),
        (b"face\n\xff\xff\n", "neither UTF-8 nor cp932"),
    ],
)
def test_encoding_rule_refuses(head: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        detect_encoding(head, path="x.csv")


def test_a_character_cut_by_the_head_is_not_an_error() -> None:
    data = "出た目\n".encode()
    assert detect_encoding(data[:4], at_eof=False) == "utf-8"


def test_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        check_encoding("no-such-codec")
    with pytest.raises(UsageError):
        check_encoding("rot13")
    assert check_encoding("Shift_JIS") == "shift_jis"


# --- cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("+3", 3), ("03", 3), ("3.0", 3), ("3.", 3), ("3.000", 3), ("-1", -1),
     ("3.5", None), ("1e1", None), ("3_0", None), ("0x3", None), ("٣", None), ("nan", None),
     ("inf", None), ("", None), ("1" * 40, None)],
)  # fmt: skip
def test_whole_numbers(text: str, value: int | None) -> None:
    assert whole_number(text) == value


@pytest.mark.parametrize(
    ("cell", "face"), [("3", 3), (" 3 ", 3), ("３", 3), ("\u3000３\u3000", 3), ("3.0", 3)]
)
def test_cells_are_normalised(cell: str, face: int) -> None:
    assert D6.labels[D6.index(cell)[0]] == face


# --- streaming: the same result at every chunk size ---------------------------------------

LAYOUTS = {
    "lf": ("face\n", "{}\n"),
    "crlf": ("face\r\n", "{}\r\n"),
    "cr": ("face\r", "{}\r"),
    "quoted": ("throw,face,note\r\n", '0,"{}","a\r\nb, c"\r\n'),
    "japanese": ("出た目\n", "{}\n"),
    "full_width": ("目;x\n", " {}　;ｘ\n"),
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16"]


def _write_log(path: Path, layout: str, encoding: str, throws=THROWS) -> None:  # type: ignore[no-untyped-def]
    header, row = LAYOUTS[layout]
    text = header + "".join(
        row.format(chr(0xFF10 + t) if layout == "full_width" else t) for t in throws
    )
    path.write_bytes(text.encode(encoding))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.sampled_from(sorted(LAYOUTS)),
    encoding=st.sampled_from(ENCODINGS),
    head=st.integers(4, 40),  # a head holds at least a byte-order mark
    chunk=st.integers(1, 17),
    gzipped=st.booleans(),
)
def test_chunk_size_never_changes_the_result(tmp_path, layout, encoding, head, chunk, gzipped):
    path = tmp_path / f"{layout}-{encoding}.csv"
    _write_log(path, layout, encoding)
    if gzipped:
        path.write_bytes(gzip.compress(path.read_bytes()))
    if encoding == "cp932" and head < 40:
        head = 40  # detection needs the non-ASCII part: cp932 is decided on the head
    with _small_chunks(head, chunk):
        log = _read(path)
    assert log.counts == COUNTS
    assert [D6.labels[k] for k in log.first_faces] == THROWS[:20]
    assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_numbers_are_physical_at_every_chunk_size(tmp_path, chunk, ending) -> None:
    rows = ["throw,face,note", '1,2,"one', "two", 'three"', "2,3,ok", "3,9,bad", "4,x,bad"]
    path = tmp_path / "l.csv"
    path.write_text(ending.join(rows) + ending, newline="")
    with _small_chunks(4, chunk), pytest.raises(Problems) as caught:
        _read(path)
    assert [e.line for e in caught.value.shown] == [6, 7]


@pytest.mark.parametrize("chunk", [1, 3, 8, 1 << 18])
def test_a_bad_byte_late_in_the_file_is_named_by_its_line(tmp_path, chunk) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(b"face\r\n" + b"1\r\n" * 300 + "２\r\n".encode("cp932") + b"3\r\n")
    with _small_chunks(64, chunk), pytest.raises(DataError, match="not UTF-8 text") as caught:
        _read(path)
    assert caught.value.line == 302


def test_rows_before_a_bad_byte_are_still_reported_first(tmp_path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"face\n7\n" + b"1\n" * 100 + b"\xff\n")
    with _small_chunks(16, 16), pytest.raises(Problems) as caught:
        _read(path)
    lines = caught.value.lines()
    assert lines[0].startswith(f"{path}:2: face '7'")
    assert lines[-1].startswith(f"{path}:103: byte 0xff")
    assert caught.value.status == 65


def test_a_line_too_long_for_a_roll_log_is_refused(tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b"face\n1\n" + b"2" * 5000 + b"\n")
    with mock.patch.object(text, "MAX_LINE", 1000), _small_chunks(64, 256):
        with pytest.raises(DataError, match="a line longer than 1000 characters") as caught:
            _read(path)
    assert caught.value.line == 3


def test_forced_encoding_reads_utf16_without_bom(tmp_path) -> None:
    path = tmp_path / "u.csv"
    _write_log(path, "lf", "utf-16-le")
    assert _read(path, encoding="utf-16-le").counts == COUNTS
    assert _read(path, encoding="utf-16").counts == COUNTS


def test_forced_encoding_keeps_a_bom_out_of_the_header(tmp_path) -> None:
    path = tmp_path / "b.csv"
    _write_log(path, "japanese", "utf-8-sig")
    assert _read(path, encoding="utf-8").column == "出た目"


def test_stdin_is_named_stdin(monkeypatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"face\n1\n8\n"))
    monkeypatch.setattr(sys, "stdin", fake)
    with pytest.raises(DataError) as caught:
        read_log("-", D6)
    assert str(caught.value).startswith("<stdin>:3: face '8'")


def test_gzip_is_recognised_by_content_not_name(tmp_path) -> None:
    path = tmp_path / "rolls.csv"
    _write_log(path, "lf", "utf-8")
    path.write_bytes(gzip.compress(path.read_bytes()))
    assert _read(path).counts == COUNTS


def test_a_read_failure_is_an_io_error(tmp_path) -> None:
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem")
    with pytest.raises(IOFailure):
        read_log("/proc/self/mem", D6)


def test_a_path_with_a_line_break_stays_on_one_line(tmp_path) -> None:
    path = tmp_path / "two\nlines.csv"
    path.write_bytes(b"face\n9\n")
    with pytest.raises(DataError) as caught:
        _read(path)
    assert "\n" not in str(caught.value) and "two\\nlines.csv:2:" in str(caught.value)


def test_the_read_path_imports_neither_pandas_nor_scipy() -> None:
    code = (
        "import sys, reportgen.read, reportgen.cli;"
        "bad = [m for m in ('pandas', 'scipy', 'numpy') if m in sys.modules];"
        "assert not bad, bad"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_a_field_beyond_the_csv_limit_names_the_row_it_starts_on(tmp_path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('face,note\n1,ok\n2,"' + "x\n" * 100_000 + "3,ok\n")
    with pytest.raises(DataError, match="a field longer than 131072 characters") as caught:
        _read(path)
    assert caught.value.line == 3

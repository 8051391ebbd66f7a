"""The numpy fast path gives exactly what the general CSV path gives, or steps aside.

Every comparison reads the same file twice through ``read_log``: once as users
do (fast path first) and once with ``REPORTGEN_FASTPATH=0`` (general path only).
Both must return equal ``RollLog``s (counts, first throws, checkpoints, sha256,
column) or raise the same error with the same line number.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.errors import ReportgenError
from reportgen.faces import parse_faces
from reportgen.read import read_log
from reportgen.read.fastcount import CHUNK, count_simple_log
from tests.conftest import run_cli

D6 = parse_faces(6)
FIXTURE = HealthCheck.function_scoped_fixture  # tmp_path is rewritten each example


def _outcome(path: Path, faces):  # type: ignore[no-untyped-def]
    try:
        return read_log(path, faces)
    except ReportgenError as exc:
        return (type(exc).__name__, str(exc))


def _general(path: Path, faces):  # type: ignore[no-untyped-def]
    os.environ["REPORTGEN_FASTPATH"] = "0"
    try:
        return _outcome(path, faces)
    finally:
        del os.environ["REPORTGEN_FASTPATH"]


def assert_same(path: Path, faces=D6, *, fast: bool | None = None):  # type: ignore[no-untyped-def]
    """Both paths agree; ``fast`` says whether the fast path must (not) take the file."""
    expected = _general(path, faces)
    assert _outcome(path, faces) == expected
    if fast is not None:
        assert (count_simple_log(str(path), faces) is not None) is fast
    return expected


def _write(
    path: Path, values, *, header: str | None = "face", eol: str = "\n", last_eol=True, bom=False
) -> Path:
    lines = ([header] if header is not None else []) + [str(v) for v in values]
    text = eol.join(lines) + (eol if last_eol else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("header", ["face", "Roll", "VALUE", None])
@pytest.mark.parametrize("last_eol", [True, False])
@pytest.mark.parametrize("bom", [False, True])
def test_small_layouts_agree(tmp_path, eol, header, last_eol, bom):
    values = np.random.default_rng(1).integers(1, 7, 57)
    path = _write(tmp_path / "r.csv", values, header=header, eol=eol, last_eol=last_eol, bom=bom)
    log = assert_same(path, fast=True)
    assert log.counts == tuple(int(c) for c in np.bincount(values, minlength=7)[1:])
    assert log.column == header


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("faces", ["6", "20", "0,1"])
def test_across_chunk_boundaries(tmp_path, eol, faces):
    """Logs of a few MiB: lines split across chunks, checkpoints in every chunk."""
    spec = parse_faces(faces)
    rng = np.random.default_rng(len(faces) + len(eol))
    values = rng.choice(np.array(spec.labels), size=2 * CHUNK // (2 + len(eol)) + 7)
    path = _write(tmp_path / "big.csv", values, header="outcome", eol=eol)
    log = assert_same(path, spec, fast=True)
    assert log.n == len(values)
    assert len(log.checkpoints) > 100


def test_gzip_agrees_and_hashes_the_stored_bytes(tmp_path):
    values = np.random.default_rng(3).integers(1, 7, 3 * CHUNK // 4)
    plain = _write(tmp_path / "r.csv", values)
    packed = tmp_path / "r.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    log = assert_same(packed, fast=True)
    unpacked = read_log(plain, D6)
    assert (log.counts, log.checkpoints) == (unpacked.counts, unpacked.checkpoints)
    assert log.sha256 != unpacked.sha256


BAD = {
    "unknown face": b"face\n1\n2\n7\n3\n",
    "zero": b"1\n0\n",
    "blank line": b"face\n1\n\n2\n",
    "trailing blank": b"face\n1\n2\n\n",
    "space": b"face\n1\n 2\n",
    "decimal": b"face\n1\n2.0\n",
    "lone CR": b"face\r1\r2\r",
    "CR inside": b"face\n1\r2\n",
    "two columns": b"face,die\n1,a\n",
    "header only": b"face\n",
    "empty": b"",
    "unknown header": b"dice\n1\n",
    "japanese header": "出た目\n1\n2\n".encode(),
    "long number": b"face\n00001\n",
    "leading zero": b"face\n01\n6\n",
    "quoted": b'face\n"3"\n',
    "latin-1": b"face\n1\n\xe9\n",
    "header no eol": b"face",
    "nul": b"face\n1\x00\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_unusual_files_fall_back_to_the_same_answer(tmp_path, name):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD[name])
    assert_same(path)


def test_a_bad_cell_deep_in_a_large_file_gives_the_general_error(tmp_path):
    values = [str(v) for v in np.random.default_rng(4).integers(1, 7, CHUNK // 2 + 99)]
    values[CHUNK // 2 + 80] = "7"  # in the second chunk
    path = _write(tmp_path / "r.csv", values)
    assert count_simple_log(str(path), D6) is None
    kind, message = assert_same(path)
    assert kind == "DataError"
    assert message.startswith(f"{path}:{CHUNK // 2 + 82}: face '7' is not one of 1..6")


def test_cli_error_is_the_same_with_and_without_fast_path(tmp_path):
    path = _write(tmp_path / "rolls.csv", [1, 2, 3, 4, 5, 6] * 2 + [8] + [1] * 5)
    fast = run_cli(path, "-f", "json", "-o", tmp_path / "out.json")
    slow = run_cli(path, "-f", "json", "-o", tmp_path / "out.json", env={"REPORTGEN_FASTPATH": "0"})
    assert fast.returncode == slow.returncode == 65
    assert fast.stderr == slow.stderr
    assert b":14: face '8' is not one of 1..6 (a typo? 17 other throws are 1..6)" in fast.stderr
    assert not (tmp_path / "out.json").exists()


def test_cli_json_is_identical_with_and_without_fast_path(tmp_path, sample):
    fast = run_cli(sample, "-f", "json", "-o", "-")
    slow = run_cli(sample, "-f", "json", "-o", "-", env={"REPORTGEN_FASTPATH": "0"})
    assert fast.returncode == slow.returncode == 0
    assert fast.stdout == slow.stdout


def test_standard_input_is_left_to_the_general_path(sample):
    assert count_simple_log("-", D6) is None
    result = run_cli("-", "-f", "json", "-o", "-", stdin=sample.read_bytes())
    assert result.returncode == 0


# Bytes a log is made of, and some it should not be.
PIECES = st.sampled_from(
    [
        b"1",
        b"2",
        b"3",
        b"6",
        b"5",
        b"4",
        b"0",
        b"7",
        b"12",
        b"\n",
        b"\r\n",
        b"\r",
        b" ",
        b",",
        b"face\n",
        b"x",
        b"\n\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[FIXTURE])
@given(
    body=st.lists(PIECES, min_size=0, max_size=60).map(b"".join),
    prefix=st.sampled_from([b"", b"face\n", b"Result\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbfface\n"]),
    faces=st.sampled_from(["6", "12", "0,1,2,3,4,5,6,7", "2"]),
)
def test_any_bytes_give_the_same_answer(tmp_path, body, prefix, faces):
    path = tmp_path / "h.csv"
    path.write_bytes(prefix + body)
    assert_same(path, parse_faces(faces))


@settings(max_examples=100, deadline=None, suppress_health_check=[FIXTURE])
@given(
    values=st.lists(st.integers(1, 6), min_size=1, max_size=400),
    eols=st.lists(st.sampled_from(["\n", "\r\n"]), min_size=1, max_size=3),
    header=st.sampled_from([None, "face", "ROLL"]),
    last_eol=st.booleans(),
)
def test_valid_logs_take_the_fast_path_and_agree(tmp_path, values, eols, header, last_eol):
    lines = ([header] if header else []) + [str(v) for v in values]
    text = "".join(line + eols[i % len(eols)] for i, line in enumerate(lines))
    if not last_eol:
        text = text.rstrip("\r\n")
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode())
    log = assert_same(path, fast=True)
    assert log.n == len(values)
    assert log.first_faces == tuple(v - 1 for v in values[:20])


def test_plain_text_named_gz_is_read_as_text(tmp_path):
    """Gzip is recognised by its magic bytes, not its name (docs/input-formats.md)."""
    path = tmp_path / "r.csv.gz"
    path.write_bytes(b"face\n1\n2\n")
    log = assert_same(path)
    assert log.counts == (1, 1, 0, 0, 0, 0)


@pytest.mark.parametrize("damage", ["truncated", "bad face"])
def test_damaged_gzip_gives_the_general_error(tmp_path, damage):
    data = gzip.compress(b"face\n" + b"1\n2\n" * 5000 + (b"9\n" if damage == "bad face" else b""))
    if damage == "truncated":
        data = data[: len(data) // 2]
    path = tmp_path / "r.csv.gz"
    path.write_bytes(data)
    assert count_simple_log(str(path), D6) is None
    kind, message = assert_same(path)
    assert kind == "DataError"

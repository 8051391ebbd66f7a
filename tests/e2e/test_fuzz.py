"""Fuzzing the CLI: whatever the bytes, a report or one clean error line, nothing else.

Arbitrary bytes and arbitrary CSV-shaped text (written to a file) must end in
either exit 0 with valid JSON, or exit with a SPEC status and only
``reportgen: error:`` lines on stderr: no traceback, no output file, no
temporary. Most runs call ``reportgen.cli.main`` in-process for speed; a few
run the real command.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from tests.conftest import run_cli

SPEC_STATUSES = {0, 1, 2, 65, 66, 73, 74}
_ERROR = re.compile(r"reportgen: error: \S.*")

CELLS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "0", "-1", "3.0", "3.5", "", " 4 ",
                     "６", "NaN", "NA", "face", "出た目", "目", "roll", "x", "=1+2", '"', '""',
                     "99999999999999999999", "H", "T", "\u3000", "1e1"]),
    st.text(alphabet="0123456789 .,;\t\"\r\nabc出た目１２", max_size=6),
)  # fmt: skip

ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le"]


@st.composite
def csv_shaped(draw) -> bytes:  # type: ignore[no-untyped-def]
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(1, 3))
    rows = draw(
        st.lists(
            st.lists(CELLS, min_size=max(width - 1, 1), max_size=width + 1), min_size=0, max_size=30
        )
    )
    quote = draw(st.booleans())
    text = ending.join(
        delimiter.join(f'"{c}"' if quote and '"' not in c else c for c in row) for row in rows
    )
    if draw(st.booleans()):
        text += ending
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return gzip.compress(data) if draw(st.booleans()) else data


OPTIONS = st.sampled_from([(), ("--faces", "8"), ("--faces", "H,T"), ("--column", "face")])


def _check_in_process(data: bytes, options: tuple[str, ...], capfd) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "log.csv"
        source.write_bytes(data)
        output = Path(work) / "out" / "log.json"
        capfd.readouterr()
        status = main([str(source), "-f", "json", "-o", str(output), "-q", *options])
        captured = capfd.readouterr()
        _check(status, captured.out, captured.err, output, Path(work))


def _check(status: int, out: str, err: str, output: Path, work: Path) -> None:
    assert status in SPEC_STATUSES, (status, err)
    assert "Traceback" not in err
    if status == 0:
        result = json.loads(output.read_text(encoding="utf-8"))
        assert result["n"] == sum(result["counts"]) >= 1
        assert err == ""
    else:
        lines = err.splitlines()
        assert lines and all(_ERROR.fullmatch(line) for line in lines), err
        assert not output.exists()
    assert not list(work.rglob(".reportgen-*"))


_FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FUZZ
@given(data=st.binary(max_size=3000), options=OPTIONS)
def test_arbitrary_bytes(data: bytes, options, capfd) -> None:  # type: ignore[no-untyped-def]
    _check_in_process(data, options, capfd)


@_FUZZ
@given(data=csv_shaped(), options=OPTIONS)
def test_arbitrary_csv_shaped_text(data: bytes, options, capfd) -> None:  # type: ignore[no-untyped-def]
    _check_in_process(data, options, capfd)


@st.composite
def good_logs(draw) -> tuple[bytes, list[int]]:  # type: ignore[no-untyped-def]
    """A valid log of a d6, written in any of the accepted ways, and its counts."""
    throws = draw(st.lists(st.integers(1, 6), min_size=1, max_size=60))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.sampled_from(["face", "Face", "出た目", "目", "ＲＯＬＬ", "result"]))
    extra = draw(st.booleans())

    def cell(t: int) -> str:
        text = draw(st.sampled_from([str(t), f"{t}.0", chr(0xFF10 + t), f" {t} ", f'"{t}"']))
        return text

    lines = [header + (delimiter + "note" if extra else "")]
    for t in throws:
        lines.append(cell(t) + (delimiter + '"a' + delimiter + ' b"' if extra else ""))
        if draw(st.integers(0, 9)) == 0:
            lines.append("")
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"])))
    if draw(st.booleans()):
        data = gzip.compress(data)
    return data, [throws.count(k) for k in range(1, 7)]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=good_logs())
def test_every_accepted_way_of_writing_a_log_gives_its_counts(log, capfd) -> None:  # type: ignore[no-untyped-def]
    data, counts = log
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "log.csv").write_bytes(data)
        status = main([str(Path(work) / "log.csv"), "-f", "json", "-o", f"{work}/r.json"])
        err = capfd.readouterr().err
        assert status == 0, err
        assert json.loads((Path(work) / "r.json").read_text())["counts"] == counts


@settings(max_examples=6, deadline=None)
@given(data=st.one_of(st.binary(max_size=500), csv_shaped()))
def test_the_real_command_agrees(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "log.csv").write_bytes(data)
        proc = run_cli("log.csv", "-f", "json", "-o", "out/", cwd=Path(work))
        _check(
            proc.returncode,
            proc.stdout.decode(),
            proc.stderr.decode(),
            Path(work) / "out" / "log.json",
            Path(work),
        )

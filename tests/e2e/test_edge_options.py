"""Every extreme of the options gets a clean answer (issue 14), tried with hypothesis.

- Text options (any Unicode: controls, lone surrogates, U+FFFE included): exit 2
  with one printable ``reportgen: error:`` line, or a report; the PDF's XMP
  metadata always parses as XML and its author is the cleaned text. Many cheap
  checks run in-process (``reportgen.cli.main``); a handful render a PDF.
- Numeric options (levels a hair from 0 or 1, model probabilities down to
  subnormals, K up to the limit) with ``-f json``: never a traceback, never NaN,
  and every finite figure equal to its SPEC.md formula, computed here by hand.
- stderr holds reportgen's lines only, with a long group name and with fonts
  subset by fontTools (WeasyPrint's warning-prone fallback without HarfBuzz-Subset).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import reportgen
from reportgen.cli import main
from reportgen.faces import MAX_FACES
from reportgen.options import MAX_CONFIDENCE
from reportgen.printable import clean, escaped, unshowable
from tests.conftest import ROOT, _pythonpath, run_cli

PLAIN = ROOT / "tests" / "e2e" / "battery" / "plain.csv"

#: Any text at all: every code point, surrogates and controls included.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
NASTY = st.text(
    st.sampled_from(
        [
            "\x00",
            "\x07",
            "\x1b",
            "\r",
            "\n",
            "\t",
            "\x7f",
            "\x85",
            "\x9b",
            "\ud800",
            "\udcff",
            "\ufffe",
            "\uffff",
            "\u2028",
            "\ue000",
            "a",
            " ",
            ",",
            "<",
            "&",
            '"',
            "-",
            "目",
            "=",
            "H",
        ]
    ),
    max_size=12,
)
TEXT = st.one_of(ANY_TEXT, NASTY)


def _run(*argv: str) -> tuple[int, str, str]:
    """``reportgen ARGV`` in this process: (status, stdout, stderr)."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")  # JSON goes to sys.stdout.buffer
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    out.flush()
    return status, raw.getvalue().decode("utf-8"), err.getvalue()


def _one_error_line(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reportgen: error: "), err
    assert "Traceback" not in err
    assert escaped(lines[0]) == lines[0], "a control character reached the terminal raw"


def _xmp(pdf: bytes) -> ET.Element:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    stream = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(stream)  # raises on ill-formed XML


# --- the cleaning function: many cheap examples ---------------------------------------


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_cleaned_text_is_xml_and_shows_as_itself(text: str) -> None:
    from xml.sax.saxutils import escape

    cleaned = clean(text)
    assert unshowable(cleaned) is None
    assert clean(cleaned) == cleaned
    assert (unshowable(text) is None) == (cleaned == text)
    element = ET.fromstring(f"<a>{escape(cleaned)}</a>".encode())
    # XML parsers turn a CR into LF; a cleaned text holds neither.
    assert (element.text or "") == cleaned
    # On a terminal line: no control (Cc) and no lone surrogate (Cs) left raw.
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in escaped(text))


# --- every text option on the command line: refused in one line, or a report ------------


@settings(max_examples=150, deadline=None)
@given(option=st.sampled_from(["--author", "--faces", "--column", "--by"]), value=TEXT)
@example(option="--author", value="a\x1bb\x07c\rd")
@example(option="--faces", value="H,T\x1b")
@example(option="--column", value="face\x07")
@example(option="--by", value="\udcff")
@example(option="--faces", value="0,1")  # faces the data does not use: one line per bad row
def test_a_text_option_is_refused_in_one_line_or_answered(option: str, value: str) -> None:
    status, out, err = _run(str(PLAIN), f"{option}={value}", "-f", "json", "-o", "-")
    if option == "--author":  # cleaned, never refused; JSON carries no author
        assert (status, err) == (0, ""), err
        assert json.loads(out)["n"] == 30
        return
    if unshowable(value) is not None and option != "--faces":
        assert status == 2
    if status == 0:
        assert err == "" and json.loads(out)["n"] == 30
    else:
        # 2: a bad value; 65: e.g. labels that the data does not use, a column not there
        assert status in (2, 65), err
        if status == 65 and "more bad rows" in err:
            # labels the data does not use: one line per bad row, the first five,
            # then how many more (README, "Bad input")
            lines = err.splitlines()
            assert len(lines) == 6 and lines[-1].endswith("more bad rows"), err
            for line in lines:
                _one_error_line(line)
        else:
            _one_error_line(err)
        assert out == ""


# --- a handful of PDFs: the XMP parses and the author round-trips ---------------------


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(author=TEXT)
@example(author="a\x1bb\x07c\rd\udcff\ufffe\u2028e")
@example(author="\x1b\x07")
def test_the_pdf_metadata_parses_and_holds_the_cleaned_author(author: str) -> None:
    report = reportgen.analyse(PLAIN, author=author)
    expected = clean(author).strip() or None
    assert report.render.author == expected
    pdf = report.to_pdf()
    root = _xmp(pdf)
    creators = [
        li.text or ""
        for li in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")
        if any(
            child is li
            for creator in root.iter("{http://purl.org/dc/elements/1.1/}creator")
            for child in creator.iter()
        )
    ]
    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(pdf)).metadata
    if expected is None:
        assert creators == [] and info.author is None
    else:
        assert creators == [expected]
        assert info.author == expected


def test_group_file_and_column_names_reach_the_page_clean(tmp_path: Path) -> None:
    """Names from the data: a file name with ESC and BEL, groups with controls the reader
    lets through (a quoted tab and line break, U+FFFE, U+2028); pages and metadata clean."""
    name = "rolls\x1b[31m\x07.csv"
    log = tmp_path / name
    rows = (
        ["face,die"]
        + [f'{k},"r\ted\nx"' for k in (1, 2, 3)]
        + [f"{k},b\ufffe\u2028" for k in (4, 5, 6)]
    )
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli(name, "--by", "die", "-f", "pdf,html", "-o", "out/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    page = (tmp_path / "out" / "rolls\x1b[31m\x07.html").read_text(encoding="utf-8")
    assert unshowable(page.replace("\n", "").replace("\t", "")) is None
    assert "“r ed x”" in page and "“b”" in page and "rolls[31m.csv" in page
    pdf = (tmp_path / "out" / "rolls\x1b[31m\x07.pdf").read_bytes()
    _xmp(pdf)
    from pypdf import PdfReader

    assert sorted(PdfReader(io.BytesIO(pdf)).attachments) == ["results.json", "rolls[31m.csv"]


def test_in_memory_names_are_read_as_a_files_would_be() -> None:
    """A DataFrame's controls are refused as a file's are (65), a lone surrogate too."""
    pd = pytest.importorskip("pandas")
    for bad, shown in (("\x1bred", "control character '\\x1b'"), ("\udcff", "'\\udcff'")):
        frame = pd.DataFrame({"face": [1, 2, 3, 4], "die": [bad, "b", bad, "b"]})
        with pytest.raises(reportgen.DataError) as refused:
            reportgen.analyse(frame, by="die")
        assert shown in escaped(str(refused.value)), str(refused.value)


# --- every numeric option: no traceback, no NaN, every figure its formula ---------------

_EDGE_LEVELS = [MAX_CONFIDENCE, math.nextafter(MAX_CONFIDENCE, 1), 1e-17, 5e-324, 0.5, 0.95]
LEVELS = st.one_of(
    st.sampled_from(_EDGE_LEVELS),
    st.sampled_from(_EDGE_LEVELS),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=-1, max_value=2, allow_nan=False),
)
WEIGHTS = st.one_of(
    st.sampled_from([0.0, 5e-324, 1e-320, 1e-310, 2.2250738585072014e-308, 1e-17]),
    st.floats(min_value=0, max_value=1),
)


@st.composite
def numeric_case(draw: st.DrawFn) -> tuple[list[int], str, str]:
    k = draw(st.one_of(st.integers(2, 12), st.sampled_from([MAX_FACES, MAX_FACES + 1, 1])))
    shown = min(max(k, 2), MAX_FACES)
    counts = draw(
        st.lists(st.integers(0, 50), min_size=shown, max_size=shown).filter(lambda c: sum(c) > 0)
    )
    level = draw(LEVELS)
    if draw(st.booleans()):
        model = "fair"
    else:
        weights = draw(st.lists(WEIGHTS, min_size=shown, max_size=shown))
        total = math.fsum(weights)
        if total > 0 and draw(st.integers(0, 3)):  # mostly a model that sums to 1
            weights = [w / total for w in weights]  # sums to 1 within rounding
        model = ",".join(repr(w) for w in weights)
    return counts, repr(level), str(k) + "|" + model


def _close(found: float | None, expected: float, scale: float = 0.0) -> bool:
    if found is None:
        return math.isinf(expected)
    return math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12 * max(1.0, scale))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(case=numeric_case())
@example(case=([3, 3, 2, 5, 3, 4], "0.9999999999999999", "6|fair"))
@example(case=([3, 3, 2, 5, 3, 4], "1e-17", "6|1e-320,0.2,0.2,0.2,0.2,0.2"))
@example(case=([3, 3, 2, 5, 3, 4], "0.9999999999999998", "6|5e-324,0.2,0.2,0.2,0.2,0.2"))
@example(case=([1] * MAX_FACES, "0.95", f"{MAX_FACES}|fair"))
def test_numeric_options_give_their_formulas_or_exit_2(case, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    counts, level, spec = case
    k, model = spec.split("|", 1)
    table = tmp_path_factory.mktemp("num") / "t.csv"
    table.write_text("face,count\n" + "".join(f"{i + 1},{c}\n" for i, c in enumerate(counts)))
    status, out, err = _run(
        str(table),
        "--counts",
        f"--faces={k}",
        f"--confidence={level}",
        f"--model={model}",
        "-f",
        "json",
        "-o",
        "-",
    )
    event(f"exit {status}" + (" (model)" if model != "fair" else ""))
    if status != 0:
        assert status in (2, 65), err  # 65: a K that the table's faces exceed
        _one_error_line(err)
        return
    assert err == ""
    result = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    n = sum(counts)
    y = [float(v) for v in model.split(",")] if model != "fair" else [1 / int(k)] * int(k)
    assert result["counts"] == counts and result["n"] == n
    assert result["mle"] == [c / n for c in counts]
    for method in result["intervals"].values():
        assert all(0 <= lo <= hi <= 1 for lo, hi in zip(method["low"], method["high"], strict=True))
    fitted = -math.fsum(c * math.log(c / n) for c in counts if c)
    infinite = any(c and y_k == 0 for c, y_k in zip(counts, y, strict=True))
    reference = (
        math.inf
        if infinite
        else -math.fsum(c * math.log(y_k) for c, y_k in zip(counts, y, strict=True) if c)
    )
    ce, ref = result["cross_entropy"], result["reference"]
    assert _close(ce["total"], fitted, fitted) and _close(ce["mean"], fitted / n, fitted)
    assert _close(result["entropy"], fitted / n, fitted)
    assert _close(ref["cross_entropy_total"], reference, reference)
    assert _close(ref["cross_entropy_mean"], reference / n, reference)
    for per_face, y_k in zip(ref["per_face"] if "per_face" in ref else [], y, strict=False):
        assert _close(per_face, -math.log(y_k) if y_k > 0 else math.inf)
    # SPEC: KL = reference mean − fitted mean; G = 2 × (reference total − fitted total).
    assert _close(ref["kl_divergence"], (reference - fitted) / n, reference)
    assert _close(result["tests"]["g_test"]["statistic"], 2 * (reference - fitted), reference)


# --- stderr: reportgen's lines only ---------------------------------------------------


def test_a_long_group_name_leaves_stderr_empty(tmp_path: Path) -> None:
    long = "x" * 300
    rows = ["face,die"] + [f"{k},{long if k % 2 else 'b'}" for k in range(1, 7)]
    (tmp_path / "long.csv").write_text("\n".join(rows) + "\n")
    result = run_cli("long.csv", "--by", "die", "-o", "long.pdf", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout == b"long.pdf\n"


def test_fonts_subset_by_fonttools_leave_stderr_empty(tmp_path: Path) -> None:
    """Without HarfBuzz-Subset WeasyPrint warns per font and fontTools logs; here the
    fallback is forced, with a glyph no font has in --author (a .notdef warning too)."""
    script = (
        "import sys, weasyprint.pdf.fonts as fonts\n"
        "fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset\n"
        "from reportgen.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(PLAIN), "--author", "\ue000 \U0001fae8", "-o", "a.pdf"],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": _pythonpath()},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    _xmp((tmp_path / "a.pdf").read_bytes())


def test_the_libraries_still_speak_outside_a_rendering() -> None:
    """The silence is for the rendering only: nothing is changed at import or left behind."""
    import logging
    import warnings

    reportgen.analyse(PLAIN).to_html()
    assert logging.getLogger("weasyprint").level == logging.NOTSET
    assert logging.getLogger("matplotlib").level in (logging.NOTSET, logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("still heard", UserWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["still heard"]


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """A name with byte 0xFF (a surrogate escape in Python): JSON says \\xff, no traceback."""
    name = os.fsdecode(b"\xff\x1b.csv")
    (tmp_path / name).write_bytes(PLAIN.read_bytes())
    result = run_cli(name, "-f", "json", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    assert json.loads(result.stdout)["input"]["path"] == "\\xff\x1b.csv"
    html = run_cli(name, "-f", "html", "-o", "-", cwd=tmp_path)
    assert html.returncode == 0 and b"\x1b" not in html.stdout

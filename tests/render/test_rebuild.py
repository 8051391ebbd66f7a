"""The colophon's command makes the same report again: parsed by the command line, it gives
the options the report was made with (every option that changes the page), and the
command printed in a rendered report, run, makes the same page."""

from __future__ import annotations

import dataclasses
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportgen
from reportgen.cli.args import parse_args
from reportgen.options import INTERVALS, LANGUAGES, RenderOptions, make_options
from reportgen.render.pages.rebuild import command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def die(tmp_path_factory: pytest.TempPathFactory) -> reportgen.Analysis:
    folder = tmp_path_factory.mktemp("die")
    path = folder / "-odd name's.csv"
    path.write_text("score,die\n" + "".join(f"{1 + i % 6},{'ab'[i % 2]}\n" for i in range(40)))
    return reportgen.analyse(path, column="score", wording="cli")


def _parsed(words: str):
    argv = shlex.split(words)
    assert argv[0] == "reportgen"
    return parse_args(argv[1:]).options


def test_the_sample_needs_no_option() -> None:
    record = reportgen.analyse(ROOT / "data" / "rolls.csv", wording="cli")
    assert command(record, RenderOptions()) == "reportgen rolls.csv"


def test_a_coin_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "coin.csv"
    path.write_text("face\n" + "H\nT\nT\n" * 8)
    record = reportgen.analyse(path, faces="H,T", model=[0.4, 0.6], wording="cli")
    words = command(record, RenderOptions(lang="ja", interval="exact"))
    assert words == "reportgen coin.csv --faces H,T --model 0.4,0.6 --lang ja --interval exact"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    confidence=st.sampled_from([0.95, 0.9, 0.99, 0.8125, 1 - 2**-20]),
    unit=st.sampled_from(["nat", "bit"]),
    seed=st.integers(0, 2**63 - 1),
    model=st.sampled_from(["fair", "0.1,0.1,0.2,0.2,0.2,0.2", "0.15,0.15,0.15,0.15,0.15,0.25"]),
    lang=st.sampled_from(LANGUAGES),
    interval=st.sampled_from(INTERVALS),
    answers=st.booleans(),
    author=st.none()
    | st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12
    ),
)
def test_parsed_back_it_gives_the_options_of_the_page(
    die: reportgen.Analysis, confidence, unit, seed, model, lang, interval, answers, author
) -> None:
    """Round trip through the command line's own parser (reportgen.cli.args.parse_args)."""
    given_options = make_options(
        column="score", confidence=confidence, unit=unit, seed=seed, model=model,
        lang=lang, interval=interval, answers=answers, author=author,
    )  # fmt: skip
    record = dataclasses.replace(die, options=given_options.stats.for_faces(die.log.faces))
    parsed = _parsed(command(record, given_options.render))
    assert parsed.stats == record.options
    assert parsed.render == given_options.render
    assert parsed.read.faces == die.log.faces
    assert parsed.read.column == "score"


def test_by_and_walk_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_text("face,die\n" + "".join(f"{1 + i % 6},{'ab'[i % 2]}\n" for i in range(40)))
    record = reportgen.analyse(path, by="die", walk="b", wording="cli")
    words = command(record, RenderOptions())
    assert words == "reportgen class.csv --by die --walk b"
    assert _parsed(words).stats.walk == "b"


def test_the_printed_command_remakes_the_page(tmp_path: Path) -> None:
    """Render a report, read the command off its PDF (pypdf), run it: the same text."""
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "my throws.csv"
    path.write_text("face\n" + "".join(f"{1 + (i * 7) % 6}\n" for i in range(30)))
    first = tmp_path / "first.pdf"
    run = [sys.executable, "-m", "reportgen"]
    options = ["--lang", "ja", "--confidence", "0.9", "--seed", "7", "--unit", "bit"]
    subprocess.run([*run, str(path), *options, "-o", str(first), "-q"], check=True)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(first).pages)
    line = next(line for line in text.splitlines() if line.startswith("reportgen "))
    assert shlex.split(line)[1:] == ["my throws.csv", "--confidence", "0.9", "--unit", "bit",
                                     "--seed", "7", "--lang", "ja"]  # fmt: skip
    argv = shlex.split(line)[1:] + ["-o", "again.pdf", "-q"]
    subprocess.run([*run, *argv], check=True, cwd=tmp_path)
    again = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "again.pdf").pages)
    assert again == text


def test_a_value_that_starts_with_a_dash_is_joined_with_equals(die: reportgen.Analysis) -> None:
    """Found by Hypothesis: --author -: would read as another option; --author=-: does not."""
    given = make_options(column="score", author="-:", model="fair")
    record = dataclasses.replace(die, options=given.stats.for_faces(die.log.faces))
    words = command(record, given.render)
    assert "--author=-:" in words
    assert _parsed(words).render.author == "-:"

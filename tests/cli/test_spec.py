"""The command line's pieces in-process: the run specification, planning, exit statuses."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from reportgen.api import make_options
from reportgen.cli.args import RunSpec, parse_args
from reportgen.cli.main import exit_status, run
from reportgen.cli.plan import Target, plan_outputs
from reportgen.errors import ExitStatus, OutputError, UsageError
from tests.conftest import DATA, run_cli


def test_arguments_become_a_frozen_spec_with_the_apis_options():
    spec = parse_args(["a.csv", "b.csv", "-f", "json,HTML", "-f", "json", "--faces", "H,T",
                       "--confidence", "90%", "--jobs", "3", "--combine", "-q"])  # fmt: skip
    assert isinstance(spec, RunSpec)
    assert spec.inputs == ("a.csv", "b.csv") and spec.formats == ("json", "html")
    assert (spec.jobs, spec.combine, spec.quiet, spec.engine) == (3, True, True, "local")
    assert spec.options == make_options(faces="H,T", confidence=0.9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.jobs = 1  # type: ignore[misc]


def test_a_bad_faces_is_named_before_a_bad_confidence():
    with pytest.raises(UsageError, match="--faces 1"):
        parse_args(["a.csv", "--faces", "1", "--confidence", "x"])
    with pytest.raises(UsageError, match="--confidence x"):
        parse_args(["a.csv", "--confidence", "x"])


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], ExitStatus.OK),
        ([0], ExitStatus.OK),
        ([65], ExitStatus.DATAERR),
        ([0, 0], ExitStatus.OK),
        ([0, 66], ExitStatus.PARTIAL),
        ([65, 66], ExitStatus.PARTIAL),
    ],
)
def test_exit_status_of_a_run(statuses, expected):
    assert exit_status(statuses) == expected


def test_outputs_are_planned_per_input_and_format(tmp_path):
    targets = plan_outputs(["x/a.csv", "b.csv.gz", "-"], ["json", "pdf"], f"{tmp_path}/")
    assert [t.path.name for t in targets if t.path] == [
        "a.json", "a.pdf", "b.json", "b.pdf", "stdin.json", "stdin.pdf"
    ]  # fmt: skip
    assert plan_outputs(["a.csv"], ["json"], "-") == [Target("a.csv", "json", None)]
    with pytest.raises(UsageError, match="-o - writes one format"):
        plan_outputs(["a.csv", "b.csv"], ["json"], "-")
    log = tmp_path / "log.json"
    log.write_text("face\n1\n")
    with pytest.raises(OutputError, match="overwrite an input"):
        plan_outputs([str(log)], ["json"], str(log))


def test_run_writes_to_the_streams_it_is_given(tmp_path):
    """As httpie's ``program(env)``: a caller (here a test) replaces stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = run(parse_args([str(DATA / "rolls.csv"), "-f", "json", "-o", "-"]), out, err)
    assert status == ExitStatus.OK and err.getvalue() == ""
    expected = run_cli(DATA / "rolls.csv", "-f", "json", "-o", "-").stdout.decode()
    assert out.getvalue() == expected

    bad = tmp_path / "bad.csv"
    bad.write_text("face\n1\n7\n")
    out, err = io.StringIO(), io.StringIO()
    spec = parse_args([str(DATA / "rolls.csv"), str(bad), "-f", "json", "-o", "-", "-q"])
    assert run(spec, out, err) == ExitStatus.PARTIAL
    assert json.loads(out.getvalue())["n"] == 20  # JSON Lines: the one good input
    message = "face '7' is not one of 1..6 (a typo? 1 other throw is 1..6)"
    assert err.getvalue() == f"reportgen: error: {bad}:3: {message}\n"
    assert not list(Path(tmp_path).glob("*.json"))

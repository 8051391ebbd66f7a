"""Issue 15: ``--edition`` on the command line: names, refusals, the default unchanged."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, ROOT, listing, run_cli

from reportgen.cli.args import parse_args
from reportgen.cli.manifest import fingerprint
from reportgen.cli.plan import plan_outputs
from reportgen.errors import UsageError


@pytest.mark.parametrize("edition", ["student", "teacher"])
def test_an_edition_with_json_is_a_usage_error(edition):
    result = run_cli(DATA / "rolls.csv", "--edition", edition, "-f", "pdf,json", cwd=ROOT)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reportgen: error: --edition"), lines
    assert "Traceback" not in result.stderr.decode()


def test_an_unknown_edition_is_a_usage_error():
    with pytest.raises(UsageError):
        parse_args(["data/rolls.csv", "--edition", "answers"])


def test_the_default_edition_is_the_report():
    spec = parse_args(["data/rolls.csv"])
    assert spec.edition == "report"
    assert [t.path.name for t in plan_outputs(["a/rolls.csv"], ["pdf"], "out/")] == ["rolls.pdf"]


def test_editions_name_their_files_so_a_class_folder_holds_them_all(tmp_path):
    names = {
        edition: [t.path.name for t in plan_outputs(["rolls.csv"], ["pdf", "html"], "o/", edition)]
        for edition in ("report", "student", "teacher")
    }
    assert names == {
        "report": ["rolls.pdf", "rolls.html"],
        "student": ["rolls-student.pdf", "rolls-student.html"],
        "teacher": ["rolls-key.pdf", "rolls-key.html"],
    }
    # One input, one format, -o FILE: the file named.
    (target,) = plan_outputs(["rolls.csv"], ["pdf"], str(tmp_path / "sheet.pdf"), "student")
    assert target.path == tmp_path / "sheet.pdf" and target.edition == "student"


def test_the_manifest_tells_editions_apart():
    spec = parse_args(["data/rolls.csv"])
    prints = {fingerprint(spec.options, False, e) for e in ("report", "student", "teacher")}
    assert len(prints) == 3
    assert fingerprint(spec.options, False) == fingerprint(spec.options, False, "report")


def test_the_student_edition_writes_one_worksheet_and_nothing_else(tmp_path):
    result = run_cli(DATA / "rolls.csv", "--edition", "student", "-o", f"{tmp_path}/", cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    assert listing(tmp_path) == ["rolls-student.pdf"]
    assert result.stdout.decode().split() == [str(tmp_path / "rolls-student.pdf")]


def test_skip_unchanged_keeps_the_editions_apart(tmp_path):
    log = tmp_path / "in" / "rolls.csv"
    log.parent.mkdir()
    log.write_bytes((DATA / "rolls.csv").read_bytes())
    out = f"{tmp_path}/out/"
    printed = []
    for edition in ("student", "teacher", "student"):
        result = run_cli(log, "--edition", edition, "--skip-unchanged", "-o", out, "-f", "html")
        assert result.returncode == 0, result.stderr.decode()
        printed.append(result.stdout.decode().split())
    manifest = json.loads((tmp_path / "out" / ".reportgen-manifest.json").read_text("utf-8"))
    assert set(manifest) == {"rolls-student.html", "rolls-key.html"}
    # The key did not count as the worksheet; the worksheet, asked again, was skipped.
    assert [len(paths) for paths in printed] == [1, 1, 0]

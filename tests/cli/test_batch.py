"""Several inputs in one invocation, run as a user runs them (``python -m reportgen``)."""

from __future__ import annotations

import hashlib
import json
import os
import threading

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli.manifest import MANIFEST
from reportgen.faces import parse_faces
from reportgen.read import combine, read_log
from reportgen.read.log import next_checkpoint
from tests.conftest import DATA, listing, run_cli


def _log(path, values, header="face"):  # type: ignore[no-untyped-def]
    path.write_text(header + "\n" + "".join(f"{v}\n" for v in values))
    return path


@pytest.fixture
def logs(tmp_path):  # type: ignore[no-untyped-def]
    """Five small logs in a directory, in name order."""
    directory = tmp_path / "in"
    directory.mkdir()
    rng = np.random.default_rng(7)
    return [_log(directory / f"day{i}.csv", rng.integers(1, 7, 30 + i)) for i in range(5)]


def _json(path):  # type: ignore[no-untyped-def]
    return json.loads(path.read_text())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_directory_gives_one_report_per_log_in_order(tmp_path, logs, jobs):
    out = tmp_path / "out"
    result = run_cli(logs[0].parent, "-f", "json", "-o", out, "--jobs", jobs)
    assert result.returncode == 0, result.stderr
    written = result.stdout.decode().splitlines()
    assert written == [str(out / f"day{i}.json") for i in range(5)]
    status = result.stderr.decode().splitlines()
    assert status[-1] == "reportgen: 5 inputs: 5 done, 0 failed"  # the tally (issue 25)
    assert [line.split()[2] for line in status[:-1]] == [str(p) for p in logs]
    assert all(line.startswith("reportgen: done: ") for line in status[:-1])
    for log, path in zip(logs, written, strict=True):
        single = run_cli(log, "-f", "json", "-o", "-")
        assert _json(tmp_path / path) == json.loads(single.stdout)


def test_quiet_keeps_only_errors(tmp_path, logs):
    result = run_cli(*logs[:2], tmp_path / "missing.csv", "-f", "json", "-o", tmp_path, "-q")
    assert result.returncode == 1
    assert result.stderr.decode() == f"reportgen: error: {tmp_path / 'missing.csv'}: no such file\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_input_fails_alone(tmp_path, logs, jobs):
    bad = _log(tmp_path / "bad.csv", [1, 2, 9])
    out = tmp_path / "out"
    summary = tmp_path / "summary.jsonl"
    result = run_cli(
        logs[0], bad, logs[1], "-f", "json", "-o", out, "--jobs", jobs, "--summary", summary
    )
    assert result.returncode == 1
    assert f"reportgen: error: {bad}:4: face '9' is not one of 1..6" in result.stderr.decode()
    assert listing(out) == ["day0.json", "day1.json"]
    lines = [json.loads(line) for line in summary.read_text().splitlines()]
    lines.sort(key=lambda s: [str(logs[0]), str(bad), str(logs[1])].index(s["input"]))
    assert [(s["input"], s["status"], s["exit_status"]) for s in lines] == [  # as they finish
        (str(logs[0]), "ok", 0),
        (str(bad), "failed", 65),
        (str(logs[1]), "ok", 0),
    ]
    assert lines[0]["outputs"] == [str(out / "day0.json")] and lines[0]["n"] == 30
    assert lines[1]["outputs"] == [] and "face '9'" in lines[1]["error"]


def test_single_input_with_summary_keeps_its_own_status(tmp_path):
    bad = _log(tmp_path / "bad.csv", [1, 7])
    result = run_cli(bad, "-f", "json", "-o", tmp_path / "o", "--summary", tmp_path / "s.jsonl")
    assert result.returncode == 65
    assert json.loads((tmp_path / "s.jsonl").read_text())["status"] == "failed"


def test_json_lines_on_stdout_in_input_order(tmp_path, logs):
    result = run_cli(*reversed(logs), "-f", "json", "-o", "-", "-q")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(logs)
    objects = [json.loads(line) for line in lines]
    assert [o["input"]["path"] for o in objects] == [str(p) for p in reversed(logs)]
    assert objects[-1] == json.loads(run_cli(logs[0], "-f", "json", "-o", "-").stdout)


def test_jobs_must_be_positive(logs):
    result = run_cli(*logs, "-f", "json", "--jobs", "0")
    assert result.returncode == 2
    assert b"--jobs 0" in result.stderr


def test_skip_unchanged_remakes_only_what_changed(tmp_path, logs):
    out = tmp_path / "out"
    args = (logs[0].parent, "-f", "json", "-o", out, "--skip-unchanged")
    first = run_cli(*args)
    assert first.returncode == 0 and len(first.stdout.splitlines()) == 5
    assert (out / MANIFEST).exists()

    again = run_cli(*args)
    assert again.returncode == 0 and again.stdout == b""
    assert again.stderr.decode().count("reportgen: unchanged: ") == 5

    _log(logs[2], [6, 6, 6])  # new content (and a new modification time)
    os.utime(logs[2], ns=(os.stat(logs[2]).st_atime_ns, os.stat(logs[2]).st_mtime_ns + 10**9))
    (out / "day4.json").write_text("{}")  # an output someone changed
    changed = run_cli(*args)
    assert changed.stdout.decode().splitlines() == [str(out / "day2.json"), str(out / "day4.json")]
    assert _json(out / "day2.json")["counts"] == [0, 0, 0, 0, 0, 3]

    other_options = run_cli(*args, "--confidence", "0.9")
    assert len(other_options.stdout.splitlines()) == 5


def _split(tmp_path, values, sizes):  # type: ignore[no-untyped-def]
    parts, start = [], 0
    for i, size in enumerate(sizes):
        parts.append(_log(tmp_path / f"part{i}.csv", values[start : start + size]))
        start += size
    return parts


def test_combine_is_one_report_over_all_parts(tmp_path):
    values = np.random.default_rng(8).integers(1, 7, 5000)
    parts = _split(tmp_path, values, [7, 3000, 1993])
    out = tmp_path / "all.json"
    result = run_cli(*parts, "--combine", "-f", "json", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == f"{out}\n"
    report = _json(out)
    assert report["n"] == 5000
    assert report["counts"] == [int(c) for c in np.bincount(values, minlength=7)[1:]]
    assert [t["face"] for t in report["cross_entropy"]["first"]] == [int(v) for v in values[:20]]
    assert report["input"]["path"] == os.pathsep.join(map(str, parts))
    together = b"".join(p.read_bytes() for p in parts)
    assert report["input"]["sha256"] == hashlib.sha256(together).hexdigest()


def test_combined_checkpoints_are_exact_cumulative_counts(tmp_path):
    values = np.random.default_rng(9).integers(1, 7, 4000)
    parts = _split(tmp_path, values, [5, 12, 1000, 2983])
    d6 = parse_faces(6)
    log = combine([read_log(p, d6) for p in parts], "x", "y")
    cumulative = np.cumsum(np.eye(7, dtype=int)[values][:, 1:], axis=0)
    positions = [m for m, _ in log.checkpoints]
    assert positions[:20] == list(range(1, 21))
    assert positions[-1] == 4000 and positions == sorted(set(positions))
    for m, counts in log.checkpoints:
        assert list(counts) == list(cumulative[m - 1])
    spaced = zip(positions[:-2], positions[1:-1], strict=True)  # thinned like a single log's
    assert all(b >= next_checkpoint(a) for a, b in spaced)


def test_combine_with_a_bad_part_writes_nothing(tmp_path):
    parts = _split(tmp_path, [1, 2, 3, 4, 5, 6, 7], [3, 4])
    result = run_cli(*parts, "--combine", "-f", "json", "-o", tmp_path / "all.json")
    assert result.returncode == 65
    assert f"{parts[1]}:5: face '7'" in result.stderr.decode()
    assert not (tmp_path / "all.json").exists()


def test_combine_in_parallel_matches_in_process(tmp_path):
    values = np.random.default_rng(10).integers(1, 7, 3000)
    parts = _split(tmp_path, values, [1000, 1000, 1000])
    one = run_cli(*parts, "--combine", "-f", "json", "-o", "-", "--jobs", "1")
    two = run_cli(*parts, "--combine", "-f", "json", "-o", "-", "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout


def test_output_to_a_pipe_stays_a_pipe(tmp_path, sample):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli(sample, "-f", "json", "-o", fifo)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["n"] == 20
    assert not fifo.is_file() and fifo.exists()


def test_a_pipe_input_is_read_once_and_whole(tmp_path, sample):
    """A FIFO (as ``<(…)`` gives) is not sniffed for a workbook's bytes: opened twice, its
    first bytes would be lost, or the second open would wait for a writer that is gone."""
    fifo = tmp_path / "rolls.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(sample.read_bytes()))
    writer.start()
    result = run_cli(fifo, "-f", "json", "-o", "-", timeout=60)
    writer.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n"] == 20


def test_standard_input_among_several_inputs_is_read_here(tmp_path, logs, sample):
    result = run_cli(
        logs[0], "-", "-f", "json", "-o", tmp_path, "--jobs", "2", "-q", stdin=sample.read_bytes()
    )
    assert result.returncode == 0, result.stderr
    assert _json(tmp_path / "stdin.json")["n"] == 20


def test_combine_refuses_standard_input(logs):
    result = run_cli(logs[0], "-", "--combine", "-f", "json", "-o", "-", stdin=b"face\n1\n")
    assert result.returncode == 2


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    values=st.lists(st.integers(1, 6), min_size=1, max_size=300),
    cuts=st.lists(st.integers(1, 299), max_size=6),
)
def test_combining_any_split_agrees_with_the_whole(tmp_path, values, cuts):
    bounds = sorted({c for c in cuts if c < len(values)})
    sizes = [b - a for a, b in zip([0, *bounds], [*bounds, len(values)], strict=True)]
    parts = _split(tmp_path, values, sizes)
    d6 = parse_faces(6)
    log = combine([read_log(p, d6) for p in parts], "x", "y")
    whole = read_log(_log(tmp_path / "whole.csv", values), d6)
    assert (log.counts, log.first_faces, log.n) == (whole.counts, whole.first_faces, whole.n)
    cumulative = np.cumsum(np.eye(7, dtype=int)[values][:, 1:], axis=0)
    assert all(list(c) == list(cumulative[m - 1]) for m, c in log.checkpoints)
    assert log.checkpoints[-1] == whole.checkpoints[-1]


def test_combine_keeps_the_groups_of_by(tmp_path):
    """--combine --by: the groups of the parts merge by name into the whole log's groups."""
    rows = (DATA / "two_dice.csv").read_text().splitlines()
    header, body = rows[0], rows[1:]
    half = len(body) // 2
    for name, part in (("p1.csv", body[:half]), ("p2.csv", body[half:])):
        (tmp_path / name).write_text("\n".join([header, *part]) + "\n")
    whole = run_cli(DATA / "two_dice.csv", "--by", "die", "-f", "json", "-o", "-")
    parts = run_cli(
        tmp_path / "p1.csv",
        tmp_path / "p2.csv",
        "--combine",
        "--by",
        "die",
        "-f",
        "json",
        "-o",
        "-",
    )
    assert whole.returncode == parts.returncode == 0, parts.stderr.decode()
    a, b = json.loads(whole.stdout), json.loads(parts.stdout)
    assert b["counts"] == a["counts"]
    assert {g: v["counts"] for g, v in b["groups"].items()} == {
        g: v["counts"] for g, v in a["groups"].items()
    }
    assert b["homogeneity"] == a["homogeneity"]

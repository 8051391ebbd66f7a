"""URL inputs on the local engine, ``--log-format json``, and who writes a Dask run's outputs.

Fast tests without a cluster; ``test_dask_reports`` runs the same on one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reportgen.pipeline import Target, Task
from tests.conftest import listing, run_cli


def _logs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"r{i}.csv"
        path.write_text("face\n" + "".join(f"{1 + (i + j) % 6}\n" for j in range(20 + i)))
        paths.append(path)
    return paths


def test_a_file_url_is_read_as_its_local_path(tmp_path):
    (log,) = _logs(tmp_path / "in", 1)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    by_url = run_cli(log.as_uri(), "-f", "html,json", "-o", tmp_path / "u", env=env)
    by_path = run_cli(log, "-f", "html,json", "-o", tmp_path / "p", env=env)
    assert by_url.returncode == by_path.returncode == 0, by_url.stderr.decode()
    html = [(tmp_path / d / "r0.html").read_bytes() for d in ("u", "p")]
    assert html[0] == html[1]  # the log (attached, named by its file name): the same page
    found, expected = (json.loads((tmp_path / d / "r0.json").read_text()) for d in ("u", "p"))
    assert found["input"]["path"] == log.as_uri()  # -f json: as given
    assert {**found, "input": None} == {**expected, "input": None}
    assert found["input"]["sha256"] == expected["input"]["sha256"]


def test_a_folder_url_is_listed_and_skip_unchanged_knows_its_files(tmp_path):
    logs = _logs(tmp_path / "in", 3)
    folder, out = (tmp_path / "in").as_uri() + "/", tmp_path / "out"
    first = run_cli(folder, "-f", "json", "-o", out, "--skip-unchanged")
    assert first.returncode == 0, first.stderr.decode()
    assert listing(out) == [f"{p.stem}.json" for p in logs]
    again = run_cli(folder, "-f", "json", "-o", out, "--skip-unchanged")
    assert again.returncode == 0 and again.stdout == b""
    assert again.stderr.decode().splitlines() == [
        *(f"reportgen: unchanged: {folder}{p.name}" for p in logs),
        "reportgen: 3 inputs: 0 done, 3 unchanged, 0 failed",  # the tally after several
    ]


def test_a_url_whose_package_is_missing_is_one_line_and_exit_2(tmp_path):
    try:
        import s3fs  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("s3fs is installed here")
    result = run_cli("s3://bucket/logs/", "-f", "json", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "reportgen: error: s3://bucket/logs/: reading s3:// needs the package s3fs "
        "(pip install s3fs)\n"
    )
    assert listing(tmp_path) == []


def test_json_events_name_every_input_and_end_the_run(tmp_path):
    logs = _logs(tmp_path / "in", 3)
    logs[1].write_text("face\n1\n9\n")
    result = run_cli(tmp_path / "in", "-f", "json", "-o", tmp_path / "out", "--jobs", "2",
                     "--log-format", "json")  # fmt: skip
    assert result.returncode == 1
    *inputs, end = [json.loads(line) for line in result.stderr.decode().splitlines()]
    assert sorted(e["input"] for e in inputs) == [str(p) for p in logs]
    assert {e["event"] for e in inputs} == {"input"}
    assert {e["worker"] for e in inputs} <= {str(pid) for pid in range(1, 1 << 22)}  # ids
    (failed,) = [e for e in inputs if e["status"] == "failed"]
    assert failed["exit_status"] == 65 and failed["error"].startswith(f"{logs[1]}:3: face '9'")
    assert end == {**end, "event": "end", "exit_status": 1, "inputs": 3, "failed": 1}
    assert end["error"] is None and end["seconds"] > 0


def test_json_events_of_one_input_and_of_a_usage_error(tmp_path):
    (log,) = _logs(tmp_path, 1)
    one = run_cli(log, "-f", "json", "-o", tmp_path / "r.json", "--log-format", "json")
    event, end = [json.loads(line) for line in one.stderr.decode().splitlines()]
    assert event["input"] == str(log) and event["worker"] == "local"
    assert event["outputs"] == [str(tmp_path / "r.json")]
    assert end["exit_status"] == 0 and end["inputs"] == 1
    bad = run_cli(log, "--faces", "0", "--log-format=json")
    (only,) = [json.loads(line) for line in bad.stderr.decode().splitlines()]
    assert only == {**only, "event": "end", "exit_status": 2, "inputs": 0}
    assert "--faces" in only["error"]


# -- who writes a Dask run's outputs (dask_engine.Routing), with a stand-in client -----------


class _Client:
    """Answers ``run(function, *args)`` as every worker would: ``answer``, or the function's."""

    def __init__(self, answer: bool | None) -> None:
        self.answer = answer
        self.probes: list[tuple[str, str]] = []

    def run(self, function, *args):  # type: ignore[no-untyped-def]
        self.probes = list(args[0])
        value = function(*args) if self.answer is None else self.answer
        return {"tcp://127.0.0.1:1": value, "tcp://127.0.0.1:2": value}


def _tasks(out: Path) -> list[Task]:
    return [Task("a.csv", (Target("a.csv", "json", out / "a.json", listed=True),))]


def test_outputs_go_to_the_workers_when_they_all_see_the_probe(tmp_path):
    pytest.importorskip("distributed")
    from reportgen.cli.dask_engine import Routing

    out = tmp_path / "out" / "deeper"
    seen = _Client(None)  # the workers are this process: they read the probe
    routing = Routing.decide(seen, "auto", _tasks(out))
    assert routing.workers_write
    assert [Path(p).parent for p, _ in seen.probes] == [tmp_path]  # the nearest folder there
    assert os.listdir(tmp_path) == []  # the probe removed; the folder not made
    task = routing.sent(Task("a.csv", (Target("a.csv", "json", Path("rel/a.json")),)))
    assert task.targets[0].path == Path.cwd() / "rel" / "a.json"  # absolute for the workers

    unseen = Routing.decide(_Client(False), "auto", _tasks(out))
    assert not unseen.workers_write  # the workers send the bytes
    assert Routing.decide(_Client(False), "workers", _tasks(out)).workers_write
    assert not Routing.decide(_Client(True), "client", _tasks(out)).workers_write
    url = [Task("a.csv", (Target("a.csv", "json", None, url="memory://r/a.json"),))]
    nobody = _Client(False)
    assert Routing.decide(nobody, "auto", url).workers_write and nobody.probes == []

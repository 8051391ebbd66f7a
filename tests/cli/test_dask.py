"""``--engine dask`` against a real Dask cluster gives what the local engine gives.

One ``distributed.LocalCluster`` (2 worker processes on 127.0.0.1) serves the
whole module; each test runs the real CLI in a fresh process twice, once with
``--engine dask --scheduler ADDRESS`` and once with the local engine, and
compares the parsed JSON (every field, ``input`` included), the error lines on
stderr and the exit status. A few tests let the CLI start its own local cluster.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from reportgen.cli.dask_engine import LOOPBACK_HTTP
from reportgen.errors import DataError, Problems
from reportgen.faces import parse_faces
from reportgen.read import read_log
from tests.conftest import DATA, ROOT, listing, loaded, modules_after, run_cli


@pytest.fixture(scope="module")
def cluster():
    """A 2-worker local cluster on loopback, shared by the module, closed at its end."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs=LOOPBACK_HTTP,
    ) as local:
        yield local


@pytest.fixture
def scheduler(cluster) -> str:
    return cluster.scheduler_address


def _both(*args, scheduler: str | None = None, env=None):  # type: ignore[no-untyped-def]
    """The CLI with the Dask engine and with the local engine: (dask, local) results."""
    on_dask = ["--engine", "dask", *(["--scheduler", scheduler] if scheduler else [])]
    return run_cli(*args, *on_dask, env=env), run_cli(*args)


def _same_json(*args, scheduler: str | None = None):  # type: ignore[no-untyped-def]
    dask, local = _both(*args, "-f", "json", "-o", "-", scheduler=scheduler)
    assert dask.returncode == 0, dask.stderr.decode()
    assert local.returncode == 0, local.stderr.decode()
    assert dask.stderr == b"", dask.stderr.decode()
    found = json.loads(dask.stdout)
    assert found == json.loads(local.stdout)
    return found


def _log(path, values, header="face"):  # type: ignore[no-untyped-def]
    path.write_text(header + "\n" + "".join(f"{v}\n" for v in values))
    return path


def _parts(tmp_path, sizes, seed=1):  # type: ignore[no-untyped-def]
    values = np.random.default_rng(seed).integers(1, 7, sum(sizes))
    parts, start = [], 0
    for i, size in enumerate(sizes):
        parts.append(_log(tmp_path / f"part{i}.csv", values[start : start + size]))
        start += size
    return parts


def test_single_file(scheduler):
    assert _same_json(DATA / "rolls.csv", scheduler=scheduler)["n"] == 20


def test_single_file_on_a_cluster_started_by_the_cli(tmp_path):
    values = np.random.default_rng(2).integers(1, 7, 3000)
    log = _log(tmp_path / "log.csv", values)
    assert _same_json(log, "--jobs", "2")["n"] == 3000


def test_scheduler_from_the_environment(cluster, tmp_path):
    env = {"DASK_SCHEDULER_ADDRESS": cluster.scheduler_address}
    dask, local = _both(DATA / "loaded.csv", "-f", "json", "-o", "-", env=env)
    assert dask.returncode == 0, dask.stderr.decode()
    assert json.loads(dask.stdout) == json.loads(local.stdout)


def test_several_files_combined(scheduler, tmp_path):
    parts = _parts(tmp_path, [7, 3000, 1993, 1])
    report = _same_json(*parts, "--combine", scheduler=scheduler)
    assert report["n"] == 5001
    assert report["input"]["path"] == os.pathsep.join(map(str, parts))


def test_several_files_one_report_each(scheduler, tmp_path):
    parts = _parts(tmp_path, [30, 40, 50])
    dask, local = _both(*parts, "-f", "json", "-o", "-", scheduler=scheduler)
    assert dask.returncode == local.returncode == 0
    lines = [json.loads(line) for line in dask.stdout.splitlines()]
    assert lines == [json.loads(line) for line in local.stdout.splitlines()]
    assert [report["n"] for report in lines] == [30, 40, 50]


def test_a_directory(scheduler, tmp_path):
    _parts(tmp_path, [100, 200, 300])
    (tmp_path / "notes.md").write_text("not a log")
    report = _same_json(tmp_path, "--combine", scheduler=scheduler)
    assert report["n"] == 600


def test_a_glob_is_expanded_on_the_cluster(scheduler, tmp_path):
    parts = _parts(tmp_path, [10, 20, 30])
    dask = run_cli(
        tmp_path / "part*.csv", "--combine", "-f", "json", "-o", "-",
        "--engine", "dask", "--scheduler", scheduler,
    )  # fmt: skip
    local = run_cli(*parts, "--combine", "-f", "json", "-o", "-")
    assert dask.returncode == 0, dask.stderr.decode()
    assert json.loads(dask.stdout) == json.loads(local.stdout)


def test_by_die_over_parts_of_two_dice(scheduler, tmp_path):
    header, *rows = (DATA / "two_dice.csv").read_text().splitlines()
    parts = []
    for i, (start, stop) in enumerate([(0, 13), (13, 250), (250, 600)]):
        part = tmp_path / f"dice{i}.csv"
        part.write_text("\n".join([header, *rows[start:stop]]) + "\n")
        parts.append(part)
    report = _same_json(*parts, "--combine", "--by", "die", scheduler=scheduler)
    whole = json.loads(
        run_cli(DATA / "two_dice.csv", "--by", "die", "-f", "json", "-o", "-").stdout
    )
    # The whole log is another input (path, sha256); every figure of every group agrees but
    # the held-out split: it falls at the checkpoint nearest N/2 among those the reading kept,
    # and parts keep theirs at their own throws (analysis/holdout.py), so the split of parts
    # lies elsewhere within 2.5 % of half.
    for name, group in whole["groups"].items():
        ours = report["groups"][name]
        assert {**ours, "input": None, "holdout": None} == {**group, "input": None, "holdout": None}
        n = ours["n"]
        assert ours["holdout"]["train"] + ours["holdout"]["test"] == n
        assert abs(ours["holdout"]["train"] - n / 2) <= 0.025 * n
    assert report["homogeneity"] == whole["homogeneity"]


def test_a_gzip_part(scheduler, tmp_path):
    parts = _parts(tmp_path, [500, 700])
    packed = tmp_path / "part1.csv.gz"
    packed.write_bytes(gzip.compress(parts[1].read_bytes(), mtime=0))
    parts[1].unlink()
    report = _same_json(parts[0], packed, "--combine", scheduler=scheduler)
    assert report["n"] == 1200


def test_a_bad_row_on_a_worker_is_the_same_error(scheduler, tmp_path):
    bad = _log(tmp_path / "bad.csv", [1, 2, 3, 7, 4])
    dask, local = _both(bad, "-f", "json", "-o", tmp_path / "out.json", scheduler=scheduler)
    assert dask.returncode == local.returncode == 65
    assert dask.stderr == local.stderr
    message = "face '7' is not one of 1..6 (a typo? 4 other throws are 1..6)"
    assert dask.stderr.decode() == f"reportgen: error: {bad}:5: {message}\n"
    assert not (tmp_path / "out.json").exists()


def test_many_bad_rows_print_the_same_lines(scheduler, tmp_path):
    bad = _log(tmp_path / "bad.csv", [1, 9, 2, "x", 0, 3, 8, 8, 8, 8])
    dask, local = _both(bad, "-f", "json", "-o", "-", scheduler=scheduler)
    assert dask.returncode == local.returncode == 65
    assert dask.stderr == local.stderr
    assert len(dask.stderr.splitlines()) == 6  # five shown, then the count of the rest


def test_a_bad_part_when_combining(scheduler, tmp_path):
    parts = _parts(tmp_path, [50, 60])
    _log(tmp_path / "part2.csv", [1, 2, "six"])
    parts.append(tmp_path / "part2.csv")
    dask, local = _both(*parts, "--combine", "-f", "json", "-o", "-", scheduler=scheduler)
    assert dask.returncode == local.returncode == 65
    assert dask.stderr == local.stderr
    assert f"{parts[2]}:4: " in dask.stderr.decode()


def test_a_bad_input_among_several(scheduler, tmp_path):
    parts = _parts(tmp_path, [50, 60])
    missing = tmp_path / "missing.csv"
    args = (parts[0], missing, parts[1], "-f", "json", "-o", tmp_path / "out", "-q")
    dask, local = _both(*args, scheduler=scheduler)
    assert dask.returncode == local.returncode == 1
    assert dask.stderr == local.stderr
    assert dask.stderr.decode() == f"reportgen: error: {missing}: no such file\n"


def test_many_small_files_go_several_to_a_task(scheduler, tmp_path):
    """40 files on 2 workers: a few files per task, results and errors still in input order."""
    parts = _parts(tmp_path, [5 + i for i in range(40)])
    _same_json(*parts, "--combine", scheduler=scheduler)
    _log(parts[17], [1, 2, 8])
    dask, local = _both(*parts, "-f", "json", "-o", tmp_path / "out", "-q", scheduler=scheduler)
    assert dask.returncode == local.returncode == 1
    assert dask.stderr == local.stderr
    assert dask.stdout == local.stdout  # the 39 written files, in input order


def test_urls_are_opened_with_fsspec_on_the_workers(cluster, scheduler, tmp_path):
    parts = _parts(tmp_path, [300, 400])

    def store(contents):  # runs on each worker: memory:// lives in the worker's process
        import fsspec

        fs = fsspec.filesystem("memory")
        for name, data in contents.items():
            fs.pipe(f"/rolls-test/{name}", data)

    import distributed

    with distributed.Client(cluster) as client:
        client.run(store, {p.name: p.read_bytes() for p in parts})
    urls = [f"memory://rolls-test/{p.name}" for p in parts]
    on_dask = ("-f", "json", "-o", "-", "--engine", "dask", "--scheduler", scheduler)
    dask = run_cli("memory://rolls-test/", "--combine", *on_dask)
    local = run_cli(*parts, "--combine", "-f", "json", "-o", "-")
    assert dask.returncode == 0, dask.stderr.decode()
    found, expected = json.loads(dask.stdout), json.loads(local.stdout)
    assert found["input"]["path"] == os.pathsep.join(urls)  # the parts as named
    found["input"]["path"] = expected["input"]["path"]
    assert found == expected  # the same bytes, so the same sha256 and every figure

    one = run_cli(f"file://{parts[0]}", *on_dask)
    assert one.returncode == 0, one.stderr.decode()
    here = run_cli(parts[0], "-f", "json", "-o", "-")
    assert json.loads(one.stdout)["counts"] == json.loads(here.stdout)["counts"]

    gone = run_cli("memory://rolls-test/none.csv", *on_dask)
    assert gone.returncode == 66
    assert gone.stderr.decode() == "reportgen: error: memory://rolls-test/none.csv: no such file\n"


def test_the_same_pdf(scheduler, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    parts = _parts(tmp_path, [400, 600])
    dask, local = (tmp_path / "dask.pdf", tmp_path / "local.pdf")
    on_dask = ("--engine", "dask", "--scheduler", scheduler)
    assert run_cli(*parts, "--combine", "-o", dask, *on_dask).returncode == 0
    assert run_cli(*parts, "--combine", "-o", local).returncode == 0

    def text(path):  # type: ignore[no-untyped-def]
        return [page.extract_text() for page in pypdf.PdfReader(path).pages]

    assert text(dask) == text(local)


def test_without_dask_installed_one_line_and_exit_2(tmp_path):
    blocked = (
        "import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
        "from reportgen.cli import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked, str(DATA / "rolls.csv"), "--engine", "dask"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "reportgen: error: --engine dask needs Dask (install it: pip install 'reportgen[dask]')\n"
    )
    assert listing(tmp_path) == []


def test_scheduler_without_the_dask_engine_is_a_usage_error():
    result = run_cli(DATA / "rolls.csv", "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 2
    assert b"--engine dask" in result.stderr


def test_standard_input_is_refused():
    result = run_cli("-", "--engine", "dask", stdin=b"face\n1\n")
    assert result.returncode == 2
    assert b"not standard input" in result.stderr


# -- without a cluster: what the engine relies on -------------------------------------------


def test_errors_travel_pickled_with_path_line_and_hint():
    error = DataError("face '7' is not one of 1..6", path="a.csv", line=17, hint="a d8?")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
    problems = Problems("a.csv")
    for line in (3, 4):
        problems.add(DataError("bad", path="a.csv", line=line))
    problems.stop(DataError("cut off", path="a.csv", line=9))
    again = pickle.loads(pickle.dumps(problems))
    assert type(again) is Problems
    assert again.lines() == problems.lines() and again.status == problems.status


def test_read_log_from_an_open_file_is_the_same_log(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"throw,face\n1,3\n2,5\n3,3\n")
    d6 = parse_faces(6)
    opened = read_log("memory://x/log.csv", d6, fileobj=io.BytesIO(path.read_bytes()))
    assert opened == replace(read_log(path, d6), source="memory://x/log.csv")
    with pytest.raises(DataError) as caught:
        read_log("memory://x/bad.csv", d6, fileobj=io.BytesIO(b"face\n1\n9\n"))
    assert str(caught.value).startswith("memory://x/bad.csv:3: face '9'")


def test_the_local_engine_never_imports_dask(tmp_path):
    modules = modules_after(str(DATA / "rolls.csv"), "-f", "json", "-o", str(tmp_path / "r.json"))
    assert not loaded(modules, "dask") and not loaded(modules, "distributed")

"""``--scheduler`` against a cluster started as users start one: ``dask scheduler`` and
``dask worker`` as separate processes, in another working directory, on loopback only.

The cluster's processes start in ``cluster/`` and the command line runs in
``user/``, so a relative path only works if reportgen sends it absolute. Every
wait is bounded, and the processes (each in its own process group) are ended by
their ids at the end of the module.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.cli.dask_engine import NOT_ON_WORKERS
from tests.conftest import _pythonpath, run_cli

pytest.importorskip("distributed")

#: How long the scheduler and the worker may take to come up.
START_TIMEOUT = 90.0


def _dask_command() -> list[str]:
    found = Path(sys.executable).with_name("dask")
    if found.is_file():
        return [str(found)]
    if shutil.which("dask"):
        return ["dask"]
    return [sys.executable, "-m", "dask"]


def _start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": _pythonpath()}
    with log.open("wb") as out:
        return subprocess.Popen(
            [*_dask_command(), *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended by its id below
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def _cluster(root: Path) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A scheduler with one worker, both started in ``root/cluster``: (address, processes)."""
    distributed = pytest.importorskip("distributed")
    cluster = root / "cluster"
    cluster.mkdir()
    address_file = cluster / "scheduler.json"
    started = []
    try:
        started.append(
            _start(
                [
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(address_file),
                ],
                cluster,
                root / "scheduler.log",
            )
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not address_file.is_file() or not address_file.read_text().strip():
            if time.monotonic() > deadline or started[0].poll() is not None:
                pytest.fail(
                    "dask scheduler did not start:\n" + (root / "scheduler.log").read_text()
                )
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written whole, but give it its closing brace
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        started.append(
            _start(
                [
                    "worker",
                    address,
                    "--host",
                    "127.0.0.1",
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--local-directory",
                    str(cluster / "work"),
                ],
                cluster,
                root / "worker.log",
            )
        )
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=START_TIMEOUT)
            cwd = client.run(os.getcwd)
        assert list(cwd.values()) == [str(cluster)]  # the worker really runs elsewhere
        yield address, started
    finally:
        for process in reversed(started):
            _stop(process)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory) -> Iterator[str]:
    """The address of a scheduler with one worker, both started in ``cluster/``."""
    with _cluster(tmp_path_factory.mktemp("dask-processes")) as (address, _):
        yield address


@pytest.fixture
def user(tmp_path: Path) -> Path:
    """The user's directory, holding ``coin.csv`` (7 heads, 3 tails)."""
    (tmp_path / "coin.csv").write_text("face\n" + "H\n" * 7 + "T\n" * 3)
    return tmp_path


def _json(*args, cwd: Path):  # type: ignore[no-untyped-def]
    return run_cli(*args, "--faces", "H,T", "-f", "json", "-o", "-", cwd=cwd, timeout=120)


def test_a_relative_path_is_sent_absolute(scheduler: str, user: Path) -> None:
    on_dask = _json("coin.csv", "--engine", "dask", "--scheduler", scheduler, cwd=user)
    assert on_dask.returncode == 0, on_dask.stderr.decode()
    assert on_dask.stderr == b""
    found = json.loads(on_dask.stdout)
    assert found["counts"] == [7, 3]
    assert found["input"]["path"] == str(user / "coin.csv")
    local = json.loads(_json("coin.csv", cwd=user).stdout)
    assert found["input"]["sha256"] == local["input"]["sha256"]
    assert found["mle"] == local["mle"] and found["intervals"] == local["intervals"]


def test_a_relative_directory_and_glob_too(scheduler: str, user: Path) -> None:
    (user / "logs").mkdir()
    (user / "coin.csv").rename(user / "logs" / "coin.csv")
    for spec in ("logs", "logs/*.csv"):
        result = _json(spec, "--engine", "dask", "--scheduler", scheduler, cwd=user)
        assert result.returncode == 0, (spec, result.stderr.decode())
        assert json.loads(result.stdout)["counts"] == [7, 3]


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux's /proc")
def test_a_path_here_that_the_workers_lack_says_so(scheduler: str, user: Path) -> None:
    """/proc/self/cwd/coin.csv exists here (our directory) but not for the worker (its own)."""
    path = "/proc/self/cwd/coin.csv"
    result = _json(path, "--engine", "dask", "--scheduler", scheduler, cwd=user)
    assert result.returncode == 66
    assert result.stderr.decode() == f"reportgen: error: {path}: {NOT_ON_WORKERS}\n"


def test_a_path_missing_everywhere_is_no_such_file(scheduler: str, user: Path) -> None:
    result = _json("nowhere.csv", "--engine", "dask", "--scheduler", scheduler, cwd=user)
    assert result.returncode == 66
    assert result.stderr.decode() == "reportgen: error: nowhere.csv: no such file\n"


def test_a_lost_scheduler_is_one_line_and_exit_69(tmp_path: Path) -> None:
    """The scheduler killed mid-batch: one line naming it, exit 69, and a summary line for
    every output written before."""
    logs = tmp_path / "user" / "logs"
    logs.mkdir(parents=True)
    for i in range(40):
        (logs / f"l{i:02d}.csv").write_text(
            "face\n" + "".join(f"{1 + (i + j) % 6}\n" for j in range(20))
        )
    with _cluster(tmp_path) as (address, (scheduler_process, _)):
        summary, out = tmp_path / "summary.jsonl", tmp_path / "out"
        job = subprocess.Popen(
            [sys.executable, "-m", "reportgen", "logs", "-f", "html", "-o", out, "-q",
             "--engine", "dask", "--scheduler", address, "--summary", summary],
            cwd=tmp_path / "user",
            env={**os.environ, "PYTHONPATH": _pythonpath()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while not summary.exists() or len(summary.read_text().splitlines()) < 2:
            assert job.poll() is None and time.monotonic() < deadline, job.stderr.read()
            time.sleep(0.1)
        os.killpg(scheduler_process.pid, signal.SIGKILL)
        _, err = job.communicate(timeout=START_TIMEOUT)
    assert job.returncode == 69
    assert err.decode().splitlines() == [
        f"reportgen: error: lost the Dask scheduler at {address} (what finished is written "
        "and in --summary; rerun with --skip-unchanged)"
    ]
    lines = [json.loads(line) for line in summary.read_text().splitlines()]
    written = sorted(p.name for p in out.glob("*.html"))
    assert written and sorted(Path(s["outputs"][0]).name for s in lines) == written
    assert all(s["status"] == "ok" for s in lines)

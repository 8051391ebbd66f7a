"""``--engine dask`` makes each report whole on a worker: what a batch job relies on, on a
cluster of separate ``dask scheduler`` and ``dask worker`` processes (docs/dask.md).

One cluster serves the module: a scheduler and two workers (``--nworkers 2
--nthreads 1``) started in ``cluster/`` on 127.0.0.1, the scheduler told to
give a task whose worker died to another worker once (``allowed-failures`` 1,
as docs/dask.md says to start it). The jobs run in their own directories, so a
relative path only works when reportgen sends it absolute. The test that kills
a worker runs last. Every wait is bounded; every process started here is ended
by its id. The lost scheduler (exit 69) is ``test_dask_processes``'s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.cli.manifest import MANIFEST
from tests.cli.test_dask_processes import START_TIMEOUT, _dask_command, _stop
from tests.conftest import _pythonpath, listing, run_cli

distributed = pytest.importorskip("distributed")

#: The longest a job here may take.
LIMIT = 120.0

#: The date of every report here (the same bytes run after run, engine after engine).
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


def _spawn(args: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    with log.open("wb") as out:
        return subprocess.Popen(
            args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONPATH": _pythonpath(), **(env or {})},
        )  # fmt: skip


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(address, directory) of a scheduler with two workers, started in ``cluster/``."""
    root = tmp_path_factory.mktemp("dask-reports")
    where = root / "cluster"
    where.mkdir()
    address_file = where / "scheduler.json"
    scheduler = "scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file".split()
    once = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    started = [
        _spawn([*_dask_command(), *scheduler, str(address_file)], where, root / "s.log", once)
    ]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not address_file.is_file() or not address_file.read_text().rstrip().endswith("}"):
            assert started[0].poll() is None and time.monotonic() < deadline, "no scheduler"
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        worker = "--host 127.0.0.1 --nworkers 2 --nthreads 1 --no-dashboard".split()
        work = ["--local-directory", str(where / "work")]
        command = [*_dask_command(), "worker", address, *worker, *work]
        started.append(_spawn(command, where, root / "worker.log"))
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield address, where
    finally:
        for process in reversed(started):
            _stop(process)


def _logs(folder: Path, count: int, throws: int = 30) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"log{i:02d}.csv"
        path.write_text("face\n" + "".join(f"{1 + (i + 3 * j) % 6}\n" for j in range(throws + i)))
        paths.append(path)
    return paths


def _on(cluster: tuple[str, Path]) -> tuple[str, ...]:
    return ("--engine", "dask", "--scheduler", cluster[0])


def _job(*args: object, cwd: Path) -> subprocess.Popen:
    """``reportgen ARGS`` in a process group of its own, as a scheduler starts a job."""
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", *map(str, args)], cwd=cwd, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": _pythonpath(), **EPOCH},
    )  # fmt: skip


def _summary(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _wait_for_lines(summary: Path, count: int, job: subprocess.Popen) -> None:
    deadline = time.monotonic() + LIMIT
    while len(_summary(summary)) < count:
        assert job.poll() is None, job.stderr.read().decode() if job.stderr else ""
        assert time.monotonic() < deadline, "the batch made too little progress"
        time.sleep(0.05)


def _events(stderr: bytes) -> list[dict]:
    return [json.loads(line) for line in stderr.decode().splitlines()]


def _whole(folder: Path) -> list[str]:
    """The folder's files, each checked whole (an HTML ends with its closing tag)."""
    names = listing(folder)
    for name in names:
        if name.endswith(".html"):
            assert (folder / name).read_bytes().rstrip().endswith(b"</html>"), name
    assert not [n for n in names if n.endswith(".tmp")], "a temporary was left"
    return names


def test_pdf_html_and_json_are_the_local_engines_bytes(cluster, tmp_path):
    (log,) = _logs(tmp_path / "in", 1)
    common = (log, "-f", "pdf,html,json", "-q")
    local = _job(*common, "-o", "local/", cwd=tmp_path)  # meanwhile: its own process
    dask = run_cli(*common, "-o", "dask/", *_on(cluster), "--log-format", "json",
                   cwd=tmp_path, env=EPOCH, timeout=LIMIT)  # fmt: skip
    assert local.wait(timeout=LIMIT) == 0, local.communicate()[1].decode()
    assert dask.returncode == 0, dask.stderr.decode()
    names = ["log00.html", "log00.json", "log00.pdf"]
    assert listing(tmp_path / "dask") == listing(tmp_path / "local") == names
    for name in names:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    (end,) = _events(dask.stderr)  # -q: no success events, the end event still
    assert end == {**end, "event": "end", "exit_status": 0, "inputs": 1, "failed": 0}


def test_a_file_url_folder_is_read_by_the_workers_and_outputs_go_where_asked(cluster, tmp_path):
    logs = _logs(tmp_path / "in", 3)
    folder = (tmp_path / "in").as_uri() + "/"
    user = tmp_path / "user"
    user.mkdir()
    json_ = ("-f", "json", "-q", *_on(cluster))
    # A folder the workers share, named as a file:// URL: the workers write it.
    shared = run_cli(folder, *json_, "-o", (tmp_path / "shared").as_uri() + "/", cwd=user)
    assert shared.returncode == 0, shared.stderr.decode()
    assert listing(tmp_path / "shared") == [f"{p.stem}.json" for p in logs]
    made = json.loads((tmp_path / "shared" / "log01.json").read_text())
    assert made["input"]["path"] == f"{folder}log01.csv"  # the input as listed
    if not Path("/proc/self/cwd").exists():
        return
    # /proc/self/cwd is the job's directory here and the cluster's directory on the workers:
    # a folder the workers do not share. auto: they send the bytes and the job writes them.
    here = run_cli(folder, *json_, "-o", "/proc/self/cwd/out/", cwd=user)
    assert here.returncode == 0, here.stderr.decode()
    assert sorted(p.stem for p in (user / "out").glob("log*.json")) == [p.stem for p in logs]
    assert not (cluster[1] / "out").exists()
    # Told to: the workers write it, in their own directory.
    there = run_cli(folder, *json_, "-o", "/proc/self/cwd/out2/", "--dask-outputs", "workers",
                    cwd=user)  # fmt: skip
    assert there.returncode == 0, there.stderr.decode()
    assert sorted(p.stem for p in (cluster[1] / "out2").glob("log*.json")) == [p.stem for p in logs]
    assert listing(user / "out2") == []  # only the manifest, kept by the job


def test_bad_data_skip_unchanged_and_the_stale_output(cluster, tmp_path):
    logs = _logs(tmp_path / "in", 4)
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    args = (tmp_path / "in", "-f", "json", "-o", out, "--skip-unchanged", "--summary", summary,
            *_on(cluster), "--log-format", "json")  # fmt: skip
    first = run_cli(*args, cwd=tmp_path, timeout=LIMIT)
    assert first.returncode == 0, first.stderr.decode()
    again = run_cli(*args, cwd=tmp_path, timeout=LIMIT)
    assert again.returncode == 0 and again.stdout == b"", again.stderr.decode()
    assert [e["status"] for e in _events(again.stderr)[:-1]] == ["skipped"] * 4

    logs[2].write_text("face\n1\n7\n")
    broken = run_cli(*args, cwd=tmp_path, timeout=LIMIT)
    assert broken.returncode == 1
    *inputs, end = _events(broken.stderr)
    assert sorted(e["input"] for e in inputs) == [str(p) for p in logs]  # every input named
    assert end == {**end, "event": "end", "exit_status": 1, "inputs": 4, "failed": 1}
    (failed,) = [e for e in inputs if e["status"] == "failed"]
    assert failed["exit_status"] == 65 and failed["input"] == str(logs[2])
    assert failed["error"] == (
        f"{logs[2]}:3: face '7' is not one of 1..6 (a typo? 1 other throw is 1..6); "
        f"removed {out / 'log02.json'}, made from it earlier"
    )
    assert listing(out) == ["log00.json", "log01.json", "log03.json"]
    assert _summary(summary)[-4:] == [
        {k: v for k, v in e.items() if k not in ("event", "worker")} for e in inputs
    ]


def test_two_jobs_into_one_folder_at_once_keep_every_record(cluster, tmp_path):
    first, second = _logs(tmp_path / "a", 12), _logs(tmp_path / "b", 12)
    for path in second:
        path.rename(path.with_name("b" + path.name))
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    common = ("-f", "json", "-o", out, "--skip-unchanged", "--summary", summary, "-q",
              *_on(cluster))  # fmt: skip
    jobs = [_job(tmp_path / name, *common, cwd=tmp_path) for name in ("a", "b")]
    for job in jobs:
        _, err = job.communicate(timeout=LIMIT)
        assert job.returncode == 0, err.decode()
    assert len({s["input"] for s in _summary(summary)}) == 24
    assert len(json.loads((out / MANIFEST).read_text())) == 24
    for name in ("a", "b"):
        rerun = run_cli(tmp_path / name, *common, cwd=tmp_path, timeout=LIMIT)
        assert rerun.returncode == 0 and rerun.stdout == b""  # every input skipped
    assert len(first) == 12


def _interrupted(cluster, tmp_path: Path, how: signal.Signals):  # type: ignore[no-untyped-def]
    """A batch of HTML reports killed with ``how`` after its second report."""
    logs = _logs(tmp_path / "in", 6)
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    args = (tmp_path / "in", "-f", "html", "-o", out, "--skip-unchanged", *_on(cluster))
    job = _job(*args, "--summary", summary, cwd=tmp_path)
    try:
        _wait_for_lines(summary, 2, job)
        os.killpg(job.pid, how)
        job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
    return logs, out, summary, args, job.returncode


def test_sigterm_cancels_every_task_and_nothing_is_written_after(cluster, tmp_path):
    logs, out, summary, _, status = _interrupted(cluster, tmp_path, signal.SIGTERM)
    assert status == 143
    written = _whole(out)
    time.sleep(4)  # longer than a report takes: a task still running would write meanwhile
    assert _whole(out) == written
    assert len(written) < len(logs)  # not every report: the rest were cancelled
    recorded = {Path(p).name for s in _summary(summary) for p in s["outputs"]}
    assert recorded <= set(written)


def test_a_rerun_after_sigkill_of_the_job_remakes_only_the_unfinished(cluster, tmp_path):
    logs, out, summary, args, _ = _interrupted(cluster, tmp_path, signal.SIGKILL)
    finished = {Path(s["input"]).stem for s in _summary(summary) if s["status"] == "ok"}
    assert len(finished) >= 2
    before = {name: (out / name).stat() for name in _whole(out)}

    again = run_cli(*args, cwd=tmp_path, env=EPOCH, timeout=LIMIT)
    assert again.returncode == 0, again.stderr.decode()
    remade = {Path(line).stem for line in again.stdout.decode().splitlines()}
    assert remade == {p.stem for p in logs} - finished
    for stem in finished:  # untouched: the same file, the same time
        now, then = (out / f"{stem}.html").stat(), before[f"{stem}.html"]
        assert (now.st_ino, now.st_mtime_ns) == (then.st_ino, then.st_mtime_ns)
    assert _whole(out) == [f"{p.stem}.html" for p in logs]


def test_the_class_overview_is_made_from_the_workers_counts(cluster, tmp_path):
    _logs(tmp_path / "in", 3)
    common = (tmp_path / "in", "-f", "html", "--edition", "teacher")
    local = _job(*common, "-q", "-o", "local/", cwd=tmp_path)  # meanwhile: its own process
    on = (*common, "-o", "dask/", *_on(cluster), "--log-format", "json")
    dask = run_cli(*on, cwd=tmp_path, env=EPOCH, timeout=LIMIT)
    assert local.wait(timeout=LIMIT) == 0, local.communicate()[1].decode()
    assert dask.returncode == 0, dask.stderr.decode()
    names = listing(tmp_path / "dask")
    assert "class.html" in names and names == listing(tmp_path / "local")
    for name in names:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    *inputs, end = _events(dask.stderr)
    assert sorted(e["input"] for e in inputs)[-1] == "class"  # one more event, after the logs
    assert end == {**end, "exit_status": 0, "inputs": 4, "failed": 0}
    # Every student skipped as unchanged: the client counts them again for the overview.
    again = run_cli(*on, "--skip-unchanged", cwd=tmp_path, env=EPOCH, timeout=LIMIT)
    assert again.returncode == 0, again.stderr.decode()
    assert [e["status"] for e in _events(again.stderr)[:-1]] == ["skipped"] * 3 + ["ok"]
    made = (tmp_path / "dask" / "class.html").read_bytes()
    assert made == (tmp_path / "local" / "class.html").read_bytes()


def test_a_worker_killed_mid_batch_leaves_its_reports_to_the_other(cluster, tmp_path):
    """Runs last: the killed worker's nanny starts a fresh one, which needs a moment."""
    logs = _logs(tmp_path / "in", 6)
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    job = _job(tmp_path / "in", "-f", "html", "-o", out, "--summary", summary, *_on(cluster),
               "--log-format", "json", cwd=tmp_path)  # fmt: skip
    try:
        _wait_for_lines(summary, 1, job)
        with distributed.Client(cluster[0], timeout="30s") as client:
            pids = client.run(os.getpid)
        victim = sorted(pids)[0]
        os.kill(pids[victim], signal.SIGKILL)
        _, err = job.communicate(timeout=LIMIT)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
    assert job.returncode == 0, err.decode()
    assert _whole(out) == [f"{p.stem}.html" for p in logs]
    *inputs, end = _events(err)
    assert end["exit_status"] == 0 and {e["status"] for e in inputs} == {"ok"}
    assert {e["worker"] for e in inputs} - {victim}  # the other worker made reports

"""What a scheduler relies on (README, "Batch jobs"), with real processes and real signals.

Each run is ``python -m reportgen`` in its own process group, so the tests can
signal the whole job and then check that no process of it is left. Every wait
is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from reportgen.cli.manifest import JOURNAL, MANIFEST
from tests.conftest import _pythonpath, listing, run_cli

#: How long a batch in these tests may take at most before the test fails.
LIMIT = 240.0


def _logs(folder: Path, count: int, seed: int = 1, throws: int = 20) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = folder / f"log{i:03d}.csv"
        path.write_text("face\n" + "".join(f"{v}\n" for v in rng.integers(1, 7, throws)))
        paths.append(path)
    return paths


def _start(
    *args: object, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``reportgen ARGS`` in a process group of its own, as a scheduler starts a job."""
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": _pythonpath(), **(env or {})},
        start_new_session=True,
    )


def _summary(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _wait_for_lines(summary: Path, count: int, job: subprocess.Popen) -> None:
    deadline = time.monotonic() + LIMIT
    while len(_summary(summary)) < count:
        assert job.poll() is None, job.stderr.read().decode() if job.stderr else ""
        assert time.monotonic() < deadline, "the batch made too little progress"
        time.sleep(0.1)


def _group_gone(pgid: int, timeout: float = 30.0) -> bool:
    """Whether every process of the group has ended within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.glob(".reportgen-*.tmp")]


def _interrupted_then_resumed(tmp_path: Path, how: signal.Signals) -> None:
    logs = _logs(tmp_path / "in", 24, seed=2)
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    args = (tmp_path / "in", "-f", "html", "-o", out, "--jobs", "2", "--skip-unchanged")
    job = _start(*args, "--summary", summary)
    _wait_for_lines(summary, 6, job)
    if how == signal.SIGTERM:
        os.kill(job.pid, signal.SIGTERM)  # the job's own process, as Kubernetes does
        job.communicate(timeout=60)
        assert job.returncode == 143
    else:
        os.killpg(job.pid, signal.SIGKILL)  # every process of the job, as an OOM kill may
        job.communicate(timeout=60)
    assert _group_gone(job.pid), "a process of the job outlived it"
    finished = {Path(s["input"]).stem for s in _summary(summary) if s["status"] == "ok"}
    assert len(finished) >= 6
    before = {p.name: _identity(p) for p in out.glob("*.html")}

    again = run_cli(*args, "--summary", tmp_path / "again.jsonl", timeout=LIMIT)
    assert again.returncode == 0, again.stderr.decode()
    remade = {Path(line).stem for line in again.stdout.decode().splitlines()}
    assert remade == {p.stem for p in logs} - finished  # at most what was unfinished
    for stem in finished:  # untouched: the same file, the same time
        assert _identity(out / f"{stem}.html") == before[f"{stem}.html"]
    assert listing(out) == [f"{p.stem}.html" for p in logs]
    assert _temporaries(out) == []


def test_sigterm_ends_the_job_and_a_rerun_redoes_only_the_unfinished(tmp_path):
    _interrupted_then_resumed(tmp_path, signal.SIGTERM)


def test_sigkill_of_the_whole_job_loses_no_finished_report(tmp_path):
    _interrupted_then_resumed(tmp_path, signal.SIGKILL)


def test_a_temporary_of_a_killed_process_is_removed_by_the_next_run(tmp_path, sample):
    """A temporary named for a process that is gone goes; a live process's stays."""
    from reportgen.output import temporary_name

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    ours = temporary_name()  # this test's process: alive
    stale = ours.replace(f"-{os.getpid()}@", f"-{pid}@")
    (out / ours).write_bytes(b"half")
    (out / stale).write_bytes(b"half")
    result = run_cli(sample, "-f", "json", "-o", out / "")
    assert result.returncode == 0, result.stderr.decode()
    assert _temporaries(out) == [ours]


def test_no_run_leaves_anything_in_the_temporary_directory(tmp_path, sample):
    """The fonts WeasyPrint copies go with the process: one PDF, a batch, a batch stopped.

    A folder a SIGKILLed process left there goes with the next run that renders a
    PDF; one of a live process stays.
    """
    from reportgen.output import temporary_name

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {"TMPDIR": str(tmp)}
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, check=True)  # fmt: skip
    ours = temporary_name(".d")  # this test's process: alive
    stale = tmp / ours.replace(f"-{os.getpid()}@", f"-{int(dead.stdout)}@")
    stale.mkdir()
    (stale / "font").write_bytes(b"half")
    (tmp / ours).mkdir()

    one = run_cli(sample, "-o", tmp_path / "one.pdf", env=env)
    assert one.returncode == 0, one.stderr.decode()
    assert listing(tmp) == [ours]
    (tmp / ours).rmdir()

    logs = _logs(tmp_path / "in", 3, seed=3)
    batch = run_cli(*logs, "-o", tmp_path / "batch", "--jobs", "2", env=env, timeout=LIMIT)
    assert batch.returncode == 0, batch.stderr.decode()
    assert listing(tmp) == []

    summary = tmp_path / "summary.jsonl"
    job = _start(tmp_path / "in", "-o", tmp_path / "stopped", "--jobs", "2",
                 "--summary", summary, env=env)  # fmt: skip
    _wait_for_lines(summary, 1, job)
    os.kill(job.pid, signal.SIGTERM)
    job.communicate(timeout=60)
    assert job.returncode == 143
    assert _group_gone(job.pid), "a process of the job outlived it"
    assert listing(tmp) == []


def test_two_jobs_into_one_directory_keep_every_record(tmp_path):
    first = _logs(tmp_path / "a", 150, seed=3)
    second = _logs(tmp_path / "b", 150, seed=4)
    for path in second:  # other names than the first job's
        path.rename(path.with_name("b" + path.name))
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    common = ("-f", "json", "-o", out, "--skip-unchanged", "--summary", summary, "-q")
    jobs = [_start(folder, *common, "--jobs", "1") for folder in (tmp_path / "a", tmp_path / "b")]
    for job in jobs:
        _, err = job.communicate(timeout=LIMIT)
        assert job.returncode == 0, err.decode()
    lines = _summary(summary)
    assert sorted(Path(s["input"]).name for s in lines) == sorted(
        p.name for p in [*first, *tmp_path.joinpath("b").iterdir()]
    )
    manifest = json.loads((out / MANIFEST).read_text())
    assert len(manifest) == 300
    assert (out / JOURNAL).read_bytes() == b""  # compacted
    for folder in (tmp_path / "a", tmp_path / "b"):
        again = run_cli(folder, *common[:-3], "-q")
        assert again.returncode == 0 and again.stdout == b""  # every input skipped


def test_a_url_whose_package_is_missing_is_refused_and_writes_nothing(tmp_path, sample):
    pytest.importorskip("fsspec")
    try:
        import s3fs  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("s3fs is installed here")
    result = run_cli(sample, "-f", "json", "-o", "s3://bucket/reports/", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "s3fs" in lines[0], lines
    assert listing(tmp_path) == []


def test_a_file_url_is_written_as_a_local_directory(tmp_path, sample):
    out = tmp_path / "reports"
    result = run_cli(sample, "-f", "json,html", "-o", out.as_uri() + "/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert listing(out) == ["rolls.html", "rolls.json"]
    assert result.stdout.decode().splitlines() == [str(out / "rolls.json"), str(out / "rolls.html")]


def test_an_output_that_cannot_be_made_is_refused_before_any_input_is_read(tmp_path):
    """The input is a FIFO nobody writes to: reading it would block, so exit 73 proves
    that the output was checked first."""
    fifo = tmp_path / "never.csv"
    os.mkfifo(fifo)
    (tmp_path / "a-file").write_text("")
    result = run_cli(fifo, "-f", "json", "-o", tmp_path / "a-file" / "out" / "", timeout=60)
    assert result.returncode == 73
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "a-file is not a directory" in lines[0], lines


def test_a_summary_that_cannot_be_written_is_refused_before_any_work(tmp_path, sample):
    (tmp_path / "a-file").write_text("")
    result = run_cli(sample, "-f", "json", "-o", tmp_path, "--summary", tmp_path / "a-file" / "s")
    assert result.returncode == 73
    assert not (tmp_path / "rolls.json").exists()


def test_a_broken_rerender_removes_the_stale_output(tmp_path):
    good, other = _logs(tmp_path / "in", 2, seed=5)
    out = tmp_path / "out"
    (out / "notes.txt").parent.mkdir()
    (out / "notes.txt").write_text("the teacher's own file")
    first = run_cli(good, other, "-f", "json,html", "-o", out)
    assert first.returncode == 0, first.stderr.decode()
    (out / f"{other.stem}.html").write_text("edited by hand")  # no longer reportgen's

    good.write_text("face\n1\n7\n")
    other.write_text("face\n7\n")
    again = run_cli(good, other, "-f", "json", "-o", out)
    assert again.returncode == 1
    errors = again.stderr.decode().splitlines()
    assert f"{good}:3: face '7'" in errors[0], errors
    named = errors[0].split("; removed ", 1)[1].removesuffix(", made from it earlier")
    assert sorted(named.split(", ")) == [str(out / f"{good.stem}.{x}") for x in ("html", "json")]
    assert listing(out) == [f"{other.stem}.html", "notes.txt"]  # nothing else touched


def test_the_pages_do_not_depend_on_how_the_path_was_typed(tmp_path, sample):
    """a.csv, ./a.csv, /…/a.csv and a path through a symlinked folder: one PDF."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_bytes(sample.read_bytes())
    (tmp_path / "link").symlink_to(data)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    spellings = ["a.csv", "./a.csv", str(data / "a.csv"), str(tmp_path / "link" / "a.csv")]
    made = []
    for i, spelling in enumerate(spellings):
        out = tmp_path / f"out{i}.pdf"
        result = run_cli(spelling, "-o", out, cwd=data, env=env)
        assert result.returncode == 0, result.stderr.decode()
        made.append(out.read_bytes())
    assert all(pdf == made[0] for pdf in made[1:])
    json_out = run_cli("./a.csv", "-f", "json", "-o", "-", cwd=data)
    assert json.loads(json_out.stdout)["input"]["path"] == "./a.csv"  # -f json: as given

"""Small logs → PDF on a Dask cluster of separate processes, against the local engine.

    python benchmarks/dask_batch.py                      # 200 logs: the three timings
    python benchmarks/dask_batch.py --rss 1000           # a worker's RSS over 1,000 reports
    python benchmarks/dask_batch.py --reports 40 --rss 100   # quicker, while developing

Writes ``--reports`` logs of 20–49 throws under ``benchmarks/data/dask/`` and
times, one after another in one run (so the ratios share the machine's load):

1. the local engine, ``reportgen DIR -f pdf -o OUT --jobs 2``;
2. ``--engine dask`` on a running cluster of 2 workers (``dask scheduler`` and
   ``dask worker --nworkers 2 --nthreads 1``, separate processes on 127.0.0.1);
3. the same on a cluster of 1 worker.

Each cluster is started, given one warm-up job (its workers import the pipeline
once, as a cluster that runs every night has), then timed; the equation cache is
warm for every run. With ``--rss N`` a 1-worker cluster makes N reports while
the resident set size (``/proc/PID/status``, VmRSS) of the worker process and of
its children is sampled; the table gives it after 50 reports and at the end.
Linux only (/proc). Prints Markdown for ``docs/dask.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from procs import children, rss_mib  # benchmarks/procs.py, beside this script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _logs(folder: Path, count: int) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(11)
    for i in range(count):
        values = rng.integers(1, 7, 20 + i % 30)
        (folder / f"log{i:04d}.csv").write_text("face\n" + "".join(f"{v}\n" for v in values))


def _dask() -> list[str]:
    found = Path(sys.executable).with_name("dask")
    return [str(found)] if found.is_file() else [sys.executable, "-m", "dask"]


def _start(args: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [*_dask(), *args], cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextlib.contextmanager
def cluster(workers: int, root: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """(address, worker process) of a scheduler with ``workers`` workers, stopped after."""
    root.mkdir(parents=True, exist_ok=True)
    address_file = root / "scheduler.json"
    address_file.unlink(missing_ok=True)
    scheduler = _start(
        ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(address_file)], root / "scheduler.log", root,
    )  # fmt: skip
    worker = None
    try:
        deadline = time.monotonic() + 120
        while not address_file.is_file() or not address_file.read_text().strip().endswith("}"):
            assert scheduler.poll() is None and time.monotonic() < deadline, "no scheduler"
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        worker = _start(
            ["worker", address, "--host", "127.0.0.1", "--nworkers", str(workers),
             "--nthreads", "1", "--no-dashboard", "--local-directory", str(root / "work")],
            root / "worker.log", root,
        )  # fmt: skip
        yield address, worker
    finally:
        for process in (worker, scheduler):
            if process is not None:
                _stop(process)


def _job(folder: Path, out: Path, *extra: str) -> float:
    """Seconds ``reportgen FOLDER -f pdf -o OUT EXTRA`` took (it must exit 0)."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", str(folder), "-f", "pdf", "-o", str(out), "-q",
         *extra], env=ENV, check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    assert done.returncode == 0, f"reportgen exited {done.returncode}"
    return seconds


def _on_cluster(workers: int, folder: Path, warm: Path, work: Path) -> float:
    with cluster(workers, work / f"cluster{workers}") as (address, _):
        on = ("--engine", "dask", "--scheduler", address)
        _job(warm, work / "warm", *on)  # the workers import the pipeline once
        return _job(folder, work / f"dask{workers}", *on)


def timings(reports: int, work: Path) -> dict[str, float]:
    folder, warm = work / "logs", work / "warm-logs"
    _logs(folder, reports)
    _logs(warm, 4)
    _job(warm, work / "warm", "--jobs", "2")  # the equation cache, for every run
    return {
        "local --jobs 2": _job(folder, work / "local", "--jobs", "2"),
        "dask, 2 workers": _on_cluster(2, folder, warm, work),
        "dask, 1 worker": _on_cluster(1, folder, warm, work),
    }


def _below(pid: int, tree: dict[int, list[int]]) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss(reports: int, work: Path, every: float = 1.0) -> list[tuple[int, float, float, float]]:
    """(PDFs written, the Dask worker process's RSS, its largest child's, seconds) while one
    worker makes ``reports`` PDFs. ``dask worker`` is the nanny; the worker is its largest
    child (the other is multiprocessing's resource tracker); the worker's children are its
    forkserver and the report process forked from it."""
    folder, out = work / "rss-logs", work / "rss-out"
    _logs(folder, reports)
    rows = []
    with cluster(1, work / "cluster-rss") as (address, nanny):
        start = time.monotonic()
        job = subprocess.Popen(
            [sys.executable, "-m", "reportgen", str(folder), "-f", "pdf", "-o", str(out), "-q",
             "--engine", "dask", "--scheduler", address], env=ENV, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        while job.poll() is None:
            tree = children()
            workers = sorted((rss_mib(p), p) for p in tree.get(nanny.pid, []))
            if workers:
                size, worker = workers[-1]
                below = [rss_mib(p) for p in _below(worker, tree)]
                done = len(list(out.glob("*.pdf"))) if out.exists() else 0
                rows.append((done, size, max(below, default=0.0), time.monotonic() - start))
            time.sleep(every)
        assert job.returncode == 0, f"reportgen exited {job.returncode}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--rss", type=int, default=0, help="reports for the RSS measurement")
    parser.add_argument("--skip-timings", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the clusters are stopped
    work = Path(tempfile.mkdtemp(prefix="reportgen-dask-bench-"))
    try:
        print(f"- {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()},"
              f" load average {os.getloadavg()[0]:.1f} at the start")  # fmt: skip
        if not args.skip_timings:
            times = timings(args.reports, work)
            print(f"\n{args.reports} small logs → PDF:\n\n| run | wall (s) |\n|---|---:|")
            for name, seconds in times.items():
                print(f"| {name} | {seconds:.1f} |")
            local, two, one = times.values()
            print(f"\n- dask 2 workers / local --jobs 2: {two / local:.2f}×")
            print(f"- dask 1 worker / dask 2 workers: {one / two:.2f}× (2 workers faster)")
        if args.rss:
            rows = rss(args.rss, work)
            print("\n| PDFs | worker (MiB) | report process (MiB) | s |\n|---:|---:|---:|---:|")
            step, mark = max(1, args.rss // 20), 0
            for done, worker, child, seconds in rows:
                if done >= mark:
                    print(f"| {done} | {worker:.0f} | {child:.0f} | {seconds:.0f} |")
                    mark = done + step
            print(f"| {rows[-1][0]} | {rows[-1][1]:.0f} | {rows[-1][2]:.0f} | {rows[-1][3]:.0f} |")
        print(f"- load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

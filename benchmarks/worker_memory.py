"""A worker's resident memory over a long batch of PDFs (README, "Batch jobs").

    python benchmarks/worker_memory.py                     # 1,000 logs → PDF, --jobs 2
    python benchmarks/worker_memory.py --reports 200 --recycle 0   # workers never replaced

Writes ``--reports`` logs of 20–49 throws under ``benchmarks/data/memory/``,
runs ``python -m reportgen DIR -f pdf -o OUT --jobs 2`` and samples, every
``--every`` seconds, the resident set size (``/proc/PID/status``, VmRSS) of
every process of the job and the number of PDFs written so far. A worker is
a child of the forkserver. The table (reports done → the largest worker's
RSS, the parent's) and its summary go to stdout, and with ``--results`` into
``benchmarks/RESULTS.md``'s section "A worker's memory". Linux only (/proc).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from procs import children, rss_mib  # benchmarks/procs.py, beside this script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTION = "## A worker's memory over a long batch"


def _logs(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    rng = np.random.default_rng(11)
    for i in range(count):
        values = rng.integers(1, 7, 20 + i % 30)
        (folder / f"log{i:04d}.csv").write_text("face\n" + "".join(f"{v}\n" for v in values))


def _sample(job: int) -> tuple[float, float]:
    """(largest worker's RSS, the job's own RSS) in MiB: workers are the forkserver's children."""
    tree = children()
    workers = [w for server in tree.get(job, []) for w in tree.get(server, [])]
    return max((rss_mib(w) for w in workers), default=0.0), rss_mib(job)


def measure(
    reports: int, every: float, recycle: int | None
) -> list[tuple[int, float, float, float]]:
    folder = HERE / "data" / "memory"
    out = HERE / "data" / "memory-out"
    _logs(folder, reports)
    for old in out.glob("*.pdf") if out.exists() else ():
        old.unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if recycle is not None:
        env["REPORTGEN_WORKER_REPORTS"] = str(recycle)
    start = time.monotonic()
    job = subprocess.Popen(
        [sys.executable, "-m", "reportgen", str(folder), "-f", "pdf", "-o", str(out), "--jobs",
         "2", "-q"],
        env=env,
    )  # fmt: skip
    rows = []
    while job.poll() is None:
        worker, parent = _sample(job.pid)
        done = len(list(out.glob("*.pdf"))) if out.exists() else 0
        rows.append((done, worker, parent, time.monotonic() - start))
        time.sleep(every)
    assert job.returncode == 0, f"reportgen exited {job.returncode}"
    return rows


def table(rows: list[tuple[int, float, float, float]], step: int) -> list[str]:
    lines = ["| PDFs written | largest worker (MiB) | the job's own process (MiB) | elapsed (s) |",
             "|---:|---:|---:|---:|"]  # fmt: skip
    mark = 0
    for done, worker, parent, seconds in rows:
        if done >= mark and worker:
            lines.append(f"| {done} | {worker:.0f} | {parent:.0f} | {seconds:.0f} |")
            mark = done + step
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--recycle", type=int, default=None, help="REPORTGEN_WORKER_REPORTS")
    parser.add_argument("--results", action="store_true", help="write into RESULTS.md")
    args = parser.parse_args()
    rows = measure(args.reports, args.every, args.recycle)
    workers = [w for _, w, _, _ in rows if w]
    settled = [w for d, w, _, _ in rows if w and d >= min(50, args.reports // 2)]
    summary = (
        f"{args.reports} small logs → PDF, `--jobs 2`, workers replaced after "
        f"{args.recycle if args.recycle is not None else 64} reports (0: never): "
        f"largest worker {max(workers):.0f} MiB overall, {max(settled):.0f} MiB after the first "
        f"50 reports; {rows[-1][3]:.0f} s."
    )
    body = [
        SECTION,
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores; Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f}",
        f"- {summary}",
        "",
        *table(rows, max(1, args.reports // 20)),
        "",
    ]
    print("\n".join(body))
    if args.results:
        results = HERE / "RESULTS.md"
        text = results.read_text()
        if SECTION in text:
            before, rest = text.split(SECTION, 1)
            after = rest.split("\n## ", 1)
            text = before + "\n".join(body) + ("\n## " + after[1] if len(after) > 1 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(body)
        results.write_text(text)


if __name__ == "__main__":
    main()

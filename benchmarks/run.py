"""Benchmark reportgen against plain numpy, pandas and the tutorial one-hot way.

One command, from a fresh clone (the data is generated, seeded, under
``benchmarks/data/``, which git ignores)::

    python benchmarks/run.py                 # 10^6, 10^7, 10^8 throws; 1,000 small logs
    python benchmarks/run.py --quick         # 10^6 and 10^7 only, 200 small logs, 1 repeat
    python benchmarks/run.py --sizes 1e6,1e8 --repeat 5
    python benchmarks/run.py --pdf-only --quick  # the PDF goals alone, a few minutes

Every measurement is a fresh process (a cold interpreter; the page cache is
warm, since the data was just written or read). Wall time is the best of
``--repeat`` runs (a run over 5 s is not repeated); peak memory is the
child's maximum resident set size from ``os.wait4``. The table goes to
stdout and to ``benchmarks/RESULTS.md`` with the machine it came from.

Contenders on one log of N throws (header ``face``, one digit a row):

- **numpy floor**: ``np.fromfile`` then one ``count_nonzero(a == digit)`` per
  face over the raw bytes (``np.bincount`` on the bytes is ~10x slower: it
  first widens every byte to a 64-bit integer);
- **reportgen**: ``python -m reportgen LOG -f json`` (all figures, sha256, JSON);
- **polars** (with the ``bench`` extra): lazy ``scan_csv`` + ``group_by().len()``
  (eager ``read_csv`` + ``Series.value_counts`` took ~5x longer in polars 2.1);
- **pandas**: ``pd.read_csv`` then ``value_counts``;
- **one-hot**: ``pd.read_csv``, ``pd.get_dummies``, then column sums (skipped
  when its estimated ~80 bytes a throw would not fit in available memory).

One log of ``--split`` throws (default 10^8) split over 16 files, one report
with ``--combine -f json``:

- **local engine**: this machine's ``--jobs`` workers (default: every CPU);
- **Dask, cluster started by the run** (with the ``dask`` extra):
  ``--engine dask --jobs 2``, a 2-worker ``LocalCluster`` started and closed
  inside the timed command;
- **Dask, running cluster**: ``--engine dask --scheduler ADDRESS`` against a
  2-worker ``LocalCluster`` this script started before timing.

The same engines on ``--small`` logs of 20 throws (``--combine``) show the
cost per file that counting must repay.

``python benchmarks/run.py --split-only`` measures only these rows and updates
their section of ``RESULTS.md``, leaving the rest as it was.

The PDF goals of issue 13 (``benchmarks/pdf_floor.py``; ``--pdf-only`` measures
them alone): the cold sample PDF, ``--batch`` (40) small logs in one
invocation, and a d1000 log of 5,000 throws, each beside its floor (the
report's own HTML with every drawing deleted, written by WeasyPrint) or the
d6 sample, in ``--pairs`` interleaved pairs (median of the pairs' ratios).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PY = sys.executable

FLOOR = """
import sys, json, numpy as np
a = np.fromfile(sys.argv[1], dtype=np.uint8)
print(json.dumps([int(np.count_nonzero(a == c)) for c in b"123456"]))
"""
PANDAS = """
import sys, json, pandas as pd
counts = pd.read_csv(sys.argv[1])["face"].value_counts()
print(json.dumps([int(counts.get(k, 0)) for k in range(1, 7)]))
"""
ONE_HOT = """
import sys, json, pandas as pd
df = pd.read_csv(sys.argv[1])
t = pd.get_dummies(df["face"])  # the N x K one-hot matrix of the tutorial
counts = t.sum(axis=0)
print(json.dumps([int(counts.get(k, 0)) for k in range(1, 7)]))
"""
POLARS = """
import sys, json, polars as pl
counts = dict(pl.scan_csv(sys.argv[1]).group_by("face").len().collect().iter_rows())
print(json.dumps([int(counts.get(k, 0)) for k in range(1, 7)]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1e6,1e7,1e8", help="throws per log (default: %(default)s)"
    )
    parser.add_argument("--small", type=int, default=1000, help="number of 20-throw logs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--quick", action="store_true", help="10^6 and 10^7, 200 small logs, 1 run")
    parser.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    parser.add_argument(
        "--split",
        default="1e8",
        help="throws of the log split over 16 files, local vs Dask; 0 skips (default: %(default)s)",
    )
    parser.add_argument(
        "--split-only",
        action="store_true",
        help="measure only the split log and update its section of RESULTS.md",
    )
    parser.add_argument(
        "--pdf-only",
        action="store_true",
        help="measure only the PDF goals (issue 13) and update their section of RESULTS.md",
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=None,
        help="interleaved pairs per PDF goal (default: 5; quick: 3)",
    )
    parser.add_argument("--batch", type=int, default=40, help="small logs in the PDF batch goal")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.small, args.repeat, args.split = "1e6,1e7", 200, 1, "1e7"
    args.pairs = args.pairs or (3 if args.quick else 5)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    split = int(float(args.split))

    DATA.mkdir(parents=True, exist_ok=True)
    out = DATA / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    bench = Bench(env, args.repeat)
    render = ROOT / "reportgen" / "render"
    has_render = render.with_suffix(".py").exists() or (render / "__init__.py").exists()
    has_polars = importlib.util.find_spec("polars") is not None

    if args.pdf_only:
        text = pdf_text(bench, out, args)
        print(text)
        if not args.no_write:
            update_section(RESULTS, text)
            print(f"updated {RESULTS.relative_to(ROOT)}", file=sys.stderr)
        return 0

    if args.split_only:
        text = split_section(split_rows(bench, split, out, args.small), split, args)
        print(text)
        if not args.no_write:
            update_section(RESULTS, text)
            print(f"updated {RESULTS.relative_to(ROOT)}", file=sys.stderr)
        return 0

    big_rows = []
    for n in sizes:
        log = generate_log(n)
        print(f"# {n:.0e} throws: {log} ({log.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        floor = bench.python(FLOOR, log)
        rg = bench.run([PY, "-m", "reportgen", log, "-f", "json", "-o", out / "big.json"])
        rg.counts = json.loads((out / "big.json").read_text())["counts"]
        contenders = [("numpy floor", floor), ("reportgen -f json", rg)]
        if has_polars:
            contenders.append(("polars", bench.python(POLARS, log)))
        contenders.append(("pandas read_csv + value_counts", bench.python(PANDAS, log)))
        if 80 * n < 0.8 * available_memory():
            contenders.append(("one-hot (get_dummies + sum)", bench.python(ONE_HOT, log)))
        else:
            contenders.append(("one-hot (get_dummies + sum)", None))
        for name, m in contenders:
            if m is not None and m.counts is not None and m.counts != floor.counts:
                raise SystemExit(f"{name} counted {m.counts}, the floor {floor.counts}")
            big_rows.append((n, name, m, floor))

    small_rows = []
    sample = ROOT / "data" / "rolls.csv"
    small_rows.append(
        (
            "`reportgen data/rolls.csv -f json`",
            bench.run([PY, "-m", "reportgen", sample, "-f", "json", "-o", out / "s.json"]),
            0.5,
        )
    )
    small = generate_small(args.small)
    small_rows.append(
        (
            f"{args.small:,} logs of 20 throws → JSON, one invocation",
            bench.run([PY, "-m", "reportgen", small, "-f", "json", "-o", out / "small-json", "-q"]),
            5.0 * args.small / 1000,
        )
    )
    few = sorted(small.iterdir())[:20]
    start = time.perf_counter()
    for path in few:
        subprocess.run(
            [PY, "-m", "reportgen", path, "-f", "json", "-o", out / "one.json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    per_file = (time.perf_counter() - start) / len(few)
    small_rows.append(
        (
            f"the same, one process per log (extrapolated from {len(few)})",
            Measured(per_file * args.small, None),
            None,
        )
    )

    text = report(big_rows, small_rows, sizes, args, has_render, has_polars)
    if has_render:
        text += "\n" + pdf_text(bench, out, args)
    if split:
        text += "\n" + split_section(split_rows(bench, split, out, args.small), split, args)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        print(f"written to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


class Measured:
    def __init__(self, seconds: float, rss: int | None, counts=None) -> None:  # type: ignore[no-untyped-def]
        self.seconds, self.rss, self.counts = seconds, rss, counts


class Bench:
    def __init__(self, env: dict[str, str], repeat: int) -> None:
        self.env, self.repeat = env, repeat

    def python(self, code: str, path: Path) -> Measured:
        return self.run([PY, "-c", code, path], parse=True)

    def run(self, argv, repeat: int | None = None, parse: bool = False) -> Measured:  # type: ignore[no-untyped-def]
        best: Measured | None = None
        label = "reportgen " + " ".join(map(str, argv[3:])) if argv[1] == "-m" else argv[2][:40]
        for _ in range(repeat or self.repeat):
            measured = self._once([str(a) for a in argv], parse)
            if best is None or measured.seconds < best.seconds:
                best = measured
            print(
                f"  {measured.seconds:7.3f} s {measured.rss / 2**20:7.0f} MiB  "
                + label.strip().replace("\n", "; "),
                file=sys.stderr,
            )
            if measured.seconds > 5:
                break
        assert best is not None
        return best

    def once(self, argv, env: dict[str, str] | None = None) -> Measured:  # type: ignore[no-untyped-def]
        """One run, printed like ``run``'s (for interleaved pairs); ``env``: more variables."""
        saved = self.env
        self.env = {**saved, **(env or {})}
        try:
            measured = self._once([str(a) for a in argv], False)
        finally:
            self.env = saved
        label = " ".join(map(str, argv[1:]))[:100].replace("\n", "; ")
        print(
            f"  {measured.seconds:7.3f} s {measured.rss / 2**20:7.0f} MiB  {label}", file=sys.stderr
        )
        return measured

    def _once(self, argv: list[str], parse: bool) -> Measured:
        """One run: wall time, and peak RSS from /usr/bin/time (or wait4 without it).

        ``wait4`` alone over-reports: a child started by vfork/exec inherits the
        high-water mark of this (numpy-holding) process. ``time`` is a tiny parent.
        """
        timer = shutil.which("time", path="/usr/bin:/bin")
        report = DATA / "out" / "rss.txt"
        wrapped = [timer, "-f", "%M", "-o", str(report), *argv] if timer else argv
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.PIPE, env=self.env, cwd=ROOT)
        output = child.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"failed ({code}): {' '.join(argv)}")
        kib = int(report.read_text().split()[-1]) if timer else usage.ru_maxrss
        return Measured(seconds, kib * 1024, json.loads(output) if parse else None)


def pdf_text(bench: Bench, out: Path, args) -> str:  # type: ignore[no-untyped-def]
    """The section of the PDF goals (issue 13), with the machine it was measured on."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pdf_floor import pdf_rows, pdf_section

    small = generate_small(max(args.batch, 20))
    rows = pdf_rows(bench, bench.env, out, small, args.batch, args.pairs)
    lines = pdf_section(rows, args.pairs)
    lines[1:1] = ["", *machine()]
    return "\n".join(lines) + "\n"


def generate_log(n: int) -> Path:
    path = DATA / f"rolls-{n:.0e}.csv".replace("+", "")
    if path.exists() and path.stat().st_size == 5 + 2 * n:
        return path
    rng = np.random.default_rng(n)
    temp = path.with_suffix(".tmp")
    with open(temp, "wb") as handle:
        handle.write(b"face\n")
        block = 10**7
        for start in range(0, n, block):
            m = min(block, n - start)
            lines = np.empty(2 * m, dtype=np.uint8)
            lines[0::2] = rng.integers(1, 7, m, dtype=np.uint8) + ord("0")
            lines[1::2] = ord("\n")
            handle.write(lines.tobytes())
    temp.replace(path)
    return path


def generate_small(count: int) -> Path:
    directory = DATA / f"small-{count}"
    if directory.exists() and len(list(directory.glob("*.csv"))) == count:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20)
    for i in range(count):
        values = rng.integers(1, 7, 20)
        (directory / f"log{i:05d}.csv").write_text("face\n" + "".join(f"{v}\n" for v in values))
    return directory


#: The number of files ``--split`` spreads its log over.
SPLIT_FILES = 16


def generate_parts(n: int, files: int = SPLIT_FILES) -> Path:
    """One log of ``n`` throws (header ``face``, one digit a row) as ``files`` parts."""
    directory = DATA / f"split-{n:.0e}-{files}".replace("+", "")
    each = n // files
    sizes = [each + (1 if i < n - each * files else 0) for i in range(files)]
    paths = [directory / f"part{i:02d}.csv" for i in range(files)]
    if all(p.exists() and p.stat().st_size == 5 + 2 * m for p, m in zip(paths, sizes, strict=True)):
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(n + files)
    for path, m in zip(paths, sizes, strict=True):
        lines = np.empty(2 * m, dtype=np.uint8)
        lines[0::2] = rng.integers(1, 7, m, dtype=np.uint8) + ord("0")
        lines[1::2] = ord("\n")
        temp = path.with_suffix(".tmp")
        temp.write_bytes(b"face\n" + lines.tobytes())
        temp.replace(path)
    return directory


def split_rows(bench: Bench, n: int, out: Path, small: int) -> list[tuple[str, str, Any]]:
    """(input, engine, Measured or None): the split log, then ``small`` tiny logs, combined.

    The tiny logs show the cost per file (scheduling, a task's round trip) that
    the split log's counting has to repay. Every engine must give the same JSON.
    """
    if not n:
        return []
    parts = generate_parts(n)
    size = sum(p.stat().st_size for p in parts.glob("*.csv"))
    print(
        f"# {n:.0e} throws over {SPLIT_FILES} files: {parts} ({size / 1e6:.0f} MB)", file=sys.stderr
    )
    inputs = [
        (f"{n:.0e} throws over {SPLIT_FILES} files ({size / 1e6:.0f} MB)", parts, True),
        (f"{small:,} files of 20 throws", generate_small(small), False),
    ]
    rows: list[tuple[str, str, Any]] = []
    results: dict[str, Any] = {}

    def measure(label: str, path: Path, engine: str, extra: list[str]) -> None:
        target = out / f"split-{len(rows)}.json"
        argv = [PY, "-m", "reportgen", path, "--combine", "-f", "json", "-q", "-o", target]
        rows.append((label, engine, bench.run([*argv, *extra])))
        found = json.loads(target.read_text())
        if results.setdefault(label, found) != found:
            raise SystemExit(f"{label}, {engine}: JSON differs from the local engine's")

    has_dask = importlib.util.find_spec("distributed") is not None
    for label, path, big in inputs:
        measure(label, path, "local engine, default `--jobs`", [])
        measure(label, path, "local engine, in-process (`--jobs 1`)", ["--jobs", "1"])
        if has_dask and big:
            measure(label, path, "Dask, 2-worker cluster started by the run (`--jobs 2`)",
                    ["--engine", "dask", "--jobs", "2"])  # fmt: skip
    if not has_dask:
        rows.append(("", "Dask: not installed (`pip install .[dask]`)", None))
        return rows
    import distributed

    # The cluster's scheduler (in this process) and workers (spawned) unpickle tasks that
    # name reportgen's functions: they must import this checkout's reportgen, as the CLI does.
    os.environ["PYTHONPATH"] = bench.env["PYTHONPATH"]
    sys.path.insert(0, str(ROOT))
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        for label, path, _ in inputs:
            measure(label, path, "Dask, running 2-worker cluster (`--scheduler …`)",
                    ["--engine", "dask", "--scheduler", cluster.scheduler_address])  # fmt: skip
    order = [label for label, _, _ in inputs]
    return sorted(rows, key=lambda row: order.index(row[0]) if row[0] in order else len(order))


def split_section(rows: list[tuple[str, str, Any]], n: int, args) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"## One log split over {SPLIT_FILES} files → one report (`--combine -f json`)",
        "",
        f"Best of {args.repeat}; measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} "
        f"UTC, load average {os.getloadavg()[0]:.1f}. For each input every engine gave the "
        "same JSON; × is against the first row of the same input.",
        "",
        "| input | engine | wall (s) | peak RSS of the CLI (MiB) | × |",
        "|---|---|---:|---:|---:|",
    ]
    first: dict[str, Any] = {}
    for label, engine, m in rows:
        if m is None:
            lines.append(f"| {label} | {engine} | | | |")
            continue
        base = first.setdefault(label, m)
        lines.append(
            f"| {label} | {engine} | {m.seconds:.2f} | {m.rss / 2**20:.0f} "
            f"| {m.seconds / base.seconds:.2f} |"
        )
    best: dict[tuple[str, str], Any] = {}  # the fastest run of each engine on each input
    for label, engine, m in rows:
        for key in ((label, engine.split(",")[0]), (label, engine)):
            if m is not None and (key not in best or m.seconds < best[key].seconds):
                best[key] = m
    labels = list(dict.fromkeys(label for label, _, _ in rows))
    local_big = best.get((labels[0], "local engine"))
    dask_big = best.get((labels[0], "Dask, running 2-worker cluster (`--scheduler …`)"))
    local_small, dask_small = best.get((labels[-1], "local engine")), best.get((labels[-1], "Dask"))
    if local_big and dask_big and local_small and dask_small and len(labels) > 1:
        files = int(labels[-1].split()[0].replace(",", ""))
        per_file = (dask_small.seconds - local_small.seconds) / files
        started = best.get((labels[0], "Dask, 2-worker cluster started by the run (`--jobs 2`)"))
        lines += [
            "",
            f"Fastest local run {local_big.seconds:.2f} s ({n / local_big.seconds / 1e6:.0f} "
            f"million throws a second, the whole CLI run), fastest on a running Dask cluster "
            f"{dask_big.seconds:.2f} s"
            + (f", {started.seconds:.2f} s with a cluster started by the run" if started else "")
            + f". Each file sent to the cluster costs about {per_file * 1e3:.1f} ms more than "
            "reading it here (scheduling and round trips, with small files up to 64 to a "
            "task), so tiny files are for the local engine. On one machine a cluster cannot "
            "beat the local engine, which counts at about the speed the bytes are read; "
            "it pays when the data does not fit one "
            "machine, or lives in object storage near the workers (docs/dask.md).",
        ]
    return "\n".join(lines) + "\n"


def update_section(path: Path, section: str) -> None:
    """Replace the section with the same heading in ``path`` (or append it)."""
    text = path.read_text() if path.exists() else ""
    heading = section.split("\n", 1)[0]
    start = text.find(heading)
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    end = text.find("\n## ", start + len(heading))
    rest = text[end + 1 :] if end >= 0 else ""
    path.write_text(text[:start] + section + ("\n" + rest if rest else ""))


def available_memory() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 << 30


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    import pandas

    return [
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {cores} cores available; RAM {ram}",
        f"- OS: {platform.system()} {platform.release()}; load average at the end "
        f"{os.getloadavg()[0]:.1f} (other jobs share the machine: times are noisy, "
        "ratios come from the same run)",
        f"- Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pandas.__version__}",
    ]


def report(big_rows, small_rows, sizes, args, has_render, has_polars) -> str:  # type: ignore[no-untyped-def]
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    lines = [
        "# reportgen benchmark",
        "",
        f"Made by `{command}` (sizes {', '.join(f'{n:.0e}' for n in sizes)}; best of "
        f"{args.repeat}; every run a fresh process, page cache warm).",
        "",
        *machine(),
        "",
        "## One large log → counts",
        "",
        "| throws | file | contender | wall (s) | × numpy floor | peak RSS (MiB) |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for n, name, m, floor in big_rows:
        size = f"{(5 + 2 * n) / 1e6:.0f} MB"
        if m is None:
            lines.append(f"| {n:.0e} | {size} | {name} | skipped: would not fit in memory | | |")
            continue
        lines.append(
            f"| {n:.0e} | {size} | {name} | {m.seconds:.2f} | {m.seconds / floor.seconds:.2f} "
            f"| {m.rss / 2**20:.0f} |"
        )
    lines += [
        "",
        "## Small logs",
        "",
        "| run | wall (s) | peak RSS (MiB) | target |",
        "|---|---:|---:|---|",
    ]
    for name, m, target in small_rows:
        rss = f"{m.rss / 2**20:.0f}" if m.rss else ""
        verdict = (
            ""
            if target is None
            else f"≤ {target:g} s: {'met' if m.seconds <= target else 'NOT met'}"
        )
        lines.append(f"| {name} | {m.seconds:.2f} | {rss} | {verdict} |")
    lines += ["", "## Targets of issue 5", ""]
    for n, name, m, floor in big_rows:
        if n == 10**8 and name.startswith("reportgen") and m is not None:
            ratio = m.seconds / floor.seconds
            mib = m.rss / 2**20
            lines.append(
                f"- 10^8 throws → JSON ≤ 1.3× the numpy floor: {ratio:.2f}× — "
                f"{'met' if ratio <= 1.3 else 'NOT met'}; peak ≤ 150 MB: {m.rss / 1e6:.0f} MB "
                f"({mib:.0f} MiB) — {'met' if m.rss <= 150e6 else 'NOT met'}"
            )
    if 10**8 not in sizes:
        lines.append("- 10^8 throws: not measured in this run (use the full run)")
    for name, m, target in small_rows:
        if target is not None:
            lines.append(
                f"- {name}: {m.seconds:.2f} s (target ≤ {target:g} s) — "
                f"{'met' if m.seconds <= target else 'NOT met'}"
            )
    if not has_render:
        lines.append("- PDF targets: not measured — `reportgen.render` is not in this tree yet")
    if not has_polars:
        lines.append("- polars: not installed (`pip install .[bench]` adds it to the table)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())

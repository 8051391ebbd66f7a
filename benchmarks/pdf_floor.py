"""The PDF goals of issue 13: reportgen beside its floor, interleaved, median of pairs.

**The floor** is the same report with every drawing removed: the report's own
HTML (``reportgen -f html``) with each ``<svg>…</svg>`` and ``<img>`` deleted,
written by WeasyPrint with the report's own fonts (the same ``@font-face``
rules, PDF/A-3b, tagged) — what the pages cost as text and tables alone.

- **cold**: one fresh Python process (imports included) writing the floor
  HTML once, against ``reportgen data/rolls.csv`` in a fresh process;
- **batch**: a pool of ``os.cpu_count()`` processes writing the floor HTML of
  one small log ``count`` times in all (each process with one font
  configuration and stylesheet, as WeasyPrint allows), against
  ``reportgen DIR -o OUT`` for ``count`` logs of 20 throws in one invocation;
- **d1000**: ``reportgen`` on a log of 5,000 throws of a 1,000-faced die, against
  the d6 sample's own run in the same pair (time and peak memory).

Each contender pair runs back to back (the order alternates), and the ratio
reported is the median of the pairs' ratios, so that the other jobs sharing
the machine slow both sides alike.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

#: A cold WeasyPrint write of the floor HTML (argv: html, css, pdf).
FLOOR_COLD = """
import sys
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
html, css, out = sys.argv[1:4]
config = FontConfiguration()
faces = CSS(filename=css, font_config=config)
HTML(filename=html).write_pdf(out, stylesheets=[faces], font_config=config,
                              pdf_variant="pdf/a-3b", pdf_tags=True)
"""

#: The batch floor (argv: html, css, out dir, count): os.cpu_count() workers, each with one
#: font configuration and one parsed @font-face stylesheet for all its documents.
FLOOR_BATCH = """
import os, sys
from concurrent.futures import ProcessPoolExecutor
html, css, out, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
shared = {}

def write(i):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    if not shared:
        shared["config"] = FontConfiguration()
        shared["faces"] = CSS(filename=css, font_config=shared["config"])
    HTML(filename=html).write_pdf(f"{out}/{i}.pdf", stylesheets=[shared["faces"]],
                                  font_config=shared["config"], pdf_variant="pdf/a-3b",
                                  pdf_tags=True)

if __name__ == "__main__":
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(write, range(count)))
"""

_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_IMG = re.compile(r"<img\b[^>]*>", re.S)


def floor_html(html: str) -> str:
    """The report's HTML with every drawing (``<svg>…</svg>``, ``<img>``) deleted."""
    return _IMG.sub("", _SVG.sub("", html))


def make_floor(
    bench: Any, env: dict[str, str], log: Path, out: Path, name: str
) -> tuple[Path, Path]:
    """(floor HTML, font-face CSS) for ``log``, from the report's own HTML and fonts."""
    html_path = out / f"{name}.html"
    subprocess.run(
        [PY, "-m", "reportgen", log, "-f", "html", "-o", html_path],
        env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    floor = out / f"{name}-floor.html"
    floor.write_text(floor_html(html_path.read_text(encoding="utf-8")), encoding="utf-8")
    css = out / f"{name}-fonts.css"
    code = (
        "import sys; from reportgen.render.fonts import faces, font_face_css; "
        "sys.stdout.write(font_face_css(faces(sys.argv[1], open(sys.argv[2]).read())))"
    )
    lang = "ja" if "-ja" in name else "en"
    done = subprocess.run(
        [PY, "-c", code, lang, html_path], env=env, cwd=ROOT, check=True, capture_output=True
    )
    css.write_bytes(done.stdout)
    return floor, css


def pairs(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> list[tuple[Any, Any]]:
    """``repeat`` pairs (first, second), run back to back, the order alternating."""
    found = []
    for i in range(repeat):
        if i % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        found.append((a, b))
    return found


def median_ratio(found: list[tuple[Any, Any]]) -> float:
    return statistics.median(a.seconds / b.seconds for a, b in found)


def median_of(found: list[tuple[Any, Any]], side: int) -> Any:
    runs = sorted((pair[side] for pair in found), key=lambda m: m.seconds)
    return runs[len(runs) // 2]


def pdf_rows(bench: Any, env: dict[str, str], out: Path, small: Path, count: int, repeat: int
             ) -> list[tuple[str, Any, Any, float, str]]:  # fmt: skip
    """(what, reportgen, comparison, median ratio, goal) for each goal of issue 13."""
    rows = []
    sample = ROOT / "data" / "rolls.csv"
    floor, css = make_floor(bench, env, sample, out, "rolls")
    found = pairs(
        lambda: bench.once([PY, "-m", "reportgen", sample, "-o", out / "s.pdf"]),
        lambda: bench.once([PY, "-c", FLOOR_COLD, floor, css, out / "floor.pdf"]),
        repeat,
    )
    rows.append(("`reportgen data/rolls.csv` cold → PDF vs its floor", *_row(found), "≤ 2.0×"))
    off = {"REPORTGEN_CACHE": "0"}
    found = pairs(
        lambda: bench.once([PY, "-m", "reportgen", sample, "-o", out / "s.pdf"], env=off),
        lambda: bench.once([PY, "-c", FLOOR_COLD, floor, css, out / "floor.pdf"]),
        max(1, repeat // 2),
    )
    rows.append(("the same, equation cache off (`REPORTGEN_CACHE=0`)", *_row(found), "≤ 2.0×"))

    logs = sorted(small.glob("*.csv"))[:count]
    batch = out / f"batch-{count}"
    shutil.rmtree(batch, ignore_errors=True)
    batch.mkdir()
    for path in logs:
        shutil.copy(path, batch / path.name)
    small_floor, small_css = make_floor(bench, env, logs[0], out, "small")
    pdfs, floors = out / "batch-pdf", out / "batch-floor"

    def ours() -> Any:
        shutil.rmtree(pdfs, ignore_errors=True)
        return bench.once([PY, "-m", "reportgen", batch, "-o", pdfs, "-q"])

    def theirs() -> Any:
        shutil.rmtree(floors, ignore_errors=True)
        floors.mkdir()
        return bench.once([PY, "-c", FLOOR_BATCH, small_floor, small_css, floors, count])

    found = pairs(ours, theirs, max(1, repeat // 2))
    rows.append(
        (f"{count} logs of 20 throws → PDFs, one invocation, vs the batch floor",
         *_row(found), "≤ 1.5×")
    )  # fmt: skip

    d1000 = generate_d1000(small.parent)
    found = pairs(
        lambda: bench.once(
            [PY, "-m", "reportgen", d1000, "--faces", "1000", "-o", out / "d1000.pdf"]
        ),
        lambda: bench.once([PY, "-m", "reportgen", sample, "-o", out / "s.pdf"]),
        max(1, repeat // 2),
    )
    rows.append(
        ("a d1000 log (5,000 throws) → PDF vs the d6 sample", *_row(found),
         "≤ 3.0×, ≤ 300 MB")
    )  # fmt: skip
    return rows


def _row(found: list[tuple[Any, Any]]) -> tuple[Any, Any, float]:
    return median_of(found, 0), median_of(found, 1), median_ratio(found)


def generate_d1000(data: Path) -> Path:
    """5,000 throws of a fair 1,000-faced die (seeded)."""
    import numpy as np

    path = data / "d1000-5000.csv"
    if not path.exists():
        rng = np.random.default_rng(1000)
        values = rng.integers(1, 1001, 5000)
        path.write_text("face\n" + "".join(f"{v}\n" for v in values))
    return path


def pdf_section(rows: list[tuple[str, Any, Any, float, str]], repeat: int) -> list[str]:
    """The Markdown table of the PDF goals."""
    lines = [
        "## The PDF beside its floor (issue 13)",
        "",
        f"Median of {repeat} interleaved pairs (batch and d1000: {max(1, repeat // 2)}); the "
        "floor is the report's own HTML with every `<svg>` and `<img>` deleted, written by "
        "WeasyPrint with the same fonts, cold in a fresh process (batch: a pool of "
        "`os.cpu_count()` processes).",
        "",
        "| goal | reportgen (s) | peak RSS (MiB) | beside (s) | ratio | goal | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for what, ours, theirs, ratio, goal in rows:
        limit = float(goal.split("×")[0].strip("≤ "))
        met = ratio <= limit
        if "MB" in goal:
            met = met and ours.rss <= 300e6
        lines.append(
            f"| {what} | {ours.seconds:.2f} | {ours.rss / 2**20:.0f} | {theirs.seconds:.2f} "
            f"| {ratio:.2f}× | {goal} | {'met' if met else 'NOT met'} |"
        )
    return lines

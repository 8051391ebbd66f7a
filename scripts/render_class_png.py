"""Render the README's picture of the public class overview: docs/class-public.png.

    python scripts/render_class_png.py

A class of 35 as a Google-Forms export (``タイムスタンプ,氏名,出た目``, 30 throws each, two
of the dice loaded) is made in a temporary folder and given to the command line as a
teacher would (``--split-by 氏名 --edition class``); the two pages of
``class-public.pdf`` are rasterised with poppler's ``pdftoppm -r 80``, set side by side,
scaled to 1280 px wide and saved as a small palette PNG (Pillow). ``SOURCE_DATE_EPOCH``
is set for a stable date.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "class-public.png"
WIDTH = 1280

NAMES = [f"生徒{i:02d}" for i in range(1, 36)]


def export(path: Path) -> None:
    """35 students' throws as a Forms export: two dice loaded towards 6."""
    rng = random.Random(2025)
    rows = ["タイムスタンプ,氏名,出た目"]
    for i in range(30):
        for j, name in enumerate(NAMES):
            loaded = j in (6, 23) and rng.random() < 0.35
            rows.append(
                f"2026/01/15 10:{i:02d}:{j:02d},{name},{6 if loaded else rng.randint(1, 6)}"
            )
    path.write_bytes("\ufeff".encode() + ("\r\n".join(rows) + "\r\n").encode("utf-8"))


def main() -> None:
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        export(work / "export.csv")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "reportgen", "export.csv", "--split-by", "氏名",
             "--edition", "class", "-o", "out", "-q"],
            cwd=work, env=env, check=True,
        )  # fmt: skip
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "out/class-public.pdf", "page"], cwd=work, check=True
        )
        pages = [Image.open(p).convert("RGB") for p in sorted(work.glob("page-*.png"))][:2]
        gap = 16
        sheet = Image.new("RGB", (sum(p.width for p in pages) + gap * 3, pages[0].height + 2 * gap),
                          (225, 225, 225))  # fmt: skip
        x = gap
        for page in pages:
            sheet.paste(page, (x, gap))
            x += page.width + gap
        height = round(sheet.height * WIDTH / sheet.width)
        small = sheet.resize((WIDTH, height), Image.LANCZOS).quantize(colors=64)
        small.save(TARGET, optimize=True)
    print(TARGET, TARGET.stat().st_size, "bytes")


if __name__ == "__main__":
    main()

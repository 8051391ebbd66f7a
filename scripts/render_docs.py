"""Render the sample report in both languages and write PNGs of its pages to docs/.

    python scripts/render_docs.py            # docs/report-en-1.png, docs/report-ja-1.png, …
    python scripts/render_docs.py --pages 3  # the first three pages of each

Pages are rasterised with pypdfium2 (a PyPI package in the ``test`` extra), so
no poppler is needed. ``SOURCE_DATE_EPOCH`` is set for a stable report date.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "ja")


def render(lang: str, folder: Path) -> Path:
    """The sample report's PDF in ``lang``, rendered by the CLI as a user runs it."""
    target = folder / f"report-{lang}.pdf"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    subprocess.run(
        [sys.executable, "-m", "reportgen", "data/rolls.csv", "--lang", lang, "-q", "-o", target],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,  # the CLI prints the path it wrote
    )
    return target


def pictures(pdf: Path, out: Path, stem: str, pages: int, dpi: int) -> list[Path]:
    """PNGs of the first ``pages`` pages of ``pdf`` as ``out/<stem>-<n>.png``."""
    import pypdfium2

    written = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(min(pages, len(document))):
            image = document[index].render(scale=dpi / 72).to_pil()
            path = out / f"{stem}-{index + 1}.png"
            image.save(path, optimize=True)
            written.append(path)
    finally:
        document.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2, help="pages per language (default 2)")
    parser.add_argument("--dpi", type=int, default=80, help="resolution (default 80)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder (default docs/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reportgen-docs-") as tmp:
        for lang in LANGS:
            pdf = render(lang, Path(tmp))
            for path in pictures(pdf, args.out, f"report-{lang}", args.pages, args.dpi):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()

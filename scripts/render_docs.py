"""Render the sample report in both languages and write PNGs of its pages to docs/.

    python scripts/render_docs.py            # docs/report-en-1.png, docs/report-ja-1.png, …
    python scripts/render_docs.py --pages 3  # the first three pages of each

Also page 2 of the sample's worksheet and of its key (``--edition student`` and
``teacher``, English): ``docs/worksheet-student-2.png``, ``docs/worksheet-key-2.png``.

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


#: The worksheet's page shown in the README: (4.1) term by term, the heart of the lesson.
WORKSHEET_PAGE = 2


def render(lang: str, folder: Path, edition: str = "report") -> Path:
    """The sample's PDF in ``lang`` (and ``edition``), rendered by the CLI as a user runs it."""
    target = folder / f"{edition}-{lang}.pdf"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "data/rolls.csv",
            "--lang",
            lang,
            "-q",
            "-o",
            target,
            "--edition",
            edition,
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,  # the CLI prints the path it wrote
    )
    return target


def pictures(pdf: Path, out: Path, stem: str, pages: int, dpi: int, first: int = 1) -> list[Path]:
    """PNGs of ``pages`` pages of ``pdf`` from page ``first`` on, as ``out/<stem>-<n>.png``."""
    import pypdfium2

    written = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(first - 1, min(first - 1 + pages, len(document))):
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
        for edition, stem in (("student", "worksheet-student"), ("teacher", "worksheet-key")):
            pdf = render("en", Path(tmp), edition)
            for path in pictures(pdf, args.out, stem, 1, args.dpi, first=WORKSHEET_PAGE):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()

"""Issue 13: documents of one process share fonts, stylesheet and images, and change no byte.

Also: ``-f pdf,html`` builds the HTML once, and the drawings' alt text reaches
the tagged PDF as ``/Alt`` (each equation in words, each figure's caption).
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import reportgen
from reportgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "rolls.csv"
EPOCH = "1764547200"


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_pdfs_made_one_after_another_are_those_of_a_fresh_process(tmp_path, epoch):
    fresh = tmp_path / "fresh.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}
    subprocess.run(
        [sys.executable, "-m", "reportgen", SAMPLE, "-o", fresh],
        check=True, env=env, cwd=tmp_path, capture_output=True,
    )  # fmt: skip
    sample = reportgen.analyse(SAMPLE)
    loaded = reportgen.analyse(ROOT / "data" / "loaded.csv", model="0.14,0.16,0.16,0.16,0.16,0.22")
    japanese = reportgen.analyse(SAMPLE, lang="ja")
    made = [r.to_pdf() for r in (sample, loaded, japanese, sample)]
    assert made[0] == made[3] == fresh.read_bytes()
    assert made[1] != made[0]


def test_pdf_and_html_are_laid_out_from_one_html(tmp_path, monkeypatch):
    from reportgen.render.formats import html as html_module

    calls = []
    real = html_module.fill

    def counting(template, variables, lang):  # type: ignore[no-untyped-def]
        calls.append(template)
        return real(template, variables, lang)

    monkeypatch.setattr(html_module, "fill", counting)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    status = main([str(SAMPLE), "-f", "pdf,html", "-o", f"{tmp_path}/"])
    assert status == 0 and len(calls) == 1
    assert (tmp_path / "rolls.pdf").stat().st_size and (tmp_path / "rolls.html").stat().st_size


def _alts(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None and depth < 60:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_every_drawing_has_its_alt_text_in_the_tagged_pdf():
    report = reportgen.analyse(SAMPLE)
    alts = _alts(report.to_pdf())
    images = re.findall(
        r'<img (?:aria-hidden="true" )?class="(\w+)" src="[^"]*" alt="([^"]*)"', report.to_html()
    )
    assert len(images) >= 15
    assert {html.unescape(alt) for _, alt in images} <= set(alts)  # the words, the caption
    assert "E equals minus log L sub 1 equals minus the sum over k from 1 to K of" in " ".join(alts)
    assert any(alt.startswith("Observed frequency of each face") for alt in alts)


def test_the_image_cache_keeps_only_what_the_last_document_used():
    from reportgen.render.formats.pdf import SharedImages

    cache = SharedImages()
    cache.next_document()  # the first document: equation e and figure a
    cache["e"], cache["a"] = "eq", "fig a"
    cache.next_document()  # the second: finds e, makes figure b
    assert "e" in cache and cache["e"] == "eq"
    cache["b"] = "fig b"
    assert set(cache) == {"e", "a", "b"}  # a is still the last document's
    cache.next_document()  # the third starts: a was not used by the second
    assert set(cache) == {"e", "b"}
    cache.next_document()  # the third used nothing
    assert set(cache) == set()

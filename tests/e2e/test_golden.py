"""Golden files: the sample report's HTML in each language, compared word for word.

The HTML of ``data/rolls.csv`` is rendered by the CLI and compared with
``tests/e2e/golden/report-<lang>.html`` after scrubbing what may change without the
report changing: the version, the dates, the input's SHA-256, and the drawing
inside every ``<svg>`` and every ``<img>``'s ``data:`` URL (glyph paths depend
on the installed fonts and on the matplotlib and ziamath versions; the
``<title>`` and ``alt`` text, e.g. an equation's LaTeX, is kept), and the bytes of
the fonts the page carries (fontTools' version).

After an intended change of the report, refresh the gold with ONE command and
review the diff::

    REPORTGEN_REFRESH_GOLDEN=1 python -m pytest tests/e2e/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
REFRESH = os.environ.get("REPORTGEN_REFRESH_GOLDEN") == "1"

_SVG = re.compile(r"<svg\b[^>]*>(.*?)</svg>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DATA = re.compile(r'src="data:image/svg\+xml;base64,[^"]*"')
_FONT = re.compile(r'url\("data:font/([a-z0-9]+);base64,[^"]*"\)')
SCRUBS = [
    (re.compile(r"reportgen \d+\.\d+[^\s<\"]*"), "reportgen VERSION"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), "DATE"),
    (re.compile(r"<code>[0-9a-f]{12}</code>"), "<code>SHA256</code>"),
]


def scrub(html: str) -> str:
    """The HTML without what may change while the report stays the same."""

    def svg(match: re.Match[str]) -> str:
        title = _TITLE.search(match.group(1))
        return f"<svg><title>{title.group(1)}</title></svg>" if title else "<svg></svg>"

    html = _DATA.sub('src="data:image/svg+xml;base64,…"', _SVG.sub(svg, html))
    html = _FONT.sub(r'url("data:font/\1;base64,…")', html)
    for pattern, replacement in SCRUBS:
        html = pattern.sub(replacement, html)
    return html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_matches_the_golden_file(lang):
    result = run_cli("data/rolls.csv", "--lang", lang, "-f", "html", "-o", "-", cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    got = scrub(result.stdout.decode("utf-8"))
    golden = GOLDEN / f"report-{lang}.html"
    if REFRESH:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert got == expected, (
        f"{golden.name} differs; if the change is intended, refresh with "
        "REPORTGEN_REFRESH_GOLDEN=1 python -m pytest tests/e2e/test_golden.py"
    )


def test_scrub_keeps_alt_text_and_blanks_versions():
    html = '<p>reportgen 0.1.0 · 2023-11-14T22:13:20Z</p><svg a="1"><title>E</title><path/></svg>'
    assert scrub(html) == "<p>reportgen VERSION · DATE</p><svg><title>E</title></svg>"

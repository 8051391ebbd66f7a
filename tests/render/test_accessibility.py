"""Pages every student can read: axe-core 4 in headless Chromium, WCAG 2.1 A/AA + best practice.

The oracle is axe-core itself (installed from npm into pytest's cache folder on
first use) run in Debian's Chromium through selenium, on the pages issue 24 names:
the report (en, ja), a ``--by die`` report, a worksheet (ja) and the class overview.
axe finds no violation on any of them (each has its ``<main>`` landmark), and no
equation reaches a screen reader as LaTeX: the templates show ``Equation.html``
(MathML beside the hidden drawing, with ``MATHML_CSS``). The equation markup is
also checked on a page of its own.

Skipped, with the reason, without Chromium, chromedriver, selenium or npm (or
when npm cannot fetch axe-core).
"""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import reportgen
from reportgen.api import class_overview
from reportgen.render import equations

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
NPM = shutil.which("npm")
DATA = Path(__file__).resolve().parents[2] / "data"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (scripts/install.sh --test installs them)",
)

#: Chromium as a test wants it: no window, no sandbox (root in CI), nothing from the network.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

#: axe-core's tags for WCAG 2.0/2.1 levels A and AA, and its best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="session")
def axe_source(request) -> str:
    """axe.min.js of axe-core 4, installed with npm into pytest's cache on first use."""
    folder = Path(request.config.cache.mkdir("axe-core-4"))
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        if NPM is None:
            pytest.skip("needs npm to install axe-core")
        done = subprocess.run(
            [NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "axe-core@4"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0 or not script.is_file():
            pytest.skip(f"npm could not install axe-core: {done.stderr.strip()[-300:]}")
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):  # type: ignore[no-untyped-def]
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("profile")
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


_RUN = (
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
    ".then(r => done(JSON.stringify(r.violations.map("
    "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))))"
    ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: String(e), nodes: []}])));"
)


def axe(browser, axe_source: str, page: str, folder: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations of one HTML page, loaded from a file in ``folder``."""
    path = folder / "page.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    browser.execute_script(axe_source)
    return json.loads(browser.execute_async_script(_RUN, TAGS))


PAGES = {
    "report-en": lambda: reportgen.analyse(DATA / "rolls.csv").to_html(),
    "report-ja": lambda: reportgen.analyse(DATA / "rolls.csv", lang="ja").to_html(),
    "by-die": lambda: reportgen.analyse(DATA / "two_dice.csv", by="die").to_html(),
    "worksheet-ja": lambda: reportgen.analyse(DATA / "rolls.csv", lang="ja").to_html(
        edition="student"
    ),
    "class": lambda: class_overview(
        [("Aiko", reportgen.analyse(DATA / "rolls.csv")), ("Ben", reportgen.analyse([1, 2] * 9))],
        fmt="html",
    ).decode("utf-8"),
}


@pytest.fixture(scope="module")
def checked(browser, axe_source, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Each page's HTML and axe's violations, made once for the module."""
    done: dict[str, tuple[str, list[dict]]] = {}

    def get(name: str) -> tuple[str, list[dict]]:
        if name not in done:
            page = PAGES[name]()
            done[name] = (page, axe(browser, axe_source, page, tmp_path_factory.mktemp(name)))
        return done[name]

    return get


@pytest.mark.parametrize("name", list(PAGES))
def test_no_violation_at_all(name, checked):
    """Issue 24's goal: axe finds nothing (WCAG 2.1 A/AA and best practice, the landmarks too)."""
    _, violations = checked(name)
    assert violations == []


class _Names(html.parser.HTMLParser):
    """The alternative texts and labels a screen reader meets (outside aria-hidden)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.math = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.math += tag == "math"
        if found.get("aria-hidden") == "true":
            return
        self.names += [found[key] or "" for key in ("alt", "aria-label") if key in found]


@pytest.mark.parametrize("name", ["report-en", "report-ja"])
def test_no_equation_reaches_a_screen_reader_as_latex(name, checked):
    """Every equation as MathML, no alternative text in LaTeX (a backslash command)."""
    page, _ = checked(name)
    names = _Names()
    names.feed(page)
    assert names.math >= 10
    assert [n for n in names.names if "\\" in n] == []


def test_the_equation_markup_passes_axe_and_speaks_words(browser, axe_source, tmp_path):
    """Equation.html on a page with <main> and MATHML_CSS: no violation; Chromium exposes the
    MathML (a ``math`` role) and hides the picture; the drawing is what is seen."""
    shown = [
        equations.equation(r"E = -\log L = -\sum_{k=1}^{K} t_k \log y_k", "4.3"),
        equations.equation(r"\hat y_k = \frac{n_k}{N}"),
        equations.equation(
            r"\begin{aligned}\log L &= 3 \log 0.15 + 5 \log 0.25 \\ &= {-8.6}\end{aligned}"
        ),
    ]
    body = "".join(f'<div class="equation">{e.html("en")}</div>' for e in shown)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Equations</title>'
        f"<style>{equations.MATHML_CSS}</style></head><body><main><h1>Equations</h1>{body}"
        "</main></body></html>"
    )
    assert axe(browser, axe_source, page, tmp_path) == []
    seen = browser.execute_script(
        "return [...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width)"
        ".concat([...document.querySelectorAll('img')].map(i => i.getBoundingClientRect().width))"
    )
    assert all(width <= 1 for width in seen[:3]) and all(width > 50 for width in seen[3:])

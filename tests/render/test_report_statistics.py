"""Issue 3 in the rendered report: intervals, fairness, model comparison, any die, several dice.

Real CLI runs (subprocess); PDFs read back with pypdf, HTML as text. Each
report is rendered once per module. Expected sentences are built from the
message catalogue, so the tests check that the report says what en.json says
with the numbers of the JSON output, formatted by the report's own filters.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import run_cli
from pypdf import PdfReader

from reportgen.render import catalogue, wording
from reportgen.render import numbers as fmt

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ENV = {"PYTHONPATH": str(ROOT)}
EN = catalogue.messages("en")


def _words(text: str) -> str:
    """Text with ligatures undone and every run of whitespace one space, for comparing prose."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _plain(markup) -> str:
    return _words(
        html_lib.unescape(str(markup.striptags() if hasattr(markup, "striptags") else markup))
    )


def _pdf_text(path: Path) -> str:
    return _words("\n".join(page.extract_text() for page in PdfReader(path).pages))


def _html_text(path: Path) -> str:
    """Visible text of an HTML report: no SVG (its titles hold LaTeX), no tags."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(svg|style|title)\b.*?</\1>", " ", raw, flags=re.S)
    return _words(html_lib.unescape(re.sub(r"<[^>]+>", "", raw)))


def _render(out: Path, *args: str) -> Path:
    done = run_cli(*args, "-o", f"{out}/", env=ENV)
    assert done.returncode == 0, done.stderr.decode()
    return out


@pytest.fixture(scope="module")
def two_dice(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("two")
    return _render(out, str(DATA / "two_dice.csv"), "--by", "die", "-f", "pdf,html,json")


@pytest.fixture(scope="module")
def impossible(tmp_path_factory) -> Path:
    """A model that gives faces 3–6 probability 0, on a log in which 3 occurs."""
    out = tmp_path_factory.mktemp("inf")
    return _render(
        out, str(DATA / "rolls.csv"), "--model", "0.5,0.5,0,0,0,0", "-f", "pdf,html,json"
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("loaded")
    return _render(out, str(DATA / "loaded.csv"), "--interval", "sison-glaz", "-f", "html,json")


@pytest.fixture(scope="module")
def fair_looking(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fair")
    return _render(out, str(DATA / "rolls.csv"), "-f", "html,json")


# ---------------------------------------------------------------- several dice


def test_by_die_names_every_group_in_pdf_and_html(two_dice):
    result = json.loads((two_dice / "two_dice.json").read_text())
    pdf, html = _pdf_text(two_dice / "two_dice.pdf"), _html_text(two_dice / "two_dice.html")
    assert set(result["groups"]) == {"white", "red"}
    for name in result["groups"]:
        heading = _plain(catalogue.fill(EN["groups"]["group_heading"], name=name, n=300))
        assert heading in html and heading in pdf


def test_by_die_prints_the_homogeneity_statistic_and_verdict(two_dice):
    h = json.loads((two_dice / "two_dice.json").read_text())["homogeneity"]
    pdf, html = _pdf_text(two_dice / "two_dice.pdf"), _html_text(two_dice / "two_dice.html")
    printed = _words(f"χ² = {fmt.fmt_number(h['statistic'])}")
    assert printed in pdf and printed in html
    # issue 23: the exact (Fisher–Freeman–Halton) test decides, worded like the verdicts:
    # strong evidence below α/5, evidence below α, none above
    p = h["exact"]["pvalue"]
    if p < 0.05 / 5:
        key = "homogeneity_strong"
    else:
        key = "homogeneity_reject" if p < 0.05 else "homogeneity_keep"
    # 21 billion tables: sampled, and named so (not "the exact test")
    test = EN["groups"]["test_mc" if h["exact"]["method"] != "enumeration" else "test_exact"]
    assert h["exact"]["method"] == "monte-carlo"
    verdict = _plain(
        catalogue.fill(
            EN["groups"][key], alpha="0.05", p=fmt.fmt_pvalue(p), groups="two", test=test
        )
    )
    assert verdict in html and verdict in pdf
    assert key == "homogeneity_strong"  # the red die is loaded towards 6 in the sample


# ---------------------------------------------------------------- a model that rules the log out


def test_impossible_model_says_infinite_and_prints_no_inf_or_nan(impossible):
    pdf, html = _pdf_text(impossible / "rolls.pdf"), _html_text(impossible / "rolls.html")
    infinite = _plain(catalogue.fill(EN["model"]["infinite"], faces="3, 4, 5, 6"))
    for text in (pdf, html):
        assert infinite in text
        assert "infinite" in text
        assert not re.search(r"\b(inf|nan|infinity)\b", text, flags=re.I)
    result = json.loads((impossible / "rolls.json").read_text())
    assert result["reference"]["cross_entropy_total"] is None


# ---------------------------------------------------------------- intervals


def test_chosen_interval_heads_the_mle_table(loaded):
    raw = (loaded / "loaded.html").read_text(encoding="utf-8")
    table = raw[raw.index('<table class="data mle') :]
    table = table[: table.index("</table>")]
    assert "Sison–Glaz (simultaneous)" in table and "exact (Clopper–Pearson)" in table
    assert "Wilson" not in table


def test_every_method_is_explained_and_tabulated(fair_looking):
    html = _html_text(fair_looking / "rolls.html")
    for method, explanation in EN["iv"]["explain"].items():
        assert _plain(explanation) in html, method
    assert "the lesson’s likelihood put to work" in html.lower()


# ---------------------------------------------------------------- is the die fair?


def test_printed_g_is_the_json_g(fair_looking):
    g = json.loads((fair_looking / "rolls.json").read_text())["tests"]["g_test"]["statistic"]
    html = _html_text(fair_looking / "rolls.html")
    assert fmt.fmt_number(g) in html
    raw = (fair_looking / "rolls.html").read_text(encoding="utf-8")
    # the bridge G = 2N·KL ends on it, in the words a screen reader gets (issue 24)
    assert re.search(rf'alttext="G equals [^"]* equals {re.escape(fmt.fmt_number(g))}"', raw)


def test_verdict_flips_between_fair_looking_and_loaded(fair_looking, loaded):
    def verdict(folder: Path, stem: str) -> tuple[str, str]:
        result = json.loads((folder / f"{stem}.json").read_text())
        return result["tests"]["exact_multinomial"]["pvalue"], _html_text(folder / f"{stem}.html")

    p_fair, fair = verdict(fair_looking, "rolls")
    p_loaded, loaded_text = verdict(loaded, "loaded")
    assert p_fair >= 0.05 > p_loaded
    model = _plain(catalogue.fill(EN["models"]["fair"], k=6))
    keep = _plain(
        catalogue.fill(
            EN["fairness"]["verdict_keep"],
            alpha="0.05",
            level="5%",
            model=model,
            p=fmt.fmt_pvalue(p_fair),
            test="the exact test",
        )
    )
    reject = _plain(
        catalogue.fill(
            # below α/5 the evidence is worded as strong (analysis.decisions.STRONG)
            EN["fairness"]["verdict_strong" if p_loaded < 0.01 else "verdict_reject"],
            alpha="0.05",
            level="5%",
            model=model,
            p=fmt.fmt_pvalue(p_loaded),
            test="the Monte Carlo estimate of the exact test"
            if json.loads((loaded / "loaded.json").read_text())["tests"]["exact_multinomial"][
                "method"
            ]
            == "monte-carlo"
            else "the exact test",
        )
    )
    assert keep in fair and reject not in fair
    assert reject in loaded_text and keep not in loaded_text


def test_monte_carlo_is_said_with_its_standard_error(tmp_path):
    """data/loaded.csv (1000 throws) is exact since issue 23; a million throws are not."""
    table = tmp_path / "million.csv"
    counts = (400_000, 120_000, 120_000, 120_000, 120_000, 120_000)
    table.write_text(
        "face,count\n" + "".join(f"{f},{c}\n" for f, c in enumerate(counts, 1)), encoding="utf-8"
    )
    out = _render(tmp_path, str(table), "--counts", "-f", "html,json")
    exact = json.loads((out / "million.json").read_text())["tests"]["exact_multinomial"]
    assert exact["method"] == "monte-carlo"
    html = _html_text(out / "million.html")
    assert "Monte Carlo" in html and fmt.fmt_number(exact["stderr"], 5) in html


def test_a_monte_carlo_p_is_worded_with_its_rule_draws_and_seed():
    """Issue 23: a Monte Carlo p is (b + 1)/(B + 1), never 0; the words say so and name the
    seed that reproduces it (no "≲ 1/…" branch is left)."""
    from markupsafe import Markup

    from reportgen.analysis.fairness import ExactTest

    test = ExactTest(1 / 200_001, "monte-carlo", 200_000, 5e-6, seed=7)
    text = _plain(wording.exact_text(test, EN))
    assert isinstance(wording.exact_text(test, EN), Markup)
    assert "(b + 1)/(B + 1)" in text and "seed 7" in text and _words("200\u202f000") in text
    assert "≲" not in text and "< 0.0001" in text


# ---------------------------------------------------------------- any die, any input


@pytest.mark.parametrize(
    ("name", "text", "options", "expect"),
    [
        ("coin", "face\nH\nT\nH\nH\nT\nH\nH\nT\n", ("--faces", "H,T"), "fair coin (yk = 1/2)"),
        (
            "d20",
            "face\n" + "\n".join(str(1 + (7 * i) % 20) for i in range(60)) + "\n",
            ("--faces", "20"),
            "the JSON results (attached to the PDF) hold them all",
        ),
        ("counts", "face,count\n1,3\n2,0\n3,5\n4,2\n5,1\n6,9\n", (), "frequency table"),
    ],
)
def test_any_die_and_frequency_tables_render(tmp_path, name, text, options, expect):
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    done = run_cli(path, *options, "-f", "pdf", "-o", f"{tmp_path}/", env=ENV)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    pdf = _pdf_text(tmp_path / f"{name}.pdf")
    assert expect in pdf
    heading = "8 Is the coin fair?" if name == "coin" else _plain(EN["fairness"]["heading"])
    assert heading in pdf and _plain(EN["iv"]["heading"]) in pdf
    if name == "counts":
        assert _plain(EN["s2"]["no_throws"]) in pdf and "Throw i" not in pdf

"""With ``--by``, the report leads with the dice and never walks the lesson through a mixture."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import chi2_contingency

import reportgen
from reportgen.render import latex
from reportgen.render.numbers import fmt_count

DATA = Path(__file__).resolve().parents[2] / "data"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def differing():
    return reportgen.analyse(DATA / "two_dice.csv", by="die")


def test_the_dice_come_before_the_lesson(differing):
    page = differing.to_html()
    assert page.index('<section id="groups">') < page.index('<section id="counts">')
    assert page.index('href="#groups"') < page.index('href="#counts"')  # and in the contents


def test_dice_that_differ_are_not_pooled_the_lesson_follows_the_clearest_die(differing):
    """Issue 24: the walk follows the die with the smallest exact p (red, loaded towards 6),
    not the first in the record, and says why."""
    red = differing.groups["red"]
    assert differing.homogeneity.exact.pvalue < 0.05  # the premise: these dice differ
    assert red.exact_multinomial.pvalue < differing.groups["white"].exact_multinomial.pvalue
    text = _text(differing.to_html())
    assert "Sections 1–8 follow die “red” alone: 300 of the 600 throws" in text
    assert "the die that differs most clearly from a fair die" in text
    assert "(its own exact test gives the smallest p)" in text
    assert "Cross-entropy from the throws of two dice" in text  # the title counts the dice
    counts = text[text.index("1 The counts and the likelihood") :]
    assert f"The die was thrown N = {red.n} times" in counts
    total = f"{red.cross_entropy.total:.4f}"
    assert (
        total in counts
        and f"{differing.cross_entropy.total:.4f}" not in counts.split("Exercises")[0]
    )


def test_the_homogeneity_g_is_twice_the_cross_entropy_pooling_adds(differing):
    """G from scipy's log-likelihood contingency test, and as pooled minus per-die totals."""
    table = np.array([g.counts for g in differing.groups.values()])
    g_scipy = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    pooled = differing.cross_entropy.total
    own = sum(g.cross_entropy.total for g in differing.groups.values())
    assert 2 * (pooled - own) == pytest.approx(g_scipy, rel=1e-12)
    shown = latex.homogeneity_equation(differing)
    assert f"{g_scipy:.4f}" in shown.latex and f"{pooled:.4f}" in shown.latex
    page = html.unescape(differing.to_html())
    assert shown.spoken("en") in page  # the words a screen reader gets


def test_dice_that_agree_are_pooled_and_the_report_says_why(tmp_path):
    rows = ["die,face"] + [
        f"{die},{face}" for _ in range(30) for die in "ab" for face in range(1, 7)
    ]
    path = tmp_path / "alike.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = reportgen.analyse(path, by="die")
    assert report.homogeneity.pvalue == pytest.approx(1.0)
    text = _text(report.to_html())
    assert (
        "The test of homogeneity in the next section finds no difference: p = 1.0000, not below "
        "α = 0.05. So sections 1–8 pool the throws as those of one die"
    ) in text
    assert "follow die" not in text
    assert f"The die was thrown N = {fmt_count(report.n)} times".replace("\u202f", " ") in text


def test_the_about_section_gives_the_homogeneity_answer_once_briefly():
    """About says what the next section's test found, in a clause; the bold verdict is that
    section's alone (a reader found it stated twice in full)."""
    report = reportgen.analyse(DATA / "two_dice.csv", by="die")
    text = _text(report.to_html())
    about = text[text.index("About this report", text.index("Contents") + 200) :]
    about = about[: about.index("The dice in this record")]
    p = report.homogeneity.exact.pvalue
    assert f"finds that they differ: p = {p:.4f}, below α = 0.05." in about
    assert "evidence" not in about
    assert text.count("give strong evidence that the two dice have different") == 1
    # Section 2 names whose first throw it takes: the record's first row may be the other die's.
    assert "Now look at a single trial, the first throw of die “red”." in text

"""The report's exercises ask for numbers no page prints, and their answers are right.

Oracle: the Laplace estimate, its log-likelihood, N·KL(p̂ ‖ q) (scipy.stats.entropy) and
the first throw's −log q_k, computed here from the file's own rows with fractions.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

from scipy.stats import entropy

import reportgen

DATA = Path(__file__).resolve().parents[2] / "data"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


def test_the_answers_are_the_laplace_estimates_numbers() -> None:
    rows = [int(v) for v in (DATA / "rolls.csv").read_text().split()[1:]]
    n, k = len(rows), 6
    counts = [rows.count(face) for face in range(1, k + 1)]
    q = [Fraction(c + 1, n + k) for c in counts]
    log_l = math.fsum(c * math.log(qk) for c, qk in zip(counts, q, strict=True))
    p_hat = [c / n for c in counts]
    n_kl = n * entropy(p_hat, [float(v) for v in q])  # scipy: Σ p log(p/q)
    first = -math.log(q[rows[0] - 1])
    text = _text(reportgen.analyse(DATA / "rolls.csv").to_html())
    answers = text[text.index("Answers to the exercises") :]
    shown = ", ".join(f"{float(v):.4f}" for v in q)
    assert f"log L = Σk nk log qk = −{-log_l:.4f}, with q = ({shown})." in answers
    assert f"Below by {n_kl:.4f} nats" in answers
    # D_KL(p̂ ‖ q) to three significant figures, which the printed difference / N also gives
    assert f"= {n_kl:.4f} / 20 ≈ {n_kl / n:.5f}." in answers
    assert f"{float(f'{n_kl:.4f}') / n:.5f}" == f"{n_kl / n:.5f}"
    assert f"{first:.4f} nats, against {math.log(4):.4f} nats under ŷ" in answers  # ŷ_4 = 1/4
    # no page before the answers prints them
    before = text[: text.index("Answers to the exercises")]
    assert f"{-log_l:.4f}" not in before and f"{first:.4f}" not in before
    assert f"{n_kl:.4f}" not in before


def test_the_exercises_close_the_walk_and_the_answers_come_last() -> None:
    text = _text(reportgen.analyse(DATA / "rolls.csv").to_html())
    body = text[text.index("About this report", text.index("Contents") + 200) :]
    order = ["6 All the throws", "Exercises", "7 The maximum-likelihood", "Appendix",
             "Answers to the exercises", "Source"]  # fmt: skip
    places = [body.index(heading) for heading in order]
    assert places == sorted(places)


def test_equal_counts_give_equal_totals(tmp_path: Path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text("face\n" + "".join(f"{1 + i % 6}\n" for i in range(12)))
    text = _text(reportgen.analyse(path).to_html())
    assert "The same: every face came up equally often, so q = ŷ" in text


def test_exercise_3_shows_enough_decimals_to_compare(tmp_path: Path) -> None:
    """1,000 throws: −log q_k and −log ŷ_k agree to 4 decimals; the answer shows more."""
    text = _text(reportgen.analyse(DATA / "loaded.csv").to_html())
    found = re.search(
        r"(Larger|Smaller|The same): −log q\s*k\s* of the face it showed is (\d\.\d+) nats, "
        r"against (\d\.\d+) nats under",
        text,
    )
    assert found, text[text.index("Answers to the exercises") :]
    which, under_q, under_mle = found.groups()
    assert under_q != under_mle
    # The answer says which is larger, as its printed values do.
    assert which == ("Larger" if float(under_q) > float(under_mle) else "Smaller")


def test_with_a_model_the_exercises_ask_about_a_fair_die_which_no_page_prints() -> None:
    """--model: every page gives figures under the model, none under a fair die, so the
    exercises compare ŷ with u_k = 1/K (oracle: scipy.stats.entropy and −N log K)."""
    rows = [int(v.split(",")[-1]) for v in (DATA / "loaded.csv").read_text().split()[1:]]
    n, k = len(rows), 6
    counts = [rows.count(face) for face in range(1, k + 1)]
    n_kl = n * entropy([c / n for c in counts], [1 / k] * k)
    model = [0.14, 0.16, 0.16, 0.16, 0.16, 0.22]
    html = reportgen.analyse(DATA / "loaded.csv", model=model).to_html()
    text = _text(html)
    assert (
        "<title>Cross-entropy from the throws of a die, tested against a given model</title>"
        in html
    )
    answers = text[text.index("Answers to the exercises") :]
    assert f"= −N log K = −{n * math.log(k):.4f}: every throw adds the same log(1/6)." in answers
    assert f"Below by {n_kl:.4f} nats" in answers
    hat = counts[rows[0] - 1] / n
    which = "Larger" if math.log(k) > -math.log(hat) else "Smaller"
    assert (
        f"{which}: under u every face costs −log uk = log 6 = {math.log(k):.4f} nats, "
        f"against {-math.log(hat):.4f} nats under ŷ."
    ) in answers
    assert f"(ŷk = {hat:.4f} {'&gt;' if which == 'Larger' else '&lt;'} 1/6)" in answers
    before = text[: text.index("Answers to the exercises")]
    assert "uk = 1/K" in before
    assert f"{n * math.log(k):.4f}" not in before and f"{n_kl:.4f}" not in before

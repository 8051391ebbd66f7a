"""Issue 15: a class of three logs with ``--edition teacher``: three keys and class.pdf.

The class overview's figures are checked against each student's ``-f json``
results and against an independent computation of the pooled throws with
scipy (``scipy.stats.entropy`` and ``scipy.stats.chi2_contingency``).
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from conftest import ROOT, listing, run_cli

from reportgen.render.numbers import fmt_number

STUDENTS = {"aiko": (30, None), "ben": (24, None), "chloe": (36, 4)}
EPOCH = "1700000000"


def _write_logs(folder: Path) -> None:
    rng = random.Random(15)
    for name, (n, loaded) in STUDENTS.items():
        faces = [loaded if loaded and rng.random() < 0.4 else rng.randint(1, 6) for _ in range(n)]
        rows = "".join(f"{i + 1},{face}\n" for i, face in enumerate(faces))
        (folder / f"{name}.csv").write_text("throw,face\n" + rows, encoding="utf-8")


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    _write_logs(logs)
    out = tmp_path_factory.mktemp("keys")
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    result = run_cli(logs, "--edition", "teacher", "-f", "pdf,html", "-o", out, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    results = {}
    for name in STUDENTS:
        done = run_cli(logs / f"{name}.csv", "-f", "json", "-o", "-", cwd=ROOT)
        assert done.returncode == 0, done.stderr.decode()
        results[name] = json.loads(done.stdout)
    return logs, out, results, result


def _text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u2212", "-")


def test_three_keys_and_the_overview_are_written(klass):
    _, out, _, result = klass
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    expected = [f"{s}-key.{ext}" for s in STUDENTS for ext in ("html", "pdf")]
    assert names == sorted([*expected, "class.html", "class.pdf"])
    assert str(out / "class.pdf") in result.stdout.decode().split()


def test_the_overview_names_each_student_with_their_figures(klass):
    _, out, results, _ = klass
    text = _text(out / "class.pdf")
    for name, r in results.items():
        assert name in text
        ce = r["cross_entropy"]
        for value in (ce["total"], ce["mean"], r["entropy"], *r["mle"]):
            assert fmt_number(value) in text, (name, value)
        assert " ".join(map(str, [r["n"], *r["counts"]])) in text, name


def test_the_pooled_figures_match_an_independent_computation(klass):
    from scipy.stats import chi2_contingency, entropy

    _, out, results, _ = klass
    text = _text(out / "class.pdf")
    table = [r["counts"] for r in results.values()]
    pooled = [sum(column) for column in zip(*table, strict=True)]
    n = sum(pooled)
    assert f"{n} " in text
    p_hat = [c / n for c in pooled]
    h = float(entropy(p_hat))  # nats
    assert fmt_number(h) in text
    total = -sum(c * math.log(p) for c, p in zip(pooled, p_hat, strict=True) if c)
    fair = n * math.log(6)
    assert fmt_number(total) in text and fmt_number(fair) in text
    for p in p_hat:
        assert fmt_number(p) in text
    used = [j for j in range(6) if pooled[j]]
    chi2, p_value, df, _ = chi2_contingency(
        [[row[j] for j in used] for row in table], correction=False
    )
    assert f"χ² = {fmt_number(chi2)}" in text.replace("\u00a0", " ")
    assert fmt_number(p_value) in text
    assert f"{df} degrees of freedom" in text


def test_the_overview_figure_draws_every_student_and_the_pool(klass):
    _, out, _, _ = klass
    html = (out / "class.html").read_text("utf-8")
    assert html.count("<svg") == 1 + html.count('class="math"')
    figure = html[html.index('id="figure-1"') :]
    # One polyline per student, one thick pooled line; the legend names the pool.
    assert "class, pooled" in figure


def test_a_student_edition_over_the_class_writes_worksheets_only(klass, tmp_path):
    logs, _, _, _ = klass
    result = run_cli(logs, "--edition", "student", "-o", tmp_path, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode()
    assert listing(tmp_path) == [f"{s}-student.pdf" for s in STUDENTS]


def test_the_overview_is_byte_reproducible(klass, tmp_path):
    logs, out, _, _ = klass
    again = run_cli(
        logs, "--edition", "teacher", "-o", tmp_path, cwd=ROOT, env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert again.returncode == 0, again.stderr.decode()
    assert (tmp_path / "class.pdf").read_bytes() == (out / "class.pdf").read_bytes()
    assert (tmp_path / "aiko-key.pdf").read_bytes() == (out / "aiko-key.pdf").read_bytes()

"""The Python API, ``reportgen.analyse``: every kind of source, the same figures as the CLI."""

from __future__ import annotations

import ast
import dataclasses
import doctest
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import reportgen
from reportgen import api
from tests.conftest import DATA, ROOT, run_cli


def _cli_json(path: Path, *args: str) -> dict:
    proc = run_cli(path, "-f", "json", "-o", "-", *args)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def _figures(result: dict) -> dict:
    """Everything but the input blocks (the groups' too), which name the source."""
    figures = {key: value for key, value in result.items() if key != "input"}
    if "groups" in figures:
        figures["groups"] = {name: _figures(group) for name, group in figures["groups"].items()}
    return figures


def _throws(name: str = "rolls.csv") -> list[int]:
    return pd.read_csv(DATA / name)["face"].tolist()


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(lambda: str(DATA / "rolls.csv"), id="path"),
        pytest.param(lambda: DATA / "rolls.csv", id="pathlib"),
        pytest.param(lambda: pd.Series(_throws(), name="face"), id="series"),
        pytest.param(lambda: pd.read_csv(DATA / "rolls.csv"), id="dataframe"),
        pytest.param(lambda: _throws(), id="list"),
        pytest.param(lambda: open(DATA / "rolls.csv", "rb"), id="binary file"),
        pytest.param(lambda: io.StringIO((DATA / "rolls.csv").read_text()), id="text file"),
    ],
)
def test_every_kind_of_source_gives_the_cli_figures(source):
    expected = _figures(_cli_json(DATA / "rolls.csv"))
    result = reportgen.analyse(source())
    assert _figures(result.to_dict()) == expected
    assert json.loads(result.to_json()) == result.to_dict()


def test_counts_from_a_mapping_or_series_match_a_frequency_table(tmp_path):
    table = tmp_path / "counts.csv"
    table.write_text("face,count\n1,3\n2,3\n3,2\n4,5\n5,3\n6,4\n")
    expected = _figures(_cli_json(table))
    mapping = {1: 3, 2: 3, 3: 2, 4: 5, 5: 3, 6: 4}
    assert _figures(reportgen.analyse(mapping).to_dict()) == expected
    series = pd.Series(mapping)
    assert _figures(reportgen.analyse(series, counts=True).to_dict()) == expected


def test_options_are_the_command_lines():
    path = DATA / "two_dice.csv"
    expected = _cli_json(path, "--by", "die", "--confidence", "0.9", "--unit", "bit")
    frame = pd.read_csv(path)
    result = reportgen.analyse(frame, by="die", confidence=0.9, unit="bit")
    assert _figures(result.to_dict()) == _figures(expected)
    coin = reportgen.analyse(["H", "T", "H"], faces="H,T", model=[0.5, 0.5])
    assert coin.faces == ("H", "T") and coin.counts == (2, 1)


def test_the_result_is_immutable_and_typed():
    result = reportgen.analyse(_throws())
    assert isinstance(result, reportgen.Analysis)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.mle = (0.5, 0.5)  # type: ignore[misc]
    assert result.counts == (3, 3, 2, 5, 3, 4)
    assert "n=20" in repr(result)
    assert "N = 20" in result._repr_markdown_()


def test_bad_data_and_bad_options_raise_the_clis_errors(tmp_path):
    """The command line's messages, options named as the API's keywords (issue 26)."""
    with pytest.raises(reportgen.DataError) as bad:
        reportgen.analyse([1, 2, 7])
    assert "face '7' is not one of 1..6" in str(bad.value)
    assert bad.value.hint == "a d8? use faces=8"
    log = tmp_path / "bad.csv"
    log.write_text("face\n1\n7\n")
    with pytest.raises(reportgen.DataError) as from_file:
        reportgen.analyse(log)
    cli_line = run_cli(log, "-f", "json").stderr.decode().strip()
    assert cli_line == f"reportgen: error: {from_file.value}"
    with pytest.raises(reportgen.UsageError):
        reportgen.analyse([1, 2], interval="bayes")
    with pytest.raises(reportgen.UsageError):
        reportgen.analyse(42)


def test_notebook_display_is_a_compact_card_and_to_html_the_whole_report():
    """A notebook cell stores a card of a few KB, not the 380 KB report (issue 14)."""
    result = reportgen.analyse(pd.Series(_throws()))
    card = result._repr_html_()
    assert 'class="reportgen-card"' in card and "<svg" in card
    assert len(card) < 40_000 < 300_000 < len(result.to_html())
    assert "(4.3)" in result.to_html() and "(4.3)" not in card


def test_to_pdf_writes_the_same_report_the_command_line_writes(tmp_path, monkeypatch):
    """A Series of throws named like the file gives the CLI's pages and results for that file.

    The bytes differ in one place only by design: the CLI's PDF carries the
    input file itself, the Series' PDF its frequency table (issue 6).
    """
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "rolls.csv").write_bytes((DATA / "rolls.csv").read_bytes())
    proc = run_cli("rolls.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    result = reportgen.analyse(pd.Series(_throws(), name="face"), name="rolls.csv")
    result.to_pdf(tmp_path / "lesson.pdf")
    buffer = io.BytesIO()
    result.to_pdf(buffer)
    assert buffer.getvalue() == (tmp_path / "lesson.pdf").read_bytes()
    cli, api = PdfReader(tmp_path / "rolls.pdf"), PdfReader(tmp_path / "lesson.pdf")
    assert [p.extract_text() for p in cli.pages] == [p.extract_text() for p in api.pages]
    assert sorted(cli.attachments) == ["results.json", "rolls.csv"]
    assert sorted(api.attachments) == ["results.json", "rolls-counts.csv"]


def test_to_pdf_is_byte_for_byte_the_pdf_of_the_same_throws_on_standard_input(tmp_path):
    """`reportgen - < rolls.csv` and a Series of those throws make the same file.

    Standard input cannot be read twice, so both PDFs carry the frequency table
    as their data attachment, and the Series digests as the one-column CSV it
    stands for: nothing tells the two apart.
    """
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    proc = run_cli(
        "-", "-o", "stdin.pdf", cwd=tmp_path, env=env, stdin=(DATA / "rolls.csv").read_bytes()
    )
    assert proc.returncode == 0, proc.stderr.decode()
    script = (
        "import pandas as pd, reportgen, sys;"
        f"t = pd.read_csv({str(DATA / 'rolls.csv')!r})['face'].tolist();"
        "reportgen.analyse(pd.Series(t, name='face'), name='-').to_pdf(sys.argv[1])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "api.pdf")],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "api.pdf").read_bytes() == (tmp_path / "stdin.pdf").read_bytes()


def test_the_cli_has_no_statistics_or_rendering_of_its_own():
    """Every module of reportgen/cli/ reaches the pipeline only through reportgen.api and
    reportgen.pipeline; of render it reads only the registry of formats it offers."""
    forbidden = {"analysis", "render"}
    files = sorted((ROOT / "reportgen" / "cli").glob("*.py"))
    assert len(files) >= 8, files
    for path in files:
        tree = ast.parse(path.read_text())
        imported = set()  # the stage each import names: reportgen.render.pdf -> render
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "reportgen":
                    names += [f"reportgen.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            names = [n for n in names if n != "reportgen.render.formats"]  # the registry
            imported.update(n.split(".")[1] for n in names if n.startswith("reportgen."))
        assert not imported & forbidden, (path.name, imported & forbidden)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried >= 5 and failures == 0


def test_each_plot_draws_on_the_axes_it_is_given_and_returns_them():
    """reportgen.plots: ax=None in, Axes out, labels from the catalogue, for a slide."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reportgen import plots

    result = reportgen.analyse(DATA / "two_dice.csv", by="die")
    for name, draw in plots.PLOTS.items():
        figure, ax = plt.subplots()
        assert draw(result, ax=ax) is ax, name
        shared = getattr(figure, "_supxlabel", None)  # small multiples share one label
        assert ax.get_xlabel() or (shared and shared.get_text()), name
        plt.close(figure)
        made = draw(result)
        assert made is not None and made.figure is not figure, name
        plt.close(made.figure)
    counts_only = reportgen.analyse({1: 3, 2: 4, 3: 1, 4: 2, 5: 2, 6: 3})
    assert plots.running_mean(counts_only) is None  # a frequency table has no throw order
    assert plots.groups(counts_only) is None
    _, one = plt.subplots()
    assert plots.profiles(result, ax=one, faces=[5]) is one
    assert one.get_title() == plots.profiles(result, faces=[5]).get_title()
    bars = plots.frequencies(counts_only)
    assert [t.get_text() for t in bars.get_xticklabels()] == ["1", "2", "3", "4", "5", "6"]


def test_a_plot_without_ax_draws_with_pyplot_and_the_report_does_not():
    """Without ax, pyplot's current Axes (so Jupyter shows it); the report stays detached."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reportgen import plots

    result = reportgen.analyse(_throws())
    plt.close("all")
    empty = plt.subplot()
    assert plots.frequencies(result) is empty is plt.gca()
    second = plots.running_mean(result)  # the current Axes holds bars: a new figure
    assert second is plt.gca() and second.figure is not empty.figure
    assert len(plt.get_fignums()) == 2
    plt.close("all")
    result.to_html()
    assert plt.get_fignums() == []

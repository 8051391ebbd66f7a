"""In a real Jupyter kernel (nbclient + ipykernel): the card, figures shown inline, and the
API as a pandas user reaches for it (issue 26): ``to_frame``, ``conf_int``, unpacking, a
DataFrame with ``by=``.

The notebook is executed as a user's would be, with the kernel's default inline
backend; the kernel imports this checkout (``PYTHONPATH``). If no kernel can
start here the test is skipped with the reason.
"""

from __future__ import annotations

import pytest

from tests.conftest import DATA, _pythonpath

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = [
    "import reportgen\n"
    "r = reportgen.analyse([4, 2, 6, 1, 4, 3, 5, 2, 4, 6, 1, 4, 5, 3, 2, 4, 6, 1, 5, 6])\n"
    "r",
    "from reportgen import plots\nax = plots.frequencies(r)",
    "import matplotlib.pyplot as plt\n"
    "plt.close('all')\n"
    "whole = r.to_html()\n"
    "print(len(whole), len(plt.get_fignums()))",
    "import pandas as pd\n"
    f"dice = pd.read_csv({str(DATA / 'two_dice.csv')!r})\n"
    "by_die = reportgen.analyse(dice, by='die')\n"
    "stat, p = r.tests['g_test']\n"
    "chi2, p_chi2 = by_die.homogeneity\n"
    "frame = by_die.groups['red'].to_frame()\n"
    "print(round(stat, 4), round(p, 4), list(by_die.groups), frame.index.name, len(frame.columns))",
    "r.conf_int('99%', method='exact')",
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    mp = pytest.MonkeyPatch()
    mp.setenv("PYTHONPATH", _pythonpath())  # the kernel inherits it and imports this tree
    mp.delenv("MPLBACKEND", raising=False)  # the kernel's own inline backend
    try:
        client = nbclient.NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}},
        )
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError:
            raise
        except Exception as exc:  # no kernel here: say so rather than fail
            pytest.skip(f"a Jupyter kernel cannot start here ({type(exc).__name__}: {exc})")
    finally:
        mp.undo()
    return notebook


def _outputs(cell, kind: str) -> list[dict]:
    return [o for o in cell.outputs if o.output_type in kind.split("|")]


def test_a_report_shows_as_a_compact_card(executed) -> None:
    (shown,) = _outputs(executed.cells[0], "execute_result")
    html = shown.data["text/html"]
    assert 'class="reportgen-card"' in html
    assert len(html) < 40_000  # the whole report is about 380 KB
    for expected in ("0.2500", "35.0485", "35.8352", "<svg"):  # ŷ_4, totals (20 log 6), figure
        assert expected in html
    assert "(4.3)" not in html  # no equations: not the whole report


def test_a_figure_without_ax_is_shown_inline(executed) -> None:
    images = [o for o in _outputs(executed.cells[1], "display_data") if "image/png" in o.data]
    assert len(images) == 1


def test_to_html_is_still_the_whole_report_and_leaves_pyplot_alone(executed) -> None:
    (printed,) = _outputs(executed.cells[2], "stream")
    size, figures = map(int, printed.text.split())
    assert size > 300_000 and figures == 0
    assert not [o for o in _outputs(executed.cells[2], "display_data")]


def test_the_api_for_pandas_users_in_a_kernel(executed) -> None:
    """Unpacking (G = 1.5734, p = 0.9044 for the sample), a DataFrame with by=, to_frame."""
    (printed,) = _outputs(executed.cells[3], "stream")
    assert printed.text.split() == ["1.5734", "0.9044", "['white',", "'red']", "face", "17"]
    (shown,) = _outputs(executed.cells[4], "execute_result")
    html = shown.data["text/html"]  # conf_int is a DataFrame: Jupyter shows its table
    assert "<table" in html and "0.0176" in html and "low" in html and "high" in html

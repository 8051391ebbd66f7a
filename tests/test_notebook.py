"""In a real Jupyter kernel (nbclient + ipykernel): the card, and figures shown inline.

The notebook is executed as a user's would be, with the kernel's default inline
backend; the kernel imports this checkout (``PYTHONPATH``). If no kernel can
start here the test is skipped with the reason.
"""

from __future__ import annotations

import pytest

from tests.conftest import _pythonpath

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

"""The garbage collector of a reportgen process (``reportgen.cli.collector``)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.cli import collector

ROOT = Path(__file__).resolve().parents[2]


def test_fewer_collections_raises_the_young_threshold_and_gives_it_back():
    before = gc.get_threshold()
    with collector.fewer_collections():
        assert gc.get_threshold() == (max(before[0], collector.YOUNG), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), collector.fewer_collections():
        raise RuntimeError
    assert gc.get_threshold() == before


def test_fewer_collections_leaves_a_collector_turned_off_off():
    before = gc.get_threshold()
    try:
        gc.set_threshold(0)
        with collector.fewer_collections():
            assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def _python(code: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    return done.stdout


def test_a_worker_freezes_what_its_imports_left_alive_and_keeps_the_default_thresholds():
    # A worker makes report after report: with rarer collections its cyclic garbage piled up.
    out = _python(
        "import gc; t = gc.get_threshold(); from reportgen.cli import collector; "
        "collector.worker_ready(); print(gc.get_freeze_count() > 1000, gc.get_threshold() == t)"
    )
    assert out.split() == ["True", "True"]


def test_the_command_still_runs_every_exit_handler_and_writes_whole_files(tmp_path):
    # quiet_exit freezes the heap at exit, after the handlers registered later: an
    # earlier one (here the test's) still runs, and the report is complete.
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: open(sys.argv[1], 'w').write('ran'))\n"
        "from reportgen.cli import main\n"
        "status = main([sys.argv[2], '-f', 'json', '-o', sys.argv[3]])\n"
        "main([sys.argv[2], '-f', 'json', '-o', sys.argv[3] + '2'])  # registered once\n"
        "raise SystemExit(status)\n"
    )
    flag, out = tmp_path / "flag", tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, "-c", code, flag, ROOT / "data" / "rolls.csv", out],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == ""
    assert flag.read_text() == "ran"
    assert out.read_bytes() == Path(str(out) + "2").read_bytes()
    assert out.read_text().rstrip().endswith("}")


def test_quiet_exit_registers_one_handler_however_often_it_is_called():
    out = _python(
        "import atexit; from reportgen.cli import collector; n = atexit._ncallbacks(); "
        "collector.quiet_exit(); collector.quiet_exit(); print(atexit._ncallbacks() - n)"
    )
    assert out.strip() == "1"

"""A run pays only for what it asks: JSON never imports the plotting or PDF stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("matplotlib", "weasyprint", "pandas", "scipy.stats", "jinja2", "tqdm")

PROBE = """
import json, sys
from reportgen.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, cwd=ROOT, check=False
    )
    report = json.loads(result.stderr.decode().strip().splitlines()[-1])
    assert report["status"] == 0, result.stderr
    return set(report["modules"])


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


@pytest.mark.parametrize("heavy", HEAVY)
def test_json_run_imports_no_heavy_stack(tmp_path, sample, heavy):
    modules = _modules_after(str(sample), "-f", "json", "-o", str(tmp_path / "r.json"))
    assert not _loaded(modules, heavy)


def test_batch_json_run_imports_no_heavy_stack(tmp_path, sample):
    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"r{i}.csv").write_bytes(sample.read_bytes())
    modules = _modules_after(str(tmp_path / "in"), "-f", "json", "-o", str(tmp_path / "out"))
    assert [h for h in HEAVY if _loaded(modules, h)] == []

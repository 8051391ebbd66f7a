"""The house stays as built: imports only go down, no circles, no room too big to read."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: A module past this many lines has more than one job (issue 11).
MAX_LINES = 500


def test_import_contracts_are_kept() -> None:
    """``lint-imports``: the layers of pyproject.toml, and no import circles."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is missing: install the test extra (import-linter)")
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    "module", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "reportgen").rglob("*.py"))
)
def test_no_module_is_too_big(module: str) -> None:
    lines = (ROOT / module).read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by job"


def test_stage_packages_exist() -> None:
    for package in ("read", "analysis", "render", "cli"):
        assert (ROOT / "reportgen" / package / "__init__.py").is_file()

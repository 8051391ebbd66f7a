"""Shared fixtures: the repository's sample data and the CLI run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


#: The cache folder this run made (in the process that made it), removed when the run ends.
_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The equation cache of this test run in a folder of its own, not the user's.

    Made by the first process (xdist's workers inherit the variable) and removed
    by it at the end of the run.
    """
    if "REPORTGEN_CACHE_DIR" not in os.environ:
        import tempfile

        _CACHE.append(tempfile.mkdtemp(prefix="reportgen-test-cache-"))
        os.environ["REPORTGEN_CACHE_DIR"] = _CACHE[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    for folder in _CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def sample() -> Path:
    """The 20-throw sample log of the README."""
    return DATA / "rolls.csv"


def run_cli(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """Run ``python -m reportgen ARGS`` in a fresh process, as a user would run ``reportgen``."""
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": _pythonpath(), **(env or {})},
        timeout=timeout,
        check=False,
    )


def _pythonpath() -> str:
    """This checkout first, so a run in another directory (``cwd=tmp_path``) imports it."""
    rest = os.environ.get("PYTHONPATH")
    return os.pathsep.join([str(ROOT), *([rest] if rest else [])])


@pytest.fixture
def cli():
    """The ``run_cli`` function, for tests that take fixtures only."""
    return run_cli


#: Runs the CLI in a fresh interpreter and reports which modules it imported.
_PROBE = """
import json, sys
from reportgen.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def modules_after(*args: str) -> set[str]:
    """The modules a fresh ``reportgen ARGS`` imported (it must exit 0)."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, cwd=ROOT, check=False
    )
    report = json.loads(result.stderr.decode().strip().splitlines()[-1])
    assert report["status"] == 0, result.stderr
    return set(report["modules"])


def loaded(modules: set[str], name: str) -> bool:
    """Whether ``name`` or any of its submodules is among ``modules``."""
    return name in modules or any(m.startswith(name + ".") for m in modules)


def listing(directory: Path) -> list[str]:
    """The names in ``directory``, sorted, without the manifest reportgen keeps there
    (``.reportgen-manifest.*``; a temporary, ``.reportgen-*.tmp``, is listed)."""
    names = (p.name for p in directory.iterdir())
    return sorted(name for name in names if not name.startswith(".reportgen-manifest"))

"""Shared fixtures: the repository's sample data and the CLI run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


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
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli():
    """The ``run_cli`` function, for tests that take fixtures only."""
    return run_cli

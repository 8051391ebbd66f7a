"""A plain (non-editable) wheel, installed in a fresh virtual environment, renders reports.

This is what a user gets from ``pip install .``: the top-level ``templates/``
folder must travel inside the wheel, and nothing may depend on the checkout.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, listing


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("reportgen-*.whl")
    return found


def test_the_wheel_carries_the_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "reportgen/templates/report.html.j2" in names
    assert "reportgen/templates/messages/en.json" in names
    assert "reportgen/locale/ja/LC_MESSAGES/reportgen.mo" in names  # stderr in Japanese
    assert not any(name.startswith("templates/") for name in names)


def test_the_wheel_carries_the_results_schema(wheel):
    """reportgen --schema and results_schema() read the schema as package data."""
    assert "reportgen/results.schema.json" in zipfile.ZipFile(wheel).namelist()


def test_reportgen_installed_from_the_wheel_renders_every_format(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.run(
        [env_dir / "bin" / "reportgen", DATA / "rolls.csv", "-f", "pdf,html,json"],
        cwd=work,  # far from the checkout: templates must come from the wheel
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    assert listing(work) == ["rolls.html", "rolls.json", "rolls.pdf"]
    assert (work / "rolls.pdf").read_bytes().startswith(b"%PDF-")
    where = subprocess.run(
        [python, "-c", "import reportgen; print(reportgen.__file__)"],
        capture_output=True,
        text=True,
        cwd=work,
    ).stdout
    assert str(env_dir) in where

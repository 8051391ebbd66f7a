"""A run pays only for what it asks: JSON never imports the plotting or PDF stack."""

from __future__ import annotations

import pytest

from tests.conftest import loaded, modules_after

HEAVY = ("matplotlib", "weasyprint", "pandas", "scipy.stats", "jinja2", "tqdm", "openpyxl")


@pytest.mark.parametrize("heavy", HEAVY)
def test_json_run_imports_no_heavy_stack(tmp_path, sample, heavy):
    modules = modules_after(str(sample), "-f", "json", "-o", str(tmp_path / "r.json"))
    assert not loaded(modules, heavy)


def test_batch_json_run_imports_no_heavy_stack(tmp_path, sample):
    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"r{i}.csv").write_bytes(sample.read_bytes())
    modules = modules_after(str(tmp_path / "in"), "-f", "json", "-o", str(tmp_path / "out"))
    assert [h for h in HEAVY if loaded(modules, h)] == []

"""The equations' disk cache: atomic, self-checking, optional, and ziamath-free when warm."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from reportgen.render import eqcache, equations

ROOT = Path(__file__).resolve().parents[2]
LATEX = r"\hat y_k = \frac{n_k}{N}"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REPORTGEN_CACHE", raising=False)
    equations.to_svg.cache_clear()
    yield tmp_path / "equations"
    equations.to_svg.cache_clear()


def test_an_equation_is_stored_once_and_read_back(cache):
    svg = equations.to_svg(LATEX)
    entries = list(cache.iterdir())
    assert [e.suffix for e in entries] == [".svg"]
    assert eqcache.get(entries[0].stem) == svg
    equations.to_svg.cache_clear()
    assert equations.to_svg(LATEX) == svg


def test_the_key_names_latex_size_and_versions():
    keys = {eqcache.key(LATEX, 15), eqcache.key(LATEX, 16), eqcache.key(LATEX + " ", 15)}
    assert len(keys) == 3
    assert eqcache.key(LATEX, 15) == eqcache.key(LATEX, 15.0)


def test_a_corrupt_entry_is_made_again(cache):
    svg = equations.to_svg(LATEX)
    (entry,) = cache.iterdir()
    for damage in (entry.read_bytes()[:-40], b"", b"\xff\xfe not an entry"):
        entry.write_bytes(damage)
        assert eqcache.get(entry.stem) is None
        equations.to_svg.cache_clear()
        assert equations.to_svg(LATEX) == svg
        assert eqcache.get(entry.stem) == svg  # rewritten whole


def test_writes_are_atomic_and_leave_no_temporary_files(cache, monkeypatch):
    equations.to_svg(LATEX)
    (entry,) = cache.iterdir()
    before = entry.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    eqcache.put(entry.stem, "<svg>other</svg>")  # a failed write costs nothing
    assert entry.read_bytes() == before
    assert [p.name for p in cache.iterdir()] == [entry.name]


def _write(args: tuple[str, str, int]) -> None:
    folder, name, i = args
    os.environ["REPORTGEN_CACHE_DIR"] = folder
    for _ in range(30):
        eqcache.put(name, f"<svg>{'x' * 20000}{i}</svg>")


def test_many_workers_writing_one_entry_leave_a_whole_one(cache):
    name = "0" * 64
    with ProcessPoolExecutor(4) as pool:
        list(pool.map(_write, [(str(cache.parent), name, i) for i in range(4)]))
    found = eqcache.get(name)
    assert found is not None and found.startswith("<svg>x") and found.endswith("</svg>")
    assert [p.name for p in cache.iterdir()] == [f"{name}.svg"]


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CACHE", "0")
    assert not eqcache.enabled()
    equations.to_svg(LATEX)
    assert not cache.exists()
    eqcache.put("1" * 64, "<svg/>")
    assert eqcache.get("1" * 64) is None and not cache.exists()


def test_a_cold_run_with_every_equation_cached_never_imports_ziamath(tmp_path):
    code = (
        "import json, sys\n"
        "import reportgen\n"
        "reportgen.analyse(sys.argv[1]).to_html()\n"
        "print(json.dumps('ziamath' in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REPORTGEN_CACHE_DIR": str(tmp_path)}
    env.pop("REPORTGEN_CACHE", None)

    def imported() -> bool:
        done = subprocess.run(
            [sys.executable, "-c", code, str(ROOT / "data" / "rolls.csv")],
            capture_output=True, text=True, check=True, cwd=ROOT, env=env,
        )  # fmt: skip
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert imported()  # the first run typesets and stores
    assert not imported()  # the second finds every equation
    env["REPORTGEN_CACHE"] = "off"
    assert imported()

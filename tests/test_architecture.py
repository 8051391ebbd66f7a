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


#: The longest a function may be (its docstring included): one job, read in one screen.
MAX_FUNCTION_LINES = 60


def _functions() -> list[tuple[str, str, int]]:
    import ast

    found = []
    for path in sorted((ROOT / "reportgen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                found.append((str(path.relative_to(ROOT)), node.name, lines))
    return found


def test_no_function_is_too_long() -> None:
    long = [f"{module}: {name} ({lines} lines)" for module, name, lines in _functions()
            if lines > MAX_FUNCTION_LINES]  # fmt: skip
    assert not long, f"split these by job: {long}"


def test_page_data_is_typed_without_any() -> None:
    """Every field of every dataclass in render/pages is typed, and none is ``Any``."""
    import ast

    untyped = []
    for path in sorted((ROOT / "reportgen" / "render" / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and "Any" in ast.unparse(item.annotation):
                    untyped.append(f"{path.name}: {node.name}.{ast.unparse(item.target)}")
    assert not untyped, untyped

"""The package's architecture holds: layers point down, only the web layer talks to Streamlit,
no module imports itself round a circle, and no module grows past 600 lines (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
]
MAX_LINES = 600


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LINT, "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package and its contracts, copied so a test can break them."""
    shutil.copytree(ROOT / "wenming", tmp_path / "wenming", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("wenming/read/_streamlit.py", "import streamlit\n", "only wenming.web imports streamlit BROKEN"),
        ("wenming/figures/_up.py", "from wenming.render import charts\n", "read -> text BROKEN"),
        ("wenming/store/_up.py", "from wenming.web import data\n", "read -> text BROKEN"),
        ("wenming/read/_duckdb.py", "import duckdb\n", "no DuckDB below the store BROKEN"),
    ],
)
def test_a_violation_fails(copy: Path, module: str, line: str, contract: str):
    (copy / module).write_text(line)
    result = _lint(copy)
    assert result.returncode == 1, result.stdout
    assert contract in result.stdout


def test_no_import_circles():
    graph = grimp.build_graph("wenming")
    circles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported.startswith("wenming.") and graph.find_shortest_chain(imported, importer):
                circles.append(f"{importer} <-> {imported}")
    assert circles == []


def test_no_module_over_600_lines():
    """The sample generator's tables are data; everything else stays small enough to read."""
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "wenming").rglob("*.py")
        if "sample" not in path.relative_to(ROOT / "wenming").parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}

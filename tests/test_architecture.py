"""The package's architecture holds: layers that import downward, no cycles, small modules.

These guard what a newcomer relies on to find their way (a folder per concept, each layer
importing only from the ones below it) against the slow drift that hid a 21-module import
cycle behind imports written inside functions.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "briefbook"
#: "About 600 lines at most": a module longer than this holds more than one responsibility.
MAX_LINES = 600
#: Imports of briefbook modules inside functions, allowed only with a reason beside them.
MAX_LOCAL_IMPORTS = 10


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_import_contracts_are_kept() -> None:
    """The contracts in pyproject.toml: layers, no cycle at any depth, a light extension."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([str(lint_imports), "--no-cache", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def _local_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of every import of a briefbook module written inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(name == "briefbook" or name.startswith("briefbook.") for name in names):
                found.append((node.lineno, lines[node.lineno - 1]))
    return sorted(set(found))


def test_few_function_local_imports_each_with_its_reason() -> None:
    local = [(path, line, text) for path in _modules() for line, text in _local_imports(path)]
    listing = "\n".join(f"{p.relative_to(ROOT)}:{n}: {t.strip()}" for p, n, t in local)
    assert len(local) <= MAX_LOCAL_IMPORTS, listing
    for path, line, _ in local:
        source = path.read_text(encoding="utf-8").splitlines()
        # The reason is a comment on the import's line or on the line above it.
        around = source[line - 2] + source[line - 1]
        assert "#" in around, f"{path.relative_to(ROOT)}:{line}: a local import without its reason"


def test_no_module_holds_more_than_one_responsibility_by_length() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long

"""The direction of the arrows: ui -> store -> api; nothing below ui imports textual,
and the ui never touches httpx."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kiteboard"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["api", "store", "emulator"])
def test_core_layers_never_import_textual(folder):
    for path in _modules(folder):
        bad = {n for n in _imports(path) if n == "textual" or n.startswith("textual.")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_api_imports_neither_store_nor_ui():
    for path in _modules("api"):
        bad = {
            n
            for n in _imports(path)
            if n.startswith(("kiteboard.store", "kiteboard.ui", "kiteboard.emulator"))
        }
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_store_never_imports_ui():
    for path in _modules("store"):
        bad = {n for n in _imports(path) if n.startswith("kiteboard.ui")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_ui_never_touches_httpx():
    for path in _modules("ui"):
        bad = {n for n in _imports(path) if n == "httpx" or n.startswith("httpx.")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_only_main_imports_the_command_line():
    """The command line is the top layer: nothing below it may import it."""
    for path in sorted(PACKAGE.rglob("*.py")):
        inside = path.relative_to(PACKAGE).parts[0] in ("cli", "__main__.py")
        bad = {n for n in _imports(path) if n.startswith("kiteboard.cli")}
        assert inside or not bad, f"{path.relative_to(PACKAGE)} imports {bad}"

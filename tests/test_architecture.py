"""The direction of the arrows. Bottom up: `api` and `emulator` (ground), `config`,
`store`, `session`, `ui` (with `app.py`), `cli` (with `__main__`); arrows only point down.

- api, store, config, session and emulator never import textual or the ui;
- the ui never touches the network side (httpx, `kiteboard.api.client` and any other
  api module that talks HTTP, the emulator): it asks the session (it may use the API's
  models and errors);
- api imports neither store, session, ui nor emulator;
- nothing but the command line imports the command line;
- no import cycle between the packages.

Every import counts: at the top, inside functions, under `TYPE_CHECKING`; relative ones
(`from . import x`, `from ..store import y`) are resolved to absolute names first.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kiteboard"

# Which layer a top-level piece of `kiteboard` belongs to. app.py is the ui's top;
# __main__ is the command line's entry. Anything else (locations.py, the package's own
# __init__) is a layer of its own, named after itself.
LAYERS = {"app": "ui", "__main__": "cli"}
LOWER = ("api", "store", "config", "session", "emulator")


# -- reading the imports -------------------------------------------------------------


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str, root: Path) -> bool:
    where = root.joinpath(*name.split("."))
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


@functools.cache
def _lazy_exports(package: str, root: Path) -> dict[str, str]:
    """`{name: submodule}` of a package whose __init__ hands out names lazily (a
    module-level `_LAZY` dict, as kiteboard.api's): `from kiteboard.api import
    KitemakerClient` is an import of kiteboard.api.client."""
    init = root.joinpath(*package.split(".")) / "__init__.py"
    if not init.is_file():
        return {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return dict(ast.literal_eval(node.value))
    return {}


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, as absolute names (`from a import b` gives `a`, and
    `a.b` too when b is a module)."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                assert node.level - 1 < len(base), f"{path}: relative import beyond the top"
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            names.add(source)
            lazy = _lazy_exports(source, root) if source.startswith("kiteboard") else {}
            for alias in node.names:
                if _is_module(f"{source}.{alias.name}", root):
                    names.add(f"{source}.{alias.name}")
                elif alias.name in lazy:
                    names.add(f"{source}.{lazy[alias.name]}")
    return names


def layer_of(name: str) -> str | None:
    """The layer of a module name (None: not kiteboard's)."""
    parts = name.split(".")
    if parts[0] != "kiteboard":
        return None
    if len(parts) == 1:
        return "kiteboard"
    return LAYERS.get(parts[1], parts[1])


def _within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _files(root: Path = ROOT) -> list[Path]:
    return sorted((root / "kiteboard").rglob("*.py"))


def _files_of(*layers: str) -> list[Path]:
    return [p for p in _files() if layer_of(module_name(p)) in layers]


def _offenders(paths: Iterable[Path], bad) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(found))}"
        for path in paths
        if (found := {name for name in imports_of(path) if bad(name)})
    ]


# -- the rules ------------------------------------------------------------------------


@pytest.mark.parametrize("layer", LOWER)
def test_layers_below_the_ui_never_import_textual_or_the_ui(layer):
    offenders = _offenders(_files_of(layer), lambda n: _within(n, "textual") or layer_of(n) == "ui")
    assert not offenders, f"{layer} must not import textual or the ui:\n" + "\n".join(offenders)


def network_side() -> set[str]:
    """The api's modules that talk HTTP: kiteboard.api.client, and every api module
    that imports httpx, itself or through another api module (a GraphQL client...)."""
    imports = {module_name(path): imports_of(path) for path in _files_of("api")}
    talking = {"kiteboard.api.client"}
    while True:
        more = {
            module
            for module, names in imports.items()
            if module not in talking and any(_within(n, "httpx", *talking) for n in names)
        }
        if not more:
            return talking
        talking |= more


def test_the_ui_never_touches_the_network_side():
    forbidden = ("httpx", "kiteboard.emulator", *network_side())
    offenders = _offenders(_files_of("ui"), lambda n: _within(n, *forbidden))
    assert not offenders, (
        "the ui asks the session for reads, writes and events; it never imports httpx, "
        "an API client or the emulator:\n" + "\n".join(offenders)
    )


def test_the_api_stands_alone():
    offenders = _offenders(
        _files_of("api"), lambda n: layer_of(n) in ("store", "session", "ui", "emulator")
    )
    assert not offenders, "api imports neither store, session, ui nor emulator:\n" + "\n".join(
        offenders
    )


def test_only_the_command_line_imports_the_command_line():
    """The command line (cli/, __main__) is the top layer: nothing below imports it."""
    below = [p for p in _files() if layer_of(module_name(p)) != "cli"]
    offenders = _offenders(below, lambda n: layer_of(n) == "cli")
    assert not offenders, "only the command line imports it:\n" + "\n".join(offenders)


def package_graph(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """`{layer: {layer it imports: one import that shows it}}`."""
    graph: dict[str, dict[str, str]] = {}
    for path in _files(root):
        source = layer_of(module_name(path, root))
        assert source is not None
        edges = graph.setdefault(source, {})
        for name in sorted(imports_of(path, root)):
            target = layer_of(name)
            if target is not None and target != source and target not in edges:
                edges[target] = f"{path.relative_to(root)} imports {name}"
    return graph


def find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    """A cycle of `graph` as [a, b, ..., a], or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, {})):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        if cycle := visit(node):
            return cycle
    return None


def test_no_import_cycle_between_packages():
    graph = package_graph()
    for layer in (*LOWER, "ui", "cli"):
        assert layer in graph, f"no module found for layer {layer}"
    cycle = find_cycle(graph)
    if cycle is not None:
        hops = [graph[a][b] for a, b in itertools.pairwise(cycle)]
        pytest.fail(
            f"import cycle between packages: {' -> '.join(cycle)}\n" + "\n".join(hops),
            pytrace=False,
        )


# -- the checker itself ----------------------------------------------------------------


def test_the_checker_sees_imports_in_functions_under_type_checking_and_relative(tmp_path):
    session = tmp_path / "kiteboard" / "session"
    (tmp_path / "kiteboard" / "ui").mkdir(parents=True)
    session.mkdir()
    for path in ("__init__.py", "ui/__init__.py", "ui/board.py", "session/__init__.py"):
        (tmp_path / "kiteboard" / path).write_text("", encoding="utf-8")
    (session / "live.py").write_text("", encoding="utf-8")
    (session / "mixed.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import live\n"
        "if TYPE_CHECKING:\n"
        "    from ..ui.board import Board\n"
        "def later():\n"
        "    from .. import ui\n"
        "    import textual.app\n",
        encoding="utf-8",
    )
    names = imports_of(session / "mixed.py", tmp_path)
    assert {"kiteboard.session.live", "kiteboard.ui.board", "kiteboard.ui"} <= names
    assert "textual.app" in names
    assert find_cycle({"ui": {"session": ""}, "session": {"store": ""}}) is None
    assert find_cycle({"ui": {"session": ""}, "session": {"ui": ""}}) == [
        "session",
        "ui",
        "session",
    ]


def test_a_lazily_exported_client_counts_as_the_client():
    # `from kiteboard.api import KitemakerClient` loads kiteboard.api.client when used.
    assert _lazy_exports("kiteboard.api", ROOT).get("KitemakerClient") == "client"
    # ... and the models and errors, which the ui may use, are not the network side.
    assert "kiteboard.api.client" in network_side()
    assert not {"kiteboard.api.models", "kiteboard.api.errors"} & network_side()

"""The layers of the package, read from its import statements (docs/design.md):
transports never import the facade, the dispatcher does not know the
WLangage runtime, and no module imports itself back through another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "wlsocket"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The wlsocket modules ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    for node in ast.walk(tree):  # "if TYPE_CHECKING:" imports are for the type checker only
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("wlsocket"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("wlsocket"):
                continue
            found.add(target)
            for alias in node.names:  # "from . import tls" names a module
                where = PACKAGE.parent / target.replace(".", "/") / alias.name
                if where.with_suffix(".py").exists() or where.is_dir():
                    found.add(f"{target}.{alias.name}")
    return found


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("wlsocket.transports.")))
def test_transports_never_import_the_facade(name):
    facade = ("wlsocket.api", "wlsocket.names", "wlsocket.registry")
    upward = {m for m in imports(MODULES[name]) if m.startswith(facade)}
    assert not upward, f"{name} imports {sorted(upward)}"


def test_the_dispatcher_does_not_know_the_runtime():
    assert not {m for m in imports(MODULES["wlsocket.dispatcher"]) if m.startswith("wlsocket.wlangage")}


def import_cycles() -> list[frozenset[str]]:
    """The strongly connected components of the import graph (the modules
    that import each other, directly or not), counting the imports inside
    functions too (they only hide a cycle), not those under ``if
    TYPE_CHECKING:``.  A package's ``__init__`` is not a node: ``from ..
    import codecs`` needs the module, not the whole package."""
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    graph = {
        name: sorted(m for m in imports(path) if m in MODULES and m not in packages and m != name)
        for name, path in MODULES.items()
        if name not in packages
    }
    # Tarjan's algorithm.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[frozenset[str]] = []

    def connect(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in graph[name]:
            if target not in index:
                connect(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                components.append(frozenset(component))

    for name in sorted(graph):
        if name not in index:
            connect(name)
    return components


def test_no_import_cycle():
    cycles = import_cycles()
    assert not cycles, [sorted(cycle) for cycle in cycles]

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


def test_no_import_cycle():
    """Between modules, counting the imports inside functions too (they only
    hide a cycle).  A package's ``__init__`` is not a node: ``from .. import
    codecs`` needs the module, not the whole package."""
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    graph = {
        name: sorted(m for m in imports(path) if m in MODULES and m not in packages and m != name)
        for name, path in MODULES.items()
        if name not in packages
    }
    state: dict[str, str] = {}

    def visit(name: str, stack: list[str]) -> None:
        state[name] = "open"
        for target in graph[name]:
            if state.get(target) == "open":
                cycle = stack[stack.index(target):] + [name, target] if target in stack else [name, target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, stack + [name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])

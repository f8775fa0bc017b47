"""docs/reliability.md stays in step with the suite: every test it names
exists, and every reliability test is named in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

DOC = ROOT / "docs" / "reliability.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def named_in_doc() -> set[tuple[str, str]]:
    return set(NAMED.findall(DOC.read_text(encoding="utf-8")))


def reliability_files(named: set[tuple[str, str]]) -> list[Path]:
    """The files the table covers whole: every hostile-peer, race and soak file
    of tests/hostile/ (its bad-input fuzzers have their own docs), and any
    other file the table names a test of (the codec limits, for one)."""
    hostile = {path for path in (ROOT / "tests" / "hostile").glob("test_*.py") if not path.stem.endswith("_bad_input")}
    return sorted(hostile | {ROOT / file for file, _ in named})


def test_every_test_named_in_the_table_exists():
    named = named_in_doc()
    assert len(named) >= 20
    missing = [f"{file}::{name}" for file, name in sorted(named) if name not in defined_tests(ROOT / file)]
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"


def test_every_reliability_test_is_in_the_table():
    named = named_in_doc()
    for path in reliability_files(named):
        relative = path.relative_to(ROOT).as_posix()
        absent = sorted(name for name in defined_tests(path) if (relative, name) not in named)
        assert not absent, f"{relative}: tests missing from docs/reliability.md: {absent}"

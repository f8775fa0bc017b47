"""The test suite keeps the layout TEAM.md plans: tests mirror the package,
one folder per part, each folder a package (so helpers are imported as
``tests.conftest`` / ``tests.peers`` / ``tests.<folder>.conftest``)."""

from __future__ import annotations

from tests.conftest import TESTS

#: The folders of tests/ that hold test files (TEAM.md, "Planned test layout").
PLANNED = {
    *("core", "codecs", "transports", "ws", "hostile", "docs"),
    *("examples", "wlangage", "translate", "cli", "webdev", "bench"),
}
#: Folders that hold no test file of their own.
SUPPORT = {"peers", "node"}


def all_test_files() -> list:
    return sorted(path for path in TESTS.rglob("test_*.py") if "node_modules" not in path.parts)


def test_no_test_file_sits_directly_in_tests():
    loose = sorted(path.name for path in TESTS.glob("test_*.py"))
    assert not loose, f"move these into the folder of the module they test: {loose}"


def test_every_test_file_is_in_a_planned_folder_that_is_a_package():
    files = all_test_files()
    assert len(files) > 30
    for path in files:
        folder = path.relative_to(TESTS).parts[0]
        assert folder in PLANNED, f"{path.relative_to(TESTS)}: tests/{folder}/ is not in TEAM.md's layout"
        assert (path.parent / "__init__.py").exists(), f"{path.parent.relative_to(TESTS)} has no __init__.py"


def test_support_folders_hold_no_tests():
    for folder in SUPPORT:
        assert not list((TESTS / folder).glob("test_*.py")), f"tests/{folder}/ is for helpers and peers only"

"""docs/coverage.md: the table of WLangage functions of ../shared/wlangage-corpus is not stale."""

from __future__ import annotations

from pathlib import Path

from tests.translate import shared
from wlsocket.coverage import replace_table, table
from wlsocket.translate.report import collect

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_coverage_table_is_up_to_date():
    document = DOC.read_text(encoding="utf-8")
    generated = table(collect([shared("wlangage-corpus")]))
    assert replace_table(document, generated) == document, (
        "stale: run python -m wlsocket.coverage ../shared/wlangage-corpus --write docs/coverage.md"
    )


def test_provided_functions_are_marked_so():
    document = DOC.read_text(encoding="utf-8")
    assert "| SocketEcrit |" in document or "| SocketWrite |" in document
    row = next(line for line in document.splitlines() if line.startswith(("| SocketEcrit |", "| SocketWrite |")))
    assert "| yes | provided |" in row

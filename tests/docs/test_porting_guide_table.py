"""docs/porting-guide.md: its name table is generated from wlsocket.names.TABLES and must be current."""

from __future__ import annotations

import wlsocket
from wlsocket import docgen
from wlsocket.names import TABLES, spellings


def test_committed_name_table_is_current():
    text = docgen.GUIDE.read_text(encoding="utf-8")
    assert docgen.updated_guide(text) == text, "docs/porting-guide.md is stale: run `python -m wlsocket.docgen`"


def test_check_mode_detects_a_stale_table(tmp_path):
    stale = tmp_path / "guide.md"
    text = docgen.GUIDE.read_text(encoding="utf-8")
    first_row = docgen.row_line(next(iter(TABLES.values()))[0], set())
    stale.write_text(text.replace(first_row.split(" | ")[0], "| `RemovedName`", 1), encoding="utf-8")
    assert docgen.main(["--check", "--guide", str(stale)]) == 1
    assert docgen.main(["--guide", str(stale)]) == 0
    assert docgen.main(["--check", "--guide", str(stale)]) == 0


def test_every_exported_name_is_in_the_table():
    table = docgen.render_table()
    for rows in TABLES.values():
        for row in rows:
            assert f"| `{row[0]}` |" in table
            for spelling in spellings(row):
                assert spelling in wlsocket.__all__

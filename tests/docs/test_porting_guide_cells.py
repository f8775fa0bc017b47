"""The generated name table of docs/porting-guide.md is a well-formed table:
a "|" inside a signature ("str | None") must not open a sixth cell."""

from __future__ import annotations

import re

from wlsocket import docgen


def cells(line: str) -> list[str]:
    return re.split(r"(?<!\\)\|", line.strip())[1:-1]


def test_every_row_of_the_generated_table_has_five_cells():
    table = docgen.render_table()
    rows = [line for line in table.splitlines() if line.startswith("|")]
    assert len(rows) > 100
    for line in rows:
        assert len(cells(line)) == 5, line
    assert any("\\|" in line for line in rows)  # the signatures that hold one were escaped


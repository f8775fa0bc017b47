"""Generate the table of WLangage names in docs/porting-guide.md.

    python -m wlsocket.docgen            # rewrite the table in the guide
    python -m wlsocket.docgen --check    # exit 1 when the committed table is stale

The table is built from :data:`wlsocket.names.TABLES` only, so it lists
exactly what ``from wlsocket import *`` gives.  Per row: the French name, the
English name, the Python object's home and signature (or a constant's
value), its status and what differs from WLangage.  Status and differences
come from names.py and the docstring: a row under a "# ... extension"
comment in names.py, or whose docstring starts with "wlsocket extension", is
an extension; the docstring's "Differs:" paragraph is the known difference.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path
from typing import Any

from . import names
from .names import TABLES, Row

BEGIN = "<!-- BEGIN GENERATED NAME TABLE (python -m wlsocket.docgen) -->"
END = "<!-- END GENERATED NAME TABLE -->"
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "porting-guide.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _python_form(obj: Any) -> str:
    if inspect.isroutine(obj) or inspect.isclass(obj):
        target = inspect.unwrap(obj)
        home = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"
        try:
            signature = str(inspect.signature(obj, eval_str=True))
        except Exception:  # an annotation that cannot be evaluated: keep it as written
            try:
                signature = str(inspect.signature(obj)).replace("'", "")
            except (TypeError, ValueError):
                signature = "(...)"
        signature = re.sub(r"\btyping\.", "", signature)
        signature = re.sub(r" at 0x[0-9a-f]+", "", signature)
        # "str | None" inside a table cell: GitHub reads \| in a code span as "|"
        return f"`{home}{signature}`".replace("|", "\\|")
    return f"value `{re.sub(r' at 0x[0-9a-f]+', '', repr(obj))}`"


def _doc(obj: Any) -> str:
    if not (inspect.isroutine(obj) or inspect.isclass(obj)):
        return ""
    return inspect.getdoc(obj) or ""


def _extensions_marked_in_names() -> set[str]:
    """French names declared under a "# ... extension" comment in names.py."""
    marked: set[str] = set()
    last_comment = ""
    for line in inspect.getsource(names).splitlines():
        stripped = line.strip()
        if stripped.endswith("= [") or stripped.endswith("] = ["):
            last_comment = ""
        elif stripped.startswith("#"):
            last_comment = stripped
        else:
            found = re.match(r'\("([^"]+)"', stripped)
            if found and "extension" in last_comment:
                marked.add(found.group(1))
    return marked


def _status(row: Row, extensions: set[str]) -> str:
    if row[0] in extensions or _doc(row[2]).startswith("wlsocket extension"):
        return "wlsocket extension"
    return "WLangage"


def _differences(obj: Any) -> str:
    """The docstring's "Differs:" paragraph, up to the next blank line."""
    match = re.search(r"Differs?:(.*?)(?:\n\s*\n|\Z)", _doc(obj), re.S)
    return _cell(match.group(1)) if match else ""


def row_line(row: Row, extensions: set[str]) -> str:
    french, english, obj = row
    return "| " + " | ".join(
        [
            f"`{french}`",
            f"`{english}`" if english else "—",
            _python_form(obj),
            _status(row, extensions),
            _differences(obj),
        ]
    ) + " |"


def render_table() -> str:
    extensions = _extensions_marked_in_names()
    parts = [BEGIN]
    for title, rows in TABLES.items():
        header = "| WLangage | English | Python | status | known differences |"
        parts += ["", f"### {title}", "", header, "|---|---|---|---|---|"]
        parts += [row_line(row, extensions) for row in rows]
    parts += ["", END]
    return "\n".join(parts)


def updated_guide(text: str) -> str:
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render_table() + text[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed table is stale")
    parser.add_argument("--guide", type=Path, default=GUIDE)
    args = parser.parse_args(argv)
    text = args.guide.read_text(encoding="utf-8")
    fresh = updated_guide(text)
    if args.check:
        if fresh != text:
            print(f"{args.guide} is stale: run `python -m wlsocket.docgen`", file=sys.stderr)
            return 1
        return 0
    args.guide.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

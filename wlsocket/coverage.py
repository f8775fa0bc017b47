"""``python -m wlsocket.coverage PATHS``: which WLangage functions a body of code calls, and which wlsocket provides.

The counts come from the translator (:func:`wlsocket.translate.report.collect`):
a call is a name followed by ``(`` that is not a procedure or a variable
of the program itself, counted in every block the translator parsed.

    python -m wlsocket.coverage ../shared/wlangage-corpus                 # the table
    python -m wlsocket.coverage ../shared/wlangage-corpus --write docs/coverage.md
    python -m wlsocket.coverage ../shared/wlangage-corpus --check docs/coverage.md  # 1 when stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .translate.report import Report, category, collect

__all__ = ["table", "main", "BEGIN", "END", "replace_table"]

BEGIN = "<!-- BEGIN GENERATED COVERAGE TABLE (python -m wlsocket.coverage) -->"
END = "<!-- END GENERATED COVERAGE TABLE -->"


def table(report: Report) -> str:
    """The Markdown table: function, calls, whether wlsocket provides it, and its family when not."""
    calls = report.calls()
    missing = report.missing()
    provided = [name for name in calls if name not in missing]
    outside = [name for name in missing if category(name, False) in ("UI", "HFSQL", "reports")]
    rows = [
        f"{len(calls)} functions called {sum(calls.values())} times in {report.blocks} code blocks "
        f"({report.blocks - report.translated} not parsed, not counted); wlsocket provides {len(provided)}; "
        f"{len(outside)} of the others are UI, reports or HFSQL (by name).",
        "",
        "| WLangage function | Calls | wlsocket | Family |",
        "|---|---:|---|---|",
    ]
    for name, count in sorted(calls.items(), key=lambda kv: (-kv[1], kv[0].casefold())):
        has = name not in missing
        rows.append(f"| {name} | {count} | {'yes' if has else 'no'} | {category(name, has)} |")
    return "\n".join(rows) + "\n"


def replace_table(document: str, generated: str) -> str:
    start, end = document.index(BEGIN) + len(BEGIN), document.index(END)
    return document[:start] + "\n" + generated + document[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wlsocket.coverage", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="files or folders of WLangage code")
    parser.add_argument("--write", metavar="DOC", help="rewrite the generated table of this Markdown file")
    parser.add_argument("--check", metavar="DOC", help="exit 1 when the table of this Markdown file is stale")
    args = parser.parse_args(argv)
    for path in args.paths:
        if not Path(path).exists():
            print(f"{path}:1:1: error: no such file or folder", file=sys.stderr)
            return 2
    generated = table(collect(args.paths))
    if args.write or args.check:
        doc = Path(args.write or args.check)
        document = doc.read_text(encoding="utf-8")
        updated = replace_table(document, generated)
        if args.check:
            if updated != document:
                print(f"{doc}: the coverage table is stale; run python -m wlsocket.coverage {' '.join(args.paths)}"
                      f" --write {doc}", file=sys.stderr)
                return 1
            return 0
        doc.write_text(updated, encoding="utf-8")
        return 0
    sys.stdout.write(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())

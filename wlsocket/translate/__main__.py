"""``python -m wlsocket.translate`` / ``wl2py``: translate WLangage to Python, or report on a project.

    wl2py SOURCE [-o OUTPUT] [-D NAME=VALUE ...] [--json REPORT]
    wl2py --report PATH... [--json REPORT]

Exit status: 0 when every block translated, 1 when some did not (they are
still in the output, as comments and a NotImplementedError), 2 for a
usage error or an unreadable file.  Diagnostics go to standard error as
``path:line:col: error: message``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import translate_file
from .report import collect, dumps
from .source import SourceError

__all__ = ["main", "REPORT_BEGIN", "REPORT_END"]

REPORT_BEGIN = "<!-- BEGIN GENERATED TRANSLATION REPORT (wl2py --report ... --write) -->"
REPORT_END = "<!-- END GENERATED TRANSLATION REPORT -->"


def _defines(values: list[str], parser: argparse.ArgumentParser) -> dict[str, str]:
    defines: dict[str, str] = {}
    for value in values:
        name, equal, replacement = value.partition("=")
        if not equal or not name:
            parser.error(f"-D wants NAME=VALUE, not {value!r}")
        defines[name.strip().strip("<>")] = replacement
    return defines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wl2py",
                                     description="Translate WLangage (WINDEV/WEBDEV) to Python on wlsocket.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help=".wl file or text export (.wdw, .wdg, .wdc, .wdp, .wwh)")
    parser.add_argument("-o", "--output", help="where to write the Python module (default: standard output)")
    parser.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME=VALUE",
                        help="replace the documentation placeholder <NAME> by VALUE")
    parser.add_argument("--json", metavar="REPORT", help="write the machine-readable report there")
    parser.add_argument("--report", action="store_true", help="report on files and folders instead of translating")
    parser.add_argument("--write", metavar="DOC", help="with --report: rewrite the report in this Markdown file")
    args = parser.parse_args(argv)
    defines = _defines(args.defines, parser)
    if args.report:
        return _report(args.sources, defines, args.json, args.write)
    if len(args.sources) != 1:
        parser.error("one SOURCE to translate (use --report for several)")
    source = args.sources[0]
    try:
        translation = translate_file(source, defines)
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 2
    for error in translation.errors:
        print(error, file=sys.stderr)
    try:
        if args.output:
            Path(args.output).write_text(translation.python, encoding="utf-8")
        else:
            sys.stdout.write(translation.python)
        if args.json:
            report = collect([])
            report.translations.append(translation)
            try:
                compile(translation.python, source + ".py", "exec")
                report.compiled[translation.path] = True
            except (SyntaxError, ValueError):
                report.compiled[translation.path] = False
            Path(args.json).write_text(dumps(report) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"{args.output or args.json}:1:1: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0 if translation.translated == translation.blocks and translation.blocks else 1


def _report(paths: list[str], defines: dict[str, str], json_path: str | None, doc: str | None = None) -> int:
    missing = [p for p in paths if not Path(p).exists()]
    for path in missing:
        print(f"{path}:1:1: error: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    report = collect(paths, defines)
    for message in report.unreadable:
        print(message, file=sys.stderr)
    base = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
    if doc:
        document = Path(doc).read_text(encoding="utf-8")
        start, end = document.index(REPORT_BEGIN) + len(REPORT_BEGIN), document.index(REPORT_END)
        shown = " ".join(paths)
        generated = f"\n`python -m wlsocket.translate --report {shown}`:\n\n" + report.text(base, functions=False)
        Path(doc).write_text(document[:start] + generated + document[end:], encoding="utf-8")
    else:
        sys.stdout.write(report.text(base))
    if json_path:
        try:
            Path(json_path).write_text(dumps(report) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"{json_path}:1:1: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if report.unreadable:
        return 2
    return 0 if report.translated == report.blocks else 1


if __name__ == "__main__":
    sys.exit(main())

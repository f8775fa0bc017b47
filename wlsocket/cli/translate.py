"""``wlsocket traduire`` / ``translate`` and ``rapport`` / ``report``: thin
aliases of the translator's own command line, :mod:`wlsocket.translate`.

The arguments after the subcommand are handed over untouched to the
translator's ``main(argv)`` (the ``wl2py`` command): ``wlsocket traduire
SOURCE [-o OUTPUT]`` is ``wl2py SOURCE [-o OUTPUT]``, ``wlsocket rapport
PATH...`` is ``wl2py --report PATH...``; the exit status is the
translator's.  In a wlsocket without the translator, both say so on stderr
and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

TRANSLATOR = "wlsocket.translate"
NOT_INSTALLED = 2
REPORT_NAMES = ("rapport", "report")
NAMES = ("traduire", "translate", *REPORT_NAMES)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, alias, words, report in (
        ("traduire", "translate", "translate WLangage code to Python (wl2py)", False),
        ("rapport", "report", "the translator's report on WLangage files and folders (wl2py --report)", True),
    ):
        parser = subparsers.add_parser(name, aliases=[alias], help=words, description=words, add_help=False)
        parser.add_argument("rest", nargs=argparse.REMAINDER)
        parser.set_defaults(run=run, report=report)


def translator_main() -> Callable[..., Any] | None:
    """The translator's ``main(argv)``, or None when it is not installed."""
    if importlib.util.find_spec(TRANSLATOR) is None:
        return None
    for module_name in (f"{TRANSLATOR}.__main__", f"{TRANSLATOR}.cli", TRANSLATOR):
        if importlib.util.find_spec(module_name) is None:
            continue
        main: object = getattr(importlib.import_module(module_name), "main", None)
        if callable(main):
            return main
    return None


def delegate(name: str, rest: list[str]) -> int:
    """Run the translator's command line for ``wlsocket <name> <rest...>``."""
    main = translator_main()
    if main is None:
        print(f"wlsocket: the translator ({TRANSLATOR}) is not installed in this version of wlsocket",
              file=sys.stderr)
        return NOT_INSTALLED
    argv = (["--report"] if name in REPORT_NAMES else []) + rest
    status = main(argv)
    return int(status or 0)


def run(args: argparse.Namespace) -> int:
    return delegate("rapport" if args.report else "traduire", list(args.rest))

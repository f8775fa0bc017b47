"""The ``wlsocket`` command (also ``python -m wlsocket``): tools for a
migration from WINDEV, in French and English.

=========================  =================================================
``ecoute`` / ``listen``    a server printing every message received
``envoie`` / ``send``      a client sending messages framed in the mode
``trace``                  a relay printing both directions decoded
``rejoue`` / ``replay``    plays a trace journal back against a server
``traduire`` / ``translate``, ``rapport`` / ``report``: the translator's command line
=========================  =================================================

One module per subcommand; :mod:`.output` prints, :mod:`.decode` and
:mod:`.sniff` decode and recognise the modes, :mod:`.link` wraps the
facade, :mod:`.journal` is the trace file.  See docs/cli.md.
"""

from __future__ import annotations

import argparse
import signal
import sys

from .. import __version__
from ..errors import WLangageError
from . import listen, replay, send, trace, translate
from .options import marker_bytes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wlsocket",
        description="Listen, send and trace in the WINDEV transmission modes (docs/cli.md).",
    )
    parser.add_argument("--version", action="version", version=f"wlsocket {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (listen, send, trace, replay, translate):
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in translate.NAMES:  # everything after it is the translator's
        return translate.delegate(arguments[0], arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if hasattr(signal, "SIGPIPE"):  # `wlsocket ecoute 5001 | head`: end quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Ctrl+C, and a plain `kill`, end with the summary; even when started in
    # the background of a script (where SIGINT is inherited ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if getattr(args, "marker", None) is not None:
        try:
            args.marker_bytes = marker_bytes(args.marker, args.encoding)
        except ValueError as error:
            parser.error(f"--marqueur: {error}")
    try:
        status: int = args.run(args)
    except WLangageError as error:  # a value the facade refuses: say it, no traceback
        print(f"wlsocket: {error.message}", file=sys.stderr)
        return 2
    return status

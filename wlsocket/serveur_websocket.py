"""python -m wlsocket.serveur_websocket MODULE [options]: serve a WEBDEV
"WebSocket server" project (see docs/webdev-websocket-server.md).

    MODULE               a .py file or an importable module name holding the
                         project's event procedures (Connexion, ReceptionMessage,
                         Deconnexion, ArretServeur or their English names)
    --port N             port to listen on (default 80, as WEBDEV's server)
    --host H             address to listen on (default: every interface)
    --path /Name         the only request path served, e.g. /WW_Chat (default: any)
    --tls CERT.pem       wss://: PEM certificate with its key (or the key in CERT.key)
    --redis URL          several processes as one server, through Redis pub/sub
    --event EVENT=PROC   which procedure is which event (repeatable)
    --send-queue BYTES   bytes that may wait for one client before it is dropped
    --max-message BYTES  largest message a client may send (larger: close 1009)

SIGTERM or Ctrl+C runs the server-stop event, closes every connection
with 1001 and exits 0.  Exit status 2: bad arguments or a project that
does not load; 1: the server could not listen.
"""

from __future__ import annotations

import argparse
import os
import sys

from .errors import WLangageError
from .webdev.contexts import describe_failure
from .webdev.outbox import DEFAULT_SEND_QUEUE_BYTES
from .webdev.server import DEFAULT_MAX_MESSAGE_BYTES, WebSocketServer

__all__ = ["main"]


def _event(text: str) -> tuple[str, str]:
    event, sep, procedure = text.partition("=")
    if not sep or not event.strip() or not procedure.strip():
        raise argparse.ArgumentTypeError(f"expected EVENT=PROCEDURE, got {text!r}")
    return event.strip(), procedure.strip()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(prog="python -m wlsocket.serveur_websocket",
                                        description="Serve a WEBDEV 'WebSocket server' project with wlsocket.")
    arguments.add_argument("module", help="a .py file or an importable module name holding the event procedures")
    arguments.add_argument("--port", type=_positive, default=80, help="port to listen on (default 80)")
    arguments.add_argument("--host", default=None, help="address to listen on (default: every interface)")
    arguments.add_argument("--path", default=None, help="the only request path served, e.g. /WW_Chat (default: any)")
    arguments.add_argument("--tls", metavar="CERT.pem", default=None,
                           help="wss://: PEM certificate chain with its key (or the key in CERT.key)")
    arguments.add_argument("--redis", metavar="URL", default=None,
                           help="several processes as one server through Redis, e.g. redis://127.0.0.1:6379/0")
    arguments.add_argument("--event", type=_event, action="append", default=[], metavar="EVENT=PROCEDURE",
                           help="which procedure is which event, e.g. Connexion=Arrivee (repeatable)")
    arguments.add_argument("--send-queue", type=_positive, default=DEFAULT_SEND_QUEUE_BYTES, metavar="BYTES",
                           help="bytes that may wait for one client before it is dropped (default 4 MiB)")
    arguments.add_argument("--max-message", type=_positive, default=DEFAULT_MAX_MESSAGE_BYTES, metavar="BYTES",
                           help="largest message a client may send; larger: close 1009 (default 1 MiB)")
    return arguments


def main(argv: list[str] | None = None) -> int:
    options = parser().parse_args(argv)
    try:
        server = WebSocketServer(options.module, options.port, host=options.host, path=options.path,
                                 tls=options.tls, redis=options.redis, events=dict(options.event),
                                 send_queue_bytes=options.send_queue, max_message_bytes=options.max_message)
    except WLangageError as exc:
        print(f"wlsocket.serveur_websocket: {options.module}: {exc}", file=sys.stderr)
        return 2
    except SyntaxError as exc:  # file:line:column, as a compiler says it
        print(f"{exc.filename}:{exc.lineno}:{exc.offset or 1}: SyntaxError: {exc.msg}", file=sys.stderr)
        return 2
    except Exception as exc:  # the module raised while it was run once at load
        source = os.path.abspath(options.module) if options.module.endswith(".py") else ""
        print(f"{describe_failure(exc, source)} (loading {options.module})", file=sys.stderr)
        return 2
    try:
        return server.serve_until_signal()
    except WLangageError as exc:
        print(f"wlsocket.serveur_websocket: cannot serve on port {options.port}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

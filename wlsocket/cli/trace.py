"""``wlsocket trace LOCAL_PORT HOST PORT`` (``trace``): a relay in the middle.

The client connects to LOCAL_PORT instead of HOST:PORT; every byte is
forwarded unchanged, at once, in both directions (a half-close is passed
on too), and only then decoded and printed, message by message in the
mode (raw chunks in ``brut``; in ``websocket`` the handshake, then each
frame, read with :mod:`wlsocket.ws.frames`).  Bytes that do not decode in the mode are
flagged with the mode they look like.  ``--journal FILE`` writes the
conversation as JSON lines for ``wlsocket rejoue``.

This is PC SOFT's "socket tracer" example as a command.  The relay uses
plain sockets, not the facade: it must forward bytes whatever their mode,
and the decoding is :mod:`wlsocket.codecs`' own, fed a copy.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import socket
import threading
import time
from pathlib import Path
from typing import Protocol

from .decode import DirectionDecoder
from .forward import Shown, forward_both
from .journal import CLIENT_TO_SERVER, SERVER_TO_CLIENT, JournalWriter
from .options import add_mode_options, add_output_options, port
from .output import Printer
from .wsframes import WebSocketDirection

_CONNECT_TIMEOUT_S = 10.0
# On Ctrl+C, how long the connections get to print what they forwarded last.
_STOP_GRACE_S = 5.0


class Direction(Protocol):
    def feed(self, chunk: bytes) -> list[bytes]: ...

    def close(self) -> None: ...


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "trace", help="relay between a client and a server, printing both directions decoded",
        description="Relay LOCAL_PORT to HOST:PORT, forwarding every byte unchanged and printing each "
        "message of each direction decoded in the transmission mode.",
    )
    parser.add_argument("local_port", type=port, help="port the client connects to")
    parser.add_argument("host", help="the real server's address")
    parser.add_argument("port", type=port, help="the real server's port")
    parser.add_argument("--adresse", "--address", dest="address", default="127.0.0.1",
                        help="address the relay listens on (default 127.0.0.1)")
    add_mode_options(parser)
    parser.add_argument("--journal", type=Path, metavar="FILE", help="write the conversation to FILE (JSON lines)")
    add_output_options(parser)
    parser.set_defaults(run=run)


def make_direction(printer: Printer, direction: str, peer: str, mode: str, marker: bytes) -> Direction:
    """How one direction of a conversation between a client and a server is shown."""
    kind = "in" if direction == CLIENT_TO_SERVER else "out"
    if mode == "websocket":
        return WebSocketDirection(printer, direction, peer, direction == CLIENT_TO_SERVER, kind=kind)
    return DirectionDecoder(printer, direction, peer, mode, marker, kind=kind)


def _nodelay(sock: socket.socket) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class Relay:
    def __init__(self, args: argparse.Namespace, printer: Printer) -> None:
        self.args = args
        self.printer = printer
        self.marker: bytes = args.marker_bytes
        self.journal: JournalWriter | None = None
        self.numbers = itertools.count(1)
        self.listener: socket.socket | None = None
        self.open_sockets: set[socket.socket] = set()
        self.threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def open(self) -> bool:
        args = self.args
        try:
            self.listener = socket.create_server((args.address, args.local_port))
        except OSError as error:
            self.printer.warning("relay", f"cannot listen on {args.address}:{args.local_port}: {error.strerror}",
                                 count=False)
            return False
        if args.journal is not None:
            header = {"mode": args.mode, "marker": args.marker, "server": f"{args.host}:{args.port}"}
            self.journal = JournalWriter(args.journal, header)
        self.printer.info(
            f"relaying {args.address}:{args.local_port} -> {args.host}:{args.port}, mode {args.mode}",
            listen=f"{args.address}:{args.local_port}", server=f"{args.host}:{args.port}", mode=args.mode,
        )
        return True

    def serve_forever(self) -> None:
        assert self.listener is not None
        while True:
            client, address = self.listener.accept()
            thread = threading.Thread(target=self.connect, args=(client, address), daemon=True)
            with self._lock:
                self.threads = [t for t in self.threads if t.is_alive()] + [thread]
            thread.start()

    def connect(self, client: socket.socket, address: tuple[str, int]) -> None:
        number = next(self.numbers)
        peer = f"{address[0]}:{address[1]}"
        try:
            server = socket.create_connection((self.args.host, self.args.port), _CONNECT_TIMEOUT_S)
        except OSError as error:
            self.printer.warning(CLIENT_TO_SERVER, f"#{number} {peer}: cannot reach the server "
                                 f"{self.args.host}:{self.args.port}: {error.strerror or error}")
            client.close()
            return
        server.settimeout(None)
        for sock in (client, server):
            _nodelay(sock)
        with self._lock:
            self.open_sockets.update((client, server))
        self.printer.info(f"#{number} {peer} connected, relayed to {self.args.host}:{self.args.port}",
                          connection=number, peer=peer)
        decoders = {direction: make_direction(self.printer, direction, peer, self.args.mode, self.marker)
                    for direction in (CLIENT_TO_SERVER, SERVER_TO_CLIENT)}
        forward_both(client, server, (CLIENT_TO_SERVER, SERVER_TO_CLIENT),
                     functools.partial(self.show, number, decoders))
        with self._lock:
            self.open_sockets.difference_update((client, server))
        client.close()
        server.close()
        self.printer.info(f"#{number} {peer} closed", connection=number, peer=peer)

    def show(self, number: int, decoders: dict[str, Direction], batch: list[Shown]) -> None:
        """Journal, decode and print what was forwarded, in its order; the
        output is flushed once for the batch."""
        journal = self.journal
        with self.printer.held():
            for item in batch:
                if item.error:
                    self.printer.warning(item.direction, f"#{number} {item.error}")
                elif item.end:
                    decoders[item.direction].close()
                    if journal is not None:
                        journal.end(number, item.direction, flush=False)
                else:
                    if journal is not None:
                        journal.chunk(number, item.direction, item.data, flush=False)
                    decoders[item.direction].feed(item.data)
            if journal is not None:
                journal.flush()

    def close(self) -> None:
        """Stop: connections are cut, and what was forwarded is printed and
        counted before the summary (each pump finishes its last chunk)."""
        if self.listener is not None:
            self.listener.close()
        with self._lock:
            for sock in self.open_sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            threads = list(self.threads)
        deadline = time.monotonic() + _STOP_GRACE_S
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self.journal is not None:
            self.journal.close()


def run(args: argparse.Namespace) -> int:
    printer = Printer.from_args(args)
    relay = Relay(args, printer)
    if not relay.open():
        return 1
    try:
        relay.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        relay.close()
        printer.summary()
    return 0

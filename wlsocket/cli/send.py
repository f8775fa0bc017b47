"""``wlsocket envoie HOST PORT MESSAGE...`` (``send``): a client that sends
each message framed in the mode and prints what comes back.

WLangage it stands for::

    SocketConnecte("c", PORT, HOST)         // SocketConnecteSSL with --tls,
    SocketChangeModeTransmission("c", ...)  // WebSocketClientConnecte in websocket mode
    SocketEcrit("c", MESSAGE)               // for each MESSAGE
    SocketLit("c")                          // with --attend, after each one

A MESSAGE is text, encoded with ``--encodage``; ``@FILE`` sends the bytes
of FILE (``@@`` starts a message that begins with ``@``).  Without
``--attend`` the replies are read after the last message until the server
closes or ``--delai`` ms pass without anything new.  Exit status: 0, or 1
when the connection failed, a reply did not come in time with ``--attend``,
or what came back did not decode in the mode.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import wlsocket as wl

from .. import codecs
from .decode import DirectionDecoder
from .link import Link, LinkClosed, fresh_name, last_error
from .options import Encoding, add_mode_options, add_output_options, count, mode_number, port, text_bytes
from .output import Printer

SENT, RECEIVED = "sent", "received"


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "envoie", aliases=["send"], help="connect, send messages framed in the mode, print the replies",
        description="Connect, send each MESSAGE framed in the transmission mode, print what comes back.",
    )
    parser.add_argument("host", help="server address")
    parser.add_argument("port", type=port, help="server port")
    parser.add_argument("messages", nargs="*", metavar="MESSAGE", help="text to send, or @FILE for a file's bytes")
    add_mode_options(parser)
    parser.add_argument("--attend", "--wait", dest="wait", action="store_true",
                        help="wait for one reply after each message")
    parser.add_argument("--delai", "--timeout", dest="timeout_ms", type=count, default=None,
                        help="ms to wait for a reply (default 5000 with --attend, else 500 of silence)")
    parser.add_argument("--tls", action="store_true", help="connect with TLS (SocketConnecteSSL / wss://)")
    parser.add_argument("--ca", metavar="CA.pem", help="trust this CA file instead of the system's")
    parser.add_argument("--non-verifie", "--insecure", dest="insecure", action="store_true",
                        help="TLS without checking the server's certificate")
    parser.add_argument("--chemin", "--path", dest="path", default="/", help="WebSocket path (default /)")
    add_output_options(parser)
    parser.set_defaults(run=run)


def message_bytes(argument: str, encoding: Encoding) -> tuple[bytes, bool]:
    """A MESSAGE argument as (bytes, is_text): @FILE (not text), @@literal, or text."""
    if argument.startswith("@@"):
        return text_bytes(argument[1:], encoding), True
    if argument.startswith("@"):
        return Path(argument[1:]).read_bytes(), False
    return text_bytes(argument, encoding), True


def connect(args: argparse.Namespace, name: str) -> bool:
    if args.mode == "websocket":
        if args.tls:
            return bool(wl.WebSocketClientConnecteSSL(
                name, args.host, args.port, args.path, "", 0, 10_000,
                ca_file=args.ca, verify=not args.insecure,
            ))
        return bool(wl.WebSocketClientConnecte(name, args.host, args.port, args.path, "", 10_000))
    if args.tls:
        return bool(wl.SocketConnecteSSL(name, args.port, args.host, 0, 10_000, ca_file=args.ca,
                                         verify=not args.insecure))
    return bool(wl.SocketConnecte(name, args.port, args.host, 10_000))


class Client:
    def __init__(self, args: argparse.Namespace, printer: Printer, link: Link, peer: str) -> None:
        self.args = args
        self.printer = printer
        self.link = link
        self.peer = peer
        self.marker: bytes = args.marker_bytes
        self.decoder = None
        if args.mode != "websocket":
            self.decoder = DirectionDecoder(printer, RECEIVED, peer, args.mode, self.marker, kind="in")
        self.closed = ""

    def send(self, payload: bytes, is_text: bool) -> None:
        wire = payload if self.link.websocket else codecs.frame(mode_number(self.args.mode), payload, self.marker)
        text = self.link.websocket and is_text
        self.link.write(wire, text=text)
        self.printer.payload("message", SENT, self.peer, payload, "out", utf8=text)

    def receive(self, wanted: int, timeout_ms: int, idle: bool) -> int:
        """Read until ``wanted`` messages came (0: until closed or quiet).

        ``idle``: ``timeout_ms`` counts from the last thing received, else
        from the start.  Returns the messages received."""
        got = 0
        deadline = time.monotonic() + timeout_ms / 1000
        while not self.closed and (wanted == 0 or got < wanted):
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                break
            try:
                chunk = self.link.read(min(left_ms, 250))
            except LinkClosed as closed:
                self.closed = closed.reason
                break
            if chunk is None:
                continue
            data, is_text = chunk
            if self.decoder is None:
                self.printer.payload("message", RECEIVED, self.peer, data, "in", utf8=is_text,
                                     type="text" if is_text else "binary")
                got += 1
            else:
                got += len(self.decoder.feed(data))
            if idle:
                deadline = time.monotonic() + timeout_ms / 1000
        return got


def run(args: argparse.Namespace) -> int:
    printer = Printer.from_args(args)
    try:
        # A WebSocket text message is UTF-8 (RFC 6455), whatever --encodage says; a @FILE is binary.
        encoding = Encoding("utf-8") if args.mode == "websocket" else args.encoding
        payloads = [message_bytes(argument, encoding) for argument in args.messages]
    except (OSError, ValueError) as error:
        printer.warning(SENT, f"cannot read the message: {error}", count=False)
        return 2
    name = fresh_name("send")
    if not connect(args, name):
        printer.warning(SENT, f"cannot connect to {args.host}:{args.port}: {last_error()}")
        return 1
    link = Link(name, args.mode == "websocket")
    peer = f"{args.host}:{args.port}"
    printer.info(f"connected to {peer}, mode {args.mode}", peer=peer, mode=args.mode, tls=bool(args.tls))
    client = Client(args, printer, link, peer)
    failed = False
    try:
        for payload, is_text in payloads:
            client.send(payload, is_text)
            if args.wait and client.receive(1, args.timeout_ms or 5000, idle=False) < 1:
                printer.warning(RECEIVED, "no reply in time" if not client.closed else f"no reply: {client.closed}")
                failed = True
                break
        if not args.wait:
            client.receive(0, args.timeout_ms or 500, idle=True)
    except LinkClosed as closed:
        printer.warning(SENT, f"connection lost: {closed.reason}")
        failed = True
    except KeyboardInterrupt:
        pass
    finally:
        if client.decoder is not None:
            client.decoder.close()
        link.close()
        wl.close_all()
        printer.summary()
    errors = sum(counts.errors for counts in printer.stats.snapshot().values())
    return 1 if failed or errors else 0

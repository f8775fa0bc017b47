"""``wlsocket ecoute PORT`` (``listen``): a server that prints every message.

WLangage it stands for (one thread per channel)::

    SocketCrée("srv", PORT)                 // or SocketCréeSSL with --tls
    TANTQUE SocketAttendConnexion("srv")
        ThreadExécute(..., SocketAccepte("srv"))   // SocketLit in a loop

Each message is printed with the peer, the time, its size and its bytes
(text, plus hex where they are not printable); ``--echo`` sends it back,
``--reponse TEXT`` answers each message with TEXT, both framed in the mode.
Ctrl+C ends it with the counts per direction.
"""

from __future__ import annotations

import argparse
import threading
import time

import wlsocket as wl

from .. import codecs
from .decode import DirectionDecoder
from .link import Link, LinkClosed, fresh_name, last_error
from .options import Encoding, add_mode_options, add_output_options, mode_number, port, text_bytes
from .output import Printer

RECEIVED, SENT = "received", "sent"
_POLL_MS = 250
_STOP_GRACE_S = 5.0


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "ecoute", aliases=["listen"], help="a server that prints each message received",
        description="A server that prints each message received, decoded in the transmission mode.",
    )
    parser.add_argument("port", type=port, help="TCP port to listen on")
    parser.add_argument("--adresse", "--address", dest="address", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0: every interface)")
    add_mode_options(parser)
    parser.add_argument("--tls", metavar="CERT.pem",
                        help="listen with TLS (SocketCréeSSL): PEM file holding the certificate and its key")
    reply = parser.add_mutually_exclusive_group()
    reply.add_argument("--echo", action="store_true", help="send every message back")
    reply.add_argument("--reponse", "--reply", dest="reply", metavar="TEXT", help="answer each message with TEXT")
    add_output_options(parser)
    parser.set_defaults(run=run)


class Server:
    def __init__(self, args: argparse.Namespace, printer: Printer) -> None:
        self.args = args
        self.printer = printer
        self.websocket = args.mode == "websocket"
        self.marker: bytes = args.marker_bytes
        # A WebSocket text message is UTF-8, whatever --encodage says.
        reply_encoding = Encoding("utf-8") if self.websocket else args.encoding
        self.reply: bytes | None = None if args.reply is None else text_bytes(args.reply, reply_encoding)
        self.name = fresh_name("listen")
        self.threads: list[threading.Thread] = []
        self.stopping = threading.Event()

    def open(self) -> bool:
        args = self.args
        if args.tls:
            opened = wl.SocketCreeSSL(self.name, args.port, args.tls, 0, args.address)
        else:
            opened = wl.SocketCree(self.name, args.port, args.address)
        if not opened:
            self.printer.warning("server", f"cannot listen on {args.address}:{args.port}: {last_error()}",
                                 count=False)
            return False
        if self.websocket:
            wl.SocketChangeModeTransmission(self.name, wl.SocketWebSocket)
        secure = " with TLS" if args.tls else ""
        self.printer.info(f"listening on {args.address}:{args.port}{secure}, mode {args.mode}",
                          address=args.address, port=args.port, mode=args.mode, tls=bool(args.tls))
        return True

    def serve_forever(self) -> None:
        while True:
            if not wl.SocketAttendConnexion(self.name, _POLL_MS):
                if wl.ErreurDetectee:
                    self.printer.warning("server", f"listening stopped: {last_error()}")
                    return
                continue
            channel = wl.SocketAccepte(self.name)
            if channel:
                thread = threading.Thread(target=self.serve_channel, args=(channel,), daemon=True)
                self.threads = [t for t in self.threads if t.is_alive()] + [thread]
                thread.start()

    def serve_channel(self, channel: str) -> None:
        link = Link(channel, self.websocket)
        peer = link.peer()
        self.printer.info(f"{peer} connected", peer=peer)
        decoder = None
        if not self.websocket:
            decoder = DirectionDecoder(self.printer, RECEIVED, peer, self.args.mode, self.marker)
        reason = "closed"
        try:
            while not self.stopping.is_set():
                got = link.read(_POLL_MS)
                if got is None:
                    continue
                data, is_text = got
                if decoder is None:
                    kind = "text" if is_text else "binary"
                    self.printer.payload("message", RECEIVED, peer, data, "in", utf8=is_text, type=kind)
                    self.answer(link, peer, [data], is_text)
                else:
                    self.answer(link, peer, decoder.feed(data), False)
        except LinkClosed as closed:
            reason = closed.reason
        finally:
            if decoder is not None:
                decoder.close()
            link.close()
        self.printer.info(f"{peer} disconnected: {reason}", peer=peer)

    def answer(self, link: Link, peer: str, messages: list[bytes], is_text: bool) -> None:
        for message in messages:
            if self.args.echo:
                answer = message
            elif self.reply is not None:
                answer = self.reply
                is_text = True
            else:
                return
            wire = answer if self.websocket else codecs.frame(mode_number(self.args.mode), answer, self.marker)
            link.write(wire, is_text)
            self.printer.payload("message", SENT, peer, answer, "out", utf8=self.websocket and is_text)

    def close(self) -> None:
        """Stop listening; the channels end their last read (so what came is
        printed and counted before the summary), then are closed."""
        self.stopping.set()
        if wl.SocketExiste(self.name):
            wl.SocketFerme(self.name)
        deadline = time.monotonic() + _STOP_GRACE_S
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def run(args: argparse.Namespace) -> int:
    printer = Printer.from_args(args)
    try:
        server = Server(args, printer)
    except ValueError as error:  # --reponse holds a character the encoding cannot send
        printer.warning(SENT, f"--reponse: {error}", count=False)
        return 2
    if not server.open():
        return 1
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        wl.close_all()
        printer.summary()
    return 0

"""``wlsocket rejoue FILE [HOST PORT]`` (``replay``): plays a trace journal
back against a server.

For each connection of the journal, in order, it connects (to HOST PORT, by
default the server the trace relayed to), sends the client's chunks, byte
for byte as recorded, and before each chunk that the client had sent after
an answer, waits for as many bytes of answer as the server had sent then
(at most ``--delai`` ms): the server sees the same bytes in the same
order.  What the server answers is printed decoded in the journal's mode
and compared with the journal.  Exit status 0 when every answer has the
recorded bytes, 1 when it differs or the server cannot be reached, 2 for a
file that is not a journal.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import wlsocket as wl

from .journal import CLIENT_TO_SERVER, SERVER_TO_CLIENT, Journal, JournalError, read_journal
from .link import Link, LinkClosed, fresh_name, last_error
from .options import add_mode_options, add_output_options, count, marker_bytes, port
from .output import Printer
from .trace import Direction, make_direction


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "rejoue", aliases=["replay"], help="play a trace journal back against a server",
        description="Send the client side of a `wlsocket trace --journal` file to a server again, byte for byte.",
    )
    parser.add_argument("journal", type=Path, metavar="FILE", help="journal written by trace --journal")
    parser.add_argument("host", nargs="?", help="server address (default: the one traced)")
    parser.add_argument("port", nargs="?", type=port, help="server port (default: the one traced)")
    add_mode_options(parser)
    parser.set_defaults(mode=None)
    parser.add_argument("--delai", "--timeout", dest="timeout_ms", type=count, default=5000,
                        help="ms to wait for each recorded answer (default 5000)")
    add_output_options(parser)
    parser.set_defaults(run=run)


def _target(args: argparse.Namespace, journal: Journal) -> tuple[str, int] | None:
    if args.host is not None and args.port is not None:
        return str(args.host), int(args.port)
    server = str(journal.header.get("server", ""))
    host, _, port = server.rpartition(":")
    return (host, int(port)) if host and port.isdigit() else None


class Replayer:
    def __init__(self, args: argparse.Namespace, printer: Printer, journal: Journal, host: str, port: int) -> None:
        self.args = args
        self.printer = printer
        self.journal = journal
        self.host, self.port = host, port
        # In websocket mode the journal holds the handshake and the frames as
        # they crossed (masks included): replayed as bytes, shown as frames.
        self.mode = args.mode or str(journal.header.get("mode", "brut"))
        marker_text = args.marker if args.marker != "<EOF>" else str(journal.header.get("marker", "<EOF>"))
        self.marker = marker_bytes(marker_text, args.encoding)  # checked when the journal was written
        self.differences = 0

    def replay(self, connection: int) -> bool:
        records = self.journal.of(connection)
        name = fresh_name("replay")
        peer = f"{self.host}:{self.port}"
        if not wl.SocketConnecte(name, self.port, self.host, 10_000):
            self.printer.warning(CLIENT_TO_SERVER, f"#{connection}: cannot connect to {peer}: {last_error()}")
            return False
        link = Link(name, websocket=False)
        self.printer.info(f"#{connection} replaying to {peer}", connection=connection, peer=peer)
        sent = make_direction(self.printer, CLIENT_TO_SERVER, peer, self.mode, self.marker)
        answered = make_direction(self.printer, SERVER_TO_CLIENT, peer, self.mode, self.marker)
        expected = b"".join(r.data for r in records if r.direction == SERVER_TO_CLIENT)
        received = bytearray()
        closed = ""
        try:
            recorded_answer = 0  # bytes the server had answered before the next chunk
            for record in records:
                if record.direction == SERVER_TO_CLIENT:
                    recorded_answer += len(record.data)
                    continue
                if record.end or not record.data:
                    continue
                closed = closed or self._receive(link, answered, received, recorded_answer)
                link.write(record.data)
                sent.feed(record.data)
            closed = closed or self._receive(link, answered, received, len(expected))
        except LinkClosed as error:
            closed = error.reason
        finally:
            sent.close()
            answered.close()
            link.close()
        return self._compare(connection, bytes(received), expected, closed)

    def _receive(self, link: Link, decoder: Direction, received: bytearray, until: int) -> str:
        """Read answers until ``until`` bytes came in all; "" or why it ended."""
        deadline = time.monotonic() + self.args.timeout_ms / 1000
        while len(received) < until:
            left_ms = int((deadline - time.monotonic()) * 1000)
            if left_ms <= 0:
                return ""
            try:
                got = link.read(min(left_ms, 250))
            except LinkClosed as closed:
                return closed.reason
            if got is not None:
                received += got[0]
                decoder.feed(got[0])
        return ""

    def _compare(self, connection: int, received: bytes, expected: bytes, closed: str) -> bool:
        if received == expected:
            self.printer.info(f"#{connection} the server answered the recorded bytes ({len(expected)} bytes)",
                              connection=connection, same=True, size=len(expected))
            return True
        common = min(len(received), len(expected))
        at = next((i for i in range(common) if received[i] != expected[i]), common)
        self.differences += 1
        why = f" ({closed})" if closed else ""
        self.printer.warning(
            SERVER_TO_CLIENT,
            f"#{connection} the answer differs from the journal at byte {at}: {len(received)} bytes received, "
            f"{len(expected)} recorded{why}",
            connection=connection, same=False, offset=at,
        )
        return False


def run(args: argparse.Namespace) -> int:
    printer = Printer.from_args(args)
    try:
        journal = read_journal(args.journal)
    except (OSError, JournalError, UnicodeDecodeError) as error:
        printer.warning("journal", str(error), count=False)
        return 2
    target = _target(args, journal)
    if target is None:
        printer.warning("journal", f"{args.journal}: no server recorded; give HOST PORT", count=False)
        return 2
    replayer = Replayer(args, printer, journal, *target)
    every_same = True
    try:
        for connection in journal.connections():
            every_same = replayer.replay(connection) and every_same
    except KeyboardInterrupt:
        every_same = False
    finally:
        wl.close_all()
        printer.summary()
    return 0 if every_same else 1

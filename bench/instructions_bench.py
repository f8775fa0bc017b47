"""Instruction counts of the hot calls, under callgrind: deterministic, so a
change's effect shows without the run-to-run noise of timings.

One process, run under ``valgrind --tool=callgrind``, holds both ends of
each loopback TCP connection and does the calls in a loop, one thread, no
sleeping: SocketEcrit + SocketLit on a wlsocket client and its channel
against ``send_framed`` + ``recv_framed`` (tcp_bench's hand framing) on a
plain socket pair, with messages of 100 B and 64 KiB; SocketEcrit alone
against ``send_framed`` alone (batches of 100 writes, the peer draining
between batches, outside the count), which splits the round trip into its
write and its read; and SocketLit of one
32-byte line in the end-tag-with-buffer mode against a hand-written
``bytes.find`` loop, a 64 KiB segment of lines written before each batch of
reads; and one WebSocket client round trip of a 100-byte text message,
SocketEcrit + SocketLit on a ``WebSocketClientConnecte`` connection
against websocket-client's ``send`` + ``recv`` (``create_connection``, as in
ws_client_bench).  Both clients talk to the same peer: a plain socket that
answered the opening handshake and then, in this thread, reads each frame
with one ``recv`` and answers with one ``sendall`` of a frame made in
advance.  The peer's instructions would count too, so the client's two
calls are measured apart (one dump each) and the peer runs between the
dumps, uncounted; the markers' own cost (a few hundred instructions per
dump) is in both sides' figures.  Each measured loop sits between ``os.getppid()`` and
``os.getpgrp()``, which nothing else calls: callgrind zeroes its counters
before the libc ``getppid`` and dumps them before ``getpgrp``
(``--zero-before`` / ``--dump-before``), so a dump holds exactly one loop.
Counts are user-space instructions (the kernel's share of a syscall is not
seen), divided by the loop's number of calls; every loop is warmed up first
(the interpreter specialises its code during the first calls).  The figure
is the median over the repetitions and the spread is that of the ratio from
one repetition to the next; ``PYTHONHASHSEED=0`` keeps dict layouts the same
from run to run.  Two runs of the same code give the same counts to the
instruction (100 B round trip: 40,791 both times); the 64 KiB counts moved
by a fifth when the loops run before them changed (the allocator's state),
so compare those only between runs of the same bench code.

    python -m bench --instructions          # this module alone, table printed
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from . import LOOPBACK, Measured, row, tiny_requested, wlsocket_listener

#: (round trips, 64 KiB round trips, segments of lines, repetitions) per run size.
SIZES = {
    "full": (2_000, 200, 10, 5),
    "quick": (500, 50, 3, 3),
    "tiny": (20, 4, 1, 2),
}
LINE = b"line of the end tag benchmark.\r\n"  # 32 bytes, marker included
LINES_PER_SEGMENT = 2048  # 64 KiB
WRITE_BATCH = 100  # writes measured between two drains (10 KiB: far below any socket buffer)
ROOT = Path(__file__).resolve().parent.parent
WORKER_TIMEOUT_S = 900


# --- the worker: runs under callgrind -------------------------------------------------------


def _text(size: int) -> str:
    pattern = "wlsocket benchmark payload 0123456789 "
    return (pattern * (size // len(pattern) + 1))[:size]


def _plain_pair() -> tuple[socket.socket, socket.socket]:
    with socket.create_server((LOOPBACK, 0)) as listener:
        sender = socket.create_connection(listener.getsockname())
        receiver, _ = listener.accept()
    for sock in (sender, receiver):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sender, receiver


def _ws_peer(connect: Callable[[int], object]) -> socket.socket:
    """The server end of a WebSocket connection that ``connect(port)`` opens:
    a plain socket that has answered the opening handshake (in a thread, as
    ``connect`` blocks until it is done) and does nothing else by itself."""
    from wlsocket.ws.handshake import Accepted, ServerHandshake, WebSocketOptions

    accepted: list[socket.socket] = []

    def answer() -> None:
        conn, _ = listener.accept()
        handshake = ServerHandshake(WebSocketOptions(compression=False))
        while (outcome := handshake.outcome()) is None:
            handshake.receive_data(conn.recv(4096))
        assert isinstance(outcome, Accepted), outcome
        conn.sendall(outcome.response)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        accepted.append(conn)

    with socket.create_server((LOOPBACK, 0)) as listener:
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        connect(listener.getsockname()[1])
        thread.join(30)
    return accepted[0]


class _Markers:
    """``os.getppid()`` before a measured stretch, ``os.getpgrp()`` after it
    (callgrind zeroes, then dumps); silent during the warm-up."""

    def __init__(self) -> None:
        self.measuring = False
        self.dumps = 0

    def start(self) -> None:
        if self.measuring:
            os.getppid()

    def stop(self) -> None:
        if self.measuring:
            os.getpgrp()
            self.dumps += 1


def _cases(mark: _Markers) -> list[tuple[str, str, int, Callable[[int], None]]]:
    """(case, side, calls per loop unit, loop(n)) for every measured loop."""
    from wlsocket import (
        SocketAccepte,
        SocketAttendConnexion,
        SocketChangeModeTransmission,
        SocketConnecte,
        SocketEcrit,
        SocketLit,
        SocketMarqueurFinBuffer,
        WebSocketClientConnecte,
    )
    from wlsocket.ws.frames import Opcode, frame_header

    from .tcp_bench import recv_framed, send_framed
    from .ws_client_bench import WAIT_S
    from .ws_client_bench import _text as ws_text

    port = wlsocket_listener("ins-server")
    if not (SocketConnecte("ins-client", port, LOOPBACK) and SocketAttendConnexion("ins-server", 10_000)):
        raise RuntimeError("cannot connect to the wlsocket listener")
    channel = SocketAccepte("ins-server")
    line_feeder = socket.create_connection((LOOPBACK, port))
    if not SocketAttendConnexion("ins-server", 10_000):
        raise RuntimeError("the line feeder did not connect")
    line_channel = SocketAccepte("ins-server")
    SocketChangeModeTransmission(line_channel, SocketMarqueurFinBuffer, "\r\n")
    sender, receiver = _plain_pair()
    line_sender, line_receiver = _plain_pair()
    with socket.create_server((LOOPBACK, 0)) as listener:  # a plain peer that drains what SocketEcrit sends
        writer = "ins-writer"
        if not SocketConnecte(writer, listener.getsockname()[1], LOOPBACK):
            raise RuntimeError("cannot connect the writer")
        writer_peer, _ = listener.accept()
    pending = bytearray()
    segment = LINE * LINES_PER_SEGMENT
    import websocket  # websocket-client

    ws_peer = _ws_peer(lambda port: WebSocketClientConnecte("ins-ws", LOOPBACK, port) or sys.exit("no WS client"))
    reference_ws: list[websocket.WebSocket] = []
    reference_ws_peer = _ws_peer(
        lambda port: reference_ws.append(websocket.create_connection(f"ws://{LOOPBACK}:{port}/", timeout=WAIT_S))
    )

    def bracketed(body: Callable[[int], None]) -> Callable[[int], None]:
        def loop(count: int) -> None:
            mark.start()
            body(count)
            mark.stop()

        return loop

    def wlsocket_round_trips(text: str) -> Callable[[int], None]:
        def body(count: int) -> None:
            for _ in range(count):
                SocketEcrit("ins-client", text)
                SocketLit(channel)

        return bracketed(body)

    def framed_round_trips(data: bytes) -> Callable[[int], None]:
        def body(count: int) -> None:
            for _ in range(count):
                send_framed(sender, data)
                recv_framed(receiver, pending)

        return bracketed(body)

    def raw_round_trips(data: bytes) -> Callable[[int], None]:
        frame = b"%d\r\n%b" % (len(data), data)

        def body(count: int) -> None:
            for _ in range(count):
                sender.sendall(frame)
                receiver.recv(65536)

        return bracketed(body)

    def ws_round_trips(write: Callable[[], object], read: Callable[[], object], peer: socket.socket,
                       echo: bytes) -> Callable[[int], None]:
        """The client's calls measured, the peer's echo (one recv, one
        sendall of a ready frame) between the markers' brackets, not counted."""

        def loop(count: int) -> None:
            for _ in range(count):
                mark.start()
                write()
                mark.stop()
                peer.recv(65536)
                peer.sendall(echo)
                mark.start()
                read()
                mark.stop()

        return loop

    def writes_alone(write: Callable[[], None], drained: socket.socket, frame_size: int) -> Callable[[int], None]:
        """Writes measured in batches; the peer drains each batch outside
        the markers, so the socket buffers never fill."""

        def loop(count: int) -> None:
            for first in range(0, count, WRITE_BATCH):
                batch = min(WRITE_BATCH, count - first)
                mark.start()
                for _ in range(batch):
                    write()
                mark.stop()
                left = batch * frame_size
                while left:
                    left -= len(drained.recv(min(left, 65536)))

        return loop

    def wlsocket_lines(segments: int) -> None:
        mark.start()
        for _ in range(segments):
            line_feeder.sendall(segment)
            for _ in range(LINES_PER_SEGMENT):
                SocketLit(line_channel)
        mark.stop()

    def find_loop_lines(segments: int) -> None:
        mark.start()
        for _ in range(segments):
            line_sender.sendall(segment)
            data = line_receiver.recv(65536)
            while len(data) < len(segment):
                data += line_receiver.recv(65536)
            start, end = 0, data.find(b"\r\n")
            while end >= 0:
                _message = data[start:end]
                start = end + 2
                end = data.find(b"\r\n", start)
        mark.stop()

    small, large = _text(100), _text(64 * 1024)
    data = small.encode("ascii")
    frame_size = len(b"%d\r\n" % len(data)) + len(data)
    ws_small = ws_text(100)
    ws_echo = frame_header(Opcode.TEXT, len(ws_small.encode())) + ws_small.encode()
    reference_client = reference_ws[0]
    return [
        ("100 B", "wlsocket", 1, wlsocket_round_trips(small)),
        ("100 B", "hand framing", 1, framed_round_trips(data)),
        ("100 B", "raw send+recv", 1, raw_round_trips(data)),
        ("write 100 B", "wlsocket", 1, writes_alone(lambda: SocketEcrit(writer, small), writer_peer, frame_size)),
        ("write 100 B", "hand framing", 1, writes_alone(lambda: send_framed(sender, data), receiver, frame_size)),
        ("64 KiB", "wlsocket", 1, wlsocket_round_trips(large)),
        ("64 KiB", "hand framing", 1, framed_round_trips(large.encode("ascii"))),
        ("lines", "wlsocket", LINES_PER_SEGMENT, wlsocket_lines),
        ("lines", "find loop", LINES_PER_SEGMENT, find_loop_lines),
        ("WS 100 B", "wlsocket", 1,
         ws_round_trips(lambda: SocketEcrit("ins-ws", ws_small), lambda: SocketLit("ins-ws"), ws_peer, ws_echo)),
        ("WS 100 B", "websocket-client", 1,
         ws_round_trips(lambda: reference_client.send(ws_small), reference_client.recv, reference_ws_peer, ws_echo)),
    ]


def worker(size: str) -> None:
    """Run every loop, measured; print which loop each group of dumps belongs to."""
    round_trips, large_round_trips, segments, repetitions = SIZES[size]
    loops = {"100 B": round_trips, "write 100 B": round_trips, "64 KiB": large_round_trips, "lines": segments,
             "WS 100 B": max(50, round_trips // 5)}  # two dumps per round trip
    mark = _Markers()
    cases = _cases(mark)
    for case, _side, _per_unit, loop in cases:
        loop(max(1, loops[case] // 5))  # warm-up: the interpreter specialises its code
    mark.measuring = True
    # A thread's instructions (the WebSocket peers' handshakes) go into the
    # first dump after it ended, whatever was zeroed since: one dump of
    # nothing takes them, apart from every measured loop.
    mark.start()
    mark.stop()
    order = [{"case": "ended threads", "side": "", "calls": 1, "dumps": 1}]
    for repetition in range(repetitions):
        for case, side, per_unit, loop in cases if repetition % 2 == 0 else reversed(cases):
            count, before = loops[case], mark.dumps
            loop(count)
            order.append({"case": case, "side": side, "calls": count * per_unit, "dumps": mark.dumps - before})
    print(json.dumps(order))


# --- the parent: starts the worker under callgrind and reads the dumps -------------------------


def _totals(path: Path) -> int:
    match = re.search(r"^(?:totals|summary):\s*(\d+)", path.read_text(errors="replace"), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no totals in callgrind dump {path}")
    return int(match.group(1))


def count_instructions(size: str) -> dict[tuple[str, str], list[float]]:
    """Instructions per call of each (case, side), one figure per repetition."""
    with tempfile.TemporaryDirectory(prefix="wlsocket-callgrind-") as out:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}/callgrind.out",
            "--zero-before=getppid",
            "--dump-before=getpgrp",
            sys.executable,
            "-m",
            "bench.instructions_bench",
            "--worker",
            size,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
        done = subprocess.run(command, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S, env=env, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"callgrind worker failed ({done.returncode}): {done.stderr[-3000:]}")
        order = json.loads(done.stdout.strip().splitlines()[-1])
        dumps = sorted(Path(out).glob("callgrind.out.*"), key=lambda path: int(path.suffix[1:]))
        expected = sum(loop["dumps"] for loop in order)
        if len(dumps) != expected:
            raise RuntimeError(f"{len(dumps)} callgrind dumps where the measured loops made {expected}")
        totals = iter(_totals(dump) for dump in dumps)
        per_call: dict[tuple[str, str], list[float]] = {}
        for loop in order:
            instructions = sum(next(totals) for _ in range(loop["dumps"]))
            per_call.setdefault((loop["case"], loop["side"]), []).append(instructions / loop["calls"])
        return per_call


def run(quick: bool, tiny: bool = False) -> list[dict]:
    if shutil.which("valgrind") is None:
        print("[bench] instructions_bench: valgrind is not installed (apt-get install valgrind): no rows", flush=True)
        return []
    counts = count_instructions("tiny" if tiny or tiny_requested() else "quick" if quick else "full")

    framing, find_loop = "send_framed + recv_framed (hand framing)", "hand-written bytes.find loop"
    rows = []
    for workload, case, reference, unit, reference_name in (
        ("TCP 100 B SocketEcrit + SocketLit", "100 B", "hand framing", "instructions/round trip", framing),
        ("TCP 100 B SocketEcrit alone", "write 100 B", "hand framing", "instructions/write", "send_framed"),
        ("TCP 64 KiB SocketEcrit + SocketLit", "64 KiB", "hand framing", "instructions/round trip", framing),
        ("end tag buffer, SocketLit per 32 B line", "lines", "find loop", "instructions/line", find_loop),
        ("WS client 100 B text SocketEcrit + SocketLit", "WS 100 B", "websocket-client", "instructions/round trip",
         "websocket-client send + recv (create_connection)"),
    ):
        ours, theirs = Measured(counts[(case, "wlsocket")]), Measured(counts[(case, reference)])
        extra = {}
        if case == "100 B":
            raw = Measured(counts[(case, "raw send+recv")])
            write = Measured(counts[("write 100 B", "wlsocket")])
            framed_write = Measured(counts[("write 100 B", "hand framing")])
            extra["note"] = (
                f"raw sendall + recv alone: {raw:,.0f} instructions; above them wlsocket spends "
                f"{ours - raw:,.0f} and hand framing {theirs - raw:,.0f}; of the round trip, SocketEcrit "
                f"takes {write:,.0f} (send_framed {framed_write:,.0f}) and SocketLit the other "
                f"{ours - write:,.0f} (recv_framed {theirs - framed_write:,.0f}) (callgrind, user space only)"
            )
        name = f"Instructions: {workload}"
        rows.append(row(name, ours, theirs, unit, higher_is_better=False, reference_name=reference_name, **extra))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions_bench")
    parser.add_argument("--worker", choices=sorted(SIZES), required=True, help="run the loops (under callgrind)")
    worker(parser.parse_args(argv).worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())

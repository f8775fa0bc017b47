"""Workloads 1 and 2: wlsocket's TCP modes against plain ``socket`` code.

Both sides of each exchange are wlsocket (a WLangage-style server, one
thread per channel, and a SocketConnecte client) or both are the reference:
the ``socket`` module with the same framing written by hand, as a careful
Python programmer would (TCP_NODELAY, a small frame built in one piece, a
large message received with ``recv_into`` straight into its own buffer).
The server runs in its own process; the client is this process (the last
row puts each echo server in a thread of this process instead, sharing the
client's interpreter, as a program that serves and connects to itself).

* size prefix (SocketTailleDébut), 100 B and 64 KiB echo round trips, and
  1 MiB messages sent one way (the server acknowledges the last one);
* end tag with buffer (SocketMarqueurFinBuffer, marker CR LF): one plain
  sender writes 64 KiB segments holding 2,048 lines of 32 bytes; the
  receiver is SocketLit in a loop against a hand-written ``bytes.find``
  loop.  The sender is the same for both sides.

wlsocket exchanges chaînes (``str``), as a ported WLangage program does;
the reference exchanges ``bytes``: the conversion is part of what wlsocket
costs.  Payloads are ASCII text.  The "Str in the reference too" rows give
the reference a ``decode()``/``encode()`` per message, to show the framing's
own cost apart.

Client and server threads are pinned to two different cores.  Each figure
is the median of the repetitions, the two sides alternating.

The "CPU per message" rows measure, in this one process, the CPU time
(``time.thread_time``) of sending a message on a connected TCP socket and
reading it on the other end: SocketEcrit + SocketLit against
``send_framed`` + ``recv_framed``.  That is what the convenience costs per
message, free of scheduling: with client and server on one core, the two
interpreters also evict each other's caches, which inflates whichever
process has the larger working set.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from . import (
    LOOPBACK,
    ServerProcess,
    accept_connections,
    interleaved,
    pin_thread,
    pinned,
    row,
    separate_cpus,
    serve_channels,
    timed,
    tiny_requested,
    wlsocket_listener,
)

LINE_MARKER = b"\r\n"
LINE_SIZE = 32  # bytes per line, marker included
LINES_PER_SEGMENT = 2048
_END, _ACK = b"END", b"ACK"
TEXT_NOTE = (
    "'Str in the reference too' rows: the reference also turns every message into a str and back, "
    "as SocketLit/SocketEcrit must; the gap left is what the framing and the WLangage API cost (informative)"
)

HEAP_NOTE = (
    "the reference's 64 KiB rate moves with the heap state of the client process both clients share: "
    "with glibc's trimming off (MALLOC_TRIM_THRESHOLD_=2000000000) the same reference code went from "
    "9,800-10,500 to 12,100-12,800 round trips/s (quick runs); the CPU per message rows and the instruction counts do "
    "not depend on it"
)

# (messages per repetition, repetitions) for full / quick / tiny runs.
SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "full": {"small": (30_000, 11), "medium": (4_000, 11), "large": (1_024, 11), "lines": (2_000_000, 11)},
    "quick": {"small": (6_000, 5), "medium": (1_000, 5), "large": (192, 5), "lines": (300_000, 5)},
    "tiny": {"small": (50, 2), "medium": (5, 2), "large": (2, 2), "lines": (4_096, 2)},
}


# --- the reference: framing by hand -------------------------------------------------------


def send_framed(sock: socket.socket, payload: bytes) -> None:
    """``<size>\\r\\n<payload>``: one piece when small, header then payload when large."""
    if len(payload) < 65536:
        sock.sendall(b"%d\r\n%b" % (len(payload), payload))
    else:
        sock.sendall(b"%d\r\n" % len(payload))
        sock.sendall(payload)


def recv_framed(sock: socket.socket, pending: bytearray) -> bytes | bytearray:
    """One size-prefixed message; ``pending`` keeps bytes read past it."""
    newline = pending.find(b"\n")
    while newline < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("peer closed")
        pending += chunk
        newline = pending.find(b"\n")
    size = int(pending[:newline])
    del pending[: newline + 1]
    if len(pending) >= size:
        message = bytes(pending[:size])
        del pending[:size]
        return message
    message = bytearray(size)
    got = len(pending)
    message[:got] = pending
    pending.clear()
    view = memoryview(message)
    while got < size:
        count = sock.recv_into(view[got:])
        if not count:
            raise EOFError("peer closed")
        got += count
    view.release()
    return message


def _take_cpu(kind: str) -> str:
    """``"echo@1"``: pin this channel's thread to CPU 1 and serve ``echo``."""
    kind, _, cpu = kind.partition("@")
    pin_thread(int(cpu) if cpu else None)
    return kind


def _reference_channel(conn: socket.socket) -> None:
    pending = bytearray()
    try:
        kind = _take_cpu(recv_framed(conn, pending).decode()).encode()
        if kind == b"echo":
            while True:
                send_framed(conn, recv_framed(conn, pending))
        elif kind == b"echo-text":  # each message as str, as wlsocket hands it over
            while True:
                send_framed(conn, recv_framed(conn, pending).decode().encode())
        elif kind in (b"sink", b"sink-text"):
            # Each message is kept until the next one comes, as a program
            # working on it would (and as SocketLit's caller does); freeing
            # it at once changes how glibc trims the heap, by a factor of 3.
            text = kind == b"sink-text"
            while True:
                message = recv_framed(conn, pending)
                if text:
                    message = message.decode()
                if message == ("END" if text else _END):
                    send_framed(conn, _ACK)
        elif kind == b"lines":
            _reference_lines(conn, bytes(pending))
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def _reference_lines(conn: socket.socket, data: bytes) -> None:
    """The hand-written ``bytes.find`` loop over received segments."""
    while True:
        start = 0
        end = data.find(LINE_MARKER)
        while end >= 0:
            message = data[start:end]
            if message == _END:
                conn.sendall(_ACK + LINE_MARKER)
            start = end + 2
            end = data.find(LINE_MARKER, start)
        chunk = conn.recv(65536)
        if not chunk:
            return
        data = data[start:] + chunk if start < len(data) else chunk


def serve_reference(ready: Any, stop: Any) -> None:
    """Plain-socket server: one thread per connection, like the wlsocket one."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((LOOPBACK, 0))
    listener.listen(128)
    ready.send(listener.getsockname()[1])
    accept_connections(
        listener,
        stop,
        lambda conn: threading.Thread(target=_reference_channel, args=(conn,), daemon=True).start(),
        nodelay=True,
    )
    listener.close()


# --- wlsocket: the same server, written as a WLangage program would be --------------------


def _wlsocket_channel(channel: str) -> None:
    from wlsocket import (
        ErreurDetectee,
        SocketChangeModeTransmission,
        SocketEcrit,
        SocketFerme,
        SocketLit,
        SocketMarqueurFinBuffer,
    )

    kind = _take_cpu(SocketLit(channel)).removesuffix("-text")  # wlsocket always converts
    if kind == "echo":
        while True:
            message = SocketLit(channel)
            if ErreurDetectee:
                break
            SocketEcrit(channel, message)
    elif kind in ("sink", "lines"):
        if kind == "lines":
            SocketChangeModeTransmission(channel, SocketMarqueurFinBuffer, "\r\n")
        while True:
            message = SocketLit(channel)
            if ErreurDetectee:
                break
            if message == "END":
                SocketEcrit(channel, "ACK")
    SocketFerme(channel)


def serve_wlsocket(ready: Any, stop: Any) -> None:
    """SocketCrée + SocketAttendConnexion + SocketAccepte, a thread per channel."""
    ready.send(wlsocket_listener("server"))
    serve_channels("server", stop, _wlsocket_channel)


# --- clients ------------------------------------------------------------------------------


class _ReferenceClient:
    def __init__(self, port: int, kind: str) -> None:
        self.sock = socket.create_connection((LOOPBACK, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = bytearray()
        self.text = "-text" in kind  # exchange str, converting every message
        send_framed(self.sock, kind.encode())

    def round_trips(self, payload: bytes | str, count: int) -> None:
        sock, pending = self.sock, self.pending
        reply: bytes | bytearray | str = b""
        for _ in range(count):
            if self.text:
                send_framed(sock, payload.encode())  # type: ignore[union-attr]
                reply = recv_framed(sock, pending).decode()
            else:
                send_framed(sock, payload)  # type: ignore[arg-type]
                reply = recv_framed(sock, pending)
        if reply != payload:
            raise AssertionError("reference echo returned other bytes")

    def one_way(self, payload: bytes | str, count: int) -> None:
        for _ in range(count):
            send_framed(self.sock, payload.encode() if self.text else payload)  # type: ignore[union-attr,arg-type]
        send_framed(self.sock, _END)
        if recv_framed(self.sock, self.pending) != _ACK:
            raise AssertionError("reference sink did not acknowledge")

    def close(self) -> None:
        self.sock.close()


class _WlsocketClient:
    _counter = 0

    def __init__(self, port: int, kind: str) -> None:
        from wlsocket import ErreurInfo, SocketConnecte, SocketEcrit

        _WlsocketClient._counter += 1
        self.name = f"bench-client-{_WlsocketClient._counter}"
        if not SocketConnecte(self.name, port, LOOPBACK):
            raise RuntimeError(ErreurInfo())
        SocketEcrit(self.name, kind)

    def round_trips(self, payload: str, count: int) -> None:
        from wlsocket import ErreurDetectee, ErreurInfo, SocketEcrit, SocketLit

        name = self.name
        reply = ""
        for _ in range(count):
            SocketEcrit(name, payload)
            reply = SocketLit(name)
        if ErreurDetectee or reply != payload:
            raise AssertionError(f"wlsocket echo failed: {ErreurInfo()}")

    def one_way(self, payload: str, count: int) -> None:
        from wlsocket import ErreurInfo, SocketEcrit, SocketLit

        name = self.name
        for _ in range(count):
            SocketEcrit(name, payload)
        SocketEcrit(name, "END")
        if SocketLit(name) != "ACK":
            raise AssertionError(f"wlsocket sink did not acknowledge: {ErreurInfo()}")

    def close(self) -> None:
        from wlsocket import SocketFerme

        SocketFerme(self.name)


class _LineSender:
    """The sender of workload 2, the same plain code for both receivers."""

    def __init__(self, port: int, kind: str) -> None:
        self.sock = socket.create_connection((LOOPBACK, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        send_framed(self.sock, kind.encode())
        width = LINE_SIZE - len(LINE_MARKER)
        self.segment = b"".join(b"line %*d" % (width - 5, i) + LINE_MARKER for i in range(LINES_PER_SEGMENT))

    def send_lines(self, segments: int) -> None:
        for _ in range(segments):
            self.sock.sendall(self.segment)
        self.sock.sendall(_END + LINE_MARKER)
        received = b""
        while not received.endswith(_ACK + LINE_MARKER):
            chunk = self.sock.recv(64)
            if not chunk:
                raise AssertionError("line receiver closed")
            received += chunk

    def close(self) -> None:
        self.sock.close()


# --- the workloads ------------------------------------------------------------------------


def _text(size: int) -> str:
    pattern = "wlsocket benchmark payload 0123456789 "
    return (pattern * (size // len(pattern) + 1))[:size]


ECHO_CLIENTS = {"reference": _ReferenceClient, "wlsocket": _WlsocketClient}
LINE_SENDERS = {"reference": _LineSender, "wlsocket": _LineSender}


def _compare(
    clients: dict[str, Any],
    batch: Callable[[Any, int], None],
    count: int,
    repetitions: int,
) -> dict[str, float]:
    """Operations per second of each side, interleaved, after a warm-up."""
    try:
        for client in clients.values():
            batch(client, max(1, count // 10))
        return interleaved(
            {side: (lambda c=client: count / timed(lambda: batch(c, count))) for side, client in clients.items()},
            repetitions,
        )
    finally:
        for client in clients.values():
            client.close()


def _cpu_per_message(text: str, count: int, repetitions: int) -> dict[str, float]:
    """Microseconds of this thread's CPU to send ``text`` and read it back
    on a loopback connection held by this process, both sides alternating."""
    from wlsocket import SocketAccepte, SocketAttendConnexion, SocketConnecte, SocketEcrit, SocketFerme, SocketLit

    port = wlsocket_listener("bench-cpu")
    if not (SocketConnecte("bench-cpu-client", port, LOOPBACK) and SocketAttendConnexion("bench-cpu", 10_000)):
        raise RuntimeError("cannot connect to the wlsocket listener")
    channel = SocketAccepte("bench-cpu")
    listener = socket.create_server((LOOPBACK, 0))
    sender = socket.create_connection(listener.getsockname())
    receiver, _ = listener.accept()
    for sock in (sender, receiver):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    data, pending = text.encode("ascii"), bytearray()

    def wlsocket_side() -> None:
        for _ in range(count):
            SocketEcrit("bench-cpu-client", text)
            SocketLit(channel)

    def reference_side() -> None:
        for _ in range(count):
            send_framed(sender, data)
            recv_framed(receiver, pending)

    def cpu_us(action: Callable[[], None]) -> float:
        start = time.thread_time()
        action()
        return (time.thread_time() - start) / count * 1e6

    try:
        wlsocket_side(), reference_side()  # warm-up
        return interleaved(
            {"wlsocket": lambda: cpu_us(wlsocket_side), "reference": lambda: cpu_us(reference_side)}, repetitions
        )
    finally:
        for name in (channel, "bench-cpu-client", "bench-cpu"):
            SocketFerme(name)
        for sock in (sender, receiver, listener):
            sock.close()


def _end_tag_breakdown(segments: int) -> dict[str, float]:
    """Microseconds of CPU per line, in this process, layer by layer: the
    whole SocketLit (lines fed by a thread over loopback), the decoder alone
    as the transport makes it (no socket: split and chaîne conversion, a
    chunk at a time), and the reference loop.  What SocketLit costs beyond
    the decoder is the facade (error model, name lookup, arguments) and
    the transport's read call."""
    from wlsocket import (
        SocketAccepte,
        SocketAttendConnexion,
        SocketChangeModeTransmission,
        SocketFerme,
        SocketLit,
        SocketMarqueurFinBuffer,
    )
    from wlsocket.codecs import END_TAG_BUFFER, make_decoder

    line = _text(LINE_SIZE - 2).encode("ascii") + b"\r\n"
    segment, lines = line * LINES_PER_SEGMENT, segments * LINES_PER_SEGMENT

    def per_line(action: Callable[[], None]) -> float:
        start = time.thread_time()
        action()
        return (time.thread_time() - start) / lines * 1e6

    port = wlsocket_listener("bench-lines")
    SocketChangeModeTransmission("bench-lines", SocketMarqueurFinBuffer, "\r\n")
    feeder_sock = socket.create_connection((LOOPBACK, port))
    try:
        if not SocketAttendConnexion("bench-lines", 10_000):
            raise RuntimeError("the line feeder did not connect")
        channel = SocketAccepte("bench-lines")
        feeder = threading.Thread(target=lambda: [feeder_sock.sendall(segment) for _ in range(segments)])
        feeder.start()
        try:
            socketlit = per_line(lambda: [SocketLit(channel) for _ in range(lines)])
        finally:
            feeder.join(60)
        SocketFerme(channel)
    finally:
        feeder_sock.close()
        SocketFerme("bench-lines")

    decoder = make_decoder(END_TAG_BUFFER, b"\r\n", text=True)

    def decode_all() -> None:
        for _ in range(segments):
            decoder.feed(segment)
            for _ in range(LINES_PER_SEGMENT):
                decoder.next_message()

    def reference_loop() -> None:
        for _ in range(segments):
            position = 0
            for _ in range(LINES_PER_SEGMENT):
                end = segment.find(b"\r\n", position)
                segment[position:end]
                position = end + 2

    decoding = per_line(decode_all)
    return {
        "socketlit": socketlit,
        "decoder": decoding,
        "facade_and_transport": socketlit - decoding,
        "reference": per_line(reference_loop),
    }


def _payload_for(client: Any, text: str) -> Any:
    return text.encode("ascii") if isinstance(client, _ReferenceClient) and not client.text else text


def run(quick: bool, tiny: bool = False) -> list[dict]:
    sizes = SIZES["tiny" if tiny or tiny_requested() else "quick" if quick else "full"]
    client_cpu, server_cpu = separate_cpus() or (None, None)
    rows = []

    def measure(
        kind: str, batch: Callable[[Any, int], None], size_key: str, server_on: Any, at: dict | None = None
    ) -> dict[str, float]:
        """Connect both sides (the server channel pinned to ``server_on``) to
        the servers ``at`` (default: the server processes) and compare."""
        count, repetitions = sizes[size_key]
        if kind == "lines":
            count = max(1, count // LINES_PER_SEGMENT)
        factories = LINE_SENDERS if kind == "lines" else ECHO_CLIENTS
        kind_on = kind if server_on is None else f"{kind}@{server_on}"
        servers = ports if at is None else at
        with pinned(client_cpu):
            clients = {side: factories[side](servers[side], kind_on) for side in servers}
            return _compare(clients, batch, count, repetitions)

    def echo(text: str, size_key: str, at: dict | None = None) -> dict[str, float]:
        round_trips = lambda client, n: client.round_trips(_payload_for(client, text), n)  # noqa: E731
        return measure("echo", round_trips, size_key, server_cpu, at)

    with ServerProcess(serve_reference) as reference, ServerProcess(serve_wlsocket) as wls:
        ports = {"reference": reference.info, "wlsocket": wls.info}
        for label, size_key, size in (("100 B", "small", 100), ("64 KiB", "medium", 64 * 1024)):
            rates = echo(_text(size), size_key)
            extra = {"note": HEAP_NOTE} if size_key == "medium" else {}
            rows.append(row(f"TCP size prefix: {label} round trips", *_rates(rates), reference_name=_FRAMING, **extra))
        for label, size_key, size in (("100 B", "small", 100), ("64 KiB", "medium", 64 * 1024)):
            count, repetitions = sizes[size_key]
            with pinned(client_cpu):
                costs = _cpu_per_message(_text(size), count, repetitions)
            rows.append(
                row(
                    f"CPU per message sent and read, {label} (one process)",
                    costs["wlsocket"],
                    costs["reference"],
                    "µs CPU",
                    higher_is_better=False,
                    reference_name="send_framed + recv_framed",
                )
            )

        text = _text(1024 * 1024)
        rates = measure("sink", lambda client, n: client.one_way(_payload_for(client, text), n), "large", server_cpu)
        rows.append(
            row(
                "TCP size prefix: 1 MiB one-way throughput",
                rates["wlsocket"],
                rates["reference"],
                "MiB/s",
                reference_name="plain socket, recv_into",
            )
        )

        # The same exchanges with a reference that converts every message to
        # and from str as wlsocket must: what the framing alone costs.
        for label, size_key, size, kind in (
            ("64 KiB round trips", "medium", 64 * 1024, "echo"),
            ("1 MiB one-way throughput", "large", 1024 * 1024, "sink"),
        ):
            text = _text(size)
            rates = measure(
                f"{kind}-text",
                (lambda client, n, text=text: client.round_trips(_payload_for(client, text), n))
                if kind == "echo"
                else (lambda client, n, text=text: client.one_way(_payload_for(client, text), n)),
                size_key,
                server_cpu,
            )
            rows.append(
                row(
                    f"Str in the reference too: TCP {label}",
                    rates["wlsocket"],
                    rates["reference"],
                    "round trips/s" if kind == "echo" else "MiB/s",
                    reference_name="plain socket, framing by hand, decode()/encode() per message",
                    **({"note": TEXT_NOTE} if kind == "echo" else {}),
                )
            )

        rates = measure("lines", lambda sender, n: sender.send_lines(n), "lines", server_cpu)
        with pinned(client_cpu):
            parts = _end_tag_breakdown(max(1, sizes["lines"][0] // LINES_PER_SEGMENT // 10))
        rows.append(
            row(
                f"End tag buffer: {LINE_SIZE} B lines, {LINES_PER_SEGMENT} per segment",
                rates["wlsocket"] * LINES_PER_SEGMENT,
                rates["reference"] * LINES_PER_SEGMENT,
                "messages/s",
                reference_name="hand-written bytes.find loop",
                note=(
                    "CPU per line in one process: SocketLit {socketlit:.2f} µs = decoder (split and chaîne "
                    "conversion, a chunk at a time, next_message per line) {decoder:.2f} + facade and "
                    "transport call {facade_and_transport:.2f} (a line split ahead is taken without the read "
                    "lock); the reference loop {reference:.2f} µs for everything. The wlsocket server also "
                    "tests ErreurDétectée after each line, as a WLangage loop does"
                ).format(**parts),
            )
        )
    # Both sides in this process: each echo server is a thread sharing the client's interpreter.
    with ServerProcess(serve_reference, in_this_process=True) as reference, ServerProcess(
        serve_wlsocket, in_this_process=True
    ) as wls:
        rates = echo(_text(100), "small", {"reference": reference.info, "wlsocket": wls.info})
        same_process = "TCP size prefix: 100 B round trips, echo server in this process"
        rows.append(row(same_process, *_rates(rates), reference_name=_FRAMING))
    return rows


_FRAMING = "plain socket, framing by hand"


def _rates(rates: dict[str, float]) -> tuple[float, float, str]:
    return rates["wlsocket"], rates["reference"], "round trips/s"

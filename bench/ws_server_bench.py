"""Workload 4: the SocketWebSocket echo server against ``websockets.sync.server``.

Both servers echo every message and run in their own process: the wlsocket
one is written as a WINDEV program (SocketCrée,
SocketChangeModeTransmission(server, SocketWebSocket), SocketAttendConnexion,
SocketAccepte, one thread per channel doing SocketLit/SocketEcrit); the
reference is the
``websockets`` package's threading server with a handler that echoes.  The
client is the same for both: the ``websockets`` synchronous client, without
compression (the servers' defaults accept it; the client does not offer
it), in this process.  The two sides alternate repetition by repetition.

* 100 B text round trips;
* 1 MiB binary and 1 MiB text echo (MiB of payload echoed per second);
* what the server pays per MiB received for unmasking (wlsocket's
  ``frames.apply_mask``, a strided ``bytes.translate``, against websockets'
  C ``apply_mask``) and for the
  UTF-8 check of text (Python's codec in both), measured in this process.
"""

from __future__ import annotations

import os
import threading
import timeit
from collections.abc import Callable
from typing import Any

from . import (
    LOOPBACK,
    ServerProcess,
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

MIB = 1024 * 1024

# (messages per repetition, repetitions) for full / quick / tiny runs.
SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "full": {"small": (20_000, 9), "large": (400, 9)},
    "quick": {"small": (5_000, 5), "large": (100, 5)},
    "tiny": {"small": (50, 2), "large": (2, 2)},
}


def _take_cpu(path: str) -> None:
    """``/echo@1``: pin this channel's thread to CPU 1."""
    _, _, cpu = path.partition("@")
    pin_thread(int(cpu) if cpu.isdigit() else None)


# --- the servers ------------------------------------------------------------------------------


def _wlsocket_channel(canal: str) -> None:
    from wlsocket import (
        ErreurDetectee,
        SocketClientInfo,
        SocketEcrit,
        SocketExiste,
        SocketFerme,
        SocketLit,
        SocketWebSocketChemin,
    )

    _take_cpu(SocketClientInfo(canal, SocketWebSocketChemin))
    while True:
        message = SocketLit(canal)
        if message == "" and ErreurDetectee:
            break
        SocketEcrit(canal, message)
    if SocketExiste(canal):
        SocketFerme(canal)


def serve_wlsocket(ready: Any, stop: Any) -> None:
    """SocketWebSocket mode on the listening socket (its channels inherit
    it), a thread per channel."""
    from wlsocket import SocketChangeModeTransmission, SocketWebSocket

    port = wlsocket_listener("ws-bench")
    SocketChangeModeTransmission("ws-bench", SocketWebSocket)
    ready.send(port)
    serve_channels("ws-bench", stop, _wlsocket_channel)


def serve_reference(ready: Any, stop: Any) -> None:
    from websockets.sync.server import serve

    def echo(connection: Any) -> None:
        _take_cpu(connection.request.path)
        for message in connection:
            connection.send(message)

    with serve(echo, LOOPBACK, 0, max_size=None) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        ready.send(server.socket.getsockname()[1])
        stop.wait()
        server.shutdown()
        thread.join(10)


# --- the client (the same for both servers) ------------------------------------------------------


class _Client:
    def __init__(self, port: int, server_cpu: Any) -> None:
        from websockets.sync.client import connect

        path = "/echo" if server_cpu is None else f"/echo@{server_cpu}"
        self.ws = connect(f"ws://{LOOPBACK}:{port}{path}", compression=None, max_size=None, open_timeout=30)

    def round_trips(self, payload: Any, count: int) -> None:
        send, recv = self.ws.send, self.ws.recv
        for _ in range(count):
            send(payload)
            if len(recv(timeout=60)) != len(payload):
                raise AssertionError("the echo differs")

    def close(self) -> None:
        self.ws.close()


def _compare(ports: dict[str, int], payload: Any, count: int, repetitions: int, cpus: tuple) -> dict[str, float]:
    """Round trips per second against each server, interleaved, after a warm-up."""
    client_cpu, server_cpu = cpus
    with pinned(client_cpu):
        clients = {side: _Client(port, server_cpu) for side, port in ports.items()}
        try:
            for client in clients.values():
                client.round_trips(payload, max(1, count // 10))
            return interleaved(
                {
                    side: (lambda c=client: count / timed(lambda: c.round_trips(payload, count)))
                    for side, client in clients.items()
                },
                repetitions,
            )
        finally:
            for client in clients.values():
                client.close()


# --- per-MiB costs, in process ----------------------------------------------------------------------


def _ms_per_mib(action: Callable[[], Any], number: int) -> float:
    return min(timeit.repeat(action, number=number, repeat=5)) / number * 1000


def masking_costs(tiny: bool) -> dict[str, float]:
    from websockets.speedups import apply_mask  # the reference's C extension
    from wsproto.frame_protocol import XorMaskerSimple

    from wlsocket.ws import frames

    data, key = os.urandom(MIB), os.urandom(4)
    text = ("é" * (MIB // 2)).encode("utf-8")
    number = 2 if tiny else 20
    n = len(data)
    return {
        "wlsocket": _ms_per_mib(lambda: frames.apply_mask(data, key), number),
        "wsproto": _ms_per_mib(lambda: XorMaskerSimple(key).process(bytearray(data)), number),
        "int_xor": _ms_per_mib(
            lambda: (int.from_bytes(data, "little") ^ int.from_bytes((key * (n // 4 + 1))[:n], "little")).to_bytes(
                n, "little"
            ),
            number,
        ),
        "speedups": _ms_per_mib(lambda: apply_mask(data, key), number),
        "utf8": _ms_per_mib(lambda: text.decode("utf-8"), number),
    }


def core_costs(tiny: bool) -> dict[str, float]:
    """Microseconds per masked 100 B text message received (bytes in, message
    out, no socket): the package's protocol core against wsproto's, the
    choice issue 12 weighed for both sides."""
    from wsproto.connection import Connection, ConnectionType

    from wlsocket.ws.protocol import Protocol, Side

    count = 200 if tiny else 20_000
    sender = Protocol(Side.CLIENT)
    frames_ = [header + bytes(body) for header, body in (sender.send_message(b"x" * 100, True) for _ in range(count))]

    def ours() -> None:
        protocol = Protocol(Side.SERVER)
        for data in frames_:
            protocol.receive_data(data)
            protocol.next_event()

    def theirs() -> None:
        connection = Connection(ConnectionType.SERVER)
        for data in frames_:
            connection.receive_data(data)
            for _ in connection.events():
                pass

    return {
        name: min(timeit.repeat(action, number=1, repeat=5)) / count * 1e6
        for name, action in (("wlsocket", ours), ("wsproto", theirs))
    }


# --- the workloads ------------------------------------------------------------------------------------


def _text(size: int) -> str:
    pattern = "wlsocket websocket benchmark 0123456789 "
    return (pattern * (size // len(pattern) + 1))[:size]


def run(quick: bool, tiny: bool = False) -> list[dict]:
    tiny = tiny or tiny_requested()
    sizes = SIZES["tiny" if tiny else "quick" if quick else "full"]
    cpus = separate_cpus() or (None, None)
    reference_name = "websockets.sync.server (same client)"
    rows = []
    with ServerProcess(serve_reference) as reference, ServerProcess(serve_wlsocket) as wls:
        ports = {"reference": reference.info, "wlsocket": wls.info}
        count, repetitions = sizes["small"]
        rates = _compare(ports, _text(100), count, repetitions, cpus)
        rows.append(
            row("WS server: 100 B text round trips", rates["wlsocket"], rates["reference"], "round trips/s",
                reference_name=reference_name)
        )  # fmt: skip
        count, repetitions = sizes["large"]
        for label, payload in (("binary", os.urandom(MIB)), ("text", _text(MIB))):
            rates = _compare(ports, payload, count, repetitions, cpus)
            rows.append(
                row(f"WS server: 1 MiB {label} echo", rates["wlsocket"], rates["reference"], "MiB/s",
                    reference_name=reference_name)
            )  # fmt: skip
    costs = masking_costs(tiny)
    rows.append(
        row(
            "WS server: unmasking cost per MiB received",
            costs["wlsocket"],
            costs["speedups"],
            "ms/MiB",
            reference_name="websockets C apply_mask",
            higher_is_better=False,
            note=(
                f"Unmasking is wlsocket.ws.frames.apply_mask (a strided bytes.translate, not a per-byte Python "
                f"loop; wsproto's, the same method, costs {costs['wsproto']:.2f} ms/MiB here); an int.from_bytes "
                f"XOR costs {costs['int_xor']:.2f} ms/MiB. The UTF-8 check of text "
                f"costs {costs['utf8']:.2f} ms/MiB (Python's codec, the same in both servers)."
            ),
        )
    )
    core = core_costs(tiny)
    rows.append(
        row(
            "WS core: 100 B message received, per message",
            core["wlsocket"],
            core["wsproto"],
            "us",
            reference_name="wsproto Connection",
            higher_is_better=False,
            note="In process, no socket: bytes of a masked frame in, the message out (wlsocket.ws.protocol).",
        )
    )
    return rows

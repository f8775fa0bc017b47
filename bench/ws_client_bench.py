"""Workload 3: the WebSocket client against bare websocket-client, same server.

The server is the ``websockets`` package's threading server, echoing, in its
own process (``ws_server_bench.serve_reference``).  Each client echoes in the
same way, connected once and reused; the two sides alternate repetition by
repetition (medians kept):

* wlsocket through ``SocketConnecte(name, "ws://...", Procedure)``: the
  procedure answers each SocketMessage with the next SocketEcrit, against
  websocket-client's ``WebSocketApp`` (defaults: its UTF-8 check is on)
  whose ``on_message`` does the same;
* wlsocket through ``WebSocketClientConnecte`` + SocketEcrit/SocketLit,
  against websocket-client's ``create_connection`` + ``send``/``recv``;
* 100 B text round trips, and 1 MiB text and binary echo (MiB of payload
  echoed per second).

    python -m bench.ws_client_bench [--quick | --tiny]
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

try:
    from . import ServerProcess, interleaved, pinned, row, separate_cpus, timed, tiny_requested
    from .ws_server_bench import serve_reference
except ImportError:  # run as a script: python bench/ws_client_bench.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from bench import ServerProcess, interleaved, pinned, row, separate_cpus, timed, tiny_requested
    from bench.ws_server_bench import serve_reference

LOOPBACK = "127.0.0.1"
MIB = 1024 * 1024
WAIT_S = 120.0

# (messages per repetition, repetitions); text at 1 MiB is counted apart
# because websocket-client's default text check makes it very slow.
SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "full": {"small": (20_000, 7), "large": (200, 7), "large_text": (200, 5)},
    "quick": {"small": (3_000, 3), "large": (40, 3), "large_text": (20, 3)},
    "tiny": {"small": (20, 1), "large": (2, 1), "large_text": (1, 1)},
}
#: websocket-client echoes text this many times fewer (same unit, MiB/s).
REFERENCE_TEXT_DIVISOR = 10


class _Echoing:
    """Counts echoes and sends the next message until ``count`` came back."""

    def __init__(self, send: Callable[[Any], Any]) -> None:
        self.send = send
        self.done = threading.Event()
        self.payload: Any = b""
        self.remaining = 0
        self.mismatch = False

    def received(self, message: Any) -> None:
        if len(message) != len(self.payload):
            self.mismatch = True
        self.remaining -= 1
        if self.remaining > 0:
            self.send(self.payload)
        else:
            self.done.set()

    def round_trips(self, payload: Any, count: int) -> None:
        self.payload, self.remaining = payload, count
        self.done.clear()
        self.send(payload)
        if not self.done.wait(WAIT_S) or self.mismatch:
            raise RuntimeError("the echo did not come back whole")


# --- wlsocket ---------------------------------------------------------------------------------


class WlsocketCallbacks:
    """SocketConnecte with a ws:// URL; the procedure sends the next message."""

    def __init__(self, url: str, name: str = "bench-ws-callbacks") -> None:
        from wlsocket import SocketConnecte, SocketEcrit, SocketMessage, SocketOuverture

        self.name = name
        opened = threading.Event()
        self.echo = _Echoing(lambda payload: SocketEcrit(name, payload))

        def procedure(event: int, message: Any) -> None:
            if event == SocketMessage:
                self.echo.received(message)
            elif event == SocketOuverture:
                opened.set()

        SocketConnecte(name, url, procedure)
        if not opened.wait(30):
            raise RuntimeError("the wlsocket client did not connect")

    def round_trips(self, payload: Any, count: int) -> None:
        self.echo.round_trips(payload, count)

    def close(self) -> None:
        from wlsocket import SocketFerme

        SocketFerme(self.name)


class WlsocketSocketLit:
    """WebSocketClientConnecte, then SocketEcrit / SocketLit in this thread."""

    def __init__(self, port: int, path: str, name: str = "bench-ws-sync") -> None:
        from wlsocket import ErreurInfo, WebSocketClientConnecte

        self.name = name
        if not WebSocketClientConnecte(name, LOOPBACK, port, path):
            raise RuntimeError(ErreurInfo())

    def round_trips(self, payload: Any, count: int) -> None:
        from wlsocket import SocketEcrit, SocketLit

        name = self.name
        for _ in range(count):
            SocketEcrit(name, payload)
            if len(SocketLit(name)) != len(payload):
                raise RuntimeError("the echo differs")

    def close(self) -> None:
        from wlsocket import SocketFerme

        SocketFerme(self.name)


# --- websocket-client, bare ---------------------------------------------------------------------


class WebSocketAppClient:
    """websocket-client's WebSocketApp, default settings; on_message sends the next one."""

    def __init__(self, url: str) -> None:
        import websocket

        opened = threading.Event()
        self.app = websocket.WebSocketApp(
            url,
            on_open=lambda app: opened.set(),
            on_message=lambda app, message: self.echo.received(message),
        )

        def send(payload: Any) -> None:
            opcode = websocket.ABNF.OPCODE_TEXT if isinstance(payload, str) else websocket.ABNF.OPCODE_BINARY
            self.app.send(payload, opcode)

        self.echo = _Echoing(send)
        # ping_timeout only shortens its idle select (10 s by default), so that
        # close() returns promptly; no ping is sent without ping_interval
        self.thread = threading.Thread(
            target=lambda: self.app.run_forever(ping_timeout=1), name="bench-websocketapp", daemon=True
        )
        self.thread.start()
        if not opened.wait(30):
            raise RuntimeError("WebSocketApp did not connect")

    def round_trips(self, payload: Any, count: int) -> None:
        self.echo.round_trips(payload, count)

    def close(self) -> None:
        self.app.close()
        self.thread.join(30)


class WebSocketClientBlocking:
    """websocket-client's create_connection, send / recv in this thread."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=WAIT_S)

    def round_trips(self, payload: Any, count: int) -> None:
        send = self.ws.send if isinstance(payload, str) else self.ws.send_binary
        recv = self.ws.recv
        for _ in range(count):
            send(payload)
            if len(recv()) != len(payload):
                raise RuntimeError("the echo differs")

    def close(self) -> None:
        self.ws.close()


# --- the workloads ----------------------------------------------------------------------------------


def _text(size: int) -> str:
    pattern = "wlsocket websocket client benchmark 0123456789 é "
    return (pattern * (size // len(pattern) + 1))[:size]


def _compare(ours: Any, theirs: Any, payload: Any, count: int, repetitions: int, unit_scale: float,
             their_count: int) -> dict[str, float]:
    """Messages (or MiB) echoed per second by each side, interleaved, after a warm-up."""
    ours.round_trips(payload, max(1, count // 10))
    theirs.round_trips(payload, max(1, their_count // 10))
    return interleaved(
        {
            "wlsocket": lambda: count * unit_scale / timed(lambda: ours.round_trips(payload, count)),
            "reference": lambda: their_count * unit_scale / timed(lambda: theirs.round_trips(payload, their_count)),
        },
        repetitions,
    )


def run(quick: bool, tiny: bool = False) -> list[dict]:
    tiny = tiny or tiny_requested()
    sizes = SIZES["tiny" if tiny else "quick" if quick else "full"]
    client_cpu, server_cpu = separate_cpus() or (None, None)
    path = "/echo" if server_cpu is None else f"/echo@{server_cpu}"
    rows: list[dict] = []
    with ServerProcess(serve_reference) as server, pinned(client_cpu):
        url = f"ws://{LOOPBACK}:{server.info}{path}"
        pairs = [
            ("SocketConnecte callbacks", "websocket-client WebSocketApp",
             lambda: WlsocketCallbacks(url), lambda: WebSocketAppClient(url)),
            ("SocketLit", "websocket-client create_connection, recv",
             lambda: WlsocketSocketLit(server.info, path), lambda: WebSocketClientBlocking(url)),
        ]  # fmt: skip
        for label, reference_name, make_ours, make_theirs in pairs:
            ours, theirs = make_ours(), make_theirs()
            try:
                count, repetitions = sizes["small"]
                rates = _compare(ours, theirs, _text(100), count, repetitions, 1.0, count)
                rows.append(row(f"WS client ({label}): 100 B text round trips", rates["wlsocket"],
                                rates["reference"], "round trips/s", reference_name=reference_name))
                count, repetitions = sizes["large"]
                rates = _compare(ours, theirs, os.urandom(MIB), count, repetitions, 1.0, count)
                rows.append(row(f"WS client ({label}): 1 MiB binary echo", rates["wlsocket"],
                                rates["reference"], "MiB/s", reference_name=reference_name))
                count, repetitions = sizes["large_text"]
                their_count = max(1, count // REFERENCE_TEXT_DIVISOR)
                rates = _compare(ours, theirs, _text(MIB), count, repetitions, 1.0, their_count)
                rows.append(row(f"WS client ({label}): 1 MiB text echo", rates["wlsocket"],
                                rates["reference"], "MiB/s", reference_name=f"{reference_name} (UTF-8 check on)"))
            finally:
                ours.close()
                theirs.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args(argv)
    for line in run(args.quick or args.tiny, tiny=args.tiny):
        ratio = line["wlsocket"] / line["reference"] if line["reference"] else float("nan")
        print(f"{line['workload']:<58} {line['wlsocket']:>10.1f} {line['reference']:>10.1f} {line['unit']:<14}"
              f" x{ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A WebSocket echo server written only with wlsocket functions, in the
style of a WINDEV server: one accept loop, one thread per channel.

    python -m tests.peers.ws_echo_server PORT     (runs until interrupted)

Used by the Autobahn run, the real-client tests and bench/ws_server_bench.py.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any

from wlsocket import (
    ErreurDetectee,
    ErreurInfo,
    SocketAccepte,
    SocketAttendConnexion,
    SocketChangeModeTransmission,
    SocketCree,
    SocketEcrit,
    SocketExiste,
    SocketFerme,
    SocketLit,
    SocketWebSocket,
    errCode,
    errMessage,
)


def handle_channel(canal: str, outcomes: list | None = None) -> None:
    """PROCEDURE ProcédureGestion(Canal): echo every message as it came.

    ``outcomes`` receives (error code, message) of how the channel ended."""
    while True:
        message = SocketLit(canal)
        if message == "" and ErreurDetectee:  # "" alone may be an empty message
            break
        if not SocketEcrit(canal, message):
            break
    outcome = (ErreurInfo(errCode), ErreurInfo(errMessage))
    if SocketExiste(canal):
        SocketFerme(canal)
    if outcomes is not None:
        outcomes.append(outcome)


class Outcomes(list):
    """How channels ended, in order; ``wait(n)`` waits for the n-th (bounded)."""

    def __init__(self) -> None:
        super().__init__()
        self._changed = threading.Condition()

    def append(self, item: tuple[str, str]) -> None:
        with self._changed:
            super().append(item)
            self._changed.notify_all()

    def wait(self, count: int, timeout: float = 20) -> list[tuple[str, str]]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self) >= count, timeout):
                raise AssertionError(f"only {len(self)} of {count} channels ended: {list(self)}")
            return list(self)


class EchoServer:
    """The accept loop in a thread; ``stop()`` closes everything it opened."""

    def __init__(self, port: int, options: Any = None, on_listener: bool = False, name: str = "ws-echo",
                 create=None) -> None:
        self.port = port
        self.options = options
        self.on_listener = on_listener
        self.name = name
        self.create = create or (lambda nom, port: SocketCree(nom, port, "127.0.0.1"))
        self.channels: list[threading.Thread] = []
        self.outcomes: Outcomes = Outcomes()
        self.ready = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def serve(self) -> None:
        if not self.create(self.name, self.port):
            raise RuntimeError(f"cannot listen on {self.port}")
        if self.on_listener:
            SocketChangeModeTransmission(self.name, SocketWebSocket, self.options)
        self.ready.set()
        while not self._stopping.is_set():
            if SocketAttendConnexion(self.name, 200):
                canal = SocketAccepte(self.name)
                if canal == "":
                    continue
                if not self.on_listener:
                    SocketChangeModeTransmission(canal, SocketWebSocket, self.options)
                thread = threading.Thread(target=handle_channel, args=(canal, self.outcomes), name=canal, daemon=True)
                self.channels.append(thread)
                thread.start()
            elif ErreurDetectee:  # the listener was closed
                break

    def start(self) -> EchoServer:
        self._thread = threading.Thread(target=self.serve, name=self.name, daemon=True)
        self._thread.start()
        if not self.ready.wait(10):
            raise RuntimeError("the echo server did not start")
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if SocketExiste(self.name):
            SocketFerme(self.name)
        for thread in self.channels:
            if thread.is_alive():
                with contextlib.suppress(Exception):  # the channel thread may have closed it first
                    SocketFerme(thread.name)  # wakes its SocketLit
            thread.join(timeout)

    def __enter__(self) -> EchoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> int:
    port = int(sys.argv[1])
    server = EchoServer(port).start()
    print(f"listening on ws://127.0.0.1:{port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

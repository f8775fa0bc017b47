"""A bounded soak: 50 clients doing random writes, reads, closes and
reconnects against one thread-per-channel echo server, in each WINDEV mode.

Checked: the server received every message a client sent before closing,
exactly once and in order per connection; every echo came back in order;
descriptors, threads and memory return to their baseline.

CI runs ``WLSOCKET_SOAK_SECONDS`` (default 5) seconds per mode; set it
higher for a long run (see docs/reliability.md).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import defaultdict

import pytest

from tests.conftest import LOOPBACK
from tests.hostile.test_tcp_hostile_peers import Baseline, rss_bytes
from wlsocket import *  # noqa: F403

SOAK_SECONDS = float(os.environ.get("WLSOCKET_SOAK_SECONDS", "5"))
SEED = int(os.environ.get("WLSOCKET_SOAK_SEED", "8"))
CLIENTS = 50
IO_TIMEOUT_MS = 30_000
JOIN_S = 60
CLOSED_CODES = ("SOCKET_FERMEE", "ECHEC_LECTURE_SOCKET")


class SoakServer:
    """Thread-per-channel echo server recording what each connection sent."""

    def __init__(self, port: int, mode: int) -> None:
        self.mode = mode
        self.received: dict[str, list[int]] = defaultdict(list)
        self.errors: list[str] = []
        self.accepted = 0
        self.handlers: list[threading.Thread] = []
        self.stop = threading.Event()
        assert SocketCrée("soak-srv", port, LOOPBACK)
        assert SocketChangeModeTransmission("soak-srv", mode)
        self.acceptor = threading.Thread(target=self._accept_loop)
        self.acceptor.start()

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            if not SocketAttendConnexion("soak-srv", 100):
                continue
            channel = SocketAccepte("soak-srv")
            if not channel:
                self.errors.append(f"accept: {ErreurInfo()}")
                continue
            self.accepted += 1
            handler = threading.Thread(target=self._serve, args=(channel,))
            self.handlers.append(handler)
            handler.start()

    def _record(self, message: str) -> None:
        client, connection, sequence = message.split(":", 3)[:3]
        self.received[f"{client}:{connection}"].append(int(sequence))

    def _serve(self, channel: str) -> None:
        pending = ""
        try:
            while True:
                message = SocketLit(channel, False, IO_TIMEOUT_MS, 65536)
                if ErreurDétectée:
                    if ErreurInfo(errCode) not in CLOSED_CODES:
                        self.errors.append(f"read: {ErreurInfo()}")
                    return
                if message == "":
                    self.errors.append("a server read timed out: a client stalled")
                    return
                if self.mode == SocketSansMarqueurFin:
                    pending += message
                    *lines, pending = pending.split("\n")
                    for line in lines:
                        self._record(line)
                else:
                    self._record(message)
                if not SocketEcrit(channel, message) and ErreurInfo(errCode) not in (
                    "SOCKET_FERMEE",
                    "ECHEC_ECRITURE_SOCKET",
                ):
                    self.errors.append(f"write: {ErreurInfo()}")
        finally:
            if pending:
                self.errors.append(f"partial line left: {pending[:40]!r}")
            SocketFerme(channel)

    def close(self, connections: int) -> None:
        deadline = time.monotonic() + JOIN_S
        while self.accepted < connections and time.monotonic() < deadline:
            time.sleep(0.01)  # the acceptor drains the backlog
        self.stop.set()
        self.acceptor.join(JOIN_S)
        assert not self.acceptor.is_alive()
        for handler in self.handlers:
            handler.join(JOIN_S)
            assert not handler.is_alive()
        SocketFerme("soak-srv")
        assert self.accepted == connections


class SoakClient:
    """One client: random bursts, lone writes before a close, reconnects."""

    def __init__(self, number: int, port: int, mode: int, deadline: float) -> None:
        self.number = number
        self.name = f"soak-{number}"
        self.port = port
        self.mode = mode
        self.deadline = deadline
        self.rng = random.Random(SEED * 1000 + number)
        self.sent: dict[str, int] = {}
        self.errors: list[str] = []
        self.connection = -1
        self.thread = threading.Thread(target=self._run)

    def _connect(self) -> bool:
        self.connection += 1
        if not SocketConnecte(self.name, self.port, LOOPBACK, IO_TIMEOUT_MS):
            self.errors.append(f"connect: {ErreurInfo()}")
            return False
        SocketChangeModeTransmission(self.name, self.mode)
        self.sent[self.key] = 0
        return True

    @property
    def key(self) -> str:
        return f"{self.number}:{self.connection}"

    def _message(self) -> str:
        filler = "x" * self.rng.choice((0, 1, 10, 300, 3000, 20_000))
        text = f"{self.key}:{self.sent[self.key]}:{filler}"
        self.sent[self.key] += 1
        return text + "\n" if self.mode == SocketSansMarqueurFin else text

    def _burst(self) -> None:
        # SocketMarqueurFin drops what follows a marker in one read (as
        # WINDEV does), so that mode talks in lock-step.
        count = 1 if self.mode == SocketMarqueurFin else self.rng.randint(1, 6)
        expected = [self._message() for _ in range(count)]
        for message in expected:
            if not SocketEcrit(self.name, message):
                self.errors.append(f"write: {ErreurInfo()}")
                return
        if self.mode == SocketSansMarqueurFin:
            want, got = "".join(expected), ""
            while len(got) < len(want):
                chunk = SocketLit(self.name, False, IO_TIMEOUT_MS, 65536)
                if chunk == "":
                    self.errors.append(f"raw echo: {ErreurInfo() or 'timeout'}")
                    return
                got += chunk
            if got != want:
                self.errors.append(f"raw echo differs on {self.key}")
            return
        for message in expected:
            echo = SocketLit(self.name, False, IO_TIMEOUT_MS)
            if echo != message:
                self.errors.append(f"echo on {self.key}: {echo[:40]!r} != {message[:40]!r} {ErreurInfo()}")
                return

    def _run(self) -> None:
        if not self._connect():
            return
        while time.monotonic() < self.deadline and not self.errors:
            action = self.rng.random()
            if action < 0.75:
                self._burst()
            elif action < 0.9:
                # Write then close at once, echo unread: the server must
                # still get the message.
                SocketEcrit(self.name, self._message())
                SocketFerme(self.name)
                if not self._connect():
                    return
            else:
                SocketFerme(self.name)
                if not self._connect():
                    return
        SocketFerme(self.name)


@pytest.mark.parametrize(
    "mode",
    [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer, SocketSansMarqueurFin],
    ids=["size_prefix", "end_tag", "end_tag_buffer", "no_end_tag"],
)
def test_soak_50_clients_random_traffic(port, mode):
    baseline, rss = Baseline(), rss_bytes()
    server = SoakServer(port, mode)
    deadline = time.monotonic() + SOAK_SECONDS
    clients = [SoakClient(number, port, mode, deadline) for number in range(CLIENTS)]
    for client in clients:
        client.thread.start()
    for client in clients:
        client.thread.join(SOAK_SECONDS + JOIN_S)
        assert not client.thread.is_alive(), f"client {client.number} hung"
    connections = sum(len(client.sent) for client in clients)
    server.close(connections)
    problems = [error for client in clients for error in client.errors] + server.errors
    assert not problems, problems[:5]
    messages = 0
    for client in clients:
        for key, count in client.sent.items():
            assert server.received.get(key, []) == list(range(count)), f"connection {key}"
            messages += count
    assert set(server.received) <= {key for client in clients for key in client.sent}
    print(f"mode {mode}: {messages} messages over {connections} connections")
    assert messages > CLIENTS  # the soak did something
    baseline.check()
    assert rss_bytes() - rss < 150 * 1024 * 1024

"""The WebSocket client against a server written with Node.js's `ws`
package (tests/node/wsclient_server.js), on 127.0.0.1.

Needs ``node`` and ``npm install`` in tests/node (.ci/run does it): the
tests skip locally without them and fail in CI."""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LOOPBACK, TESTS, require_peer
from tests.ws.test_client import Recorder, no_thread_left  # noqa: F401 - autouse: no thread left
from wlsocket import *  # noqa: F403

NODE_DIR = TESTS / "node"
WAIT = 10


class NodeServer:
    """The node process; its JSON lines (connection events) read with a bound."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(NODE_DIR / "wsclient_server.js")],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._selector = selectors.DefaultSelector()
        assert self.process.stdout is not None
        self._selector.register(self.process.stdout, selectors.EVENT_READ)
        # Read the pipe ourselves: a buffered readline() may take two lines
        # at once, and select() would then wait for one already read.
        self._pending = b""
        self.port = self.next_line()["port"]

    def next_line(self) -> dict[str, Any]:
        while b"\n" not in self._pending:
            assert self._selector.select(WAIT), "the node server said nothing in time"
            chunk = os.read(self.process.stdout.fileno(), 65536)  # type: ignore[union-attr]
            assert chunk, "the node server ended"
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)

    def next_event(self, event: str) -> dict[str, Any]:
        for _ in range(20):
            line = self.next_line()
            if line.get("event") == event:
                return line
        raise AssertionError(f"no {event} event")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()  # the script ends when its input closes
        try:
            self.process.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(WAIT)
        self._selector.close()
        self.process.stdout.close()  # type: ignore[union-attr]


@pytest.fixture
def node_server() -> Iterator[NodeServer]:
    require_peer(shutil.which("node") is not None and (NODE_DIR / "node_modules" / "ws").is_dir(),
                 "Node.js with the ws package (npm install in tests/node)")
    server = NodeServer()
    try:
        yield server
    finally:
        server.close()


def test_sync_text_binary_sizes_and_subprotocol(node_server):
    assert WebSocketClientConnecte("n", LOOPBACK, node_server.port, "/room?id=1", "chat, json")
    assert node_server.next_event("open") == {"event": "open", "path": "/room?id=1", "protocol": "json"}
    for message in ["héllo € 𝄞", "", Buffer(b"\x00\xff" * 10), Buffer(b""), "x" * (1 << 20), Buffer(bytes(1 << 20))]:
        assert SocketEcrit("n", message)
        echoed = SocketLit("n")
        assert type(echoed) is type(message) and echoed == message
    SocketFerme("n")
    assert node_server.next_event("close")["code"] == 1000


def test_sync_fragmented_message_and_server_close(node_server):
    assert WebSocketClientConnecte("n", LOOPBACK, node_server.port)
    SocketEcrit("n", "fragments")
    assert SocketLit("n") == "un deux trois"
    SocketEcrit("n", "big 3000000")
    big = SocketLit("n")
    assert type(big) is Buffer and len(big) == 3_000_000
    SocketEcrit("n", "close 4001 maintenance")
    assert SocketLit("n") == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
    assert "4001" in ErreurInfo(errMessage) and "maintenance" in ErreurInfo(errMessage)
    SocketFerme("n")
    assert node_server.next_event("close")["code"] == 4001


def test_async_procedure_with_node(node_server):
    def on_event(event: int, message: Any) -> None:
        if event == SocketOuverture:
            SocketEcrit("a", "from the procedure")
        elif event == SocketMessage and message == "from the procedure":
            SocketEcrit("a", "close 1001 going away")

    recorder = Recorder(on_event)
    assert SocketConnecte("a", f"ws://{LOOPBACK}:{node_server.port}/", recorder)
    recorder.wait_closed()
    SocketFerme("a")
    assert recorder.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert recorder.message_of(SocketFermeture) == "1001 going away"


def test_invalid_utf8_from_node_closes_with_1007(node_server):
    recorder = Recorder(lambda event, message: SocketEcrit("a", "bad-utf8") if event == SocketOuverture else None)
    assert WebSocketClientConnecte("a", recorder, LOOPBACK, node_server.port)
    recorder.wait_closed()
    SocketFerme("a")
    assert recorder.kinds() == [SocketOuverture, SocketErreur, SocketFermeture]
    assert node_server.next_event("close")["code"] == 1007


def test_oversized_message_from_node_closes_with_1009(node_server):
    assert WebSocketClientConnecte("n", LOOPBACK, node_server.port)
    SocketTailleMaxMessage("n", 100_000)
    SocketEcrit("n", "big 100001")
    assert SocketLit("n") == "" and ErreurInfo(errCode) == "MESSAGE_TROP_GRAND"
    SocketFerme("n")
    assert node_server.next_event("close")["code"] == 1009

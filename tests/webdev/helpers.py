"""Helpers of the WEBDEV WebSocket-server tests: a server in this process
or in a child process, chat clients (the `websockets` package), redis-server."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import LOOPBACK, free_port, require_peer
from wlsocket.webdev import WebSocketServer

ROOT = Path(__file__).resolve().parents[2]
CHAT = str(ROOT / "examples" / "webdev_chat.py")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PATH = "/WW_Chat"
WAIT = 10  # seconds: the bound of every wait of these tests


@contextlib.contextmanager
def running_server(module: str = CHAT, **settings: Any) -> Iterator[WebSocketServer]:
    """A server in this process on a free port; stopped (1001) on exit."""
    settings.setdefault("host", LOOPBACK)
    settings.setdefault("path", PATH)
    server = WebSocketServer(module, free_port(), **settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def url(port: int, path: str = PATH, scheme: str = "ws") -> str:
    return f"{scheme}://{LOOPBACK}:{port}{path}"


class ChatClient:
    """A `websockets` client speaking the example's JSON events."""

    def __init__(self, port: int, path: str = PATH, scheme: str = "ws", **options: Any) -> None:
        options.setdefault("max_queue", None)  # a test that skips messages must not stall the close handshake
        self.ws: ClientConnection = connect(url(port, path, scheme), open_timeout=WAIT, close_timeout=WAIT, **options)
        self.ws.__enter__()  # the context-manager form, closed by close()

    def send(self, message: Any) -> None:
        self.ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))

    def recv(self) -> Any:
        return json.loads(self.ws.recv(timeout=WAIT))

    def recv_event(self, event: str) -> Any:
        """The next message with this event, skipping typing notices and others."""
        while True:
            message = self.recv()
            if message.get("event") == event:
                return message

    def close_code(self) -> int | None:
        """Read until the server closes; the close code it sent."""
        try:
            while True:
                self.ws.recv(timeout=WAIT)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None

    def register(self, name: str) -> Any:
        self.send({"action": "register", "name": name})
        return self.recv_event("members")

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ServerProcess:
    """`python -m wlsocket.serveur_websocket` in a child process."""

    def __init__(self, module: str = CHAT, *arguments: str, port: int | None = None) -> None:
        self.port = port or free_port()
        command = [sys.executable, "-m", "wlsocket.serveur_websocket", module, "--port", str(self.port),
                   "--host", LOOPBACK, *arguments]
        self.process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_line(self, needle: str, timeout: float = WAIT) -> str:
        """The first stderr line (from now) holding ``needle``."""
        while True:
            line = self.lines.get(timeout=timeout)
            if needle in line:
                return line

    def wait_listening(self) -> ServerProcess:
        self.wait_line(" on ws")
        return self

    def signal(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(WAIT * 2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(WAIT)
        self._reader.join(WAIT)
        if self.process.stderr is not None:
            self.process.stderr.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def redis_server_path() -> str | None:
    return shutil.which("redis-server")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Debian's redis-server on a free port, no persistence; yields its URL."""
    path = redis_server_path()
    require_peer(path is not None, "redis-server")
    assert path is not None
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen([path, "--port", str(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
                                    "--dir", folder], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert process.stdout is not None
            for line in process.stdout:  # bounded by the test timeout; redis says when it is ready
                if "Ready to accept connections" in line:
                    break
            else:
                raise AssertionError("redis-server ended before it was ready")
            drain = threading.Thread(target=process.stdout.read, daemon=True)
            drain.start()
            yield f"redis://{LOOPBACK}:{port}/0"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(WAIT)
            if process.stdout is not None:
                process.stdout.close()

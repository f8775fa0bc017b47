"""Running the ``wlsocket`` command as a subprocess, and plain-socket peers.

:class:`Tool` starts ``python -m wlsocket ...`` with ``--json``, reads its
output lines in a thread and lets a test wait (bounded) for an event;
:meth:`Tool.interrupt` sends SIGINT (Ctrl+C) and returns the final summary.
The peers are hand-written with the ``socket`` module, framing included,
so the command is checked against bytes it did not produce itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import LOOPBACK, free_port

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 20.0
MODES = ("taille", "marqueur", "marqueur-buffer", "brut")
MIB16 = 16 * 1024 * 1024


def frame(mode: str, payload: bytes, marker: bytes = b"<EOF>") -> bytes:
    """The framing of each WINDEV mode, written again by hand for the peers."""
    if mode == "taille":
        return str(len(payload)).encode() + b"\r\n" + payload
    if mode in ("marqueur", "marqueur-buffer"):
        return payload + marker
    return payload


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "wlsocket", *args]


def run(*args: str, timeout: float = 60.0, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command to its end (bounded); output as text."""
    return subprocess.run(command(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "WLSOCKET_LANG": "en", **(env or {})})


def events(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


class Tool:
    """A long-running subcommand (ecoute, trace) with JSON output."""

    def __init__(self, *args: str, json_output: bool = True, env: dict[str, str] | None = None,
                 sigint_ignored: bool = False) -> None:
        """``sigint_ignored``: start it as a shell script's background job is
        started, with SIGINT ignored."""
        full = [*args, "--json"] if json_output else list(args)

        def ignore_sigint() -> None:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

        self.process = subprocess.Popen(
            command(*full), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "WLSOCKET_LANG": "en", **(env or {})},
            preexec_fn=ignore_sigint if sigint_ignored else None,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._taken: set[int] = set()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_line(self, accept: Callable[[str], bool], timeout: float = WAIT_S) -> str:
        """The first line not returned before that ``accept`` likes, waiting
        for it if need be (the two directions of a relay print in either order)."""
        for index, line in enumerate(self.seen):
            if index not in self._taken and accept(line):
                self._taken.add(index)
                return line
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no such line within {timeout} s; seen: {self.seen[-20:]}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                err = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(f"the command ended; seen: {self.seen[-20:]}; stderr: {err[-2000:]}")
            self.seen.append(line)
            if accept(line):
                self._taken.add(len(self.seen) - 1)
                return line

    def wait_event(self, event: str, timeout: float = WAIT_S, **fields: Any) -> dict[str, Any]:
        """The next JSON event of that kind whose fields have those values."""
        def accept(line: str) -> bool:
            if not line.startswith("{"):
                return False
            record = json.loads(line)
            return bool(record["event"] == event and all(record.get(k) == v for k, v in fields.items()))

        return dict(json.loads(self.wait_line(accept, timeout)))

    def wait_ready(self) -> dict[str, Any]:
        return self.wait_event("info", timeout=WAIT_S)

    def interrupt(self, signal_number: int = signal.SIGINT) -> tuple[int, list[str]]:
        """Ctrl+C: SIGINT, then the exit status and the lines printed after."""
        self.process.send_signal(signal_number)
        try:
            self.process.wait(WAIT_S)
        finally:
            self.close()
        self._reader.join(WAIT_S)
        rest = []
        while True:
            line = self.lines.get_nowait() if not self.lines.empty() else None
            if line is None:
                break
            rest.append(line)
        self.seen.extend(rest)
        return self.process.returncode, rest

    def summary(self) -> dict[str, Any]:
        """The summary event (after :meth:`interrupt`)."""
        found = [json.loads(line) for line in self.seen if line.startswith('{"event": "summary"')]
        assert found, self.seen[-20:]
        return dict(found[-1]["directions"])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(WAIT_S)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def connect(port: int) -> socket.socket:
    sock = socket.create_connection((LOOPBACK, port), timeout=WAIT_S)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(1 << 20, size - len(data)))
        if not chunk:
            raise ConnectionError(f"closed after {len(data)} of {size} bytes")
        data += chunk
    return bytes(data)


def recv_until_closed(sock: socket.socket) -> bytes:
    data = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(data)
        data += chunk


class PlainServer:
    """A plain-socket server on 127.0.0.1: records what each connection
    sent and answers with ``answer(received_so_far) -> bytes to send``
    (called after every chunk), or echoes every byte when ``answer`` is None."""

    def __init__(self, answer: Callable[[bytes], bytes] | None = None, tls: Any = None) -> None:
        self.answer = answer
        self.listener = socket.create_server((LOOPBACK, 0))
        self.port = self.listener.getsockname()[1]
        self.tls = tls
        self.received: list[bytearray] = []
        self.handshake_errors: list[OSError] = []
        self.done = threading.Event()  # set when a connection has ended
        self._ended = 0
        self._ended_change = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            buffer = bytearray()
            self.received.append(buffer)
            thread = threading.Thread(target=self._serve, args=(conn, buffer), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, buffer: bytearray) -> None:
        conn.settimeout(WAIT_S)
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError as error:  # the client refused us: what some tests want
                self.handshake_errors.append(error)
                conn.close()
                self._end()
                return
        with conn:
            answered = 0
            while True:
                try:
                    chunk = conn.recv(1 << 20)
                except OSError:
                    break
                if not chunk:
                    break
                buffer += chunk
                if self.answer is None:
                    conn.sendall(chunk)
                    continue
                reply = self.answer(bytes(buffer))
                if len(reply) > answered:
                    conn.sendall(reply[answered:])
                    answered = len(reply)
        self._end()

    def _end(self) -> None:
        with self._ended_change:
            self._ended += 1
            self._ended_change.notify_all()
        self.done.set()

    def wait_ended(self, count: int, timeout: float = WAIT_S) -> None:
        """Until ``count`` connections have ended (bounded)."""
        with self._ended_change:
            assert self._ended_change.wait_for(lambda: self._ended >= count, timeout), f"{self._ended} ended"

    def close(self) -> None:
        with contextlib.suppress(OSError):  # wakes the accept() blocked in the other thread
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._accepting.join(WAIT_S)
        for thread in self._threads:
            thread.join(WAIT_S)

    def __enter__(self) -> PlainServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["free_port", "LOOPBACK"]

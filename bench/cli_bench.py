"""Workload: what ``wlsocket trace`` adds to a round trip.

A plain-socket echo server runs in its own process; the client (this
process) sends 100-byte messages in SocketTailleDébut framing
(``100\\r\\n`` + payload) and waits for each echo, either straight to the
server (the reference) or through ``python -m wlsocket trace`` started as
its own process, printing every message of both directions decoded to a
file, as a person tracing would.  Every echo is compared byte for byte
with what was sent.  The two sides alternate, repetition by repetition;
the figure is the median rate.  The target: the relay adds less than 10 %
to the round-trip time, i.e. a ratio of at least 1 / 1.1 = 0.909.

A second, informative row compares ``wlsocket trace`` with the barest relay
Python allows (its own process, one thread per direction doing ``recv`` then
``sendall``, nothing decoded or printed), through the same echo server: it
tells how much of the cost is the extra hop itself, which any relay in user
space pays (two more wake-ups of a process per round trip), and how much is
the decoding and printing.

A third row puts ``socat`` (a relay written by others, in C: one process per
connection, ``nodelay`` on both legs, nothing decoded) in the same
interleaving: the floor that one more hop costs on this machine, whatever
the language.  Without ``socat`` on PATH (Debian package ``socat``) the row
says "not installed".
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from . import LOOPBACK, ServerProcess, accept_connections, free_port, interleaved, row, tiny_requested

TARGET = 1 / 1.1
PAYLOAD = b"m" * 100
WIRE = b"100\r\n" + PAYLOAD
# (round trips per repetition, repetitions) for full / quick / tiny runs.
SIZES = {"full": (20_000, 11), "quick": (4_000, 5), "tiny": (50, 2)}
_START_TIMEOUT_S = 30.0


def _echo_channel(conn: socket.socket) -> None:
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)


def serve_echo(ready: Any, stop: Any) -> None:
    """A byte echo: what a server answering in the same framing sends back."""
    with socket.create_server((LOOPBACK, 0)) as listener:
        ready.send(listener.getsockname()[1])
        accept_connections(
            listener, stop, lambda conn: threading.Thread(target=_echo_channel, args=(conn,), daemon=True).start()
        )


def _forward(source: socket.socket, target: socket.socket) -> None:
    while True:
        data = source.recv(65536)
        if not data:
            return
        target.sendall(data)


def serve_bare_relay(ready: Any, stop: Any, server_port: int) -> None:
    """The reference relay: forward both ways, nothing else."""

    def relay(client: socket.socket) -> None:
        server = socket.create_connection((LOOPBACK, server_port))
        server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_forward, args=(client, server), daemon=True).start()
        threading.Thread(target=_forward, args=(server, client), daemon=True).start()

    with socket.create_server((LOOPBACK, 0)) as listener:
        ready.send(listener.getsockname()[1])
        accept_connections(listener, stop, relay, nodelay=True)


class RelayProcess:
    """A relay started as its own process, its output to a file; ready once
    ``ready_text`` appears in that output."""

    def __init__(self, command: list[str], output: Path, ready_text: str) -> None:
        self._output = output.open("w")
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(command, cwd=root, stdout=self._output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + _START_TIMEOUT_S
        while ready_text not in output.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError(f"{command[0]} did not start: {output.read_text()[-2000:]}")
            time.sleep(0.05)  # polling a process's start-up, not synchronising a test

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self._output.close()


def start_trace(server_port: int, output: Path) -> tuple[RelayProcess, int]:
    """``python -m wlsocket trace`` relaying to the echo server."""
    port = free_port()
    command = [sys.executable, "-m", "wlsocket", "trace", str(port), LOOPBACK, str(server_port)]
    return RelayProcess(command, output, "relaying"), port


def start_socat(server_port: int, output: Path) -> tuple[RelayProcess, int] | None:
    """socat relaying to the echo server (None when socat is not installed)."""
    socat = shutil.which("socat")
    if socat is None:
        return None
    port = free_port()
    command = [socat, "-d", "-d", f"TCP-LISTEN:{port},bind={LOOPBACK},reuseaddr,fork,nodelay",
               f"TCP:{LOOPBACK}:{server_port},nodelay"]
    return RelayProcess(command, output, "listening on"), port


def _client(port: int) -> socket.socket:
    sock = socket.create_connection((LOOPBACK, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def round_trips(sock: socket.socket, count: int) -> float:
    """Round trips per second; every echo checked byte for byte."""
    size = len(WIRE)
    start = time.perf_counter()
    for _ in range(count):
        sock.sendall(WIRE)
        echo = sock.recv(size)
        while len(echo) < size:
            more = sock.recv(size - len(echo))
            if not more:
                raise EOFError("the echo stopped")
            echo += more
        if echo != WIRE:
            raise AssertionError(f"the relay changed the bytes: {echo[:40]!r}")
    return count / (time.perf_counter() - start)


def run(quick: bool, tiny: bool = False) -> list[dict]:
    count, repetitions = SIZES["tiny" if tiny or tiny_requested() else "quick" if quick else "full"]
    warm = min(count, 500)
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = stack.enter_context(ServerProcess(serve_echo))
        trace, trace_port = start_trace(server.info, folder / "trace.txt")
        stack.callback(trace.close)
        bare = stack.enter_context(ServerProcess(serve_bare_relay, server.info))
        socat = start_socat(server.info, folder / "socat.txt")
        ports = {"relay": trace_port, "direct": server.info, "bare": bare.info}
        if socat is not None:
            stack.callback(socat[0].close)
            ports["socat"] = socat[1]
        clients = {name: stack.enter_context(_client(port)) for name, port in ports.items()}
        for sock in clients.values():  # warm every path up
            round_trips(sock, warm)
        pids = {"relay": trace.process.pid, "bare": bare.pid}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        rates = interleaved(
            {name: functools.partial(round_trips, sock, count) for name, sock in clients.items()}, repetitions
        )
        cpu_us = {}  # CPU time of the relay process per round trip: steadier than rates on a loaded machine
        for name, pid in pids.items():
            start, end = before[name], cpu_seconds(pid)
            if start is not None and end is not None:
                cpu_us[name] = (end - start) / (count * repetitions) * 1e6
        printed = (folder / "trace.txt").read_text().count(' B  "')
    expected = 2 * (warm + count * repetitions)
    direct = rates["direct"]
    share = {name: f"{rate / direct:.2f}" for name, rate in rates.items()}
    floors = (f"in this run, of the direct rate: wlsocket trace {share['relay']}, bare Python relay "
              f"{share['bare']}, socat {share.get('socat', 'not installed')}")
    socat_row = row(
        "Trace relay: 100 B round trips, wlsocket trace against socat",
        rates["relay"],
        rates.get("socat"),
        "round trips/s",
        reference_name="socat (C), nothing decoded" if socat is not None else "socat: not installed",
        note=floors + (f"; socat adds {_added_us(rates['socat'], direct):.0f} µs a round trip, wlsocket trace "
                       f"{_added_us(rates['relay'], direct):.0f} µs" if socat is not None else ""),
    )
    return [
        row(
            "Trace relay: 100 B round trips through wlsocket trace",
            rates["relay"],
            direct,
            "round trips/s",
            reference_name="the same client straight to the server",
            target=TARGET,
            target_text=">= 0.909 (adds < 10 % to the round trip)",
            note=f"wlsocket trace printed {printed} of the {expected} messages relayed "
            f"({os.cpu_count()} CPUs shared by client, relay and server)",
        ),
        row(
            "Trace relay: 100 B round trips, wlsocket trace against a bare relay",
            rates["relay"],
            rates["bare"],
            "round trips/s",
            reference_name="recv/sendall relay, nothing decoded or printed",
            note=f"the bare relay gives {share['bare']} x the direct rate, wlsocket trace {share['relay']} x, "
            "in this run" + (f"; relay CPU per round trip: wlsocket trace {cpu_us['relay']:.0f} µs, bare relay "
                             f"{cpu_us['bare']:.0f} µs" if len(cpu_us) == 2 else ""),
        ),
        socat_row,
    ]


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time a process used so far (Linux /proc; else None)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _added_us(relayed: float, direct: float) -> float:
    """Microseconds a relay adds to one round trip, from the two rates."""
    return (1 / relayed - 1 / direct) * 1e6

"""Workload 6: the WEBDEV-model WebSocket server (python -m
wlsocket.serveur_websocket) with 1,000 connected clients.

The server serves bench/webdev_broadcast_project.py: one client sends
"broadcast"; the project's ReceptionMessage loops over
WebSocketListeClientConnecté() and calls Client.Envoie on each (queued,
sent by each client's writer thread).  Measured from the moment the
message leaves the client until every one of the 1,000 clients (one
asyncio process, the `websockets` client) has received its copy; the
median of five broadcasts.  The reference is the `websockets` package's
asyncio server doing the same with ``websockets.asyncio.server.broadcast``.
Memory per client: growth of the server's resident memory (VmRSS) from
before the first client to when the 1,000 are connected, divided by
1,000.  Both servers run in their own process; the wlsocket one starts its
threads with a 512 KiB stack, as bench/scale_bench.py does.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from . import LOOPBACK, ServerProcess, free_port, row, tiny_requested
from .scale_bench import rss_kib

PROJECT = str(Path(__file__).resolve().parent / "webdev_broadcast_project.py")
PATH = "/WW_Bench"


async def open_clients(port: int, count: int, path: str = PATH, batch: int = 100) -> list[ClientConnection]:
    """``count`` clients, each past its "welcome" (so the server lists it)."""

    async def one() -> ClientConnection:
        ws = await connect(f"ws://{LOOPBACK}:{port}{path}", open_timeout=60, max_queue=None, ping_interval=None,
                           compression=None)
        welcome = await asyncio.wait_for(ws.recv(), 60)
        assert welcome == "welcome", welcome
        return ws

    clients: list[ClientConnection] = []
    for start in range(0, count, batch):
        clients += await asyncio.gather(*(one() for _ in range(min(batch, count - start))))
    return clients


async def broadcast(clients: list[ClientConnection], label: str, timeout: float = 60) -> tuple[float, list[int]]:
    """Seconds until every client got the broadcast ``label``, and how many
    copies each got (read up to a second broadcast, the fence, so a
    duplicate would be seen)."""
    received = [0] * len(clients)
    arrived = [0.0] * len(clients)

    async def collect(index: int, ws: ClientConnection) -> None:
        while True:
            message = str(await ws.recv())
            if message.startswith(f"{label} "):
                received[index] += 1
                arrived[index] = time.perf_counter()
            elif message.startswith(f"fence-{label} "):
                return

    readers = [asyncio.ensure_future(collect(index, ws)) for index, ws in enumerate(clients)]
    start = time.perf_counter()
    await clients[0].send(f"broadcast {label}")
    await clients[0].send(f"broadcast fence-{label}")
    await asyncio.wait_for(asyncio.gather(*readers), timeout)
    return max(arrived) - start, received


async def measure(port: int, pid: int, count: int, rounds: int) -> tuple[float, float]:
    """(median broadcast seconds, KiB of server memory per client)."""
    before = rss_kib(pid)
    clients = await open_clients(port, count)
    per_client = (rss_kib(pid) - before) / count
    times = []
    for number in range(rounds):
        elapsed, received = await broadcast(clients, f"b{number}")
        assert received == [1] * count, "a client missed a broadcast or got it twice"
        times.append(elapsed)
    await asyncio.gather(*(ws.close() for ws in clients))
    return statistics.median(times), per_client


def _wlsocket_server(ready: Any, stop: Any) -> None:
    import os
    import sys
    import threading

    from wlsocket.webdev import WebSocketServer

    sys.stderr = open(os.devnull, "w")  # the project writes each Deconnexion there  # noqa: SIM115
    threading.stack_size(512 * 1024)
    port = free_port()
    server = WebSocketServer(PROJECT, port, host=LOOPBACK, path=PATH)
    server.start()
    ready.send(port)
    stop.wait()
    server.stop()


def _websockets_server(ready: Any, stop: Any) -> None:
    from websockets.asyncio.server import ServerConnection, serve
    from websockets.asyncio.server import broadcast as ws_broadcast

    connected: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        connected.add(ws)
        try:
            await ws.send("welcome")
            async for message in ws:
                words = str(message).split()
                if len(words) >= 2 and words[0] == "broadcast":
                    ws_broadcast(connected, f"{words[1]} 0 ")
                    await ws.send(f"done {words[1]}")
        finally:
            connected.discard(ws)

    async def main() -> None:
        port = free_port()
        async with serve(handler, LOOPBACK, port, ping_interval=None, compression=None, max_queue=None):
            ready.send(port)
            while not stop.is_set():
                await asyncio.sleep(0.1)

    asyncio.run(main())


def run(quick: bool, tiny: bool = False) -> list[dict[str, Any]]:
    tiny = tiny or tiny_requested()
    count = 20 if tiny else 1000
    rounds = 1 if tiny else 3 if quick else 5
    figures = {}
    for name, target in (("wlsocket", _wlsocket_server), ("websockets", _websockets_server)):
        with ServerProcess(target) as server:
            assert server.pid is not None
            figures[name] = asyncio.run(measure(server.info, server.pid, count, rounds))
    ours, theirs = figures["wlsocket"], figures["websockets"]
    return [
        row(f"WEBDEV server: broadcast to {count:,} clients", ours[0] * 1000, theirs[0] * 1000, "ms",
            reference_name="websockets asyncio broadcast", higher_is_better=False),
        row(f"WEBDEV server: memory per connected client ({count:,})", ours[1], theirs[1], "KiB",
            reference_name="websockets asyncio server", higher_is_better=False),
    ]

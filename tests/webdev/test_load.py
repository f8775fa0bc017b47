"""1,000 clients on one process and a broadcast: every client gets it once;
a client that stops reading is dropped without holding the others.
Speed is not asserted here: bench/webdev_bench.py measures it."""

from __future__ import annotations

import asyncio
import socket
import time

from bench.webdev_bench import PATH, PROJECT, broadcast, open_clients
from tests.conftest import LOOPBACK
from tests.peers.raw_ws import read_response, request
from tests.webdev.helpers import WAIT, ServerProcess

CLIENTS = 1000


def test_a_broadcast_reaches_each_of_1000_clients_exactly_once():
    with ServerProcess(PROJECT, "--path", PATH) as server:
        server.wait_listening()

        async def scenario() -> None:
            clients = await open_clients(server.port, CLIENTS)
            try:
                for label in ("first", "second"):
                    _, received = await broadcast(clients, label, timeout=120)
                    assert received == [1] * CLIENTS
            finally:
                await asyncio.gather(*(ws.close() for ws in clients))

        asyncio.run(scenario())
        assert server.wait_line("Deconnexion ", timeout=WAIT)


def test_a_client_that_stops_reading_is_dropped_and_the_broadcast_goes_on():
    # Broadcasts of 64 KiB paced by three reading clients; a fourth client
    # never reads: once the kernel's buffers for it are full, its 256 KiB
    # send queue fills and it is dropped (close 1008 after the transport's
    # 2 s close grace, then its Deconnexion runs), while every broadcast
    # keeps reaching the three others.
    with ServerProcess(PROJECT, "--path", PATH, "--send-queue", str(256 * 1024)) as server:
        server.wait_listening()
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: no autotuning
        try:
            stalled.settimeout(WAIT)
            stalled.connect((LOOPBACK, server.port))
            stalled.sendall(request(PATH))
            assert read_response(stalled)[0] == 101

            async def scenario() -> int:
                clients = await open_clients(server.port, 3)
                dropped_at = None
                try:
                    deadline = time.monotonic() + 3 * WAIT
                    number = 0
                    while time.monotonic() < deadline:
                        number += 1
                        await clients[0].send(f"broadcast r{number} 1 65536")
                        for ws in clients:
                            while not str(await asyncio.wait_for(ws.recv(), WAIT)).startswith(f"r{number} "):
                                pass
                        if dropped_at is None and any(line.startswith("Deconnexion ") for line in server.stderr):
                            dropped_at = number
                        if dropped_at is not None and number >= dropped_at + 5:  # and the broadcasts go on
                            return dropped_at
                    raise AssertionError(f"the client that does not read was not dropped after {number} broadcasts")
                finally:
                    await asyncio.gather(*(ws.close() for ws in clients))

            dropped_at = asyncio.run(scenario())
            assert dropped_at > 0
        finally:
            stalled.close()

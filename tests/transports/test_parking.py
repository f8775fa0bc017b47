"""The parking lot of idle readers (wlsocket/transports/parking.py), on real
socket pairs and on a real WebSocket server channel."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import run_thread, wait_until_inside
from tests.ws.test_server import Channel, url
from wlsocket import ErreurInfo, SocketFerme, SocketLit, errCode
from wlsocket.transports import parking
from wlsocket.transports.io import Waiter

pytestmark = pytest.mark.skipif(not parking.AVAILABLE, reason="no select.epoll: readers never park here")


def _parked(sock: socket.socket, timeout_s: float | None) -> tuple[threading.Thread, list[bool]]:
    result: list[bool] = []
    thread = run_thread(lambda: result.append(parking.park(sock.fileno(), timeout_s)))
    wait_until_inside(thread, "park")
    return thread, result


def test_a_parked_reader_wakes_when_data_arrives():
    left, right = socket.socketpair()
    with left, right:
        thread, result = _parked(left, None)
        right.sendall(b"x")
        thread.join(10)
        assert result == [True]
        assert left.recv(1) == b"x"


def test_a_parked_reader_times_out_and_the_descriptor_can_park_again():
    left, right = socket.socketpair()
    with left, right:
        started = time.monotonic()
        assert parking.park(left.fileno(), 0.1) is False
        assert time.monotonic() - started >= 0.1
        thread, result = _parked(left, 10)  # the timed-out registration is gone
        right.sendall(b"y")
        thread.join(10)
        assert result == [True]


def test_unpark_releases_the_reader_before_its_socket_is_closed():
    left, right = socket.socketpair()
    with left, right:
        thread, result = _parked(left, None)
        parking.unpark(left.fileno())
        thread.join(10)
        assert result == [True]
        parking.unpark(left.fileno())  # nobody parked: nothing happens


def test_what_epoll_cannot_watch_is_readable_at_once(tmp_path):
    path = tmp_path / "file"
    path.write_bytes(b"")
    with open(path, "rb") as regular:  # epoll refuses regular files
        assert parking.park(regular.fileno(), None) is True


def test_hundreds_of_readers_released_at_once_all_wake_and_end():
    pairs = [socket.socketpair() for _ in range(300)]
    try:
        results: list[bool] = []
        threads = [run_thread(lambda s=left: results.append(parking.park(s.fileno(), 30))) for left, _ in pairs]
        for thread in threads:
            wait_until_inside(thread, "park")
        for _, right in pairs:
            right.close()
        for thread in threads:
            thread.join(30)
        assert not any(thread.is_alive() for thread in threads)
        assert results == [True] * len(pairs)
    finally:
        for left, right in pairs:
            left.close()
            right.close()


def test_a_waiter_parks_only_past_the_short_wait_and_keeps_its_timeout():
    left, right = socket.socketpair()
    with left, right:
        waiter = Waiter(left, park=True)
        started = time.monotonic()
        assert waiter.readable(parking.PARK_AFTER_S + 0.2) is False
        assert time.monotonic() - started >= parking.PARK_AFTER_S + 0.2
        right.sendall(b"z")
        assert waiter.ready(None) == (True, False)


# --- a WebSocket server channel whose reader is parked --------------------------------------


def test_an_idle_channel_parks_then_reads_the_next_message(port):
    def body(canal, result):
        result["message"] = SocketLit(canal)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        wait_until_inside(server.thread, "park")
        ws.send("après une pause")
        result = server.join()
    assert result["message"] == "après une pause"


def test_socketferme_from_another_thread_releases_a_parked_reader(port):
    def body(canal, result):
        outcome = []
        reader = run_thread(lambda: outcome.append((SocketLit(canal), ErreurInfo(errCode))))
        wait_until_inside(reader, "park")
        SocketFerme(canal)
        reader.join(10)
        result["reader"] = outcome

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)
        result = server.join()
    assert result["reader"] == [("", "SOCKET_FERMEE")]

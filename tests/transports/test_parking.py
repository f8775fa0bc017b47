"""The parking lot of idle readers (wlsocket/transports/parking.py), on real
socket pairs, on a real WebSocket server channel and on TCP channels."""

from __future__ import annotations

import signal
import socket
import ssl
import struct
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import LOOPBACK, run_thread, wait_until_inside
from tests.ws.test_server import Channel, url
from wlsocket import (
    ErreurInfo,
    SocketAccepte,
    SocketAttendConnexion,
    SocketCrée,
    SocketEcrit,
    SocketFerme,
    SocketLit,
    errCode,
)
from wlsocket.transports import parking
from wlsocket.transports.io import IdleParking, Waiter

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


# --- TCP channels: a blocking SocketLit parks through io.IdleParking ----------------------------


def _tcp_channel(port: int) -> tuple[str, socket.socket]:
    assert SocketCrée("srv", port, LOOPBACK)
    peer = socket.create_connection((LOOPBACK, port))
    assert SocketAttendConnexion("srv", 5000)
    return SocketAccepte("srv"), peer


def _reading(channel: str) -> tuple[threading.Thread, list[tuple[str, str]]]:
    outcome: list[tuple[str, str]] = []
    reader = run_thread(lambda: outcome.append((SocketLit(channel), ErreurInfo(errCode))))
    wait_until_inside(reader, "park")  # past PARK_AFTER_S of nothing: in the lot, not in recv
    return reader, outcome


def test_an_idle_tcp_channel_parks_then_reads_the_next_message(port):
    channel, peer = _tcp_channel(port)
    with peer:
        reader, outcome = _reading(channel)
        peer.sendall(b"10\r\n" + "après\r\nfin".encode("cp1252"))
        reader.join(10)
        assert outcome == [("après\r\nfin", "")]
        SocketEcrit(channel, "encore")  # the channel goes on as before
        assert peer.recv(100) == b"6\r\nencore"
    SocketFerme(channel)
    SocketFerme("srv")


@pytest.mark.parametrize("who", ["SocketFerme", "the peer"])
def test_a_parked_tcp_reader_ends_with_socket_fermee(port, who):
    channel, peer = _tcp_channel(port)
    with peer:
        reader, outcome = _reading(channel)
        if who == "SocketFerme":
            SocketFerme(channel)
        else:
            peer.close()
        reader.join(10)
        assert outcome == [("", "SOCKET_FERMEE")]
    if who == "the peer":
        SocketFerme(channel)
    SocketFerme("srv")


def test_idle_parking_leaves_tls_sockets_alone_and_stop_gives_back_endless_reads():
    tls = ssl.create_default_context().wrap_socket(socket.socket(), server_hostname="x", do_handshake_on_connect=False)
    with tls:
        assert not IdleParking(tls).active
    left, right = socket.socketpair()
    with left, right:
        parked = IdleParking(left)
        assert parked.active and left.gettimeout() is None
        assert left.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16) != struct.pack("@ll", 0, 0)
        parked.stop()  # before the socket goes to another transport (a WebSocket upgrade)
        assert not parked.active
        assert left.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16) == struct.pack("@ll", 0, 0)


class _Interrupted(Exception):
    pass


def test_a_park_interrupted_in_the_main_thread_leaves_no_entry_behind():
    """Ctrl+C (here a signal handler raising) while parked: the descriptor is
    forgotten, so the next reader parks for real instead of spinning."""
    assert threading.current_thread() is threading.main_thread()

    def interrupt(signum, frame):
        raise _Interrupted

    previous = signal.signal(signal.SIGUSR1, interrupt)
    left, right = socket.socketpair()
    try:
        with left, right:
            main = threading.main_thread()

            def kick() -> None:
                wait_until_inside(main, "park")
                deadline = time.monotonic() + 10
                while left.fileno() not in parking._the_lot()._parked and time.monotonic() < deadline:
                    time.sleep(0.005)  # polled until the reader is in the lot (a bounded wait, not a guess)
                signal.pthread_kill(main.ident, signal.SIGUSR1)

            kicker = run_thread(kick)
            with pytest.raises(_Interrupted):
                parking.park(left.fileno(), None)
            kicker.join(10)
            thread, result = _parked(left, 0.2)  # parks again: the old entry is gone
            thread.join(10)
            assert result == [False]
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_readers_wait_on_their_sockets_when_no_lot_can_be_made(port, monkeypatch):
    """Descriptors or threads used up: park() raises, and the reader goes on
    waiting by itself, for a TCP channel (IdleParking) as for a Waiter."""
    tried = threading.Event()

    def no_lot(fd, timeout_s):
        tried.set()
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(parking, "park", no_lot)
    channel, peer = _tcp_channel(port)
    with peer:
        outcome: list[tuple[str, str]] = []
        reader = run_thread(lambda: outcome.append((SocketLit(channel), ErreurInfo(errCode))))
        assert tried.wait(10)
        peer.sendall(b"2\r\nok")
        reader.join(10)
        assert outcome == [("ok", "")]
    SocketFerme(channel)
    SocketFerme("srv")
    left, right = socket.socketpair()
    with left, right:
        waiter = Waiter(left, park=True)
        tried.clear()
        sender = run_thread(lambda: (tried.wait(10), right.sendall(b"x")))
        assert waiter.readable(10)
        sender.join(10)

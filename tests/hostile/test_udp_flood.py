"""A flood of maximum-size datagrams against a SocketCréeUDP socket.

UDP may drop datagrams (the kernel does when the receive buffer is full),
so "nothing lost" means here: every datagram SocketLit returns is whole and
intact, none comes twice or out of order, the socket keeps working for a
well-behaved peer, and nothing leaks."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

import pytest

from tests.conftest import LOOPBACK
from tests.hostile.test_tcp_hostile_peers import Baseline, rss_bytes
from wlsocket import *  # noqa: F403
from wlsocket import Buffer

udp_api = pytest.importorskip("wlsocket.api.udp", reason="wlsocket/api/udp.py is not in the package yet")

FLOOD = 3_000
WINDEV_MAX = 65_000  # the largest datagram SocketEcrit sends
IPV4_MAX = 65_507  # the largest a raw peer can send


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def datagram(number: int, size: int) -> bytes:
    head = struct.pack("!II", number, size)
    return head + bytes([number % 251]) * (size - len(head))


def test_flood_of_maximum_size_datagrams():
    baseline = Baseline()
    port = free_udp_port()
    assert udp_api.socket_create_udp("udp-srv", port, LOOPBACK), ErreurInfo()
    rss_before = rss_bytes()
    flooder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flooder.bind((LOOPBACK, 0))
    done = threading.Event()

    def flood() -> None:
        for number in range(FLOOD):
            with contextlib.suppress(OSError):  # ENOBUFS under pressure: the flood goes on
                flooder.sendto(datagram(number, IPV4_MAX if number % 2 else WINDEV_MAX), (LOOPBACK, port))
        done.set()

    thread = threading.Thread(target=flood)
    thread.start()
    received, last = 0, -1
    while True:
        flood_over = done.is_set()  # checked first: an empty read then means drained
        message = SocketLit("udp-srv", False, 200)
        if message == "":
            assert not ErreurDétectée, ErreurInfo()
            if flood_over:
                break
            continue
        data = bytes(Buffer(message))
        number, size = struct.unpack("!II", data[:8])
        assert len(data) == size and data == datagram(number, size), "datagram cut or corrupted"
        assert number > last, "datagram duplicated or out of order"
        last, received = number, received + 1
    thread.join(30)
    assert not thread.is_alive()
    print(f"{received} of {FLOOD} datagrams read whole; the kernel dropped the rest")
    assert received > 0
    assert rss_bytes() - rss_before < 100 * 1024 * 1024
    # The socket still serves a well-behaved peer, both ways.
    flooder.sendto(b"after the flood", (LOOPBACK, port))
    assert SocketLit("udp-srv", False, 15_000) == "after the flood"
    assert SocketClientInfo("udp-srv", SocketPort) == str(flooder.getsockname()[1])
    assert SocketEcrit("udp-srv", "x" * WINDEV_MAX, LOOPBACK, flooder.getsockname()[1])
    flooder.settimeout(15)
    assert flooder.recv(70_000) == b"x" * WINDEV_MAX
    flooder.close()
    SocketFerme("udp-srv")
    baseline.check()


def test_socket_ferme_wakes_a_blocked_udp_reader():
    from tests.conftest import wait_until_inside
    from tests.hostile.test_races import Call

    assert udp_api.socket_create_udp("udp-srv", free_udp_port(), LOOPBACK)
    reader = Call(SocketLit, "udp-srv")
    wait_until_inside(reader.thread, "wait_readable")
    SocketFerme("udp-srv")
    reader.finished()
    assert (reader.result, reader.code) == ("", "SOCKET_FERMEE")

"""SocketCréeUDP with real datagrams on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time

import pytest

import wlsocket
from tests.conftest import LOOPBACK, free_port, open_fds, run_thread, wait_until_inside
from wlsocket import *  # noqa: F403
from wlsocket import Buffer

SIZES = [0, 1, 1400, 65000]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def payload(size: int) -> Buffer:
    """Every byte value, so that a lossy conversion would show."""
    return Buffer(bytes(i % 256 for i in range(size)))


@pytest.fixture
def two_udp():
    ports = free_udp_port(), free_udp_port()
    assert SocketCréeUDP("a", ports[0], LOOPBACK)
    assert SocketCréeUDP("b", ports[1], LOOPBACK)
    yield ports
    SocketFerme("a")
    SocketFerme("b")


@pytest.mark.parametrize("size", SIZES)
def test_datagrams_cross_intact_between_two_udp_sockets(two_udp, size):
    port_a, port_b = two_udp
    data = payload(size)
    assert SocketEcrit("a", data, LOOPBACK, port_b)
    received = SocketLit("b", False, 5000)
    assert isinstance(received, str) and Buffer(received) == data and not ErreurDétectée
    # The sender is remembered, also for an empty datagram (the only proof it came).
    assert SocketClientInfo("b", SocketAdresse) == LOOPBACK
    assert SocketClientInfo("b", SocketPort) == str(port_a)
    assert SocketEcrit("b", data, SocketClientInfo("b", SocketAdresse), int(SocketClientInfo("b", SocketPort)))
    assert Buffer(SocketLit("a", False, 5000)) == data
    assert SocketClientInfo("a", SocketPort) == str(port_b)


def test_each_read_returns_exactly_one_datagram(two_udp):
    _, port_b = two_udp
    for text in ("un", "deux", "trois"):
        assert SocketEcrit("a", text, LOOPBACK, port_b)
    assert [SocketLit("b", False, 5000, 1) for _ in range(3)] == ["un", "deux", "trois"]  # max_bytes cuts nothing


@pytest.mark.parametrize("size", SIZES)
def test_datagrams_to_and_from_a_plain_python_peer(size):
    port = free_udp_port()
    assert SocketCreateUDP("u", port, LOOPBACK)
    data = bytes(payload(size))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind((LOOPBACK, 0))
        peer.settimeout(5)
        peer.sendto(data, (LOOPBACK, port))
        assert Buffer(SocketLit("u", False, 5000)) == data
        assert (SocketClientInfo("u", SocketAdresse), SocketClientInfo("u", SocketPort)) == (
            LOOPBACK,
            str(peer.getsockname()[1]),
        )
        assert SocketEcrit("u", Buffer(data), LOOPBACK, peer.getsockname()[1])
        received, sender = peer.recvfrom(70000)
        assert received == data and sender == (LOOPBACK, port)
    SocketFerme("u")


def test_a_chaine_is_sent_with_the_string_encoding(two_udp):
    _, port_b = two_udp
    assert SocketEcrit("a", "élève", LOOPBACK, str(port_b))  # a port given as digits works too
    assert SocketLit("b", False, 5000) == "élève"
    wlsocket.set_string_encoding("utf-8")
    assert SocketEcrit("a", "€ et 日本", "localhost", port_b)
    assert SocketLit("b", False, 5000) == "€ et 日本"


def test_datagram_above_65000_bytes_is_a_fatal_error(two_udp):
    _, port_b = two_udp
    with pytest.raises(WLangageError) as caught:
        SocketEcrit("a", b"x" * 65001, LOOPBACK, port_b)
    assert caught.value.code == "SOCKET_TAILLE_PAQUET_UDP" and "65001" in caught.value.message
    assert SocketLit("b", False, 100) == ""  # nothing was sent


@pytest.mark.parametrize(
    "call",
    [
        lambda: SocketChangeModeTransmission("a", SocketMarqueurFin),
        lambda: SocketChangeModeTransmission("a", SocketWebSocket),
        lambda: SocketAttendConnexion("a", 100),
        lambda: SocketAccepte("a"),
        lambda: SocketRefuse("a"),
        lambda: SocketEcrit("a", "TCP form, no destination"),
    ],
    ids=["change-mode", "websocket-mode", "wait", "accept", "deny", "tcp-write"],
)
def test_tcp_only_functions_are_forbidden(two_udp, call):
    with pytest.raises(WLangageError) as caught:
        call()
    assert caught.value.code == "SOCKET_UDP_FONCTION_INTERDITE"
    assert "'a'" in caught.value.message


def test_read_timeout_is_not_an_error_and_client_info_before_any_read(two_udp):
    assert (SocketClientInfo("b", SocketAdresse), SocketClientInfo("b", SocketPort)) == ("0", "")
    started = time.monotonic()
    assert SocketLit("b", False, 150) == "" and not ErreurDétectée
    assert 0.1 <= time.monotonic() - started < 2


def test_socket_close_wakes_a_blocked_read():
    assert SocketCréeUDP("u", free_udp_port(), LOOPBACK)
    outcome = {}

    def reader():
        outcome["value"] = SocketLit("u")  # waits forever
        outcome["code"] = ErreurInfo(errCode)

    thread = run_thread(reader)
    wait_until_inside(thread, "read")
    SocketFerme("u")
    thread.join(5)
    assert not thread.is_alive()
    assert outcome == {"value": "", "code": "SOCKET_FERMEE"}


def test_port_in_use_and_unknown_addresses_are_non_fatal():
    port = free_udp_port()
    assert SocketCréeUDP("u", port, LOOPBACK)
    assert SocketCréeUDP("v", port, LOOPBACK) is False and ErreurInfo(errCode) == "ECHEC_CREATION_SOCKET"
    assert SocketCréeUDP("v", free_udp_port(), "no-such-host.invalid") is False
    assert ErreurInfo(errCode) == "SOCKET_ADRESSE_INCONNUE"
    assert SocketEcrit("u", "x", "no-such-host.invalid", 9) is False
    assert ErreurInfo(errCode) == "SOCKET_ADRESSE_INCONNUE"
    with pytest.raises(WLangageError) as caught:
        SocketEcrit("u", "x", LOOPBACK, 70000)
    assert caught.value.code == "NUM_PORT_INVALIDE"
    with pytest.raises(WLangageError) as caught:
        SocketCréeUDP("u", free_port())
    assert caught.value.code == "SOCKET_EXISTANTE"
    SocketFerme("u")


def test_no_descriptor_or_thread_left_after_socket_close():
    fds, threads = open_fds(), threading.active_count()
    for _ in range(3):
        ports = free_udp_port(), free_udp_port()
        assert SocketCréeUDP("a", ports[0], LOOPBACK) and SocketCréeUDP("b", ports[1], LOOPBACK)
        assert SocketEcrit("a", "x", LOOPBACK, ports[1]) and SocketLit("b", False, 5000) == "x"
        SocketFerme("a")
        SocketFerme("b")
    assert open_fds() == fds
    assert threading.active_count() == threads


def test_names():
    assert SocketCréeUDP is SocketCreeUDP is SocketCreateUDP
    assert wlsocket.SOCKETCREEUDP is SocketCreateUDP

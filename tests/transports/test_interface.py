"""The transport interface as the facade uses it: optional capabilities
raise their documented fatal error, and the bugs mypy showed stay fixed."""

from __future__ import annotations

import socket

import pytest

from wlsocket import (
    ErreurInfo,
    SocketAccepte,
    SocketAttendConnexion,
    SocketChangeModeTransmission,
    SocketClientInfo,
    SocketConnecte,
    SocketCrée,
    SocketCréeUDP,
    SocketEcrit,
    SocketFerme,
    SocketLit,
    SocketRefuse,
    SocketTailleMaxMessage,
    SocketWebSocketChemin,
    WebSocketIntervallePing,
    WLangageError,
)
from wlsocket.transports.base import Transport

from ..conftest import LOOPBACK, free_port


@pytest.fixture
def raw_server(port):
    """A plain listening socket standing for a peer that is not wlsocket."""
    with socket.create_server((LOOPBACK, port)) as listener:
        listener.settimeout(10)
        yield listener


def test_a_float_mode_is_the_mode_it_equals(port, raw_server):
    """SocketChangeModeTransmission(c, 0.0): a WLangage réel holding a mode
    constant frames exactly as the integer mode (set_mode gets an int)."""
    assert SocketConnecte("cli", port, LOOPBACK, 5000), ErreurInfo()
    peer, _ = raw_server.accept()
    with peer:
        peer.settimeout(10)
        assert SocketChangeModeTransmission("cli", 0.0)
        assert SocketEcrit("cli", "hi")
        assert peer.recv(100) == b"hi<EOF>"
        assert SocketChangeModeTransmission("cli", 3.0)
        peer.sendall(b"raw bytes")
        assert SocketLit("cli", False, 5000) == "raw bytes"
    SocketFerme("cli")


def test_a_float_mode_on_a_listener_reaches_its_channels(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketChangeModeTransmission("srv", 2.0, "|")
    with socket.create_connection((LOOPBACK, port), timeout=10) as peer:
        assert SocketAttendConnexion("srv", 5000)
        channel = SocketAccepte("srv")
        peer.sendall(b"one|two|")
        assert SocketLit(channel, False, 5000) == "one"
        assert SocketLit(channel, False, 5000) == "two"
        SocketFerme(channel)
    SocketFerme("srv")


@pytest.mark.parametrize("mode", [2.5, float("nan"), float("inf"), -1.0])
def test_a_float_mode_that_is_no_mode_is_fatal(port, raw_server, mode):
    assert SocketConnecte("cli", port, LOOPBACK, 5000)
    with pytest.raises(WLangageError) as caught:
        SocketChangeModeTransmission("cli", mode)
    assert caught.value.code == "SOCKET_TYPE_TRANSMISSION_INVALIDE"
    SocketFerme("cli")


@pytest.mark.parametrize("address", [None, ""])
def test_connect_without_address_reaches_this_computer(port, raw_server, address):
    assert SocketConnecte("cli", port, address, 5000), ErreurInfo()
    peer, _ = raw_server.accept()
    with peer:
        assert SocketEcrit("cli", "x")
        assert peer.recv(10) == b"1\r\nx"
    SocketFerme("cli")


def _tcp_client(port: int, raw_server: socket.socket) -> socket.socket:
    assert SocketConnecte("cli", port, LOOPBACK, 5000)
    return raw_server.accept()[0]


FORBIDDEN_ON_A_TCP_CLIENT = [
    ("SocketAccepte", lambda: SocketAccepte("cli"), "FONCTION_INTERDITE"),
    ("SocketAttendConnexion", lambda: SocketAttendConnexion("cli", 10), "FONCTION_INTERDITE"),
    ("SocketRefuse", lambda: SocketRefuse("cli"), "FONCTION_INTERDITE"),
    ("WebSocketIntervallePing", lambda: WebSocketIntervallePing("cli", 1000), "FONCTION_INTERDITE"),
    ("SocketClientInfo", lambda: SocketClientInfo("cli", SocketWebSocketChemin), "PARAM_INVALIDE_SOCKET_CLIENT_INFO"),
]


@pytest.mark.parametrize("call, code", [(c, code) for _, c, code in FORBIDDEN_ON_A_TCP_CLIENT],
                         ids=[n for n, _, _ in FORBIDDEN_ON_A_TCP_CLIENT])
def test_capabilities_a_tcp_client_lacks_are_fatal(port, raw_server, call, code):
    peer = _tcp_client(port, raw_server)
    with peer, pytest.raises(WLangageError) as caught:
        call()
    assert caught.value.code == code
    assert "cli" in caught.value.message or code == "PARAM_INVALIDE_SOCKET_CLIENT_INFO"
    SocketFerme("cli")


def test_capabilities_a_listener_lacks_are_fatal(port):
    assert SocketCrée("srv", port, LOOPBACK)
    with pytest.raises(WLangageError) as caught:
        WebSocketIntervallePing("srv", 1000)
    assert caught.value.code == "FONCTION_INTERDITE"
    SocketFerme("srv")


def test_capabilities_a_udp_socket_lacks_name_it():
    assert SocketCréeUDP("udp", free_port(), LOOPBACK)
    for call in (lambda: SocketTailleMaxMessage("udp", 10), lambda: WebSocketIntervallePing("udp", 10)):
        with pytest.raises(WLangageError) as caught:
            call()
        assert caught.value.code == "SOCKET_UDP_FONCTION_INTERDITE"
        assert "udp" in caught.value.message
    SocketFerme("udp")


def test_a_transport_must_implement_the_four_operations():
    class Incomplete(Transport):
        def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> None:
            return None

    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]

"""The exact bytes on the wire in each transmission mode, checked by a peer
written with Python's plain socket module, in both directions."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import LOOPBACK
from wlsocket import *  # noqa: F403
from wlsocket import Buffer


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        assert chunk, "peer closed early"
        data += chunk
    return data


@pytest.fixture
def plain_server(port):
    """A plain listening socket; yields (accept function, port)."""
    with socket.create_server((LOOPBACK, port)) as server:
        server.settimeout(10)
        yield server


def connect_wl(name: str, server: socket.socket) -> socket.socket:
    assert SocketConnecte(name, server.getsockname()[1], LOOPBACK, 5000)
    peer, _ = server.accept()
    peer.settimeout(10)
    return peer


CASES = [
    # (mode, marker or None, message written, exact bytes on the wire)
    (SocketTailleDébut, None, "Hello World", b"11\r\nHello World"),
    (SocketTailleDébut, None, "", b"0\r\n"),
    (SocketTailleDébut, None, "été", b"3\r\n\xe9t\xe9"),
    (SocketMarqueurFin, None, "Hello World", b"Hello World<EOF>"),
    (SocketMarqueurFin, "\r\n", "Hello", b"Hello\r\n"),
    (SocketMarqueurFinBuffer, None, "Hello", b"Hello<EOF>"),
    (SocketMarqueurFinBuffer, "\x00", "abc", b"abc\x00"),
    (SocketSansMarqueurFin, None, "Hello World", b"Hello World"),
]


@pytest.mark.parametrize("mode, marker, message, wire", CASES)
def test_write_puts_exact_bytes_on_the_wire(plain_server, mode, marker, message, wire):
    peer = connect_wl("c", plain_server)
    with peer:
        if mode != SocketTailleDébut:
            args = (marker,) if marker is not None else ()
            assert SocketChangeModeTransmission("c", mode, *args)
        assert SocketEcrit("c", message) is True
        assert recv_exactly(peer, len(wire)) == wire
        SocketFerme("c")
        assert peer.recv(100) == b""  # nothing more than the frame


@pytest.mark.parametrize("mode, marker, message, wire", [c for c in CASES if c[3]])
def test_read_decodes_exact_bytes_from_the_wire(plain_server, mode, marker, message, wire):
    peer = connect_wl("c", plain_server)
    with peer:
        if mode != SocketTailleDébut:
            args = (marker,) if marker is not None else ()
            SocketChangeModeTransmission("c", mode, *args)
        peer.sendall(wire)
        got = SocketLit("c", False, 5000) if mode != SocketSansMarqueurFin else SocketLit("c", False, 5000, 100)
        assert got == message
        SocketFerme("c")


def test_every_byte_value_round_trips_through_a_chaine(plain_server):
    """Binary data read into a chaîne and written back is unchanged."""
    everything = bytes(range(256)) * 4
    peer = connect_wl("c", plain_server)
    with peer:
        peer.sendall(b"%d\r\n" % len(everything) + everything)
        received = SocketLit("c")
        assert isinstance(received, str) and len(received) == len(everything)
        assert Buffer(received) == everything
        SocketEcrit("c", received)  # sent back as a chaîne
        assert recv_exactly(peer, 6 + len(everything)) == b"1024\r\n" + everything
        SocketEcrit("c", Buffer(b"\x00\xff"))
        assert recv_exactly(peer, 5) == b"2\r\n\x00\xff"
        SocketFerme("c")


def test_utf8_string_encoding(plain_server):
    import wlsocket

    wlsocket.set_string_encoding("utf-8")
    peer = connect_wl("c", plain_server)
    with peer:
        SocketEcrit("c", "été 中")
        assert recv_exactly(peer, 12) == b"9\r\n" + "été 中".encode()
        peer.sendall(b"2\r\n\xff\xfe")  # not UTF-8: kept losslessly
        assert Buffer(SocketLit("c")) == b"\xff\xfe"
        SocketFerme("c")


def test_unknown_string_encoding_is_a_fatal_error():
    import wlsocket

    with pytest.raises(wlsocket.WLangageError) as raised:
        wlsocket.set_string_encoding("ebcdic")
    assert raised.value.code == "ENCODAGE_INCONNU"
    assert wlsocket.get_string_encoding() == "ansi"  # unchanged
    wlsocket.set_string_encoding("UTF8")  # spellings of utf-8 are accepted
    assert wlsocket.get_string_encoding() == "utf-8"


def test_non_ansi_character_is_a_fatal_error(plain_server):
    peer = connect_wl("c", plain_server)
    with peer:
        with pytest.raises(WLangageError) as info:
            SocketEcrit("c", "中")
        assert info.value.code == "CHAINE_NON_ANSI"
        SocketFerme("c")

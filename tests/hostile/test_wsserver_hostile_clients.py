"""Hostile WebSocket clients against the SocketWebSocket server mode.

The clients are raw sockets writing RFC 6455 frames by hand, so they can
announce absurd lengths, flood control frames and ignore the protocol."""

from __future__ import annotations

import base64
import os
import socket
import struct
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import LOOPBACK, free_port
from tests.hostile.test_tcp_hostile_peers import Baseline, accept_one, rss_bytes
from wlsocket import *  # noqa: F403
from wlsocket import Buffer

ws_api = pytest.importorskip(
    "wlsocket.api.websocket_server", reason="wlsocket/api/websocket_server.py is not in the package yet"
)

IO_TIMEOUT_MS = 15_000
LIMIT = 64 * 1024


def frame(opcode: int, payload: bytes, fin: bool = True, announced: int | None = None, masked: bool = True) -> bytes:
    """A client frame; ``announced`` lies about the payload length."""
    length = len(payload) if announced is None else announced
    head = bytes([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if masked else 0
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if not masked:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class RawWebSocketClient:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((LOOPBACK, port), timeout=IO_TIMEOUT_MS / 1000)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /reliability HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def finish_handshake(self) -> None:
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = self.sock.recv(4096)
            assert chunk, "server closed during the handshake"
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 101"), answer[:80]

    def close(self) -> None:
        self.sock.close()


def websocket_server(port: int) -> None:
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketChangeModeTransmission("srv", SocketWebSocket, {"max_message_size": LIMIT})


def open_client(port: int) -> tuple[RawWebSocketClient, str]:
    """A raw client through the opening handshake, and its server channel."""
    client = RawWebSocketClient(port)
    channel = accept_one("srv")
    # The handshake runs in the channel's first read: a short one drives it.
    assert SocketLit(channel, False, 500) == ""
    assert not ErreurDétectée, ErreurInfo()
    client.finish_handshake()
    return client, channel


def check_websocket_client_served(port: int) -> None:
    client, channel = open_client(port)
    client.sock.sendall(frame(0x1, b"still served"))
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "still served"
    client.close()
    SocketFerme(channel)


@pytest.mark.parametrize("announced", [2**63 - 1, 2**32, LIMIT + 1])
def test_frame_announcing_a_huge_length_is_refused_without_allocating(port, announced):
    baseline = Baseline()
    websocket_server(port)
    client, channel = open_client(port)
    rss_before = rss_bytes()
    sent = min(announced, 1024 * 1024)  # the payload bytes that follow; what they are does not matter
    client.sock.sendall(frame(0x2, b"", announced=announced) + b"\0" * sent)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "MESSAGE_TROP_GRAND", ErreurInfo()
    assert rss_bytes() - rss_before < 100 * 1024 * 1024
    check_websocket_client_served(port)
    client.close()
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


def test_frame_length_with_the_top_bit_set_is_a_protocol_error(port):
    baseline = Baseline()
    websocket_server(port)
    client, channel = open_client(port)
    client.sock.sendall(frame(0x2, b"", announced=2**63) + b"\0" * 100)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "TRAME_INVALIDE", ErreurInfo()
    check_websocket_client_served(port)
    client.close()
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


def test_unmasked_client_frame_is_a_protocol_error(port):
    websocket_server(port)
    client, channel = open_client(port)
    client.sock.sendall(frame(0x1, b"not masked", masked=False))
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "TRAME_INVALIDE", ErreurInfo()
    client.close()
    SocketFerme(channel)
    SocketFerme("srv")


def test_fragments_adding_up_beyond_the_limit_are_refused(port):
    websocket_server(port)
    client, channel = open_client(port)
    piece = b"f" * 4096
    stream = frame(0x2, piece, fin=False) + b"".join(frame(0x0, piece, fin=False) for _ in range(LIMIT // 4096 + 2))
    client.sock.sendall(stream)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "MESSAGE_TROP_GRAND", ErreurInfo()
    client.close()
    SocketFerme(channel)
    SocketFerme("srv")


def test_client_that_never_answers_our_close_cannot_hold_socket_ferme(port):
    """The server sends no pings of its own (no keep-alive in this mode), so
    the protocol answer a client can withhold is the close reply: SocketFerme
    still returns within its bounded wait and releases the descriptor."""
    baseline = Baseline()
    websocket_server(port)
    client, channel = open_client(port)
    client.sock.sendall(frame(0x1, b"hello"))
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "hello"
    started = time.monotonic()
    SocketFerme(channel)  # the client keeps the TCP connection open, silent
    assert time.monotonic() - started < 30
    data = client.sock.recv(16)
    assert data[:1] == b"\x88"  # our close frame reached it
    client.close()
    SocketFerme("srv")
    baseline.check()


def test_ping_flood_from_a_client_that_never_reads_the_pongs(port):
    """Pongs pile up in the client's unread buffers; SocketLit must still
    return within its timeout, and SocketFerme must still work."""
    from tests.hostile.test_races import Call

    websocket_server(port)
    client, channel = open_client(port)
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stop = threading.Event()
    ping = frame(0x9, b"p" * 125)

    def flood() -> None:
        try:
            while not stop.is_set():
                client.sock.sendall(ping * 64)
        except OSError:
            pass

    flooder = threading.Thread(target=flood)
    flooder.start()
    reads_returned = True
    try:
        for _ in range(5):
            reader = Call(SocketLit, channel, False, 1000)
            reader.thread.join(10)  # ten times the read's own timeout
            if reader.thread.is_alive():
                reads_returned = False
                break
            assert reader.exception is None, repr(reader.exception)
            assert reader.result == ""
            if reader.code:
                break
    finally:
        stop.set()
        started = time.monotonic()
        SocketFerme(channel)  # also frees a reader stuck on the pongs
        closing_time = time.monotonic() - started
        reader.finished()
        flooder.join(30)
        client.close()
        SocketFerme("srv")
    assert not flooder.is_alive()
    assert closing_time < 30
    assert reads_returned, "SocketLit with a 1 s timeout was still blocked after 10 s"


ws_messages = st.lists(
    st.one_of(st.text(max_size=300), st.binary(max_size=300)),
    min_size=1,
    max_size=6,
)


def fragments(message: str | bytes, cuts: list[int]) -> bytes:
    """``message`` as a first frame and continuation frames cut at ``cuts``,
    with a ping between fragments (control frames may interleave)."""
    data = message.encode() if isinstance(message, str) else message
    opcode = 0x1 if isinstance(message, str) else 0x2
    bounds = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    pieces = [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)] or [b""]
    out = b""
    for index, piece in enumerate(pieces):
        out += frame(opcode if index == 0 else 0x0, piece, fin=index == len(pieces) - 1)
        if index < len(pieces) - 1:
            out += frame(0x9, b"between")
    return out


@given(ws_messages, st.lists(st.integers(min_value=0, max_value=400), max_size=4), st.integers(1, 50))
def test_any_messages_any_fragmentation_any_cutting_come_back_whole(messages, cuts, chunk):
    """The WebSocket path: whatever the fragmentation and however the byte
    stream is cut into sends, each SocketLit gives one whole message, text
    as a chaîne and binary as a Buffer, in order."""
    port = free_port()
    websocket_server(port)
    try:
        # The frames follow the request at once: the server must keep what
        # came after the request (no waiting for our 101 to drive it).
        client = RawWebSocketClient(port)
        channel = accept_one("srv")
        try:
            client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            stream = b"".join(fragments(message, cuts) for message in messages)
            for start in range(0, len(stream), chunk * 37):
                client.sock.sendall(stream[start : start + chunk * 37])
            for message in messages:
                got = SocketLit(channel, False, IO_TIMEOUT_MS)
                assert not ErreurDétectée, ErreurInfo()
                if isinstance(message, str):
                    assert type(got) is str and got == message
                else:
                    assert isinstance(got, Buffer) and bytes(got) == message
        finally:
            client.close()
            SocketFerme(channel)
    finally:
        SocketFerme("srv")


@given(st.binary(min_size=1, max_size=400))
def test_arbitrary_bytes_after_the_handshake_give_only_documented_outcomes(data):
    port = free_port()
    websocket_server(port)
    try:
        client = RawWebSocketClient(port)  # the bytes follow the request at once
        channel = accept_one("srv")
        try:
            client.sock.sendall(data)
            client.sock.shutdown(socket.SHUT_WR)  # so the server's close wait ends at once
            for _ in range(len(data) + 2):
                message = SocketLit(channel, False, IO_TIMEOUT_MS)
                if ErreurDétectée:
                    assert message == ""
                    documented = ("TRAME_INVALIDE", "SOCKET_FERMEE", "MESSAGE_TROP_GRAND")
                    assert ErreurInfo(errCode) in documented, ErreurInfo()
                    break
            else:
                raise AssertionError("reads never ended after the client stopped")
        finally:
            client.close()
            SocketFerme(channel)
    finally:
        SocketFerme("srv")

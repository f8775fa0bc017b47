"""Hostile and broken clients against a SocketWebSocket echo server.

Each is refused (an HTTP error status) or closed cleanly (a close frame with
the RFC code, then the TCP connection), the channel's SocketLit reports the
documented error, other clients keep being served, and no descriptor or
thread is left behind."""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
import tracemalloc

import pytest
from websockets.sync.client import connect

from tests.conftest import open_fds
from tests.peers import raw_ws
from tests.peers.ws_echo_server import EchoServer
from wlsocket.registry import REGISTRY

HANDSHAKE_TIMEOUT_MS = 3000
MAX_SIZE = 1 << 20
ALLOWED_ORIGIN = "http://allowed.example"


@pytest.fixture
def baseline():
    """Descriptors and threads before the server; checked after it stopped."""
    before = (open_fds(), threading.active_count())
    yield
    assert (open_fds(), threading.active_count()) == before, "descriptors or threads leaked"


@pytest.fixture
def server(baseline, port):
    options = {"handshake_timeout": HANDSHAKE_TIMEOUT_MS, "origins": [ALLOWED_ORIGIN], "max_message_size": MAX_SIZE}
    with EchoServer(port, options=options) as echo:
        yield echo
        assert_still_serving(port)


def assert_still_serving(port: int) -> None:
    with connect(f"ws://127.0.0.1:{port}", open_timeout=10, origin=ALLOWED_ORIGIN) as ws:
        ws.send("encore là ?")
        assert ws.recv(timeout=10) == "encore là ?"


def still_pending(sock: socket.socket) -> bool:
    """True while the server has neither answered nor closed ``sock``."""
    return not select.select([sock], [], [], 0)[0]


def refused(port: int, request: bytes) -> tuple[int, dict, bytes]:
    """Send ``request``; return the HTTP answer, checking the server then closes."""
    with raw_ws.connect_raw(port) as sock:
        sock.sendall(request)
        status, headers, body, _ = raw_ws.read_response(sock)
        assert sock.recv(1024) == b"", "the connection stayed open after the refusal"
    return status, headers, body


@pytest.mark.parametrize(
    "request_bytes, status, why",
    [
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, "Connection: Upgrade"),
        (raw_ws.request(key=""), 400, "Sec-WebSocket-Key"),
        (raw_ws.request(key="not base64!"), 400, "Sec-WebSocket-Key is not 16 bytes"),
        (raw_ws.request(key="c2hvcnQ="), 400, "Sec-WebSocket-Key is not 16 bytes"),  # 5 bytes
        (raw_ws.request(version="8"), 426, "Sec-WebSocket-Version"),
        (raw_ws.request(version=""), 400, "Sec-WebSocket-Version"),
        (raw_ws.request(extra="Origin: http://evil.example\r\n"), 403, "origin http://evil.example is not allowed"),
        (raw_ws.request().replace(b"GET", b"POST", 1), 400, "GET"),
        (raw_ws.request().replace(b"HTTP/1.1", b"HTTP/1.0", 1), 400, "HTTP/1.1"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(50) + b"\r\n\r\n", 400, "not an HTTP request"),
        # complete, valid, but its head is over 16 KiB, all sent at once
        (raw_ws.request(extra="X-Big: " + "z" * 20_000 + "\r\n"), 431, "16384"),
    ],
    ids=["plain-http", "no-key", "key-not-base64", "key-not-16-bytes", "version-8", "no-version",
         "disallowed-origin", "post", "http-1.0", "tls-hello-on-plain-port", "head-over-16-KiB-in-one-piece"],
)
def test_bad_handshake_is_refused(server, port, request_bytes, status, why):
    got, headers, body = refused(port, request_bytes)
    assert got == status
    assert why.encode() in body, body
    if status == 426:
        assert headers["sec-websocket-version"] == "13"
    code, message = server.outcomes.wait(1)[0]
    assert code == "ECHEC_WEBSOCKET" and f"({status})" in message


def test_allowed_origin_and_no_origin_are_accepted(server, port):
    with connect(f"ws://127.0.0.1:{port}", open_timeout=10, origin="HTTP://Allowed.Example") as ws:
        ws.send("casse ignorée")
        assert ws.recv(timeout=10) == "casse ignorée"
    sock, rest = raw_ws.open_websocket(port)  # no Origin header: not a browser
    with sock:
        sock.sendall(raw_ws.frame(0x1, b"sans origine"))
        assert raw_ws.FrameReader(sock, rest).next() == (0x1, b"sans origine")


def test_a_request_head_that_never_ends_is_refused_with_431(server, port):
    with raw_ws.connect_raw(port) as sock:
        sock.sendall(raw_ws.request()[:-2])  # all but the final blank line...
        for number in range(1000):  # ...then header lines, far past 16 KiB
            try:
                sock.sendall(b"X-Filler-%d: %s\r\n" % (number, b"z" * 100))
            except (BrokenPipeError, ConnectionResetError):
                break
        status, _, body, _ = raw_ws.read_response(sock)
    assert status == 431 and b"16384" in body
    assert server.outcomes.wait(1)[0][0] == "ECHEC_WEBSOCKET"


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"], ids=["silent", "unfinished"])
def test_a_client_that_never_finishes_its_request_is_dropped_without_blocking_others(server, port, sent):
    with raw_ws.connect_raw(port) as slow:
        slow.sendall(sent)
        started = time.monotonic()
        assert_still_serving(port)
        assert still_pending(slow), "the good client was served only after the slow one was dropped"
        assert slow.recv(1024) == b""  # then dropped, without an answer
        waited = time.monotonic() - started
    assert HANDSHAKE_TIMEOUT_MS / 1000 * 0.8 < waited < HANDSHAKE_TIMEOUT_MS / 1000 + 15
    ended = dict(server.outcomes.wait(2))  # the good client's channel and the dropped one
    assert set(ended) == {"SOCKET_FERMEE", "ECHEC_WEBSOCKET"}
    assert f"within {HANDSHAKE_TIMEOUT_MS} ms" in ended["ECHEC_WEBSOCKET"]


def test_frame_announcing_2_63_bytes_is_a_protocol_error(server, port):
    sock, rest = raw_ws.open_websocket(port)
    with sock:
        sock.sendall(b"\x82\xff" + struct.pack("!Q", 1 << 63) + b"\x00\x00\x00\x00")
        opcode, payload = raw_ws.FrameReader(sock, rest).next()
        assert opcode == 0x8 and raw_ws.close_code(payload) == 1002
        assert sock.recv(1024) == b""
    assert server.outcomes.wait(1)[0][0] == "TRAME_INVALIDE"


def test_frame_announcing_2_63_minus_1_bytes_is_cut_at_the_limit_without_allocating_it(server, port):
    payload = bytes(2 * MAX_SIZE)
    data = raw_ws.frame(0x2, payload, length=(1 << 63) - 1)
    tracemalloc.start()
    try:
        sock, rest = raw_ws.open_websocket(port)
        with sock:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the server may close first
                sock.sendall(data)
            opcode, close_payload = raw_ws.FrameReader(sock, rest).next()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert opcode == 0x8 and raw_ws.close_code(close_payload) == 1009
    assert peak < 8 * MAX_SIZE, f"{peak} bytes allocated"
    assert server.outcomes.wait(1)[0][0] == "MESSAGE_TROP_GRAND"


@pytest.mark.parametrize("how", ["fin", "reset"])
def test_a_client_vanishing_mid_frame(server, port, how):
    sock, _ = raw_ws.open_websocket(port)
    sock.sendall(raw_ws.frame(0x1, b"x" * 1000)[:500])  # half a frame
    if how == "reset":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
    code, message = server.outcomes.wait(1)[0]
    if how == "fin":
        assert code == "SOCKET_FERMEE" and "middle of a message" in message
    else:
        assert code in ("SOCKET_FERMEE", "ECHEC_LECTURE_SOCKET")


@pytest.mark.parametrize(
    "frames, close_code, error",
    [
        (raw_ws.frame(0x1, b"pas de masque", mask=False), 1002, "TRAME_INVALIDE"),
        (raw_ws.frame(0x1, b"\xff\xfe invalid utf-8"), 1007, "TRAME_INVALIDE"),
        (raw_ws.frame(0x3, b"opcode 3"), 1002, "TRAME_INVALIDE"),
        (raw_ws.frame(0x1, b"rsv", rsv=2), 1002, "TRAME_INVALIDE"),
        (raw_ws.frame(0x9, b"p" * 10, fin=False), 1002, "TRAME_INVALIDE"),
        (raw_ws.frame(0x0, b"continuation without start"), 1002, "TRAME_INVALIDE"),
        (raw_ws.frame(0x8, b"\x03"), 1002, "TRAME_INVALIDE"),  # one-byte close payload
    ],
    ids=["unmasked", "bad-utf8", "reserved-opcode", "rsv-bit", "fragmented-ping", "lone-continuation", "close-1-byte"],
)
def test_protocol_errors_close_with_the_rfc_code(server, port, frames, close_code, error):
    sock, rest = raw_ws.open_websocket(port)
    with sock:
        sock.sendall(frames)
        opcode, payload = raw_ws.FrameReader(sock, rest).next()
        assert opcode == 0x8 and raw_ws.close_code(payload) == close_code
        sock.sendall(raw_ws.frame(0x8, struct.pack("!H", close_code)))  # the client's reply
        assert sock.recv(1024) == b""  # and the server drops the TCP connection
    assert server.outcomes.wait(1)[0][0] == error


def test_many_bad_clients_at_once_while_a_good_one_is_served(server, port):
    """Twenty bad clients of every kind connect together; the good one is
    answered at once, and every bad channel ends with its error."""
    bad = [raw_ws.connect_raw(port) for _ in range(20)]
    try:
        for number, sock in enumerate(bad):
            kind = number % 4
            if kind == 0:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            elif kind == 1:
                sock.sendall(raw_ws.request(version="7"))
            elif kind == 2:
                sock.sendall(b"GET / HTTP/1.1\r\n")  # never finished
            # kind 3: silent
        assert_still_serving(port)
        assert all(still_pending(sock) for sock in bad[2::4] + bad[3::4]), "served after the slow ones"
        ended = server.outcomes.wait(21, timeout=HANDSHAKE_TIMEOUT_MS / 1000 + 10)
    finally:
        for sock in bad:
            sock.close()
    assert sum(code == "ECHEC_WEBSOCKET" for code, _ in ended) == 20


def test_a_ping_flood_from_a_client_that_never_reads_cannot_hold_socketlit(baseline, port):
    """Pongs the client does not read fill the socket: SocketLit still returns
    at its timeout, and the pongs owed go out once the client reads again."""
    from wlsocket import (
        ErreurDetectee,
        SocketAccepte,
        SocketAttendConnexion,
        SocketChangeModeTransmission,
        SocketCree,
        SocketFerme,
        SocketLit,
        SocketWebSocket,
    )

    assert SocketCree("srv", port, "127.0.0.1")
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect, so that it holds
    client.settimeout(5)
    client.connect(("127.0.0.1", port))
    assert SocketAttendConnexion("srv", 10_000)
    canal = SocketAccepte("srv")
    SocketChangeModeTransmission(canal, SocketWebSocket)
    client.sendall(raw_ws.request())
    stop = threading.Event()
    pings = raw_ws.frame(0x9, b"p" * 125) * 64

    def flood() -> None:
        try:
            while not stop.is_set():
                client.sendall(pings)
        except OSError:
            pass  # the server stopped reading for a while: the send timed out

    flooder = threading.Thread(target=flood)
    try:
        first = SocketLit(canal, False, 2000)  # answers the handshake
        assert first == "" and not ErreurDetectee
        transport = REGISTRY.get(canal)
        # Loopback buffers grow to megabytes: keep the server's small so that
        # the unread pongs fill it within the test.
        transport._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        flooder.start()
        for _ in range(3):
            started = time.monotonic()
            assert SocketLit(canal, False, 500) == "" and not ErreurDetectee
            assert time.monotonic() - started < 5, "SocketLit held by pongs nobody reads"
        stop.set()
        flooder.join(15)
        last = threading.Thread(target=client.sendall, args=(raw_ws.frame(0x9, b"last"),))
        last.start()
        for _ in range(2):  # take in every ping, "last" included: from now on no input comes
            assert SocketLit(canal, False, 500) == "" and not ErreurDetectee
        last.join(15)
        assert transport._control_stalled, "the test did not fill the socket"
        result = []
        reader = threading.Thread(target=lambda: result.append(SocketLit(canal, False, 20_000)))
        reader.start()  # a reader waiting for input also sends what it owes when there is room
        status, _, _, rest = raw_ws.read_response(client)
        assert status == 101
        frames = raw_ws.FrameReader(client, rest)
        client.settimeout(20)
        # Older pongs were already in the buffers; the one for "last" was
        # owed while the socket was full and leaves only when room comes back.
        while (pong := frames.next()) != (0xA, b"last"):
            assert pong == (0xA, b"p" * 125)
        client.sendall(raw_ws.frame(0x1, b"fin"))
        reader.join(30)
        assert result == ["fin"]
    finally:
        stop.set()
        flooder.join(15) if flooder.ident else None
        client.close()
        SocketFerme(canal)
        SocketFerme("srv")

"""The I/O toolkit (wlsocket.transports.io) on real loopback sockets."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest
import trustme

from wlsocket.errors import SocketFailure
from wlsocket.transports.io import (
    NEVER,
    Deadline,
    Waiter,
    address_failure,
    drain_until_eof,
    io_failure,
    locked,
    poll_ms,
    tls_buffered,
    tls_failure,
    wait_readable,
    wait_ready,
    wait_writable,
)

LOOPBACK = "127.0.0.1"


@pytest.fixture
def pair():
    left, right = socket.socketpair()
    yield left, right
    left.close()
    right.close()


@pytest.fixture
def tls_pair():
    """(client, server) SSLSockets connected over 127.0.0.1, handshake done."""
    ca = trustme.CA()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(LOOPBACK).configure_cert(server_ctx)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
    with socket.create_server((LOOPBACK, 0)) as listener:
        raw_client = socket.create_connection(listener.getsockname())
        raw_server, _ = listener.accept()
    result: dict[str, ssl.SSLSocket] = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("server", server_ctx.wrap_socket(raw_server, server_side=True))
    )
    thread.start()
    client = client_ctx.wrap_socket(raw_client, server_hostname=LOOPBACK)
    thread.join(10)
    server = result["server"]
    yield client, server
    client.close()
    server.close()


def test_deadline_after_counts_down_and_expires():
    deadline = Deadline.after(0.05)
    remaining = deadline.remaining()
    assert remaining is not None and 0 < remaining <= 0.05
    assert not deadline.expired()
    time.sleep(0.06)  # the clock itself is under test here
    assert deadline.remaining() == 0.0
    assert deadline.expired()


def test_deadline_remaining_ms_rounds_up():
    assert NEVER.remaining_ms() is None
    assert Deadline.after_ms(0).remaining_ms() == 0
    left = Deadline.after_ms(250).remaining_ms()
    assert left is not None and 0 < left <= 250


def test_deadline_never_and_past():
    assert NEVER.remaining() is None and not NEVER.expired()
    assert Deadline.after(None).at is None
    assert Deadline.after_ms(None).at is None
    assert Deadline.after_ms(-5).remaining() == 0.0  # a negative timeout is "now"


def test_deadline_earliest():
    soon, later = Deadline.after(1), Deadline.after(100)
    assert soon.earliest(later) is soon and later.earliest(soon) is soon
    assert NEVER.earliest(soon) is soon and soon.earliest(NEVER) is soon
    assert NEVER.earliest(NEVER) is NEVER


def test_poll_ms_rounds_up():
    assert poll_ms(None) is None
    assert poll_ms(0) == 0 and poll_ms(-1) == 0
    assert poll_ms(0.0001) == 1  # never a 0 ms wait for a time not yet reached
    assert poll_ms(0.25) == 250
    assert poll_ms(1.0005) == 1001


def test_wait_readable_times_out_then_sees_data_and_eof(pair):
    left, right = pair
    started = time.monotonic()
    assert not wait_readable(left, 0.05)
    assert time.monotonic() - started >= 0.04
    right.sendall(b"x")
    assert wait_readable(left, 5)
    assert left.recv(1) == b"x"
    right.shutdown(socket.SHUT_WR)
    assert wait_readable(left, 5)  # the end of the stream is readable
    assert left.recv(1) == b""


def test_wait_on_a_closed_socket_returns_at_once():
    left, right = socket.socketpair()
    right.close()
    left.close()
    assert wait_readable(left, 5)  # the read reports what happened
    assert wait_writable(left, 5)


def test_wait_writable_and_a_full_buffer(pair):
    left, right = pair
    assert wait_writable(left, 1)
    left.setblocking(False)
    try:
        while True:
            left.send(b"\0" * 65536)
    except BlockingIOError:
        pass
    assert not wait_writable(left, 0.05)
    assert wait_ready(left, 0.05, write=True) == (False, False)


def test_wait_ready_reports_both(pair):
    left, right = pair
    right.sendall(b"x")
    assert wait_ready(left, 1, write=True) == (True, True)
    assert wait_ready(left, 1) == (True, False)


def test_tls_bytes_already_decrypted_count_as_readable(tls_pair):
    client, server = tls_pair
    server.sendall(b"0123456789")  # one TLS record
    assert client.recv(1) == b"0"
    # The record is consumed from the socket: poll alone sees nothing more.
    assert tls_buffered(client)
    assert wait_readable(client, 0)
    assert Waiter(client).readable(0)
    assert wait_ready(client, 0, write=True) == (True, False)
    assert client.recv(100) == b"123456789"
    assert not tls_buffered(client)
    assert not wait_readable(client, 0.02)


def test_plain_socket_has_no_tls_buffer(pair):
    left, _ = pair
    assert not tls_buffered(left)


def test_waiter_waits_many_times(pair):
    left, right = pair
    waiter = Waiter(left)
    assert not waiter.readable(0.01)
    assert waiter.writable(1)
    right.sendall(b"ab")
    assert waiter.readable(1)
    assert waiter.ready(1, write=True) == (True, True)
    assert left.recv(2) == b"ab"
    assert not waiter.readable(0.01)


def test_drain_until_eof_reads_to_the_end(pair):
    left, right = pair
    right.sendall(b"x" * 20_000)
    right.shutdown(socket.SHUT_WR)
    assert drain_until_eof(left, Deadline.after(5))


def test_drain_until_eof_stops_at_the_deadline(pair):
    left, right = pair
    right.sendall(b"left unread")
    started = time.monotonic()
    assert not drain_until_eof(left, Deadline.after(0.05))
    assert time.monotonic() - started < 5


def test_locked_holds_and_releases():
    lock = threading.Lock()
    with locked(lock, Deadline.after(1)) as held:
        assert held and lock.locked()
    assert not lock.locked()
    with locked(lock) as held:  # no deadline
        assert held
    assert not lock.locked()


def test_locked_gives_up_at_the_deadline():
    lock = threading.Lock()
    lock.acquire()
    try:
        started = time.monotonic()
        with locked(lock, Deadline.after(0.05)) as held:
            assert not held
        assert time.monotonic() - started >= 0.04
        assert lock.locked()  # still the owner's: leaving did not release it
    finally:
        lock.release()


def test_locked_releases_on_an_exception():
    lock = threading.Lock()
    with pytest.raises(RuntimeError), locked(lock, Deadline.after(1)):
        raise RuntimeError("inside")
    assert not lock.locked()


def test_io_failure_codes():
    refused = ConnectionRefusedError(111, "Connection refused")
    failure = io_failure("ECHEC_LECTURE_SOCKET", refused)
    assert isinstance(failure, SocketFailure)
    assert (failure.code, failure.detail) == ("ECHEC_LECTURE_SOCKET", "Connection refused")
    assert io_failure("ECHEC_ECRITURE_SOCKET", refused, where="h:1").detail == "h:1: Connection refused"
    closed = io_failure("ECHEC_LECTURE_SOCKET", ValueError("I/O on closed socket"), closed=True)
    assert (closed.code, closed.detail) == ("SOCKET_FERMEE", "SocketFerme")
    assert io_failure("ECHEC_LECTURE_SOCKET", OSError()).detail == "OSError"  # never an empty reason


def test_address_failure_from_a_real_lookup():
    try:
        socket.getaddrinfo("a..b", 80)
    except (socket.gaierror, UnicodeError) as exc:
        failure = address_failure("a..b", exc)
    else:
        pytest.skip("this resolver accepts 'a..b'")
    assert failure.code == "SOCKET_ADRESSE_INCONNUE" and failure.detail.startswith("a..b (")


def test_tls_failure_against_a_plain_tcp_peer():
    """A TLS client whose server answers in plain text: ECHEC_SSL, "does not speak TLS"."""
    with socket.create_server((LOOPBACK, 0)) as listener:
        raw = socket.create_connection(listener.getsockname())
        peer, _ = listener.accept()
    with peer, raw:
        peer.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" + b"x" * 200)
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with pytest.raises(ssl.SSLError) as caught:
            context.wrap_socket(raw, server_hostname=LOOPBACK)
    failure = tls_failure(caught.value, "127.0.0.1:1")
    assert failure.code == "ECHEC_SSL"
    assert "does not speak TLS" in failure.detail, failure.detail
    assert tls_failure(TimeoutError(), "p", 250).detail == "no TLS handshake with p within 250 ms (is it a TLS peer?)"

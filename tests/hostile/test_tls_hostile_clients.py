"""Hostile TLS clients against a SocketCréeSSL server: stopping in the
middle of the handshake, never starting it, speaking plain TCP, vanishing.
Real TLS, with a certificate authority made by trustme for the test."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest

from tests.conftest import LOOPBACK
from tests.hostile.test_tcp_hostile_peers import Baseline, EchoServer, accept_one
from wlsocket import *  # noqa: F403

tls_api = pytest.importorskip("wlsocket.api.ssl", reason="wlsocket/api/ssl.py is not in the package yet")
trustme = pytest.importorskip("trustme")

IO_TIMEOUT_MS = 15_000
HANDSHAKE_TIMEOUT_MS = 1_000


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    authority = trustme.CA()
    folder = tmp_path_factory.mktemp("tls")
    server_pem = folder / "server.pem"
    authority.issue_cert("localhost", LOOPBACK).private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    ca_pem = folder / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_pem))
    return str(server_pem), str(ca_pem)


def client_hello() -> bytes:
    """The first flight of a real TLS client, made in memory."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def secure_server(port: int, certificates) -> None:
    server_pem, _ = certificates
    assert tls_api.socket_create_ssl("srv", port, server_pem, 0, LOOPBACK, handshake_timeout=HANDSHAKE_TIMEOUT_MS), (
        ErreurInfo()
    )


def check_tls_client_served(port: int, certificates) -> None:
    _, ca_pem = certificates
    result = {}

    def client() -> None:
        result["connected"] = tls_api.socket_connect_ssl("good", port, LOOPBACK, 0, IO_TIMEOUT_MS, ca_file=ca_pem)
        result["error"] = ErreurInfo()
        if result["connected"]:
            SocketEcrit("good", "hello over TLS")
            result["answer"] = SocketLit("good", False, IO_TIMEOUT_MS)

    thread = threading.Thread(target=client)
    thread.start()
    channel = accept_one("srv")
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "hello over TLS", ErreurInfo()
    assert SocketEcrit(channel, "served")
    thread.join(30)
    assert not thread.is_alive()
    assert result.get("answer") == "served", result
    SocketFerme("good")
    SocketFerme(channel)


HOSTILE_CLIENTS = {
    "half_a_client_hello": lambda hello: hello[: len(hello) // 2],
    "record_header_only": lambda hello: hello[:5],
    "silent": lambda hello: b"",
    "whole_hello_then_silence": lambda hello: hello,
}


@pytest.mark.parametrize("sent", HOSTILE_CLIENTS.values(), ids=HOSTILE_CLIENTS.keys())
def test_tls_client_stopping_mid_handshake_is_dropped_after_the_handshake_timeout(port, certificates, sent):
    baseline = Baseline()
    secure_server(port, certificates)
    with socket.create_connection((LOOPBACK, port)) as stalled:
        channel = accept_one("srv")  # accepting never waits for the handshake
        stalled.sendall(sent(client_hello()))
        # Another client is served while this one stalls.
        check_tls_client_served(port, certificates)
        assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
        assert ErreurInfo(errCode) == "ECHEC_SSL", ErreurInfo()
        # The failure sticks: the next call does not wait again.
        assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
        assert ErreurDétectée
        SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


@pytest.mark.parametrize(
    "sent", [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"5\r\nhello", b"\x16\x03\x01\xff\xff" + b"\0" * 64]
)
def test_plain_tcp_or_garbage_instead_of_tls_is_refused(port, certificates, sent):
    baseline = Baseline()
    secure_server(port, certificates)
    with socket.create_connection((LOOPBACK, port)) as peer:
        channel = accept_one("srv")
        peer.sendall(sent)
        assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
        assert ErreurInfo(errCode) == "ECHEC_SSL", ErreurInfo()
        SocketFerme(channel)
    check_tls_client_served(port, certificates)
    SocketFerme("srv")
    baseline.check()


def test_tls_client_resetting_mid_handshake(port, certificates):
    baseline = Baseline()
    secure_server(port, certificates)
    peer = socket.create_connection((LOOPBACK, port))
    channel = accept_one("srv")
    peer.sendall(client_hello()[:40])
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    peer.close()
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) in ("ECHEC_SSL", "SOCKET_FERMEE", "ECHEC_LECTURE_SOCKET"), ErreurInfo()
    SocketFerme(channel)
    check_tls_client_served(port, certificates)
    SocketFerme("srv")
    baseline.check()


def test_socket_ferme_wakes_a_reader_stuck_in_a_stalled_handshake(port, certificates):
    server_pem, _ = certificates
    assert tls_api.socket_create_ssl("srv", port, server_pem, 0, LOOPBACK, handshake_timeout=600_000)
    from tests.conftest import wait_until_inside
    from tests.hostile.test_races import Call

    with socket.create_connection((LOOPBACK, port)) as stalled:
        channel = accept_one("srv")
        stalled.sendall(client_hello()[:10])
        reader = Call(SocketLit, channel)  # waits forever, handshake allows 10 minutes
        wait_until_inside(reader.thread, "handshake")
        SocketFerme(channel)
        reader.finished()
        assert reader.result == ""
        assert reader.code in ("SOCKET_FERMEE", "ECHEC_SSL")
    SocketFerme("srv")


def test_tls_clients_dropping_mid_handshake_in_a_loop_while_one_is_served(port, certificates):
    """100 connections that close, reset or stop halfway through their
    ClientHello, against a thread-per-channel TLS echo server, while a real
    TLS client keeps exchanging messages."""
    baseline = Baseline()
    _, ca_pem = certificates
    secure_server(port, certificates)
    server = EchoServer(
        port,
        create=False,
        expected_codes=("SOCKET_FERMEE", "ECHEC_LECTURE_SOCKET", "ECHEC_SSL"),
        # A connection reset while still queued: Python's ssl refuses to wrap it.
        accept_failures=("ECHEC_CONNEXION_SOCKET",),
    )
    hello = client_hello()
    drops = 100
    connected: list[int] = []
    done = threading.Event()

    def dropper() -> None:
        for number in range(drops):
            try:
                sock = socket.create_connection((LOOPBACK, port), timeout=IO_TIMEOUT_MS / 1000)
            except OSError:
                continue
            connected.append(number)
            kind = number % 3
            if kind >= 1:
                sock.sendall(hello[: 10 + number % 40])
            if kind == 2:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        done.set()

    thread = threading.Thread(target=dropper)
    thread.start()
    try:
        assert tls_api.socket_connect_ssl("good", port, LOOPBACK, 0, IO_TIMEOUT_MS, ca_file=ca_pem), ErreurInfo()
        exchanged = 0
        deadline = time.monotonic() + 90
        while not done.is_set() or exchanged < 20 or server.accepted + server.refused < len(connected) + 1:
            taken = server.accepted + server.refused
            assert time.monotonic() < deadline, f"server took {taken} of {len(connected) + 1}"
            assert SocketEcrit("good", f"secure {exchanged}"), ErreurInfo()
            assert SocketLit("good", False, IO_TIMEOUT_MS) == f"secure {exchanged}", ErreurInfo()
            exchanged += 1
        SocketFerme("good")
    finally:
        thread.join(30)
        server.close()
    assert not thread.is_alive()
    assert len(connected) >= drops // 2
    assert server.accepted + server.refused == len(connected) + 1
    print(f"{server.accepted} accepted, {server.refused} already reset when accepted")
    baseline.check()

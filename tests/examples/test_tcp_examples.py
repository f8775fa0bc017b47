"""The other ported documentation examples (section 7 of the reference), each with its observable result."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.examples.conftest import EXAMPLES, connected_peer, load_example, read_exactly, script_env


def test_socketexiste_creates_then_reads(port):
    example = load_example("socketexiste")
    assert example.pLitOuCrée(port) == ""  # first call: created
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"5\r\nHello")
            assert example.pLitOuCrée(port) == "Hello"  # second call: exists, reads
    finally:
        example.SocketFerme("MaSocket")


def test_socketchangemodetransmission_lines_on_the_wire():
    example = load_example("socketchangemodetransmission")
    with connected_peer(example, "Lignes") as peer:
        assert example.pModeLignes("Lignes") is True
        example.SocketEcrit("Lignes", "Bonjour")
        assert read_exactly(peer, 9) == b"Bonjour\r\n"
        peer.sendall(b"Salut\r\n")
        assert example.SocketLit("Lignes", False, 5000) == "Salut"
        # The other procedure: the default end marker.
        assert example.pModeMarqueurFin("Lignes") is True
        example.SocketEcrit("Lignes", "fin")
        assert read_exactly(peer, 8) == b"fin<EOF>"


def test_socketlit_tcp_lists_messages_until_the_peer_leaves():
    example = load_example("socketlit_tcp")
    with connected_peer(example, "Flux") as peer:
        peer.sendall(b"2\r\nun4\r\ndeux")
        peer.sendall(b"5\r\ntr")  # a message cut in two pieces
        peer.sendall(b"ois")
        peer.shutdown(socket.SHUT_WR)
        messages: list[str] = []
        example.pListeMessages("Flux", messages)
    assert [line[9:] for line in messages] == ["un", "deux", "trois"]
    assert all(line[2] == ":" and line[5] == ":" and line[8] == " " for line in messages)


def test_serveur_multiclient_serves_clients_at_the_same_time(port, join_new_threads):
    server = load_example("serveur_multiclient")
    assert server.pDémarreServeur(port) is True
    clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(3)]
    try:
        # The last client to connect is served while the first ones are still waiting.
        for index in reversed(range(3)):
            message = f"message {index}".encode()
            clients[index].sendall(b"%d\r\n%s" % (len(message), message))
            expected = f"Reçu : message {index}".encode("cp1252")
            assert read_exactly(clients[index], len(expected) + 4) == b"%d\r\n%s" % (len(expected), expected)
    finally:
        for client in clients:
            client.close()
        assert server.pArrêteServeur() is True


def test_application_cliente_against_serveur_multiclient(port, join_new_threads):
    server = load_example("serveur_multiclient")
    client = load_example("application_cliente")
    assert server.pDémarreServeur(port) is True
    try:
        assert client.pClient(port, "127.0.0.1", "Client", "Bonjour") == "Reçu : Bonjour"
    finally:
        assert server.pArrêteServeur() is True


@pytest.mark.parametrize(
    "script",
    [
        "socketexiste.py",
        "socketchangemodetransmission.py",
        "socketlit_tcp.py",
        "serveur_multiclient.py",
        "application_cliente.py",
    ],
)
def test_example_runs_as_a_script(script):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=60, env=script_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr

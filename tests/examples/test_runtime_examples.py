"""The two runtime examples on 127.0.0.1: the self-electing synchroniser and
the chat server whose client table is updated from the main thread."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from tests.examples.conftest import load_example


@pytest.mark.usefixtures("join_new_threads")
def test_synchroniser_elects_a_server_and_re_elects_when_it_leaves(port):
    example = load_example("synchroniseur_instances")
    a, b, c = (example.Instance(name, port) for name in "ABC")
    try:
        a.pDemarre()
        assert a.attend_role(1, 10) and a.gbServeur  # first instance: the server
        b.pDemarre()
        c.pDemarre()
        assert b.attend_role(1, 10) and c.attend_role(1, 10)
        assert not b.gbServeur and not c.gbServeur  # the others connected to it
        assert b.Modifie("lot", "42")
        assert a.attend_valeur("lot", "42", 10) and c.attend_valeur("lot", "42", 10)
        a.Modifie("poste", "3")
        assert b.attend_valeur("poste", "3", 10) and c.attend_valeur("poste", "3", 10)

        assert a.pArrete()  # the server leaves: B and C hold an election
        assert b.attend_role(2, 10) and c.attend_role(2, 10)
        assert b.gbServeur != c.gbServeur, "exactly one new server"
        new_server, other = (b, c) if b.gbServeur else (c, b)
        assert other.Modifie("apres", "oui")
        assert new_server.attend_valeur("apres", "oui", 10)
        new_server.Modifie("retour", "ok")
        assert other.attend_valeur("retour", "ok", 10)
        expected = {"lot": "42", "poste": "3", "apres": "oui", "retour": "ok"}
        assert other.gtabValeurs == new_server.gtabValeurs == expected
    finally:
        for instance in (a, b, c):
            assert instance.pArrete()


def _send(sock: socket.socket, payload: dict) -> None:
    data = json.dumps(payload).encode("utf-8")
    sock.sendall(str(len(data)).encode("ascii") + b"\r\n" + data)  # SocketTailleDébut framing


def _receive(sock: socket.socket, serve) -> dict:
    """One framed message, serving the main thread meanwhile (the server needs it)."""
    data = b""
    sock.settimeout(0.01)
    deadline = time.monotonic() + 10
    while b"\r\n" not in data or len(data) < data.index(b"\r\n") + 2 + int(data[: data.index(b"\r\n")]):
        assert time.monotonic() < deadline, f"no whole message, got {data!r}"
        serve()
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        assert chunk, "the server closed the connection"
        data += chunk
    # the server is an ANSI WINDEV program: its chaînes go out in Windows-1252
    return json.loads(data[data.index(b"\r\n") + 2:].decode("cp1252"))


def _serve_until(condition, serve) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the server never got there"
        serve()


@pytest.mark.usefixtures("join_new_threads")
def test_chat_server_keeps_its_client_table_in_the_main_thread(port):
    example = load_example("serveur_chat")
    serve = lambda: example.Multitache(1)  # noqa: E731  (the main thread's event loop)
    assert threading.current_thread() is threading.main_thread()
    assert example.pDemarreServeur(port)
    ada = socket.create_connection(("127.0.0.1", port), timeout=5)
    bob = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        _send(ada, {"type": "nom", "texte": "Ada"})
        _send(bob, {"type": "nom", "texte": "Bob"})
        _serve_until(lambda: sorted(c.sNom for c in example.gtabConnectes) == ["Ada", "Bob"], serve)
        _send(ada, {"type": "message", "texte": "bonjour à tous"})
        assert _receive(bob, serve) == {"type": "message", "de": "Ada", "texte": "bonjour à tous"}
        _send(bob, {"type": "message", "texte": "salut"})
        assert _receive(ada, serve) == {"type": "message", "de": "Bob", "texte": "salut"}
        bob.close()  # Bob leaves: his row goes, from the main thread
        _serve_until(lambda: [c.sNom for c in example.gtabConnectes] == ["Ada"], serve)
        assert example.gtabThreadsMiseAJour == {threading.main_thread()}
    finally:
        ada.close()
        bob.close()
        assert example.pArreteServeur()
    assert len(example.gtabConnectes) == 0

"""The chat example reached by wlsocket's own WINDEV client
(WebSocketClientConnecte, callback syntax) and over wss:// (--tls)."""

from __future__ import annotations

import json
import queue
import signal
import ssl

import trustme

from tests.webdev.helpers import WAIT, ChatClient, ServerProcess
from wlsocket import (
    SocketEcrit,
    SocketFerme,
    SocketFermeture,
    SocketMessage,
    SocketOuverture,
    WebSocketClientConnecte,
    WebSocketClientConnecteSSL,
)


def windev_client(name, connect, *address):
    """A WINDEV-style client: its procedure registers at SocketOuverture and
    queues every message (and the closing) for the test."""
    events: queue.Queue = queue.Queue()

    # PROCEDURE INTERNE ProcédureWebSocket(nEvénement, sMessage)
    def ProcédureWebSocket(nEvénement, sMessage):
        if nEvénement == SocketOuverture:
            SocketEcrit(name, json.dumps({"action": "register", "name": "Windev"}))
        elif nEvénement == SocketMessage:
            events.put(json.loads(sMessage))
        elif nEvénement == SocketFermeture:
            events.put({"event": "closed"})

    assert connect(name, ProcédureWebSocket, *address)
    return events


def next_event(events, wanted):
    while True:
        event = events.get(timeout=WAIT)
        if event["event"] == wanted:
            return event


def test_webSocketClientConnecte_with_a_procedure_joins_the_chat():
    with ServerProcess("examples/webdev_chat.py", "--path", "/WW_Chat") as server:
        server.wait_listening()
        with ChatClient(server.port) as ana:
            ana.register("Ana")
            # WebSocketClientConnecte("client", ProcédureWebSocket, "localhost", 80, "/WW_WebsocketServeur")
            events = windev_client("client", WebSocketClientConnecte, "127.0.0.1", server.port, "/WW_Chat")
            try:
                assert [m["name"] for m in next_event(events, "members")["members"]] == ["Ana"]
                assert ana.recv_event("joined")["member"]["name"] == "Windev"
                SocketEcrit("client", json.dumps({"action": "text", "text": "depuis WINDEV"}))
                assert ana.recv_event("text")["member"]["name"] == "Windev"
                assert next_event(events, "text")["text"] == "depuis WINDEV"
                assert server.signal(signal.SIGTERM) == 0
                assert next_event(events, "shutdown") == {"event": "shutdown"}
                assert next_event(events, "closed") == {"event": "closed"}
            finally:
                SocketFerme("client")


def test_wss_with_tls(tmp_path):
    authority = trustme.CA()
    pem = tmp_path / "server.pem"
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    ca_pem = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_pem))
    context = ssl.create_default_context()
    authority.configure_trust(context)
    with ServerProcess("examples/webdev_chat.py", "--path", "/WW_Chat", "--tls", str(pem)) as server:
        server.wait_line(" on wss://127.0.0.1:")
        with ChatClient(server.port, scheme="wss", ssl=context) as ana:
            ana.register("Ana")
            events = windev_client("secure", lambda *a: WebSocketClientConnecteSSL(*a, ca_file=str(ca_pem)),
                                   "127.0.0.1", server.port, "/WW_Chat")
            try:
                assert [m["name"] for m in next_event(events, "members")["members"]] == ["Ana"]
                assert ana.recv_event("joined")["member"]["name"] == "Windev"
            finally:
                SocketFerme("secure")

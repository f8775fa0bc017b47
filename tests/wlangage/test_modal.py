"""AttenteModale (wlsocket extension for translated modal boxes): waits until the socket procedures
have handled their answer, bounded; never inside a procedure."""

from __future__ import annotations

import threading
import time

import pytest
from websockets.sync.server import serve

from wlsocket import AttenteModale, ModalWait, SocketConnecte, SocketEcrit, SocketFerme, SocketMessage, SocketOuverture


@pytest.fixture
def ws_server():
    """A websockets server on loopback: echoes, or stays silent for the message "silence"."""
    def handler(connection):
        for message in connection:
            if message != "silence":
                connection.send("écho : " + message)

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.socket.getsockname()[1]
        server.shutdown()
    thread.join(10)


def test_nothing_to_wait_for_returns_at_once():
    start = time.monotonic()
    assert AttenteModale() is True
    assert ModalWait is AttenteModale
    assert time.monotonic() - start < 1


def test_waits_until_the_procedure_has_handled_the_answer(ws_server):
    seen: list[str] = []

    def procedure(event, message):
        if event == SocketOuverture:
            SocketEcrit("modal", "bonjour")
        elif event == SocketMessage:
            seen.append(message)

    assert SocketConnecte("modal", f"ws://127.0.0.1:{ws_server}", procedure)
    try:
        assert AttenteModale("10 s") is True
        assert seen == ["écho : bonjour"]  # handled before the box is "closed"
    finally:
        SocketFerme("modal")


def test_gives_up_after_its_delay(ws_server):
    def procedure(event, message):
        if event == SocketOuverture:
            SocketEcrit("modal", "silence")

    assert SocketConnecte("modal", f"ws://127.0.0.1:{ws_server}", procedure)
    try:
        start = time.monotonic()
        assert AttenteModale(30) is False  # 30 hundredths of a second, as WLangage counts
        assert 0.25 <= time.monotonic() - start < 5
    finally:
        SocketFerme("modal")


def test_inside_a_procedure_returns_at_once(ws_server):
    results: list[bool] = []
    done = threading.Event()

    def procedure(event, message):
        if event == SocketOuverture:
            results.append(AttenteModale("10 s"))
            done.set()

    assert SocketConnecte("modal", f"ws://127.0.0.1:{ws_server}", procedure)
    try:
        assert done.wait(10)
        assert results == [True]
    finally:
        SocketFerme("modal")

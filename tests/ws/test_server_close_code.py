"""SocketWebSocketFerme(canal, code, raison): SocketFerme with a chosen close code."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import run_thread
from wlsocket import (
    SocketAccepte,
    SocketAttendConnexion,
    SocketChangeModeTransmission,
    SocketClientInfo,
    SocketCree,
    SocketExiste,
    SocketFerme,
    SocketWebSocket,
    SocketWebSocketChemin,
    SocketWebSocketFerme,
    WLangageError,
)


def accepted_channel(port):
    assert SocketCree("listener", port, "127.0.0.1")
    SocketChangeModeTransmission("listener", SocketWebSocket)
    clients = []
    opening = run_thread(lambda: clients.append(connect(f"ws://127.0.0.1:{port}/x", open_timeout=10)))
    assert SocketAttendConnexion("listener", 10_000)
    channel = SocketAccepte("listener")
    assert SocketClientInfo(channel, SocketWebSocketChemin) == "/x"  # the server side of the handshake
    opening.join(10)
    return clients[0], channel


@pytest.mark.parametrize(("code", "reason"), [(1001, "server stopping"), (1008, ""), (4000, "é" * 61)])
def test_the_client_gets_the_code_and_reason_and_the_name_is_free(port, code, reason):
    client, channel = accepted_channel(port)
    try:
        SocketWebSocketFerme(channel, code, reason)
        assert not SocketExiste(channel)
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=10)
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (code, reason)
    finally:
        client.close()
        SocketFerme("listener")


@pytest.mark.parametrize("code", [999, 1004, 1005, 1006, 1010, 1015, 2999, 5000, True, "1001"])
def test_codes_an_endpoint_may_not_send_are_fatal(port, code):
    client, channel = accepted_channel(port)
    try:
        with pytest.raises(WLangageError) as error:
            SocketWebSocketFerme(channel, code)
        assert error.value.code == "PARAMETRE_INVALIDE"
        with pytest.raises(WLangageError):
            SocketWebSocketFerme(channel, 1000, "x" * 124)
        assert SocketExiste(channel)  # nothing was closed
    finally:
        SocketFerme(channel)  # first: the client's reader answers its close frame
        client.close()
        SocketFerme("listener")


def test_on_a_socket_that_is_not_a_websocket_channel(port):
    assert SocketCree("plain", port, "127.0.0.1")
    try:
        with pytest.raises(WLangageError) as error:
            SocketWebSocketFerme("plain", 1001)
        assert error.value.code == "FONCTION_INTERDITE"
    finally:
        SocketFerme("plain")

"""Execution contexts: per-client globals, WebSocketExécute across them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from websockets.sync.client import connect

from tests.webdev.fixtures import shared
from tests.webdev.helpers import FIXTURES, ROOT, WAIT, running_server, url
from wlsocket import WebSocketExécute, WebSocketListeClientConnecté, WLangageError, websocketClient

PROJECT = str(FIXTURES / "contexts_project.py")


@pytest.fixture
def server():
    with running_server(PROJECT, path="/ctx") as running:
        yield running


def client(server):
    ws = connect(url(server.settings.port, "/ctx"), open_timeout=WAIT, max_queue=None)
    ws.__enter__()
    assert ws.recv(timeout=WAIT).startswith("hello ")
    return ws


def ask(ws, text):
    ws.send(text)
    return ws.recv(timeout=WAIT)


def test_each_client_sees_only_its_own_globals(server):
    with client(server) as one, client(server) as two:
        assert ask(one, "set un") == "ok"
        assert ask(two, "set deux") == "ok"
        assert ask(one, "get") == "value=un"
        assert ask(two, "get") == "value=deux"
        assert server.service.module.gsValue == ""  # the global service has its own copy


def test_websocket_execute_runs_in_the_other_clients_context(server):
    with client(server) as one, client(server) as two:
        ask(one, "set un")
        ask(two, "set deux")
        one.send("exec x")
        assert two.recv(timeout=WAIT) == "from un (x, 3, True) in deux"
        two.send("method y")  # Client.Exécute("Show", ...): by name, as a method
        assert one.recv(timeout=WAIT) == "from deux (y, 4, False) in un"


def test_a_client_leaving_during_websocket_execute(server):
    shared.started.clear()
    shared.release.clear()
    shared.log.clear()
    with client(server) as one:
        two = client(server)
        ask(two, "set deux")
        assert ask(one, "slow") == "queued"
        assert shared.started.wait(WAIT)
        two.close()                       # leaves while Slow runs in its context
        shared.release.set()
        assert ask(one, "get") == "value="  # the server goes on
        assert len(server.local.connections()) == 1
    server.stop()
    # In two's context, Slow ends (its Envoie to the gone client dropped
    # silently), then two's Deconnexion, in that order; one's Deconnexion runs
    # in its own context, so it may come before Slow ends.
    assert sorted(shared.log) == ["Deconnexion ", "Deconnexion deux", "Slow ended"]
    assert shared.log.index("Slow ended") < shared.log.index("Deconnexion deux")


def test_websocket_execute_refuses_what_is_not_a_simple_value(server, capfd):
    with client(server) as one:
        one.send("bad-exec")
        assert ask(one, "get") == "value="  # the context goes on after the fatal error
    server.stop()
    err = capfd.readouterr().err
    assert "contexts_project.py:" in err and "TYPE_PARAMETRE_INVALIDE" in err and "Traceback" not in err


def test_the_functions_outside_a_server_or_with_wrong_arguments():
    with pytest.raises(WLangageError) as no_server:
        WebSocketListeClientConnecté()
    assert no_server.value.code == "FONCTION_INTERDITE"
    with running_server(PROJECT, path="/ctx") as running:
        handle = websocketClient("nobody-1", running.directory)
        WebSocketExécute(handle, "Show", ("a", "b", 1, True))  # a client that is not there: nothing happens
        with pytest.raises(WLangageError) as not_a_client:
            WebSocketExécute("someone", "Show")
        assert not_a_client.value.code == "PARAMETRE_INVALIDE"
        with pytest.raises(WLangageError) as unknown:
            handle.Exécute(42)
        assert unknown.value.code == "PROCEDURE_INVALIDE"


def test_without_redis_nothing_of_redis_is_imported():
    code = (f"import sys; from wlsocket.webdev import WebSocketServer; from tests.conftest import free_port\n"
            f"s = WebSocketServer({PROJECT!r}, free_port(), host='127.0.0.1'); s.start(); s.stop()\n"
            f"assert 'redis' not in sys.modules, 'redis imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=WAIT * 3)


def test_stop_does_not_wait_for_a_client_stuck_in_its_handshake_nor_leave_a_socket():
    import socket
    import time

    with running_server(PROJECT, path="/ctx") as server:
        address = ("127.0.0.1", server.settings.port)
        with socket.create_connection(address, timeout=WAIT) as silent, client(server) as one:
            assert ask(one, "get") == "value="
            started = time.monotonic()
            server.stop()  # the silent client never sent its request: its 10 s handshake timeout is not awaited
            assert time.monotonic() - started < 5
            assert silent.recv(1) == b""  # closed by the server
    # the autouse fixture of tests/conftest.py checks that no named socket is left

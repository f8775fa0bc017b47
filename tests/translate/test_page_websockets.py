"""The page "Gestion des WebSockets", translated by wl2py, runs as generated.

The two WLangage sources are read from ../shared/reference/gestion-des-websockets.md
(its ```wl blocks): the server procedure pServeurSocketEcoute with its
PROCEDURE INTERNE, and the browser client (connection code + ProcRetour).
Both are translated with ``-D AdresseIPServeur=127.0.0.1``.  Two changes are
made to the WLangage text before translating, so that the test can run on
loopback beside other tests: the fixed port 5001 becomes a free port, and
the server's SocketCrée gets the address "127.0.0.1" (the page listens on
every interface).  The server's window would call pServeurSocketEcoute from
its initialisation code: the test's source does the same on its first line.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import wlsocket
from tests.conftest import free_port
from tests.peers.chromium import ChromiumPage
from tests.translate import CLIENT_OUTPUT, load, script_env, shared, wl2py
from wlsocket.translate.source import read_blocks


def page_sources(port: int) -> tuple[str, str]:
    blocks = read_blocks(shared("reference", "gestion-des-websockets.md"))
    connection, callback, server = (b.text for b in blocks)
    server = server.replace('SocketCrée("Serveur", 5001)', f'SocketCrée("Serveur", {port}, "127.0.0.1")')
    server = "pServeurSocketEcoute()\n" + server.replace("5001", str(port))
    client = connection.replace("5001", str(port)) + callback
    return server, client


def translate(tmp_path: Path, name: str, source: str) -> Path:
    wl = tmp_path / f"{name}.wl"
    wl.write_text(source, encoding="utf-8")
    py = tmp_path / f"{name}.py"
    done = wl2py(str(wl), "-D", "AdresseIPServeur=127.0.0.1", "-o", str(py))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return py


@pytest.fixture
def translated_server(tmp_path: Path):
    """The translated server's main() run in this process (it returns once "Serveur" listens)."""
    port = free_port()
    server_source, client_source = page_sources(port)
    served = translate(tmp_path, "serveur", server_source)
    module = load(served, f"translated_{served.stem}")
    before = set(threading.enumerate())
    module.main()
    yield port, translate(tmp_path, "client", client_source)
    # The page's server never stops; closing "Serveur" ends its listening loop
    # (waiting on a socket that no longer exists is a fatal error in that thread).
    wlsocket.SocketFerme("Serveur")
    for thread in set(threading.enumerate()) - before:
        thread.join(10)
        assert not thread.is_alive(), f"thread {thread.name} still running"
    wlsocket.close_all()  # the page's server never closes its channels


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_translated_client_and_server_exchange_the_message(translated_server):
    port, client = translated_server
    run = subprocess.run([sys.executable, str(client)], capture_output=True, text=True, env=script_env(), timeout=60)
    assert run.returncode == 0, run.stderr
    # The main code's modal Info shows first; while it is "read" (AttenteModale), ProcRetour
    # receives the server's JSON answer and shows it; then SocketFerme gives SocketFermeture.
    assert run.stdout.splitlines() == CLIENT_OUTPUT


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_translated_server_answers_headless_chromium(translated_server):
    port, _ = translated_server
    with ChromiumPage() as page:
        reports = page.run(
            """
            const ws = new WebSocket("ws://127.0.0.1:PORT");
            ws.onopen = () => ws.send("bonjour du navigateur");
            ws.onmessage = (e) => { report(e.data); ws.close(); };
            ws.onerror = () => report("ERROR");
            """.replace("PORT", str(port)),
            expect=1,
        )
    assert reports == ['{ "status" : "ok",\r\n"reponse": "bonjour du navigateur" }'] or reports == [
        '{ "status" : "ok",\n"reponse": "bonjour du navigateur" }'
    ]

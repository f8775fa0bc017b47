"""The two hand ports of "Gestion des WebSockets" against their translations, crosswise.

tests/translate/examples/gestion_websockets_{client,serveur}.wl hold the
WLangage that examples/gestion_websockets_{client,serveur}.py keep as
comments.  As in test_page_websockets.py, the fixed port 5001 becomes a free
port and the server's SocketCrée gets "127.0.0.1" before translating (with
``-D AdresseIPServeur=127.0.0.1``).  The hand-ported client gives the same
output lines against the translated server as against the hand-ported one;
the translated client gives its lines against the hand-ported server.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import wlsocket
from tests.conftest import free_port
from tests.translate import CLIENT_OUTPUT, ROOT, load, script_env, wl2py

FIXTURES = Path(__file__).resolve().parent / "examples"


def translate(tmp_path: Path, name: str, port: int) -> Path:
    source = (FIXTURES / f"{name}.wl").read_text(encoding="utf-8")
    source = source.replace('SocketCrée("Serveur", 5001)', f'SocketCrée("Serveur", {port}, "127.0.0.1")')
    if name.endswith("serveur"):
        source = "pServeurSocketEcoute()\n" + source  # what the server's window does when it opens
    wl = tmp_path / f"{name}.wl"
    wl.write_text(source.replace("5001", str(port)), encoding="utf-8")
    out = tmp_path / f"{name}.py"
    done = wl2py(str(wl), "-D", "AdresseIPServeur=127.0.0.1", "-o", str(out))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return out


@pytest.fixture
def new_threads_joined():
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        thread.join(10)
        assert not thread.is_alive(), f"thread {thread.name} still running"
    wlsocket.close_all()  # the page's server never closes its channels


def hand_client_lines(port: int) -> list[str]:
    client = load(ROOT / "examples" / "gestion_websockets_client.py", "hand_gestion_websockets_client")
    shown = io.StringIO()
    with redirect_stdout(shown):
        assert client.pConnexion("127.0.0.1", port, 20) is True
    return shown.getvalue().splitlines()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_hand_client_sees_the_same_with_the_translated_server(tmp_path, new_threads_joined):
    hand_server = load(ROOT / "examples" / "gestion_websockets_serveur.py", "hand_gestion_websockets_serveur")
    port = free_port()
    assert hand_server.pServeurSocketEcoute(port, "127.0.0.1")
    try:
        with_hand_server = hand_client_lines(port)
    finally:
        assert hand_server.pServeurArrete()
    port = free_port()
    translated = load(translate(tmp_path, "gestion_websockets_serveur", port), "translated_gestion_serveur")
    translated.main()
    try:
        with_translated_server = hand_client_lines(port)
    finally:
        wlsocket.SocketFerme("Serveur")  # ends its listening loop (a fatal error in that thread)
    assert with_translated_server == with_hand_server
    # (the hand port writes gsRes += RC + ..., so its box starts with an empty line; the original's
    # [RC] is an optional concatenation, which the translated client leaves out when gsRes is empty)
    assert "Réception du message : " + '{ "status" : "ok",' in with_hand_server


def test_translated_client_against_the_hand_server(tmp_path, new_threads_joined):
    hand_server = load(ROOT / "examples" / "gestion_websockets_serveur.py", "hand_gestion_websockets_serveur2")
    port = free_port()
    client = translate(tmp_path, "gestion_websockets_client", port)
    assert hand_server.pServeurSocketEcoute(port, "127.0.0.1")
    try:
        run = subprocess.run([sys.executable, str(client)], capture_output=True, text=True, env=script_env(),
                             timeout=60)
    finally:
        assert hand_server.pServeurArrete()
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == CLIENT_OUTPUT

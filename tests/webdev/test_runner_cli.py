"""python -m wlsocket.serveur_websocket: which procedure is which event,
and what a project or a port that cannot be served gives."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest
from websockets.sync.client import connect

from tests.conftest import LOOPBACK, free_port
from tests.webdev.helpers import FIXTURES, ROOT, WAIT, ServerProcess, running_server, url
from wlsocket import WLangageError
from wlsocket.webdev import load_project

RENAMED = str(FIXTURES / "renamed_events.py")


def test_a_module_names_its_events_in_evenements_websocket_and_the_command_line_adds_more():
    with ServerProcess(RENAMED, "--event", "Deconnexion=Bye") as server:
        server.wait_listening()
        with connect(url(server.port, "/any/path"), open_timeout=WAIT) as ws:  # no --path: any path
            assert ws.recv(timeout=WAIT) == "arrived"
            ws.send("écho")
            assert ws.recv(timeout=WAIT) == "écho"
        assert server.signal(signal.SIGTERM) == 0
    assert load_project(RENAMED, {"Deconnexion": "Bye"}).procedures == {
        "connexion": "Arrivée", "message": "Écho", "deconnexion": "Bye"}


def test_english_names_and_an_importable_module_name():
    project = load_project("tests.webdev.fixtures.english_events")
    assert project.procedures == {"connexion": "Connection", "message": "MessageReception",
                                  "deconnexion": "Disconnection", "arret": "ServerStop"}
    with running_server("tests.webdev.fixtures.english_events", path=None) as server, \
            connect(url(server.settings.port, "/"), open_timeout=WAIT) as ws:
        ws.send("hi")
        assert ws.recv(timeout=WAIT) == "hi from the English names"


@pytest.mark.parametrize(("events", "code"), [({"Arrival": "Bye"}, "PARAMETRE_INVALIDE"),
                                              ({"Connexion": "Nowhere"}, "PROCEDURE_INVALIDE")])
def test_a_wrong_event_mapping_is_fatal(events, code):
    with pytest.raises(WLangageError) as error:
        load_project(RENAMED, events)
    assert error.value.code == code


def run_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "wlsocket.serveur_websocket", *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=WAIT * 3)


def test_a_missing_module_or_one_that_fails_exits_2_with_its_place(tmp_path):
    missing = run_cli(str(tmp_path / "nowhere.py"))
    assert missing.returncode == 2 and "nowhere.py" in missing.stderr and "Traceback" not in missing.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("def Connexion(Client):\n    pass\n\nx = 1 / 0\n", encoding="utf-8")
    failed = run_cli(str(broken))
    assert failed.returncode == 2 and f"{broken}:4:" in failed.stderr and "ZeroDivisionError" in failed.stderr
    syntax = tmp_path / "syntax.py"
    syntax.write_text("def Connexion(Client)\n", encoding="utf-8")
    wrong = run_cli(str(syntax))
    assert wrong.returncode == 2 and f"{syntax}:1:" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_port_in_use_exits_1():
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("examples/webdev_chat.py", "--host", LOOPBACK, "--port", str(port))
    assert done.returncode == 1 and f"port {port}" in done.stderr and "Traceback" not in done.stderr


def test_bad_arguments_exit_2():
    assert run_cli("examples/webdev_chat.py", "--port", "0").returncode == 2
    assert run_cli("examples/webdev_chat.py", "--event", "Connexion").returncode == 2
    assert run_cli("examples/webdev_chat.py", "--port", str(free_port()), "--send-queue", "-1").returncode == 2

"""Each hand port of examples/ against its translation by wl2py.

tests/translate/examples/NAME.wl is the WLangage that examples/NAME.py keeps
as comments (with the port's own documented changes: ports as parameters,
loopback addresses, loops that end).  The test runs the example's main()
twice: as written, then with its WLangage procedures replaced by the
translated ones (the rest of main(), the peers and the checks stay the
port's).  Both runs must give the same exit status and the same output
lines (ports and times aside).  The UI functions the originals call
(ListeAjoute, TableAjoute) get the same stand-in as in the ports: a list.
"""

from __future__ import annotations

import inspect
import io
import re
import sys
import threading
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType

import pytest

import wlsocket
from tests.conftest import join_threads_started_since
from tests.translate import ROOT, load
from wlsocket.translate import translate_file

FIXTURES = Path(__file__).resolve().parent / "examples"


@pytest.fixture(autouse=True)
def _forget_certificate_folder():
    """socketcreessl's main() chooses a certificate folder: forget it afterwards."""
    yield
    wlsocket.SocketDossierCertificats("")
EXAMPLES = ROOT / "examples"


def translated(name: str, tmp_path: Path) -> ModuleType:
    translation = translate_file(FIXTURES / f"{name}.wl")
    assert translation.errors == [], translation.errors
    target = tmp_path / f"translated_{name}.py"
    target.write_text(translation.python, encoding="utf-8")
    module = load(target, f"translated_{name}")
    module.ListeAjoute = module.TableAjoute = lambda table, value: table.append(value)
    module.ToastAffiche = wlsocket.Info  # the port shows a toast with Info
    return module


def run_main(module: ModuleType) -> tuple[int, list[str]]:
    before = set(threading.enumerate())
    output = io.StringIO()
    with redirect_stdout(output):
        status = module.main([]) if inspect.signature(module.main).parameters else module.main()
    join_threads_started_since(before)
    text = re.sub(r"\b\d\d:\d\d:\d\d\b", "<time>", output.getvalue())
    text = re.sub(r"\b[0-9A-Fa-f]{40,}\b", "<thumbprint>", text)
    return status, re.sub(r"\b\d{4,5}\b", "<port>", text).splitlines()


def procedures(module: ModuleType) -> dict[str, object]:
    """The functions the translated module defines (its WLangage procedures), main() aside."""
    return {name: value for name, value in vars(module).items()
            if inspect.isfunction(value) and value.__module__ == module.__name__ and name != "main"}


CASES = ["socketecrit", "socketexiste", "socketcreeudp", "socketlit_udp", "socketlit_tcp",
         "serveur_multiclient", "socketchangemodetransmission", "socketcreessl", "websocketclientconnecte"]


@pytest.mark.parametrize("name", CASES)
def test_translation_behaves_like_the_hand_port(name: str, tmp_path: Path):
    expected = run_main(load(EXAMPLES / f"{name}.py", f"hand_{name}"))
    assert expected[0] in (0, None)
    port = load(EXAMPLES / f"{name}.py", f"hand_{name}_with_translation")
    swapped = procedures(translated(name, tmp_path))
    assert swapped and set(swapped) <= set(vars(port)), sorted(swapped)
    for procedure, function in swapped.items():
        setattr(port, procedure, function)
    if name == "socketlit_tcp":
        # The port writes the time as HH:MM:SS (strftime) where HeureVersChaîne writes
        # HH:MM:SS:CC; the port's check counts on 8 characters: give it that format.
        module = sys.modules[f"translated_{name}"]
        module.HeureVersChaîne = lambda heure: wlsocket.HeureVersChaîne(heure, "HH:MM:SS")
    assert run_main(port) == expected


def test_translated_client_talks_to_the_hand_ported_server(tmp_path: Path):
    """application_cliente's pClient, translated, against serveur_multiclient's server (hand port)."""
    from tests.conftest import free_port

    server = load(EXAMPLES / "serveur_multiclient.py", "hand_serveur_for_client")
    client = translated("application_cliente", tmp_path)
    hand = load(EXAMPLES / "application_cliente.py", "hand_application_cliente")
    port = free_port()
    before = set(threading.enumerate())
    assert server.pDémarreServeur(port)
    try:
        answers = [client.pClient(port, "127.0.0.1", f"Client{i}", f"message {i}") for i in range(3)]
        expected = [hand.pClient(port, "127.0.0.1", f"Hand{i}", f"message {i}") for i in range(3)]
    finally:
        assert server.pArrêteServeur()
        join_threads_started_since(before)  # the channel threads close their channels
    assert answers == expected == [f"Reçu : message {i}" for i in range(3)]


def test_translated_ssl_client_talks_to_the_hand_ported_ssl_server(tmp_path: Path):
    """socketconnectessl's pClientSSL, translated, against socketcreessl's server (hand port)."""
    from tests.conftest import free_port

    sys.path.insert(0, str(EXAMPLES))
    try:
        from _certificat_local import make_certificate
    finally:
        sys.path.remove(str(EXAMPLES))
    server = load(EXAMPLES / "socketcreessl.py", "hand_socketcreessl_for_client")
    client = translated("socketconnectessl", tmp_path)
    _, authority, thumbprint = make_certificate(tmp_path)
    wlsocket.SocketDossierCertificats(str(tmp_path))
    port = free_port()
    assert server.pServeurSSL(thumbprint, port)
    served: list[str] = []
    thread = threading.Thread(target=lambda: served.append(server.pServeurSSLRépond()))
    thread.start()
    answer = client.pClientSSL(port, "127.0.0.1", "Bonjour en TLS", str(authority))
    thread.join(20)
    assert not thread.is_alive()
    assert (served, answer) == (["Bonjour en TLS"], "Reçu en SSL : Bonjour en TLS")

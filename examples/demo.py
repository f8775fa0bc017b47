"""The wlsocket demo: the example of the page "Gestion des WebSockets", end to end on loopback.

The server is the WINDEV WebSocket server of that page and the client its
browser-side procedure, both ported line by line to Python
(examples/gestion_websockets_serveur.py and examples/gestion_websockets_client.py).
The demo starts the server on a free port of 127.0.0.1, runs the client,
and prints what crosses the connection.

Run:  python examples/demo.py          (the WebSocket example)
      python examples/demo.py --all    (then every other ported example)
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import wlsocket
from wlsocket.wlangage.console import set_info_sink, set_trace_sink

HERE = Path(__file__).resolve().parent

#: The examples --all runs after the main one, each as a script (see each file).
OTHER_EXAMPLES = [
    "gestion_websockets_serveur_moderne.py",
    "socketlit_tcp.py",
    "socketlit_udp.py",
    "socketchangemodetransmission.py",
    "socketcreeudp.py",
    "socketecrit.py",
    "socketexiste.py",
    "socketcreessl.py",
    "socketconnectessl.py",
    "websocketclientconnecte.py",
    "serveur_multiclient.py",
    "application_cliente.py",
]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def show(label: str, text: str) -> None:
    """Print a labelled, possibly multi-line text, continuation lines aligned."""
    lines = str(text).strip("\r\n").splitlines() or [""]
    print(f"  {label:<19}{lines[0]}")
    for line in lines[1:]:
        print(f"  {'':<19}{line}")


def websocket_demo() -> bool:
    serveur = load("gestion_websockets_serveur")
    client = load("gestion_websockets_client")
    port = free_port()
    url = f"ws://127.0.0.1:{port}"

    # The server's Trace lines say what it received; the client's Info lines what it shows.
    # Both come from other threads: collect them, print once the exchange is over.
    server_lines: list[str] = []
    client_lines: list[str] = []
    closed = threading.Event()
    server_done = threading.Event()

    def on_info(text: str) -> None:
        client_lines.append(text)
        if "Fermeture de la socket" in text:
            closed.set()

    def on_trace(text: str) -> None:
        server_lines.append(text)
        if text == "Break":  # the server's channel saw the client leave
            server_done.set()

    set_trace_sink(on_trace)
    set_info_sink(on_info)
    try:
        if not serveur.pServeurSocketEcoute(port, "127.0.0.1"):
            print("The server could not start:", wlsocket.ErreurInfo(wlsocket.errMessage))
            return False
        answered = client.pConnexion("127.0.0.1", port)
        # The closing event comes after SocketFerme, from the callback thread; the server notices after.
        closed.wait(10)
        server_done.wait(10)
    finally:
        serveur.pServeurArrete()
        set_info_sink(None)
        set_trace_sink(None)

    # The request's lines come first, up to the empty line that ends it; then one line per frame read.
    end_of_request = server_lines.index("") if "" in server_lines else len(server_lines)
    request = server_lines[:end_of_request]
    frames = [line for line in server_lines[end_of_request:] if line and line != "Break"]
    prefix = "\r\nRéception du message : "
    answers = [line[len(prefix) :] for line in client_lines if line.startswith(prefix)]

    print('wlsocket demo: the example of the page "Gestion des WebSockets", ported from WLangage to Python')
    print("  server: the WINDEV WebSocket server (examples/gestion_websockets_serveur.py)")
    print("  client: the browser-side procedure (examples/gestion_websockets_client.py)")
    print()
    print(f'1. The client connects: SocketConnecte("client", "{url}", ProcRetour).')
    print("   The server reads the HTTP upgrade request (its Trace lines):")
    for line in request:
        show("", line)
    print("2. On SocketOuverture, ProcRetour sends the message; the server unmasks it:")
    show("client -> server:", frames[0] if frames else "(nothing received)")
    print("3. The server answers with its JSON; ProcRetour receives it on SocketMessage:")
    show("server -> client:", answers[0] if answers else "(no answer)")
    print("4. What the client showed with Info():")
    for line in client_lines:
        show("Info:", line)
    print()
    if not answered:
        print("No answer from the server:", wlsocket.ErreurInfo(wlsocket.errMessage))
    return answered and bool(answers)


def run_other_examples() -> bool:
    all_ok = True
    for script in OTHER_EXAMPLES:
        path = HERE / script
        print(f"\n=== examples/{script} ===", flush=True)
        result = subprocess.run([sys.executable, str(path)], timeout=120)
        all_ok &= result.returncode == 0
        if result.returncode:
            print(f"examples/{script} failed (exit status {result.returncode})")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also run every other ported example")
    args = parser.parse_args(argv)
    ok = websocket_demo()
    if args.all:
        ok = run_other_examples() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The demo: a WINDEV-style server and client talking on loopback.

Run:  python examples/demo.py
"""

from __future__ import annotations

import socket
import sys
import threading

from wlsocket import *  # noqa: F403


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server(port: int, ready: threading.Event) -> None:
    # SocketCrée("Serveur", nPort)
    SocketCrée("Serveur", port, "127.0.0.1")
    ready.set()
    # SI SocketAttendConnexion("Serveur") ALORS Canal = SocketAccepte("Serveur")
    if SocketAttendConnexion("Serveur", 5000):
        canal = SocketAccepte("Serveur")
        while True:
            # sMessage = SocketLit(Canal)
            message = SocketLit(canal)
            if message == "":
                break
            SocketEcrit(canal, "Reçu : " + message)
        SocketFerme(canal)
    SocketFerme("Serveur")


def main() -> int:
    port = free_port()
    ready = threading.Event()
    thread = threading.Thread(target=server, args=(port, ready))
    thread.start()
    ready.wait(5)
    if not SocketConnecte("Client", port, "127.0.0.1"):
        print("Connection failed:", ErreurInfo(errMessage))
        return 1
    for text in ("Bonjour", "Hello World", "Ça marche !"):
        SocketEcrit("Client", text)
        print(f"client -> server : {text!r}")
        print(f"server -> client : {SocketLit('Client')!r}")
    SocketFerme("Client")
    thread.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SocketChangeModeTransmission: switch a socket to end-tag mode.

Ported from the two examples of the SocketChangeModeTransmission help page
(reconstructed from their description): the first switches to
SocketMarqueurFin with the default marker, the second to lines ended by
CRLF and returns Faux on failure.

Run:  python examples/socketchangemodetransmission.py
(the script starts a line-based peer with a plain Python socket)
"""

from __future__ import annotations

import socket
import sys
import threading

from wlsocket import *  # noqa: F403


# PROCEDURE pModeMarqueurFin(sSocket)
def pModeMarqueurFin(sSocket: str) -> bool:
    # // Messages terminés par le marqueur par défaut ("<EOF>" in wlsocket)
    # RENVOYER SocketChangeModeTransmission(sSocket, SocketMarqueurFin)
    return SocketChangeModeTransmission(sSocket, SocketMarqueurFin)


# PROCEDURE pModeLignes(sSocket)
def pModeLignes(sSocket: str) -> bool:
    # SI SocketChangeModeTransmission(sSocket, SocketMarqueurFin, CRLF) = Faux ALORS
    if SocketChangeModeTransmission(sSocket, SocketMarqueurFin, CRLF) == Faux:
        # Info("Changement de mode impossible : " + ErreurInfo(errMessage))
        Info("Changement de mode impossible : " + ErreurInfo(errMessage))
        # RENVOYER Faux
        return Faux
    # FIN
    # RENVOYER Vrai
    return Vrai


def line_peer(listener: socket.socket, received: list[bytes]) -> None:
    """A peer speaking lines: reads one line, answers one line."""
    connection, _ = listener.accept()
    with connection:
        data = b""
        while not data.endswith(b"\r\n"):
            chunk = connection.recv(4096)
            if not chunk:
                break
            data += chunk
        received.append(data)
        connection.sendall(b"Bien recu\r\n")


def main() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        received: list[bytes] = []
        peer = threading.Thread(target=line_peer, args=(listener, received))
        peer.start()
        SocketConnecte("Lignes", listener.getsockname()[1], "127.0.0.1")
        ok = pModeLignes("Lignes")
        SocketEcrit("Lignes", "Bonjour")
        answer = SocketLit("Lignes", Faux, 5000)
        SocketFerme("Lignes")
        peer.join(10)
    print(f"pModeLignes returned {ok}; on the wire: {received[0]!r}; SocketLit read {answer!r}")
    return 0 if ok and received == [b"Bonjour\r\n"] and answer == "Bien recu" else 1


if __name__ == "__main__":
    sys.exit(main())

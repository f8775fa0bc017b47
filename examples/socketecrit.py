"""SocketEcrit over TCP and over UDP.

Ported from the two examples of the SocketEcrit help page (reconstructed from
their description): write "hello world" on a connected TCP socket, and send
a datagram to a host on port 2005 from a UDP socket.

Run:  python examples/socketecrit.py
(the script's peers are plain Python sockets on 127.0.0.1; port 2005 is
replaced by a free port)
"""

from __future__ import annotations

import socket
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pEcritTCP(sSocket)
def pEcritTCP(sSocket: str) -> bool:
    # SI SocketEcrit(sSocket, "hello world") = Faux ALORS
    if SocketEcrit(sSocket, "hello world") == Faux:
        # Erreur("Envoi impossible : " + ErreurInfo(errMessage))
        Erreur("Envoi impossible : " + ErreurInfo(errMessage))
        # RENVOYER Faux
        return Faux
    # FIN
    # RENVOYER Vrai
    return Vrai


# PROCEDURE pEcritUDP(sSocket, sMessage, sAdresse, nPort = 2005)
def pEcritUDP(sSocket: str, sMessage: str, sAdresse: str, nPort: int = 2005) -> bool:
    # SI SocketEcrit(sSocket, sMessage, sAdresse, 2005) = Faux ALORS
    if SocketEcrit(sSocket, sMessage, sAdresse, nPort) == Faux:
        # Erreur("Envoi impossible : " + ErreurInfo(errMessage))
        Erreur("Envoi impossible : " + ErreurInfo(errMessage))
        # RENVOYER Faux
        return Faux
    # FIN
    # RENVOYER Vrai
    return Vrai


def main() -> int:
    # TCP: a plain listening socket receives what SocketEcrit puts on the wire.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        SocketConnecte("Client", listener.getsockname()[1], "127.0.0.1")
        peer, _ = listener.accept()
        with peer:
            peer.settimeout(5)
            pEcritTCP("Client")
            wire = b""
            while len(wire) < 15:
                chunk = peer.recv(64)
                if not chunk:
                    break
                wire += chunk
        SocketFerme("Client")
    print(f"TCP: on the wire {wire!r}")
    # UDP: one datagram to a plain UDP socket.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            own_port = probe.getsockname()[1]
        SocketCréeUDP("UDP", own_port, "127.0.0.1")
        pEcritUDP("UDP", "Bonjour en UDP", "127.0.0.1", receiver.getsockname()[1])
        datagram, sender = receiver.recvfrom(65535)
        SocketFerme("UDP")
    print(f"UDP: datagram {datagram!r} from port {sender[1]}")
    return 0 if wire == b"11\r\nhello world" and datagram == b"Bonjour en UDP" and sender[1] == own_port else 1


if __name__ == "__main__":
    sys.exit(main())

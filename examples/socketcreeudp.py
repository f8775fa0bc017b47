"""SocketCréeUDP: create a UDP socket, report the error text on failure.

Ported from the example of the SocketCréeUDP help page (reconstructed from
its description).  The script creates the socket, then shows the failure
branch by creating a second socket on the same port.

Run:  python examples/socketcreeudp.py
"""

from __future__ import annotations

import socket
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pCréeUDP(sNom, nPort)
def pCréeUDP(sNom: str = "Serveur", nPort: int = 8000) -> bool:
    # SI SocketCréeUDP("Serveur", 8000) = Faux ALORS
    # (Differs: loopback only, and the name and port are parameters)
    if SocketCréeUDP(sNom, nPort, "127.0.0.1") == Faux:
        # Erreur("Erreur de création de la socket UDP : " + ErreurInfo(errMessage))
        Erreur("Erreur de création de la socket UDP : " + ErreurInfo(errMessage))
        # RENVOYER Faux
        return Faux
    # FIN
    # RENVOYER Vrai
    return Vrai


def main() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = pCréeUDP("Serveur", port)
    print(f"SocketCréeUDP('Serveur', {port}) -> {first}")
    second = pCréeUDP("Serveur2", port)  # the same port again: the error branch
    print(f"SocketCréeUDP('Serveur2', {port}) -> {second} ({ErreurInfo(errMessage)})")
    SocketFerme("Serveur")
    return 0 if first and not second else 1


if __name__ == "__main__":
    sys.exit(main())

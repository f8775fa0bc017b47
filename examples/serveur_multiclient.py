"""The standard server: several clients, one thread per channel.

Ported from the pattern of the help pages "Gestion des sockets" and
"Serveur standard" (their example bodies were not available: this is the
code their text describes).  A thread waits for connections; each accepted
channel gets its own thread, which answers every message until the client
leaves.

Run:  python examples/serveur_multiclient.py [--port 8000]
then python examples/application_cliente.py [--port 8000] (several times).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading

from wlsocket import *  # noqa: F403


# PROCEDURE pGestionCanal(Canal)
def pGestionCanal(Canal: str) -> None:
    # BOUCLE
    while True:
        # sMessage est une chaîne = SocketLit(Canal)
        sMessage = SocketLit(Canal)
        # SI sMessage = "" ALORS SORTIR      // le client est parti
        if sMessage == "":
            break
        # SocketEcrit(Canal, "Reçu : " + sMessage)
        SocketEcrit(Canal, "Reçu : " + sMessage)
    # FIN
    # SocketFerme(Canal)
    SocketFerme(Canal)


# PROCEDURE pAttenteConnexion()
def pAttenteConnexion() -> None:
    # BOUCLE
    while True:
        # SI SocketAttendConnexion("Serveur") ALORS
        # (Differs: the loop ends once pArrêteServeur has closed "Serveur";
        # waiting on a socket that no longer exists is a fatal error)
        try:
            bDemande = SocketAttendConnexion("Serveur")
        except WLangageError:
            break
        if bDemande:
            # Canal est une chaîne = SocketAccepte("Serveur")
            Canal = SocketAccepte("Serveur")
            # ThreadExécute(Canal, threadNormal, pGestionCanal, Canal)
            ThreadExécute(Canal, threadNormal, pGestionCanal, Canal)
        # FIN
    # FIN


# PROCEDURE pDémarreServeur(nPort)
def pDémarreServeur(nPort: int = 8000) -> bool:
    # SI SocketCrée("Serveur", 8000) = Faux ALORS
    # (Differs: listens on loopback only, on the port given)
    if SocketCrée("Serveur", nPort, "127.0.0.1") == Faux:
        # Erreur("Création impossible : " + ErreurInfo(errMessage))
        Erreur("Création impossible : " + ErreurInfo(errMessage))
        # RENVOYER Faux
        return Faux
    # FIN
    # ThreadExécute("AttenteConnexion", threadNormal, pAttenteConnexion)
    ThreadExécute("AttenteConnexion", threadNormal, pAttenteConnexion)
    # RENVOYER Vrai
    return Vrai


def pArrêteServeur() -> bool:
    """Not in the pattern (a WINDEV server runs until the program ends)."""
    if SocketExiste("Serveur"):
        SocketFerme("Serveur")
    return ThreadAttend("AttenteConnexion", "10 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: run a self-test on a free port")
    port = parser.parse_args(argv).port
    if port:
        if not pDémarreServeur(port):
            return 1
        print(f"server on 127.0.0.1:{port} (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
        pArrêteServeur()
        return 0
    # Self-test: the server and three clients of application_cliente.py's kind.
    import importlib.util
    import socket
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Path(__file__).with_name("application_cliente.py")
    spec = importlib.util.spec_from_file_location("application_cliente", client)
    client = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client)  # type: ignore[union-attr]
    pDémarreServeur(port)
    answers = [client.pClient(port, "127.0.0.1", f"Client{i}", f"message {i}") for i in range(3)]
    pArrêteServeur()
    for answer in answers:
        print("client received:", answer)
    return 0 if answers == [f"Reçu : message {i}" for i in range(3)] else 1


if __name__ == "__main__":
    sys.exit(main())

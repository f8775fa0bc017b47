"""A chat server whose table of connected clients is kept by the main thread.

The pattern of WINDEV chat servers: a thread waits for connections, a thread
per client reads its messages, and everything that touches the window (here
the table ``gtabConnectes``, a WINDEV program's Table control) runs in the
main thread through procedures declared ``<thread principal>``.  The main
thread only has to wait in Multitâche (or any waiting function) to serve them.

Messages are JSON texts in the default SocketTailleDébut mode:
``{"type": "nom", "texte": "Ada"}`` first, then ``{"type": "message",
"texte": "..."}``; the server sends ``{"type": "message", "de": "Ada",
"texte": "..."}`` to every other client.

Run:  python examples/serveur_chat.py [--port 5720]
"""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import dataclass

from wlsocket import *  # noqa: F403

PORT = 5720


@dataclass
class STClient:
    sCanal: str
    sNom: str = ""


# gtabConnectes est un tableau de STClient    // shown in the window; main thread only
gtabConnectes: Tableau[STClient] = Tableau()
#: the threads that updated gtabConnectes (a test checks it is only the main one)
gtabThreadsMiseAJour: set[threading.Thread] = set()
gsEcoute = "chat_ecoute"
gtabThreadsClients: Tableau[str] = Tableau()  # names of the client threads


# PROCEDURE <thread principal> pAjouteClient(sCanal)
@thread_principal
def pAjouteClient(sCanal: str) -> None:
    gtabThreadsMiseAJour.add(threading.current_thread())
    TableauAjoute(gtabConnectes, STClient(sCanal))


@thread_principal
def pNommeClient(sCanal: str, sNom: str) -> None:
    gtabThreadsMiseAJour.add(threading.current_thread())
    nIndice = TableauCherche(gtabConnectes, tcLineaire, "sCanal", sCanal)
    if nIndice != -1:
        gtabConnectes[nIndice].sNom = sNom


@thread_principal
def pRetireClient(sCanal: str) -> None:
    gtabThreadsMiseAJour.add(threading.current_thread())
    nIndice = TableauCherche(gtabConnectes, tcLineaire, "sCanal", sCanal)
    if nIndice != -1:
        TableauSupprime(gtabConnectes, nIndice)


@thread_principal
def pDestinataires(sSauf: str) -> list[str]:
    """The channels to pass a message to (read in the main thread, as the table is)."""
    return [stClient.sCanal for stClient in gtabConnectes if stClient.sCanal != sSauf and stClient.sNom]


def pClient(sCanal: str) -> None:
    """One thread per client."""
    pAjouteClient(sCanal)
    sNom = ""
    while not ThreadArretDemande():
        sMessage = SocketLit(sCanal, Faux, 200)
        if sMessage == "":
            if ErreurInfo(errCode) == "SOCKET_FERMEE":
                break  # the client left: SocketExiste(sCanal) would still say Vrai
            continue
        jMessage = JSON(sMessage)
        if jMessage.type == "nom":
            sNom = str(jMessage.texte)
            pNommeClient(sCanal, sNom)
        elif jMessage.type == "message" and sNom:
            jDiffuse = JSON()
            jDiffuse.type = "message"
            jDiffuse.de = sNom
            jDiffuse.texte = jMessage.texte
            for sDestinataire in pDestinataires(sCanal):
                SocketEcrit(sDestinataire, jDiffuse)
    pRetireClient(sCanal)
    SocketFerme(sCanal)


def pAttenteConnexions() -> None:
    nNumero = 0
    while not ThreadArretDemande():
        if SocketAttendConnexion(gsEcoute, 100):
            sCanal = SocketAccepte(gsEcoute)
            if sCanal != "":
                nNumero += 1
                TableauAjoute(gtabThreadsClients, f"chat_client_{nNumero}")
                ThreadExecute(f"chat_client_{nNumero}", threadNormal, pClient, sCanal)


def pDemarreServeur(nPort: int = PORT, sAdresse: str = "127.0.0.1") -> bool:
    if not SocketCree(gsEcoute, nPort, sAdresse):
        return Faux
    ThreadExecute("chat_attente", threadNormal, pAttenteConnexions)
    return Vrai


def pArreteServeur() -> bool:
    """Stop request to every thread, then close; call it from the main thread.

    The client threads may be waiting for the main thread (their table
    updates), so it keeps serving while they stop: ThreadArrête does."""
    bArrete = ThreadArrete("chat_attente", 1000)
    SocketFerme(gsEcoute)
    for sThread in gtabThreadsClients:
        bArrete = ThreadArrete(sThread, 1000) and bArrete
    SupprimeTout(gtabThreadsClients)
    return bArrete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args(argv)
    if not pDemarreServeur(args.port):
        print(ErreurInfo(errMessage))
        return 1
    print(f"chat server on port {args.port} (Ctrl+C to stop)")
    try:
        while True:
            Multitache(10)  # the main thread serves the table updates here
    except KeyboardInterrupt:
        pass
    pArreteServeur()
    return 0


if __name__ == "__main__":
    sys.exit(main())

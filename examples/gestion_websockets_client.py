"""The browser-side code of the page "Gestion des WebSockets", ported line by line.

WEBDEV browser code connects with SocketConnecte and a ws:// URL; the
outcome arrives in a procedure called with an event and a message.  Here
wlsocket's SocketConnecte does the same from Python, and Info writes a line
(to standard output, or to the sink set with set_info_sink) instead of
opening a dialog box.

Run, with a server started (for instance examples/gestion_websockets_serveur.py):
    python examples/gestion_websockets_client.py [--port 5001] [--address 127.0.0.1]
"""

from __future__ import annotations

import argparse
import sys
import threading

from wlsocket import *  # noqa: F403

#: Added by the port: set when the exchange is over (see pConnexion).
_échange_fini = threading.Event()


# PROCEDURE ProcRetour(nEvenement, sMessage)
def ProcRetour(nEvenement: int, sMessage: str) -> None:
    # gsRes est une chaîne = ""
    gsRes = ""

    # SELON nEvenement
    # 	CAS SocketOuverture :
    if nEvenement == SocketOuverture:
        # SocketEcrit("client", "Texte du message envoyé depuis le navigateur.")
        SocketEcrit("client", "Texte du message envoyé depuis le navigateur.")
        # RETOUR
        return
    # 	CAS SocketMessage : gsRes += [RC] + "Réception du message : " + sMessage
    elif nEvenement == SocketMessage:
        gsRes += RC + "Réception du message : " + sMessage
        _échange_fini.set()
    # 	CAS SocketFermeture : gsRes += [RC] + "Fermeture de la socket"
    elif nEvenement == SocketFermeture:
        gsRes += RC + "Fermeture de la socket"
        _échange_fini.set()
    # 	CAS SocketErreur : gsRes += [RC] + "Erreur de la socket : " + sMessage
    elif nEvenement == SocketErreur:
        gsRes += RC + "Erreur de la socket : " + sMessage
        _échange_fini.set()
        # RETOUR
        # (as in the original, an error is not shown: RETOUR comes before Info)
        return
    # 	AUTRE CAS
    else:
        pass
    # FIN
    # Info(gsRes)
    Info(gsRes)


def pConnexion(sAdresseServeur: str = "127.0.0.1", nPort: int = 5001, nAttenteMaxS: float = 10) -> bool:
    """The code "connexion au serveur et envoi de messages".

    Returns True when the server's answer arrived within ``nAttenteMaxS``.
    """
    _échange_fini.clear()
    # SocketConnecte("client", "ws://<AdresseIPServeur>:5001", ProcRetour)
    # // en cas de connexion en mode sécurisé, utiliser 'wss' à la place de 'ws'
    SocketConnecte("client", f"ws://{sAdresseServeur}:{nPort}", ProcRetour)

    # Differs: in the browser, Info opens a modal box and the user reads the
    # answer before clicking OK; meanwhile the events arrive. The port waits
    # for the answer (or the end of the connection) instead, bounded.
    réponse_arrivée = _échange_fini.wait(nAttenteMaxS)

    # Info("fermeture socket...")
    Info("fermeture socket...")

    # SocketFerme("client")
    SocketFerme("client")
    return réponse_arrivée


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The browser-side client of 'Gestion des WebSockets'.")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args(argv)
    return 0 if pConnexion(args.address, args.port) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The server of "Gestion des WebSockets" rewritten with the SocketWebSocket mode.

Same structure and same answers as gestion_websockets_serveur.py (the
faithful port), but the hand-written handshake and framing are replaced by
one line, SocketChangeModeTransmission(..., SocketWebSocket, ...), a
wlsocket extension.  What the original gets wrong is right here: one
SocketLit returns one whole message however TCP cut it, lengths of any size,
fragmented messages, pings and the close handshake follow RFC 6455, and the
subprotocol answered is one the client asked for.

Run:  python examples/gestion_websockets_serveur_moderne.py [--port 5001]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wlsocket import *  # noqa: F403

#: The subprotocols the server accepts, as the original's SELON knows them.
PROTOCOLES = "json, xml"


def pServeurSocketEcoute(nPort: int = 5001, sAdresse: str = "127.0.0.1") -> bool:
    """Start the server; the listening runs in the thread "Thread1"."""

    def ProcédureAttente() -> None:
        while True:
            try:
                bDemande = SocketAttendConnexion("Serveur")
            except WLangageError:  # "Serveur" closed by pServeurArrete
                break
            if bDemande:
                Canal = SocketAccepte("Serveur")
                ThreadExécute(Canal, threadNormal, ProcédureGestion, Canal)

    def ProcédureGestion(Canal: str) -> None:
        # The opening handshake runs inside the first SocketLit.
        sTexte = SocketLit(Canal)
        # The subprotocol chosen by the handshake ("" when the client asked none).
        sProtocol = Majuscule(SocketClientInfo(Canal, SocketWebSocketProtocole)) or "JSON"
        # "" with an error: the client has gone (an empty message has no error).
        while not (sTexte == "" and ErreurDétectée):
            if sProtocol == "XML":
                sRes = RC.join(['<XML status="ok">', "%1", "</XML>"])
            elif sProtocol == "JSON":
                sRes = RC.join(['{ "status" : "ok",', '"reponse": "%1" }'])
            else:
                sRes = "Format non supporté !"
            # A text message arrives as a chaîne, is answered as a text message.
            SocketEcrit(Canal, ChaîneConstruit(sRes, sTexte))
            sTexte = SocketLit(Canal)
        SocketFerme(Canal)

    if SocketCrée("Serveur", nPort, sAdresse) == Faux:
        Erreur("Erreur de création " + ErreurInfo(errMessage))
        return False
    # Every channel accepted from "Serveur" speaks WebSocket, offering these subprotocols.
    SocketChangeModeTransmission("Serveur", SocketWebSocket, PROTOCOLES)
    ThreadExécute("Thread1", threadNormal, ProcédureAttente)
    return True


def pServeurArrete(nAttenteMax: str = "10 s") -> bool:
    """Stop listening; True when the listening thread has ended."""
    if SocketExiste("Serveur"):
        SocketFerme("Serveur")
    return ThreadAttend("Thread1", nAttenteMax)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="'Gestion des WebSockets' server, SocketWebSocket mode.")
    parser.add_argument("--port", type=int, default=0, help="default: a self-test on a free port")
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args(argv)
    if args.port:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _console import serve_until_interrupted

        return serve_until_interrupted(pServeurSocketEcoute, pServeurArrete, args.port, args.address)
    # Self-test: one message through WebSocketClientConnecte, the answer printed.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if not pServeurSocketEcoute(port, "127.0.0.1"):
        return 1
    try:
        if not WebSocketClientConnecte("client", "127.0.0.1", port, "/", "json"):
            print("connection failed:", ErreurInfo(errMessage))
            return 1
        SocketEcrit("client", "Bonjour")
        answer = SocketLit("client", Vrai)
        SocketFerme("client")
    finally:
        pServeurArrete()
    print("client -> server: Bonjour")
    print("server -> client:", answer)
    return 0 if answer == '{ "status" : "ok",\r\n"reponse": "Bonjour" }' else 1


if __name__ == "__main__":
    sys.exit(main())

"""WebSocketClientConnecte: the synchronous and the asynchronous syntax.

Ported from the examples of the WebSocketClientConnecte help page
(reconstructed from their description).  The documentation talks to a public
echo server (echo.websocket.events); the port talks to a local echo server
instead, written with wlsocket's SocketWebSocket mode, so that it runs
offline and its result can be checked.  ToastAffiche (a WINDEV Mobile
notification) becomes Info.

Run:  python examples/websocketclientconnecte.py
"""

from __future__ import annotations

import sys
import threading

from wlsocket import *  # noqa: F403

# --- the synchronous syntax -----------------------------------------------------------

# PROCEDURE pEchoSynchrone(sAdresse, nPort)
def pEchoSynchrone(sAdresse: str, nPort: int, sMessage: str = "Bonjour") -> str:
    # SI WebSocketClientConnecte("MaWebSocket", "echo.websocket.events") ALORS
    if WebSocketClientConnecte("MaWebSocket", sAdresse, nPort):
        # SocketEcrit("MaWebSocket", "Bonjour")
        SocketEcrit("MaWebSocket", sMessage)
        # sRéponse est une chaîne = SocketLit("MaWebSocket", Vrai)
        sRéponse = SocketLit("MaWebSocket", Vrai)
        # ToastAffiche(sRéponse)
        Info(sRéponse)
        # SocketFerme("MaWebSocket")
        SocketFerme("MaWebSocket")
        # RENVOYER sRéponse
        return sRéponse
    # SINON
    else:
        # Erreur(ErreurInfo())
        Erreur(ErreurInfo())
    # FIN
    return ""


# --- the asynchronous syntax ----------------------------------------------------------

#: Added by the port: what the events showed, and the end of the exchange.
gtabAffiché: list[str] = []
gFini = threading.Event()


# PROCEDURE pEchoAsynchrone(sAdresse, nPort)
def pEchoAsynchrone(sAdresse: str, nPort: int, sMessage: str = "Bonjour") -> list[str]:
    gtabAffiché.clear()
    gFini.clear()

    # PROCEDURE INTERNE ProcédureWebSocket(nEvénement, sMessageReçu)
    def ProcédureWebSocket(nEvénement: int, sMessageReçu: str) -> None:
        # SELON nEvénement
        # 	CAS SocketOuverture : SocketEcrit("MaWebSocket", "Bonjour")
        if nEvénement == SocketOuverture:
            SocketEcrit("MaWebSocket", sMessage)
        # 	CAS SocketMessage : ToastAffiche(sMessageReçu)
        elif nEvénement == SocketMessage:
            gtabAffiché.append(sMessageReçu)
            Info(sMessageReçu)
            gFini.set()
        # 	CAS SocketFermeture : ToastAffiche("Fermeture : " + sMessageReçu)
        elif nEvénement == SocketFermeture:
            gtabAffiché.append("Fermeture")
            Info("Fermeture : " + sMessageReçu)
            gFini.set()
        # 	CAS SocketErreur : ToastAffiche("Erreur : " + sMessageReçu)
        elif nEvénement == SocketErreur:
            gtabAffiché.append("Erreur : " + sMessageReçu)
            Info("Erreur : " + sMessageReçu)
            gFini.set()
        # FIN

    # WebSocketClientConnecte("MaWebSocket", ProcédureWebSocket, "echo.websocket.events")
    WebSocketClientConnecte("MaWebSocket", ProcédureWebSocket, sAdresse, nPort)
    # Added by the port: a program would go on with its work; the example waits for the echo.
    gFini.wait(10)
    # SocketFerme("MaWebSocket")
    SocketFerme("MaWebSocket")
    return list(gtabAffiché)


# --- the local stand-in for the public echo server --------------------------------------


def démarre_serveur_echo(nPort: int) -> None:
    """An echo server on 127.0.0.1 (each message sent back as it came), SocketWebSocket mode."""

    def écoute() -> None:
        while True:
            try:
                if not SocketAttendConnexion("ServeurEcho"):
                    continue
            except WLangageError:  # closed by arrête_serveur_echo
                return
            Canal = SocketAccepte("ServeurEcho")
            ThreadExécute(Canal, threadNormal, écho, Canal)

    def écho(Canal: str) -> None:
        while True:
            sMessage = SocketLit(Canal)
            if sMessage == "" and ErreurDétectée:
                break
            SocketEcrit(Canal, sMessage)
        SocketFerme(Canal)

    SocketCrée("ServeurEcho", nPort, "127.0.0.1")
    SocketChangeModeTransmission("ServeurEcho", SocketWebSocket)
    ThreadExécute("ServeurEcho", threadNormal, écoute)


def arrête_serveur_echo() -> bool:
    SocketFerme("ServeurEcho")
    return ThreadAttend("ServeurEcho", "10 s")


def main() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    démarre_serveur_echo(port)
    try:
        synchrone = pEchoSynchrone("127.0.0.1", port, "Bonjour (synchrone)")
        asynchrone = pEchoAsynchrone("127.0.0.1", port, "Bonjour (asynchrone)")
    finally:
        arrête_serveur_echo()
    print("synchronous  echo:", synchrone)
    print("asynchronous echo:", asynchrone[0] if asynchrone else "")
    return 0 if synchrone == "Bonjour (synchrone)" and asynchrone[:1] == ["Bonjour (asynchrone)"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""A client application: connect, send a message, read the answer, close.

Ported from the pattern of the help page "Application cliente" (its body was
not available: this is the code its text describes).  Against
serveur_multiclient.py it prints "Reçu : <message>".

Run:  python examples/application_cliente.py --port 8000 [--message Bonjour]
"""

from __future__ import annotations

import argparse
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pClient(nPort, sAdresse, sNom, sMessage)
def pClient(nPort: int = 8000, sAdresse: str = "127.0.0.1", sNom: str = "Client", sMessage: str = "Bonjour") -> str:
    # SI SocketConnecte(sNom, nPort, sAdresse) = Faux ALORS
    if SocketConnecte(sNom, nPort, sAdresse) == Faux:
        # Erreur("Connexion impossible : " + ErreurInfo(errMessage))
        Erreur("Connexion impossible : " + ErreurInfo(errMessage))
        # RENVOYER ""
        return ""
    # FIN
    # SocketEcrit(sNom, sMessage)
    SocketEcrit(sNom, sMessage)
    # sRéponse est une chaîne = SocketLit(sNom)
    sRéponse = SocketLit(sNom)
    # SocketFerme(sNom)
    SocketFerme(sNom)
    # RENVOYER sRéponse
    return sRéponse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: start serveur_multiclient.py's self-test")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--message", default="Bonjour")
    args = parser.parse_args(argv)
    if not args.port:
        import subprocess
        from pathlib import Path

        server = Path(__file__).with_name("serveur_multiclient.py")
        return subprocess.run([sys.executable, str(server)], timeout=60).returncode
    answer = pClient(args.port, args.address, "Client", args.message)
    # Info(sRéponse)
    Info(answer)
    return 0 if answer else 1


if __name__ == "__main__":
    sys.exit(main())

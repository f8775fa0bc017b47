"""SocketConnecteSSL: connect to an SSL server, report failure.

Ported from the example of the SocketConnecteSSL help page (reconstructed
from its description), completed with one message and its answer.

Differs: WINDEV trusts the Windows certificate store; wlsocket trusts the
system's store, or (a wlsocket extension, keyword ``ca_file``) the
certificate authority given, as here for a local test certificate.

Run:  python examples/socketconnectessl.py     (runs socketcreessl.py, which uses it)
"""

from __future__ import annotations

import sys
from pathlib import Path

from wlsocket import *  # noqa: F403


# PROCEDURE pClientSSL(nPort, sAdresseIP, sMessage)
def pClientSSL(nPort: int, sAdresseIP: str, sMessage: str, sAutorité: str | None = None) -> str:
    # SI SocketConnecteSSL("Server", 8000, sAdresseIP) = Faux ALORS
    if SocketConnecteSSL("Server", nPort, sAdresseIP, ca_file=sAutorité) == Faux:
        # Erreur("Connexion impossible : " + ErreurInfo(errMessage))
        Erreur("Connexion impossible : " + ErreurInfo(errMessage))
        # RENVOYER ""
        return ""
    # FIN
    # SocketEcrit("Server", sMessage)
    SocketEcrit("Server", sMessage)
    # sRéponse est une chaîne = SocketLit("Server")
    sRéponse = SocketLit("Server")
    # SocketFerme("Server")
    SocketFerme("Server")
    # RENVOYER sRéponse
    return sRéponse


if __name__ == "__main__":
    import subprocess

    server = Path(__file__).with_name("socketcreessl.py")
    sys.exit(subprocess.run([sys.executable, str(server)], timeout=120).returncode)

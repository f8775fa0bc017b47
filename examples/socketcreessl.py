"""SocketCréeSSL: an SSL server socket whose certificate is named by its thumbprint.

Ported from the example of the SocketCréeSSL help page (reconstructed from
its description): create the server with a certificate hash and
HashCertificat, report ErreurInfo on failure, serve, close at the end.

Differs: WINDEV looks the thumbprint up in the Windows certificate store;
wlsocket looks it up in the folder set with SocketDossierCertificats (or the
WLSOCKET_CERT_DIR environment variable).  The script makes a certificate for
127.0.0.1 in a temporary folder, then runs the server and, as its client,
the procedure of socketconnectessl.py.

Run:  python examples/socketcreessl.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from wlsocket import *  # noqa: F403


# PROCEDURE pServeurSSL(sEmpreinte, nPort)
def pServeurSSL(sEmpreinte: str, nPort: int = 5043) -> bool:
    """Start the SSL server socket "ServeurSSL"; True when it listens."""
    # SI SocketCréeSSL("ServeurSSL", 5043, sEmpreinte, HashCertificat) = Faux ALORS
    # (Differs: loopback only, port as a parameter)
    if SocketCréeSSL("ServeurSSL", nPort, sEmpreinte, HashCertificat, "127.0.0.1") == Faux:
        # Erreur(ErreurInfo())
        Erreur(ErreurInfo())
        # RENVOYER Faux
        return Faux
    # FIN
    # Info("Serveur SSL démarré")
    Info("Serveur SSL démarré")
    # RENVOYER Vrai
    return Vrai


# PROCEDURE pServeurSSLRépond()
def pServeurSSLRépond() -> str:
    """Serve one client: read its message, answer it, close (the end of the example)."""
    # sMessage est une chaîne = ""
    sMessage = ""
    # SI SocketAttendConnexion("ServeurSSL", 10000) ALORS
    if SocketAttendConnexion("ServeurSSL", 10000):
        # Canal est une chaîne = SocketAccepte("ServeurSSL")
        Canal = SocketAccepte("ServeurSSL")
        # sMessage = SocketLit(Canal)
        sMessage = SocketLit(Canal)
        # SocketEcrit(Canal, "Reçu en SSL : " + sMessage)
        SocketEcrit(Canal, "Reçu en SSL : " + sMessage)
        # SocketFerme(Canal)
        SocketFerme(Canal)
    # FIN
    # SocketFerme("ServeurSSL")
    SocketFerme("ServeurSSL")
    # RENVOYER sMessage
    return sMessage


def main() -> int:
    import importlib.util
    import socket
    import threading

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from _certificat_local import make_certificate

    spec = importlib.util.spec_from_file_location("socketconnectessl", here / "socketconnectessl.py")
    client = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as folder, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        _, authority, empreinte = make_certificate(Path(folder))
        # SocketDossierCertificats: where wlsocket looks the thumbprint up (a wlsocket extension).
        SocketDossierCertificats(folder)
        if not pServeurSSL(empreinte, port):
            return 1
        served: list[str] = []
        server = threading.Thread(target=lambda: served.append(pServeurSSLRépond()))
        server.start()
        answer = client.pClientSSL(port, "127.0.0.1", "Bonjour en TLS", str(authority))
        server.join(20)
    print(f"thumbprint {empreinte}; the server read {served!r}; the client read {answer!r}")
    return 0 if served == ["Bonjour en TLS"] and answer == "Reçu en SSL : Bonjour en TLS" else 1


if __name__ == "__main__":
    sys.exit(main())

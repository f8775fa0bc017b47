"""SocketExiste: create the socket only if it does not exist yet, otherwise read from it.

Ported from the example of the SocketExiste help page (reconstructed from its
description: the page's own text is not reproduced).  Called a first time,
the procedure creates the server socket "MaSocket"; called again, the socket
exists and the procedure reads what its client sent (a socket made by
SocketCrée and read directly is the "simplified server": its first client is
accepted on the first read).

Run:  python examples/socketexiste.py [--port 8000]
(the script also plays the client, with a plain Python socket)
"""

from __future__ import annotations

import argparse
import socket
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pLitOuCrée(nPort)
def pLitOuCrée(nPort: int = 8000) -> str:
    """Returns what was read ("" when the socket was just created)."""
    # sMessage est une chaîne
    sMessage = ""
    # SI SocketExiste("MaSocket") = Faux ALORS
    if SocketExiste("MaSocket") == Faux:
        # SI SocketCrée("MaSocket", 8000) = Faux ALORS
        # (Differs: the port listens on loopback only, on the port given)
        if SocketCrée("MaSocket", nPort, "127.0.0.1") == Faux:
            # Erreur("Erreur de création : " + ErreurInfo(errMessage))
            Erreur("Erreur de création : " + ErreurInfo(errMessage))
        # FIN
    # SINON
    else:
        # sMessage = SocketLit("MaSocket", Faux)
        sMessage = SocketLit("MaSocket", Faux)
    # FIN
    # RENVOYER sMessage
    return sMessage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port (the documentation uses 8000)")
    port = parser.parse_args(argv).port
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    pLitOuCrée(port)
    print("first call : SocketExiste is false, 'MaSocket' created on port", port)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"5\r\nHello")  # SocketTailleDébut framing: size, CR LF, message
        message = pLitOuCrée(port)
        print(f"second call: SocketExiste is true, SocketLit read {message!r}")
    SocketFerme("MaSocket")
    return 0 if message == "Hello" else 1


if __name__ == "__main__":
    sys.exit(main())

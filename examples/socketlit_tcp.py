"""SocketLit in a loop: list every message received, with the time it came.

Ported from the second example of the SocketLit help page (WEBDEV server
code, reconstructed from its description): while the socket exists, read
with an infinite wait and add each non-empty message, time-stamped, to a
list control (ListeAjoute); the port adds it to a Python list.

Run:  python examples/socketlit_tcp.py
(the script's peer is a plain Python socket sending three messages)
"""

from __future__ import annotations

import datetime
import socket
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pListeMessages(sSocket, LISTE_Messages)
def pListeMessages(sSocket: str, LISTE_Messages: list[str]) -> None:
    # TANTQUE SocketExiste(sSocket)
    while SocketExiste(sSocket):
        # sMessage est une chaîne = SocketLit(sSocket, Vrai)
        sMessage = SocketLit(sSocket, Vrai)
        # Differs: the original keeps looping (at full speed) once the peer
        # has gone, until someone calls SocketFerme; the port stops there.
        if sMessage == "" and ErreurDétectée:
            break
        # SI sMessage <> "" ALORS
        if sMessage != "":
            # ListeAjoute(LISTE_Messages, HeureVersChaîne(Maintenant()) + " " + sMessage)
            LISTE_Messages.append(datetime.datetime.now().strftime("%H:%M:%S") + " " + sMessage)
        # FIN
    # FIN


def main() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        SocketConnecte("Flux", listener.getsockname()[1], "127.0.0.1")
        peer, _ = listener.accept()
        with peer:
            # Three messages in the default framing (size, CR LF, bytes), then the peer leaves.
            peer.sendall(b"2\r\nun4\r\ndeux5\r\ntrois")
        messages: list[str] = []
        pListeMessages("Flux", messages)
        SocketFerme("Flux")
    for line in messages:
        print(line)
    return 0 if [line[9:] for line in messages] == ["un", "deux", "trois"] else 1


if __name__ == "__main__":
    sys.exit(main())

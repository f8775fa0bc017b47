"""SocketLit with SocketClientInfo: list every datagram received with its sender.

Ported from the first example of the SocketLit help page (reconstructed from
its description).  The WINDEV example adds a row (message, sender's address,
sender's port) to a table control with TableAjoute; the port adds the same
row, TAB-separated as TableAjoute takes it, to a Python list.

Run:  python examples/socketlit_udp.py
(the script sends three datagrams from a plain Python UDP socket)
"""

from __future__ import annotations

import socket
import sys

from wlsocket import *  # noqa: F403


# PROCEDURE pLitDatagrammes(sSocket, TABLE_Messages, nNombre)
def pLitDatagrammes(sSocket: str, TABLE_Messages: list[str], nNombre: int) -> None:
    # POUR i = 1 _A_ nNombre
    for _i in range(1, nNombre + 1):
        # sMessage est une chaîne = SocketLit(sSocket, Faux)
        sMessage = SocketLit(sSocket, Faux)
        # SI sMessage <> "" ALORS
        if sMessage != "":
            # TableAjoute(TABLE_Messages, sMessage + TAB + ...
            #     SocketClientInfo(sSocket, SocketAdresse) + TAB + SocketClientInfo(sSocket, SocketPort))
            TABLE_Messages.append(
                sMessage + TAB + SocketClientInfo(sSocket, SocketAdresse) + TAB + SocketClientInfo(sSocket, SocketPort)
            )
        # FIN
    # FIN


def main() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.bind(("127.0.0.1", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if not SocketCréeUDP("Réception", port, "127.0.0.1"):
            print("SocketCréeUDP failed:", ErreurInfo(errMessage))
            return 1
        for text in (b"un", b"deux", b"trois"):
            sender.sendto(text, ("127.0.0.1", port))
        table: list[str] = []
        pLitDatagrammes("Réception", table, 3)
        SocketFerme("Réception")
        sender_port = sender.getsockname()[1]
    for row in table:
        print(row.replace(TAB, " | "))
    expected = [f"{text}\t127.0.0.1\t{sender_port}" for text in ("un", "deux", "trois")]
    return 0 if table == expected else 1


if __name__ == "__main__":
    sys.exit(main())

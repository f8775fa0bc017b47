"""The WEBDEV-model project that bench/webdev_bench.py and tests/webdev/test_load.py serve.

A client that connects gets "welcome".  "broadcast <label> [<count> [<size>]]"
sends "<label> <n> <padding>" (n from 0 to count - 1, padding of size bytes)
to every connected client, the sender too, then "done <label>" to the sender.
Each Deconnexion is written to stderr as "Deconnexion <client id>".
"""

from __future__ import annotations

import sys
from typing import Any

from wlsocket import WebSocketListeClientConnecté


def Connexion(Client: Any) -> None:
    Client.Envoie("welcome")


def ReceptionMessage(Client: Any, vMessage: Any) -> None:
    words = str(vMessage).split()
    if len(words) >= 2 and words[0] == "broadcast":
        count = int(words[2]) if len(words) > 2 else 1
        padding = "x" * (int(words[3]) if len(words) > 3 else 0)
        for number in range(count):
            for Other in WebSocketListeClientConnecté():
                Other.Envoie(f"{words[1]} {number} {padding}")
        Client.Envoie(f"done {words[1]}")


def Deconnexion(Client: Any) -> None:
    print(f"Deconnexion {Client.Identifiant}", file=sys.stderr, flush=True)

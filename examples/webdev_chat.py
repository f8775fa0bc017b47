"""A chat in the WEBDEV "WebSocket server" project model.

Run it:  python -m wlsocket.serveur_websocket examples/webdev_chat.py --port 8080 --path /WW_Chat
Connect: ws://127.0.0.1:8080/WW_Chat  (a browser, a WINDEV WebSocketClientConnecte, any client)

Every message is a JSON object.  A client sends:
    {"action": "register", "name": "Ana"}    first, to join
    {"action": "typing"}                     while it types
    {"action": "text", "text": "hello"}      a line of chat
The server sends:
    {"event": "members", "you": {...}, "members": [{...}, ...]}  to a client that registered
    {"event": "joined", "member": {...}}      to the others
    {"event": "typing", "member": {...}}      to the others
    {"event": "text", "member": {...}, "text": "...", "received": n}   to everyone
    {"event": "left", "member": {...}}        when a member's connection ends
    {"event": "shutdown"}                     when the server stops
A member is {"id": "...", "name": "..."}: the Note the server keeps on each client.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from wlsocket import *

# Globals: every client's context has its own copy (the server's global service too).
gsMyName = ""       # this client's name, once registered
gnReceived = 0      # lines of chat this client has been sent
gMe: Any = None     # this context's own client


def Member(Client: Any) -> Any:
    """The member a client registered as (its Note), or None before it registered."""
    return Client.Note if isinstance(Client.Note, dict) else None


def OtherMembers(Client: Any) -> list[Any]:
    return [Other for Other in WebSocketListeClientConnecté() if Other != Client and Member(Other) is not None]


def Connexion(Client: Any) -> None:
    """A client connects: it says nothing until it registers."""
    global gMe
    gMe = Client


def ReceptionMessage(Client: Any, vMessage: Any) -> None:
    global gsMyName
    jMessage = json.loads(vMessage)   # a message that is not JSON fails here: reported, the client stays
    sAction = jMessage.get("action")
    if sAction == "register":
        gsMyName = str(jMessage.get("name", ""))
        Client.Note = {"id": str(uuid.uuid4()), "name": gsMyName}
        Client.Envoie({"event": "members", "you": Client.Note,
                       "members": [Member(Other) for Other in OtherMembers(Client)]})
        for Other in OtherMembers(Client):
            Other.Envoie({"event": "joined", "member": Client.Note})
    elif Member(Client) is None:
        Client.Envoie({"event": "error", "reason": "register first"})
    elif sAction == "typing":
        for Other in OtherMembers(Client):
            Other.Envoie({"event": "typing", "member": Client.Note})
    elif sAction == "text":
        for Other in WebSocketListeClientConnecté():
            if Member(Other) is not None:
                # Runs in Other's context: its own gnReceived counts the lines it was sent.
                WebSocketExécute(Other, DeliverText, (json.dumps(Client.Note), str(jMessage.get("text", ""))))


def DeliverText(sMember: str, sText: str) -> None:
    """Run by WebSocketExécute in the context of the member who receives the line."""
    global gnReceived
    gnReceived += 1
    gMe.Envoie({"event": "text", "member": json.loads(sMember), "text": sText, "received": gnReceived})


def Deconnexion(Client: Any) -> None:
    if Member(Client) is not None:
        for Other in OtherMembers(Client):
            Other.Envoie({"event": "left", "member": Client.Note})


def ArretServeur() -> None:
    for Client in WebSocketListeClientConnecté():
        Client.Envoie({"event": "shutdown"})

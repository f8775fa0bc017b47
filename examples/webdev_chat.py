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
    {"event": "text", "member": {...}, "text": "...", "received": n}   to every member
    {"event": "left", "member": {...}}        when a member's connection ends
    {"event": "shutdown"}                     when the server stops
    {"event": "error", "reason": "..."}       for a message it cannot use
A member is {"id": "<DonneUUID>", "name": "..."}: the Note the server keeps on each client.
"""

from __future__ import annotations

from typing import Any

from wlsocket import *

# Globals: every client's context has its own copy (the server's global service too).
gMe: Any = None     # this context's own client
gnReceived = 0      # lines of chat this client has been sent


def Event(sEvent: str, **members: Any) -> Any:
    """A json {"event": sEvent, ...members}."""
    jEvent = JSON()
    jEvent.event = sEvent
    for sName, value in members.items():
        jEvent[sName] = value
    return jEvent


def IsMember(Client: Any) -> bool:
    """A client is a member once it registered: its Note is then a json."""
    return isinstance(Client.Note, JSON)


def OtherMembers(Client: Any) -> list[Any]:
    return [Other for Other in WebSocketListeClientConnecté() if Other != Client and IsMember(Other)]


def Connexion(Client: Any) -> None:
    """A client connects: it says nothing until it registers."""
    global gMe
    gMe = Client


def ReceptionMessage(Client: Any, vMessage: Any) -> None:
    # jMessage est un JSON = vMessage: text that starts like JSON but is not JSON is the
    # fatal JSON_INVALIDE (reported by the server; the client stays); other text is a JSON string.
    jMessage = JSON(vMessage)
    sAction = jMessage.action if isinstance(jMessage.Valeur_, dict) else None  # a JSON object, not a string
    if sAction is None or not sAction.Existe_:
        Client.Envoie(Event("error", reason="a JSON object with an action is expected"))
    elif sAction == "register":
        jMember = JSON()
        jMember.id = DonneUUID()
        jMember.name = jMessage.name if jMessage.name.Existe_ else ""
        Client.Note = jMember  # a member from now on: one who registers at the same time will list it
        tabOthers = OtherMembers(Client)
        # The others first: once the client has its list, every member it lists has been told.
        for Other in tabOthers:
            Other.Envoie(Event("joined", member=jMember))
        Client.Envoie(Event("members", you=jMember, members=[Other.Note for Other in tabOthers]))
    elif not IsMember(Client):
        Client.Envoie(Event("error", reason="register first"))
    elif sAction == "typing":
        for Other in OtherMembers(Client):
            Other.Envoie(Event("typing", member=Client.Note))
    elif sAction == "text":
        sText = str(jMessage.text)
        for Other in WebSocketListeClientConnecté():
            if IsMember(Other):
                # Runs in Other's context: its own gnReceived counts the lines it was sent.
                WebSocketExécute(Other, DeliverText, (str(Client.Note), sText))
    else:
        Client.Envoie(Event("error", reason=f"unknown action {sAction}"))


def DeliverText(sMember: str, sText: str) -> None:
    """Run by WebSocketExécute in the context of the member who receives the line."""
    global gnReceived
    gnReceived += 1
    gMe.Envoie(Event("text", member=JSON(sMember), text=sText, received=gnReceived))


def Deconnexion(Client: Any) -> None:
    if IsMember(Client):
        for Other in OtherMembers(Client):
            Other.Envoie(Event("left", member=Client.Note))


def ArretServeur() -> None:
    for Client in WebSocketListeClientConnecté():
        Client.Envoie(Event("shutdown"))

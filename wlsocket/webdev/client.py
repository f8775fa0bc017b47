"""The ``websocketClient`` type of a WEBDEV "WebSocket server" project.

    PROCEDURE ReceptionMessage(Client est un websocketClient, vMessage est un Variant)
        Client.Note = jInfos                 // a value the program attaches to the client
        Client.Envoie(jRéponse)              // json, chaîne or Buffer; asynchronous
        Client.Exécute(MaProcédure, (p1))    // = WebSocketExécute(Client, MaProcédure, (p1))
        SI Client = ClientCourant ALORS ...  // the same connected client

A :class:`WebSocketClient` is a handle: two handles of the same connection
compare equal (and hash alike) whichever context or process made them.
What a handle does goes through its server's client directory (local, or
all the processes of a ``--redis`` server), so a handle obtained from
WebSocketListeClientConnecté works for a client of another process too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..errors import raise_error

__all__ = ["WebSocketClient", "Directory"]

#: WebSocketExécute, installed by wlsocket.webdev.functions when it loads: that
#: module imports this one, so the method form reaches it through this hook.
websocket_execute: Callable[[WebSocketClient, Any, Any], None] | None = None

_DIRECTORY_MEMBERS = ("list_clients", "get_note", "set_note", "send", "execute")


class Directory(Protocol):
    """What a handle talks to: this process's clients, or every process's (--redis)."""

    def list_clients(self) -> list[WebSocketClient]: ...

    def get_note(self, client_id: str) -> Any: ...

    def set_note(self, client_id: str, value: Any) -> None: ...

    def send(self, client_id: str, message: Any) -> None: ...

    def execute(self, client_id: str, procedure: str, parameters: tuple[Any, ...]) -> None: ...


class WebSocketClient:
    """websocketClient: one client connected to the WebSocket server.

    Members (French, English): ``Note`` (read/write, any value: the
    program's own data about the client, stored by value), ``Envoie`` /
    ``Send``, ``Exécute`` / ``Execute``; wlsocket extensions:
    ``Identifiant`` / ``Identifier`` (a chaîne unique for the server's
    lifetime), ``Adresse`` / ``Address`` (the client's IP address).
    """

    __slots__ = ("_id", "_directory", "_address")

    def __init__(self, client_id: str, directory: Directory, address: str = "") -> None:
        """Made by the server (WebSocketListeClientConnecté, the events); a
        program does not build one.  Fatal PARAMETRE_INVALIDE otherwise."""
        if not isinstance(client_id, str) or not client_id or not isinstance(address, str) \
                or not all(callable(getattr(directory, member, None)) for member in _DIRECTORY_MEMBERS):
            raise_error("PARAMETRE_INVALIDE", "a websocketClient comes from the server (WebSocketListeClientConnecté)")
        self._id = client_id
        self._directory = directory
        self._address = address

    # -- identity ----------------------------------------------------------------

    @property
    def Identifiant(self) -> str:
        """wlsocket extension: the client's identity (process id - number)."""
        return self._id

    Identifier = Identifiant

    @property
    def Adresse(self) -> str:
        """wlsocket extension: the client's IP address, as SocketClientInfo gives it."""
        return self._address

    Address = Adresse

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WebSocketClient):
            return NotImplemented
        return self._id == other._id

    def __hash__(self) -> int:
        return hash(self._id)

    def __repr__(self) -> str:
        return f"websocketClient({self._id!r})"

    # -- Note ------------------------------------------------------------------------

    @property
    def Note(self) -> Any:
        """The value the program attached to this client ("" until set).

        Set: the value is copied (json, chaîne, number, Buffer, array...),
        so changing the variable afterwards does not change the Note; with
        ``--redis`` the other processes see it at their next
        WebSocketListeClientConnecté.  Reading it on a client that has
        gone gives its last value.
        """
        return self._directory.get_note(self._id)

    @Note.setter
    def Note(self, value: Any) -> None:
        self._directory.set_note(self._id, value)

    # -- methods ---------------------------------------------------------------------

    def Envoie(self, message: Any) -> None:
        """<Client>.Envoie(<message>): WebSocketEnvoie(Client, message).

        A chaîne goes as a text message, a Buffer as a binary message, a
        json (or a Python dict / list) as its JSON text.  Asynchronous: the
        message is queued and sent by the client's writer; it never reports
        an error (a client that has gone simply does not get it), as
        PC SOFT documents for WebSocketEnvoie.
        """
        self._directory.send(self._id, message)

    Send = Envoie

    def Exécute(self, procedure: Any, parameters: Any = ()) -> None:
        """<Client>.Exécute(<procédure> [, (<p1>, ..., <pN>)]): WebSocketExécute(Client, ...)."""
        if websocket_execute is None:
            raise_error("FONCTION_INTERDITE", "wlsocket.webdev.functions is not loaded")
        websocket_execute(self, procedure, parameters)

    Execute = Exécute

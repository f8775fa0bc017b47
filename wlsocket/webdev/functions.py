"""The WLangage functions of a WEBDEV "WebSocket server" project.

    tabClients est un tableau de websocketClient = WebSocketListeClientConnecté()
    WebSocketExécute(Client, MaProcédure [, (p1, ..., pN)])
    WebSocketEnvoie(Client, Message)

They act on the server whose context runs the calling code (an event
procedure, or a procedure run by WebSocketExécute), or else on the one
server running in this process.  Called with no server running, they are
the fatal FONCTION_INTERDITE.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any, Protocol

from ..errors import raise_error
from ..values import Buffer
from . import client as client_module
from .client import WebSocketClient
from .contexts import current_context
from .directory import Directory

__all__ = [
    "list_connected_clients",
    "websocket_execute",
    "websocket_send",
    "set_running_server",
    "clear_running_server",
]

_SIMPLE_TYPES = (bool, int, float, Decimal, str, bytes, Buffer, type(None))


class ServerLike(Protocol):
    directory: Directory


_running_lock = threading.Lock()
_running: list[ServerLike] = []


def set_running_server(server: ServerLike) -> None:
    with _running_lock:
        _running.append(server)


def clear_running_server(server: ServerLike) -> None:
    with _running_lock:
        if server in _running:
            _running.remove(server)


def _server() -> ServerLike:
    context = current_context()
    if context is not None and context.owner is not None:
        owner: ServerLike = context.owner
        return owner
    with _running_lock:
        found: ServerLike | None = _running[0] if len(_running) == 1 else None
        count = len(_running)
    if found is None:
        raise_error("FONCTION_INTERDITE", "no WebSocket server runs in this process" if count == 0
                    else f"{count} WebSocket servers run in this process: call it from one of their procedures")
    return found


def list_connected_clients() -> list[WebSocketClient]:
    """WebSocketListeClientConnecté() / WebSocketListConnectedClient()
    -> tableau de websocketClient

    The clients connected now, in the order they connected (with
    ``--redis``: those of every process, each process's in its order).  A
    client is in the list from just before its Connexion event until just
    before its Deconnexion event.
    """
    return _server().directory.list_clients()


def _check_client(client: Any) -> WebSocketClient:
    if not isinstance(client, WebSocketClient):
        raise_error("PARAMETRE_INVALIDE", f"a websocketClient is expected, got {type(client).__name__}")
    return client


def websocket_send(client: Any, message: Any) -> None:
    """WebSocketEnvoie(<client>, <message>) / WebSocketSend: see websocketClient.Envoie."""
    _check_client(client)
    _server().directory.send(client.Identifiant, message)


def websocket_execute(client: Any, procedure: Any, parameters: Any = ()) -> None:
    """WebSocketExécute(<client>, <procédure> [, (<p1>, ..., <pN>)]) / WebSocketExecute

    Runs the global procedure ``procedure`` in the context of ``client``:
    with that client's copy of the module's globals, after what is already
    queued there.  Asynchronous: returns at once, nothing is returned.
    ``procedure`` is the procedure itself (as in WLangage; the one of the
    target context with the same name runs) or its name.  ``parameters``:
    a tuple of simple values (booléen, entier, réel, chaîne, Buffer),
    passed by value; one value alone is taken as ``(value,)``.

    Chosen: a client that has gone (or goes before its turn) makes the
    call do nothing, as WebSocketEnvoie does.  Fatal: PARAMETRE_INVALIDE
    for a client that is not a websocketClient; PROCEDURE_INVALIDE for a
    procedure that is not a global procedure of the project's module;
    TYPE_PARAMETRE_INVALIDE for a parameter of another type (a class
    instance, an array...).
    """
    _check_client(client)
    if isinstance(procedure, str):
        name = procedure
    else:
        name = getattr(procedure, "__name__", "")
        if not callable(procedure) or not name:
            raise_error("PROCEDURE_INVALIDE", repr(procedure))
    context = current_context()
    module = context.module if context is not None else None
    if module is not None and not callable(getattr(module, name, None)):
        raise_error("PROCEDURE_INVALIDE", f"{name} is not a global procedure of {module.__name__}")
    if not isinstance(parameters, (tuple, list)):
        parameters = (parameters,)
    for value in parameters:
        if not isinstance(value, _SIMPLE_TYPES):
            raise_error("TYPE_PARAMETRE_INVALIDE",
                        f"{type(value).__name__} (WebSocketExécute takes simple values only)")
    values = tuple(Buffer(value) if isinstance(value, bytes) and not isinstance(value, Buffer) else value
                   for value in parameters)
    _server().directory.execute(client.Identifiant, name, values)


client_module.websocket_execute = websocket_execute

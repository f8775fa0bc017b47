"""The WEBDEV "Serveur de WebSocket" project model, off Windows and IIS.

    python -m wlsocket.serveur_websocket MODULE [--port N] [--host H] [--path /Name]
                                         [--tls CERT.pem] [--redis URL]

or from Python::

    from wlsocket.webdev import WebSocketServer
    server = WebSocketServer("chat.py", port=8080, path="/WW_Chat")
    server.start(); ...; server.stop()

One concept per module: :mod:`.project` (the module and its events),
:mod:`.contexts` (execution contexts), :mod:`.client` (the websocketClient
type), :mod:`.directory` (the list of clients), :mod:`.connection` and
:mod:`.outbox` (one client, its bounded send queue), :mod:`.message`
(Variant in, json / chaîne / Buffer out), :mod:`.functions` (the WLangage
functions), :mod:`.server` (the runner), :mod:`.redis_bridge` (several
processes, imported only with ``--redis``).  See
docs/webdev-websocket-server.md.
"""

from __future__ import annotations

from .client import WebSocketClient
from .functions import list_connected_clients, websocket_execute, websocket_send
from .project import EVENTS, Project, load_project
from .server import ServerSettings, WebSocketServer

__all__ = [
    "EVENTS",
    "Project",
    "ServerSettings",
    "WebSocketClient",
    "WebSocketServer",
    "list_connected_clients",
    "load_project",
    "websocket_execute",
    "websocket_send",
]

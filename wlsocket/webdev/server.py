"""The runner: a WEBDEV "WebSocket server" project served by wlsocket.

    server = WebSocketServer("chat.py", port=8080, path="/WW_Chat")
    server.start()          # listening when it returns
    ...
    server.stop()           # ArretServeur, then every connection closed with 1001

It is written over the package's own facade: SocketCrée / SocketCréeSSL,
the SocketWebSocket mode on the listening socket, SocketAttendConnexion /
SocketAccepte, one reader thread per channel in SocketLit, and a writer
per channel (:mod:`.outbox`).  What the program sees is described in
docs/webdev-websocket-server.md.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..api.common import (
    SOCKET_WEBSOCKET,
    socket_change_transmission_mode,
    socket_client_info,
    socket_close,
    socket_read,
)
from ..api.ssl import socket_create_ssl
from ..api.tcp import socket_accept, socket_create, socket_wait_for_connection
from ..api.websocket_server import SOCKET_WS_PATH, socket_websocket_close
from ..errors import WLangageError, error_detected, last_error, raise_error
from ..registry import REGISTRY
from ..transports.base import SOCKET_ADDRESS
from .connection import CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_POLICY, Connection
from .contexts import ExecutionContext, describe_failure
from .directory import Directory, LocalDirectory
from .functions import clear_running_server, set_running_server
from .message import incoming
from .outbox import DEFAULT_SEND_QUEUE_BYTES
from .project import Project, load_project

__all__ = ["WebSocketServer", "ServerSettings", "DEFAULT_MAX_MESSAGE_BYTES"]

#: Largest message a client may send (--max-message); larger: close 1009.
DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024

#: How long stop() lets the queued messages (those of ArretServeur too) go out.
STOP_FLUSH_S = 5.0


@dataclass
class ServerSettings:
    port: int
    host: str | None = None
    #: the request path served ("/WW_Chat"); None: any path
    path: str | None = None
    #: PEM file with the certificate and its key (or the key beside it, .key)
    tls: str | None = None
    redis: str | None = None
    send_queue_bytes: int = DEFAULT_SEND_QUEUE_BYTES
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    events: Mapping[str, str] = field(default_factory=dict)


class WebSocketServer:
    """One process of a WEBDEV-model WebSocket server (see module doc)."""

    def __init__(self, module: str | Project, port: int, **settings: Any) -> None:
        self.settings = ServerSettings(port=port, **settings)
        if self.settings.path is not None and not self.settings.path.startswith("/"):
            self.settings.path = "/" + self.settings.path
        self.project = module if isinstance(module, Project) else load_project(module, self.settings.events)
        #: this process's part of every client id: unique across processes and restarts
        self.process_id = uuid.uuid4().hex[:12]
        self._numbers = itertools.count(1)
        self.local = LocalDirectory(self._execute_local)
        self.directory: Directory = self.local
        self._bridge: Any = None
        self._listener = f"wlsocket-webdev-{self.process_id}"
        self._readers: set[threading.Thread] = set()
        self._handshaking: set[str] = set()  # channels whose opening handshake runs
        self._readers_lock = threading.Lock()
        self._accept_thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self.service = ExecutionContext("service", self.project.instantiate("service"), self.project.filename, self)

    # -- starting ------------------------------------------------------------------

    def start(self) -> None:
        """Listen, then accept in a thread.  Fatal or non-fatal errors of
        SocketCrée / SocketCréeSSL are raised as WLangageError here."""
        settings = self.settings
        if settings.redis:
            from .redis_bridge import RedisBridge  # imported only with --redis

            self._bridge = RedisBridge(settings.redis, self.local, self.process_id, settings.path or "/")
            self.directory = self._bridge
            self.local.front = self._bridge
        if settings.tls:
            created = socket_create_ssl(self._listener, settings.port, settings.tls, 0, settings.host)
        else:
            created = socket_create(self._listener, settings.port, settings.host)
        if not created:
            if self._bridge is not None:
                self._bridge.close()
            raise WLangageError(*last_error())
        options = {"max_message_size": settings.max_message_bytes}
        socket_change_transmission_mode(self._listener, SOCKET_WEBSOCKET, options)
        if self._bridge is not None:
            self._bridge.start()
        set_running_server(self)
        self._accept_thread = threading.Thread(target=self._accept_loop, name="wlsocket-webdev-accept", daemon=True)
        self._accept_thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                if not socket_wait_for_connection(self._listener, 0):
                    if self._stopping.is_set() or not REGISTRY.exists(self._listener):
                        return
                    continue
                channel = socket_accept(self._listener)
            except WLangageError:  # the listener was closed by stop()
                return
            if not channel:
                continue
            reader = threading.Thread(target=self._serve_channel, args=(channel,), name=f"wlsocket-webdev-{channel}",
                                      daemon=True)
            with self._readers_lock:
                self._readers.add(reader)
            reader.start()

    # -- one client ----------------------------------------------------------------

    def _serve_channel(self, channel: str) -> None:
        with self._readers_lock:
            self._handshaking.add(channel)
        try:
            try:
                connection = self._open(channel)
            except WLangageError:  # stop() closed the channel during its handshake
                connection = None
            finally:
                with self._readers_lock:
                    self._handshaking.discard(channel)
            if connection is not None:
                self._client_loop(connection)
        finally:
            with self._readers_lock:
                self._readers.discard(threading.current_thread())

    def _open(self, channel: str) -> Connection | None:
        """Handshake and path check; None when the client is not served."""
        path = socket_client_info(channel, SOCKET_WS_PATH)  # runs the handshake
        if error_detected or self._stopping.is_set():
            self._release(channel)
            return None
        wanted = self.settings.path
        if wanted is not None and path.split("?", 1)[0].rstrip("/") != wanted.rstrip("/"):
            with contextlib.suppress(WLangageError):
                socket_websocket_close(channel, CLOSE_POLICY, "unknown path")
            return None
        address = socket_client_info(channel, SOCKET_ADDRESS)
        client_id = f"{self.process_id}-{next(self._numbers)}"
        connection = Connection(client_id, channel, address, self.settings.send_queue_bytes, self._drop_slow_reader)
        try:
            module = self.project.instantiate(client_id)
        except Exception as exc:  # the module ran once at load; this run failed: this client is not served
            print(f"{describe_failure(exc, self.project.filename)} (starting the context of {client_id})",
                  file=sys.stderr, flush=True)
            connection.close(CLOSE_INTERNAL_ERROR, "the project failed to start")
            return None
        connection.context = ExecutionContext(client_id, module, self.project.filename, self)
        return connection

    @staticmethod
    def _release(channel: str) -> None:
        with contextlib.suppress(WLangageError):
            socket_close(channel)

    def _client_loop(self, connection: Connection) -> None:
        context = connection.context
        assert context is not None
        client = self.local.handle(connection)
        self.local.add(connection)
        if self._stopping.is_set():  # stop() may have listed the clients before this one was added
            connection.close(CLOSE_GOING_AWAY, "server stopping")
        if self._bridge is not None:
            self._bridge.client_added(connection)
        self._post(connection, "connexion", (client,))
        while True:
            try:
                message = socket_read(connection.channel)
            except WLangageError:  # SOCKET_INEXISTANTE: the server closed it (slow reader, stop) and freed the name
                break
            if message == "" and error_detected:
                break
            self._post(connection, "message", (client, incoming(message)))
        self.local.remove(connection)
        if self._bridge is not None:
            self._bridge.client_removed(connection)
        connection.close()
        self._post(connection, "deconnexion", (client,))
        context.close()

    def _post(self, connection: Connection, event: str, args: tuple[Any, ...]) -> None:
        context = connection.context
        assert context is not None
        procedure = self.project.procedure(context.module, event)
        if procedure is not None:
            context.post(self.project.procedures[event], procedure, args, inline=True)

    def _drop_slow_reader(self, connection: Connection) -> None:
        """The client's send queue is full: close it off the sender's path."""
        threading.Thread(target=connection.close, args=(CLOSE_POLICY, "send queue full"),
                         name=f"wlsocket-webdev-drop-{connection.client_id}", daemon=True).start()

    def _execute_local(self, connection: Connection, name: str, parameters: tuple[Any, ...]) -> None:
        """WebSocketExécute on a client of this process."""
        context = connection.context
        if context is None:
            return
        procedure = getattr(context.module, name, None)
        if not callable(procedure):
            raise_error("PROCEDURE_INVALIDE", f"{name} is not a global procedure of {self.project.name}")
        context.post(f"WebSocketExécute({name})", procedure, parameters)

    # -- stopping ------------------------------------------------------------------

    def stop(self) -> None:
        """ArretServeur in the service context (it may still send to every
        client), the queued messages sent (up to 5 s), then every
        connection closed with 1001 and the Deconnexion events run."""
        if self._stopping.is_set():
            self._stopped.wait()
            return
        self._stopping.set()
        self._release(self._listener)
        with self._readers_lock:
            handshaking = list(self._handshaking)
        for channel in handshaking:  # a client still in its opening handshake is not served
            self._release(channel)
        if self._accept_thread is not None:
            self._accept_thread.join(5)
        procedure = self.project.procedure(self.service.module, "arret")
        if procedure is not None:
            self.service.post(self.project.procedures["arret"], procedure, (), inline=True)
        deadline = time.monotonic() + STOP_FLUSH_S
        connections = self.local.connections()
        for connection in connections:
            connection.outbox.wait_empty(max(0.0, deadline - time.monotonic()))
        closers = [threading.Thread(target=connection.close, args=(CLOSE_GOING_AWAY, "server stopping"), daemon=True)
                   for connection in connections]
        for closer in closers:
            closer.start()
        for closer in closers:
            closer.join(10)
        with self._readers_lock:
            readers = list(self._readers)
        for reader in readers:
            reader.join(10)
        for connection in connections:
            if connection.context is not None:
                connection.context.wait_idle(5)
        if self._bridge is not None:
            self._bridge.close()
        clear_running_server(self)
        self._stopped.set()

    def serve_until_signal(self) -> int:
        """Run until SIGTERM or SIGINT (Ctrl+C), then stop(); returns 0."""
        import signal

        requested = threading.Event()

        def on_signal(signum: int, frame: object) -> None:
            requested.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            scheme = "wss" if self.settings.tls else "ws"
            host = self.settings.host or "0.0.0.0"
            print(f"wlsocket.serveur_websocket: {self.project.name} on {scheme}://{host}:{self.settings.port}"
                  f"{self.settings.path or '/'} (pid {os.getpid()})", file=sys.stderr, flush=True)
            while not requested.wait(3600):
                pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stop()
        return 0

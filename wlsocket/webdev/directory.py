"""The list of connected clients, and what can be done to one by its id.

:class:`Directory` is what a :class:`~wlsocket.webdev.client.WebSocketClient`
handle talks to.  :class:`LocalDirectory` knows the clients of this
process; the Redis bridge (:mod:`wlsocket.webdev.redis_bridge`) wraps it
to reach the clients of every process of a ``--redis`` server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .client import Directory, WebSocketClient
from .connection import Connection, copy_value
from .message import outgoing

__all__ = ["Directory", "LocalDirectory", "Executor"]

#: Runs procedure ``name`` with ``parameters`` in the context of a local client.
Executor = Callable[[Connection, str, tuple[Any, ...]], None]


class LocalDirectory:
    """The clients connected to this process, by id, in arrival order."""

    def __init__(self, executor: Executor) -> None:
        self._lock = threading.Lock()
        self._connections: dict[str, Connection] = {}
        self._last_notes: dict[str, Any] = {}
        self._executor = executor
        #: the directory handles are made for (the Redis one when bridged)
        self.front: Directory = self

    # -- membership --------------------------------------------------------------------

    def add(self, connection: Connection) -> None:
        with self._lock:
            self._connections[connection.client_id] = connection

    def remove(self, connection: Connection) -> None:
        with self._lock:
            if self._connections.pop(connection.client_id, None) is not None:
                self._last_notes[connection.client_id] = connection.note
                if len(self._last_notes) > 4096:  # keep the last Notes of recent leavers only
                    self._last_notes.pop(next(iter(self._last_notes)))

    def connection(self, client_id: str) -> Connection | None:
        with self._lock:
            return self._connections.get(client_id)

    def connections(self) -> list[Connection]:
        with self._lock:
            return list(self._connections.values())

    def handle(self, connection: Connection) -> WebSocketClient:
        return WebSocketClient(connection.client_id, self.front, connection.address)

    # -- Directory ---------------------------------------------------------------------

    def list_clients(self) -> list[WebSocketClient]:
        return [self.handle(connection) for connection in self.connections()]

    def get_note(self, client_id: str) -> Any:
        connection = self.connection(client_id)
        if connection is not None:
            return connection.note
        with self._lock:
            return self._last_notes.get(client_id, "")

    def set_note(self, client_id: str, value: Any) -> None:
        connection = self.connection(client_id)
        if connection is not None:
            connection.note = copy_value(value)

    def send(self, client_id: str, message: Any) -> None:
        payload = outgoing(message)  # a wrong type is the program's error, even for a gone client
        connection = self.connection(client_id)
        if connection is not None:
            connection.send(payload)

    def execute(self, client_id: str, procedure: str, parameters: tuple[Any, ...]) -> None:
        connection = self.connection(client_id)
        if connection is not None:
            self._executor(connection, procedure, parameters)

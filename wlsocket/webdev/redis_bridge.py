"""Several server processes as one WebSocket server, through Redis.

Imported only with ``--redis URL`` (the ``redis`` package, extra
``wlsocket[redis]``).  Every process keeps its own clients; Redis holds
what the others need to know, under ``wlsocket:webdev:<path>:``:

* ``clients`` — a hash: client id -> its process, address and Note;
* ``alive:<process>`` — a key each process sets again every second with
  a 3 s expiry: a process that dies (even by SIGKILL) drops out of every
  other process's WebSocketListeClientConnecté within 3 s, and its
  entries are then deleted from the hash by the others;
* ``to:<process>`` — a pub/sub channel per process: ``Envoie``,
  ``WebSocketExécute`` and Note changes aimed at a client of another
  process are published to that process, which acts on its own client.

A client id is ``<process>-<number>``, so its process is known from it.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
from typing import Any

import redis

from . import wire
from .client import WebSocketClient
from .connection import Connection
from .directory import LocalDirectory
from .message import outgoing

__all__ = ["RedisBridge", "ALIVE_TTL_MS", "HEARTBEAT_S"]

#: A process that has not renewed its key for this long is gone.
ALIVE_TTL_MS = 3000
#: How often a process renews its key and cleans up after dead processes.
HEARTBEAT_S = 1.0


def _process_of(client_id: str) -> str:
    return client_id.rsplit("-", 1)[0]


def _order(client_id: str) -> tuple[str, int]:
    process, _, number = client_id.rpartition("-")
    return process, int(number) if number.isdigit() else 0


def _warn(what: str, exc: Exception) -> None:
    print(f"wlsocket.serveur_websocket: redis: {what}: {exc}", file=sys.stderr, flush=True)


class RedisBridge:
    """The Directory of a ``--redis`` server: local clients, then the others."""

    def __init__(self, url: str, local: LocalDirectory, process_id: str, namespace: str) -> None:
        self._local = local
        self._process = process_id
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        prefix = f"wlsocket:webdev:{namespace}:"
        self._clients_key = prefix + "clients"
        self._alive_prefix = prefix + "alive:"
        self._channel_prefix = prefix + "to:"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._remote_notes: dict[str, Any] = {}
        self._notes_lock = threading.Lock()
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
        self._redis.ping()  # fail at start, not at the first client

    # -- lifetime ----------------------------------------------------------------------

    def start(self) -> None:
        self._renew()
        self._pubsub.subscribe(self._channel_prefix + self._process)
        for target, name in ((self._listen, "redis-listen"), (self._heartbeat, "redis-heartbeat")):
            thread = threading.Thread(target=target, name=f"wlsocket-webdev-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        try:
            mine = [client_id for client_id in self._entries() if _process_of(client_id) == self._process]
            if mine:
                self._redis.hdel(self._clients_key, *mine)
            self._redis.delete(self._alive_prefix + self._process)
        except redis.RedisError as exc:
            _warn("cleanup at stop failed", exc)
        self._pubsub.close()
        self._redis.close()

    def _renew(self) -> None:
        self._redis.set(self._alive_prefix + self._process, b"1", px=ALIVE_TTL_MS)

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self._renew()
                entries = self._entries()
                dead = self._dead_processes({_process_of(client_id) for client_id in entries})
                gone = [client_id for client_id in entries if _process_of(client_id) in dead]
                if gone:
                    self._redis.hdel(self._clients_key, *gone)
            except redis.RedisError as exc:  # Redis away for a while: retried at the next beat
                _warn("heartbeat", exc)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._pubsub.get_message(timeout=0.5)
            except (redis.RedisError, ValueError) as exc:
                if self._stop.is_set():
                    return
                _warn("listening", exc)
                self._stop.wait(HEARTBEAT_S)
                continue
            if message is not None and message.get("type") == "message":
                self._deliver(message["data"])

    # -- Redis entries ----------------------------------------------------------------

    def _entries(self) -> dict[str, dict[str, Any]]:
        raw = self._redis.hgetall(self._clients_key)
        entries: dict[str, dict[str, Any]] = {}
        for key, value in raw.items():
            try:
                entries[key.decode() if isinstance(key, bytes) else str(key)] = json.loads(value)
            except (ValueError, UnicodeDecodeError):
                continue
        return entries

    def _dead_processes(self, processes: set[str]) -> set[str]:
        ordered = sorted(processes - {self._process})
        if not ordered:
            return set()
        alive = self._redis.mget([self._alive_prefix + process for process in ordered])
        return {process for process, flag in zip(ordered, alive, strict=True) if flag is None}

    def _publish_entry(self, connection: Connection) -> None:
        entry = {"p": self._process, "a": connection.address, "n": wire.encode(connection.note)}
        self._redis.hset(self._clients_key, connection.client_id, json.dumps(entry, ensure_ascii=False))

    def client_added(self, connection: Connection) -> None:
        try:
            self._publish_entry(connection)
        except redis.RedisError as exc:
            _warn(f"client {connection.client_id} not listed for the other processes", exc)

    def client_removed(self, connection: Connection) -> None:
        try:
            self._redis.hdel(self._clients_key, connection.client_id)
        except redis.RedisError as exc:  # the heartbeat of the others cleans it when we stop
            _warn(f"client {connection.client_id} still listed", exc)

    # -- Directory ---------------------------------------------------------------------

    def list_clients(self) -> list[WebSocketClient]:
        clients = self._local.list_clients()
        try:
            entries = self._entries()
            dead = self._dead_processes({_process_of(client_id) for client_id in entries})
        except redis.RedisError as exc:
            _warn("the other processes' clients are left out of this list", exc)
            return clients
        notes: dict[str, Any] = {}
        for client_id in sorted(entries, key=_order):
            process = _process_of(client_id)
            if process == self._process or process in dead:
                continue
            entry = entries[client_id]
            notes[client_id] = wire.decode(entry.get("n", ""))
            clients.append(WebSocketClient(client_id, self, str(entry.get("a", ""))))
        with self._notes_lock:
            self._remote_notes = notes
        return clients

    def get_note(self, client_id: str) -> Any:
        if _process_of(client_id) == self._process:
            return self._local.get_note(client_id)
        with self._notes_lock:
            if client_id in self._remote_notes:
                return self._remote_notes[client_id]
        raw = self._redis.hget(self._clients_key, client_id)
        return wire.decode(json.loads(raw).get("n", "")) if raw else ""

    def set_note(self, client_id: str, value: Any) -> None:
        if _process_of(client_id) == self._process:
            self._local.set_note(client_id, value)
            connection = self._local.connection(client_id)
            if connection is not None:
                self._publish_entry(connection)
            return
        with self._notes_lock:
            self._remote_notes[client_id] = value
        self._publish(client_id, {"op": "note", "v": wire.encode(value)})

    def send(self, client_id: str, message: Any) -> None:
        if _process_of(client_id) == self._process:
            self._local.send(client_id, message)
            return
        payload = outgoing(message)
        if isinstance(payload, bytes):
            self._publish(client_id, {"op": "send", "b": base64.b64encode(payload).decode("ascii")})
        else:
            self._publish(client_id, {"op": "send", "t": payload})

    def execute(self, client_id: str, procedure: str, parameters: tuple[Any, ...]) -> None:
        if _process_of(client_id) == self._process:
            self._local.execute(client_id, procedure, parameters)
            return
        self._publish(client_id, {"op": "exec", "proc": procedure, "args": wire.encode(list(parameters))})

    def _publish(self, client_id: str, command: dict[str, Any]) -> None:
        """Hand ``command`` to the client's process; never fails (as Envoie)."""
        command["id"] = client_id
        try:
            self._redis.publish(self._channel_prefix + _process_of(client_id), json.dumps(command, ensure_ascii=False))
        except redis.RedisError as exc:
            _warn(f"{command['op']} to {client_id} lost", exc)

    def _deliver(self, data: bytes) -> None:
        """A command from another process, for one of our clients."""
        try:
            command = json.loads(data)
            client_id = str(command["id"])
            operation = command["op"]
            if operation == "send":
                self._local.send(client_id, command["t"] if "t" in command else base64.b64decode(command["b"]))
            elif operation == "exec":
                self._local.execute(client_id, str(command["proc"]), tuple(wire.decode(command["args"])))
            elif operation == "note":
                self.set_note(client_id, wire.decode(command["v"]))
        except Exception as exc:  # one bad command must not stop the listener
            _warn("command ignored", exc)

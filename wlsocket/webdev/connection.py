"""One connected client, on the server side: its channel, send queue,
execution context and Note."""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable
from typing import Any

from ..api.websocket_server import socket_websocket_close
from ..errors import WLangageError
from ..ws.frames import CloseCode
from .contexts import ExecutionContext
from .outbox import Outbox

__all__ = ["Connection", "CLOSE_GOING_AWAY", "CLOSE_POLICY", "CLOSE_INTERNAL_ERROR", "copy_value"]

CLOSE_NORMAL = CloseCode.NORMAL
CLOSE_GOING_AWAY = CloseCode.GOING_AWAY
CLOSE_POLICY = CloseCode.POLICY_VIOLATION
CLOSE_INTERNAL_ERROR = CloseCode.INTERNAL_ERROR


def copy_value(value: Any) -> Any:
    """A value stored by value (Note, WebSocketExécute parameters)."""
    if value is None or isinstance(value, (str, bytes, int, float, bool)):
        return value
    return copy.deepcopy(value)  # a json or Variant too, at any depth (a list of notes...)


class Connection:
    """A client connected to this process."""

    def __init__(self, client_id: str, channel: str, address: str, send_queue_bytes: int,
                 on_slow_reader: Callable[[Connection], None]) -> None:
        self.client_id = client_id
        self.channel = channel
        self.address = address
        self.note: Any = ""
        self.context: ExecutionContext | None = None
        self.outbox = Outbox(channel, send_queue_bytes, lambda: on_slow_reader(self))
        self._close_lock = threading.Lock()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def send(self, payload: Any) -> None:
        if not self._closed:
            self.outbox.put(payload)

    def close(self, code: int = CLOSE_NORMAL, reason: str = "") -> None:
        """Close the channel once (with ``code``); later calls do nothing.

        May wait up to the transport's close grace (2 s) for a client that
        does not read: call it off the paths that must not wait.
        """
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self.outbox.close()
        with contextlib.suppress(WLangageError):  # the name is already free: nothing left to close
            socket_websocket_close(self.channel, code, reason)

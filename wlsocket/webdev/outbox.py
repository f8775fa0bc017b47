"""The bounded send queue of one client, and the thread that empties it.

``Client.Envoie`` only queues (WEBDEV documents WebSocketEnvoie as
asynchronous); a writer thread per client sends the queue with SocketEcrit,
so a client that reads slowly holds its own writer and nothing else.  When
the bytes waiting pass the limit the client is a slow reader: the queue
stops taking messages and ``on_overflow`` runs once (the server then closes
the connection with 1008 and the program sees the client's Deconnexion).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from typing import Union

from ..api.common import socket_write
from ..errors import WLangageError

__all__ = ["Outbox", "DEFAULT_SEND_QUEUE_BYTES"]

#: Bytes that may wait for one client before it is dropped (--send-queue).
DEFAULT_SEND_QUEUE_BYTES = 4 * 1024 * 1024

#: What a message costs at least in the count, so that a flood of empty
#: messages is bounded too.
_MESSAGE_OVERHEAD = 64

Payload = Union[str, bytes]  # noqa: UP007 (a runtime alias, Python 3.10 syntax)


class Outbox:
    """A FIFO of messages for one WebSocket channel, bounded in bytes."""

    def __init__(self, channel: str, limit_bytes: int, on_overflow: Callable[[], None]) -> None:
        self._channel = channel
        self._limit = limit_bytes
        self._on_overflow = on_overflow
        self._queue: collections.deque[Payload] = collections.deque()
        self._queued_bytes = 0
        self._sending = False
        self._state = threading.Condition()
        self._closed = False
        self._overflowed = False
        self._thread = threading.Thread(target=self._write_loop, name=f"wlsocket-outbox-{channel}", daemon=True)
        self._thread.start()

    @property
    def overflowed(self) -> bool:
        return self._overflowed

    def put(self, payload: Payload) -> None:
        """Queue one message; never blocks, never fails (see module doc)."""
        cost = len(payload) + _MESSAGE_OVERHEAD
        with self._state:
            if self._closed or self._overflowed:
                return
            if self._queued_bytes + cost > self._limit:
                self._overflowed = True
                self._queue.clear()
                self._queued_bytes = 0
                self._state.notify_all()
                overflow = True
            else:
                self._queue.append(payload)
                self._queued_bytes += cost
                self._state.notify_all()
                overflow = False
        if overflow:
            self._on_overflow()

    def wait_empty(self, timeout_s: float) -> bool:
        """Wait until everything queued has been handed to the socket."""
        with self._state:
            return self._state.wait_for(lambda: self._closed or not (self._queue or self._sending), timeout_s)

    def close(self) -> None:
        """Stop the writer; messages still queued are dropped."""
        with self._state:
            self._closed = True
            self._queue.clear()
            self._queued_bytes = 0
            self._state.notify_all()

    def _write_loop(self) -> None:
        while True:
            with self._state:
                while not self._queue and not self._closed and not self._overflowed:
                    self._state.wait()
                if self._closed or self._overflowed:
                    return
                payload = self._queue.popleft()
                self._queued_bytes -= len(payload) + _MESSAGE_OVERHEAD
                self._sending = True
            try:
                sent = socket_write(self._channel, payload)
            except WLangageError:  # the channel was closed and its name freed meanwhile
                sent = False
            with self._state:
                self._sending = False
                self._state.notify_all()
                if not sent:  # the connection is over: the reader sees it too
                    self._closed = True
                    self._queue.clear()
                    return

"""TEMPORARY: the part of the I/O toolkit (``transports/io.py``, written
in parallel) that the WebSocket transports use, with its names and
signatures, until it lands; then the WebSocket transports import ``.io``
instead and this module goes."""

from __future__ import annotations

import math
import select
import socket
import ssl
import time

from .base import CLOSE_GRACE_S, in_flight_done, os_reason

__all__ = ["IO_ERRORS", "CLOSE_GRACE_S", "Deadline", "Waiter", "wait_writable", "drain_until_eof",
           "in_flight_done", "os_reason"]

IO_ERRORS = (OSError, ValueError)


class Deadline:
    __slots__ = ("at",)

    def __init__(self, at: float | None) -> None:
        self.at = at

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        return cls(None if seconds is None else time.monotonic() + max(0.0, seconds))

    def remaining(self) -> float | None:
        return None if self.at is None else max(0.0, self.at - time.monotonic())


def _ms(timeout_s: float | None) -> int | None:
    return None if timeout_s is None else (math.ceil(timeout_s * 1000) if timeout_s > 0 else 0)


def _buffered(sock: socket.socket) -> bool:
    if not isinstance(sock, ssl.SSLSocket):
        return False
    try:
        return sock.pending() > 0
    except IO_ERRORS:
        return True


class Waiter:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._poller: select.poll | None = None
        self._events = 0

    def _wait(self, events: int, timeout_s: float | None) -> int:
        try:
            if self._poller is None:
                self._poller = select.poll()
                self._poller.register(self._sock, events)
            elif events != self._events:
                self._poller.modify(self._sock, events)
            self._events = events
            found = self._poller.poll(_ms(timeout_s))
        except IO_ERRORS:
            return select.POLLIN | select.POLLOUT
        return found[0][1] if found else 0

    def readable(self, timeout_s: float | None) -> bool:
        return _buffered(self._sock) or bool(self._wait(select.POLLIN, timeout_s))

    def writable(self, timeout_s: float | None) -> bool:
        return bool(self._wait(select.POLLOUT, timeout_s))

    def ready(self, timeout_s: float | None, write: bool = False) -> tuple[bool, bool]:
        if _buffered(self._sock):
            return True, False
        flags = self._wait(select.POLLIN | (select.POLLOUT if write else 0), timeout_s)
        return bool(flags & ~select.POLLOUT), bool(flags & select.POLLOUT)


def wait_writable(sock: socket.socket, timeout_s: float | None) -> bool:
    return Waiter(sock).writable(timeout_s)


def drain_until_eof(sock: socket.socket, deadline: Deadline) -> bool:
    waiter = Waiter(sock)
    while True:
        remaining = deadline.remaining()
        if remaining == 0.0 or not waiter.readable(remaining):
            return False
        try:
            if not sock.recv(64 * 1024):
                return True
        except IO_ERRORS:
            return False

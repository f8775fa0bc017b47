"""The TLS stream transports: a TLS client (SocketConnecteSSL), a TLS
listener (SocketCréeSSL) and its channels.

A TLS stream is a :class:`~wlsocket.transports.tcp.StreamTransport` over an
``ssl.SSLSocket``; only the handshake differs (the bytes decrypted but not
read yet are seen by :func:`~wlsocket.transports.io.wait_readable`).
Contexts come from :mod:`.tls_context`, certificates from
:mod:`.certificates`.  Decisions made here (see docs/secure-and-udp.md):

* A server channel does its handshake lazily, on its first read or write,
  so SocketAccepte and the accept loop never wait for a slow client.  The
  handshake is bounded by :data:`TLS_HANDSHAKE_TIMEOUT_MS` counted from
  its first attempt; a SocketLit with a shorter timeout returns "" (no
  error) and the handshake goes on at the next call.
* A peer that closes without a TLS close_notify is a plain end of stream
  (``SOCKET_FERMEE``), as Python's own ``ssl`` treats it.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading

from .. import codecs
from ..errors import SocketFailure
from .base import Message, Payload
from .io import (
    IO_ERRORS,
    NEVER,
    Deadline,
    closed_failure,
    io_failure,
    locked,
    tls_failure,
    wait_readable,
    wait_writable,
)
from .tcp import ListenerTransport, StreamTransport, open_connection

__all__ = [
    "TLS_HANDSHAKE_TIMEOUT_MS",
    "handshake",
    "connect_tls",
    "TLSStreamTransport",
    "TLSListenerTransport",
]

#: Longest time a server channel's handshake may take, from its first attempt.
TLS_HANDSHAKE_TIMEOUT_MS = 10_000


def handshake(sock: ssl.SSLSocket, deadline: Deadline) -> bool:
    """Drive the handshake until done (True) or ``deadline`` (False; it can
    be resumed).  Raises ssl/OS errors."""
    sock.setblocking(False)
    try:
        while True:
            try:
                sock.do_handshake()
                return True
            except ssl.SSLWantReadError:
                wait = wait_readable
            except ssl.SSLWantWriteError:
                wait = wait_writable
            remaining = deadline.remaining()
            if remaining == 0.0:
                return False
            wait(sock, remaining)
    finally:
        with contextlib.suppress(OSError):
            sock.setblocking(True)


class TLSStreamTransport(StreamTransport):
    """A connected TLS stream; a server channel shakes hands on first use."""

    _sock: ssl.SSLSocket

    def __init__(
        self,
        sock: ssl.SSLSocket,
        mode: int = codecs.SIZE_PREFIX,
        marker: bytes = codecs.DEFAULT_MARKER,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE,
        handshake_timeout_ms: int = TLS_HANDSHAKE_TIMEOUT_MS,
        handshake_done: bool = True,
    ) -> None:
        super().__init__(sock, mode, marker, max_size)
        self.handshake_timeout_ms = handshake_timeout_ms
        self._handshake_done = handshake_done
        self._handshake_lock = threading.Lock()
        self._handshake_deadline: Deadline | None = None
        self._handshake_error: tuple[str, object] | None = None

    def _finish_handshake(self, deadline: Deadline | None) -> bool:
        """Complete the server handshake; False when the caller's own
        ``deadline`` comes first (the handshake resumes on the next call)."""
        with locked(self._handshake_lock, deadline or NEVER) as held:
            if not held:
                return False
            if self._handshake_done:
                return True
            self._check_open()
            if self._handshake_error is not None:
                raise SocketFailure(*self._handshake_error)
            if self._handshake_deadline is None:
                self._handshake_deadline = Deadline.after_ms(self.handshake_timeout_ms)
            limit = self._handshake_deadline if deadline is None else deadline.earliest(self._handshake_deadline)
            try:
                done = handshake(self._sock, limit)
                if not done and self._handshake_deadline.expired():
                    raise TimeoutError()
            except IO_ERRORS as exc:
                if self._closed:
                    raise closed_failure() from None
                failure = tls_failure(exc, f"client {self._peer[0]}:{self._peer[1]}", self.handshake_timeout_ms)
                self._handshake_error = (failure.code, failure.detail)
                self._abort()
                raise failure from None
            self._handshake_done = done
            return done

    def _read_locked(self, decoder: codecs.Decoder, deadline: Deadline | None, max_bytes: int) -> Message | None:
        if not self._handshake_done and not self._finish_handshake(deadline):
            return None
        return super()._read_locked(decoder, deadline, max_bytes)

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        if not self._handshake_done and address is None and port is None:
            self._finish_handshake(None)
        super().write(payload, address, port)

    def detach(self) -> tuple[socket.socket, bytes]:
        """Hand over an established TLS socket (the handshake is finished first)."""
        if not self._handshake_done:
            self._finish_handshake(None)
        return super().detach()

    def _in_flight_locks(self) -> tuple[threading.Lock, ...]:
        # A handshake may be running in another thread: the shutdown wakes it.
        return (self._handshake_lock, *super()._in_flight_locks())


class TLSListenerTransport(ListenerTransport):
    """A SocketCréeSSL socket: a TCP listener whose channels speak TLS."""

    def __init__(
        self, sock: socket.socket, context: ssl.SSLContext, handshake_timeout_ms: int = TLS_HANDSHAKE_TIMEOUT_MS
    ) -> None:
        super().__init__(sock)
        self.context = context
        self.handshake_timeout_ms = handshake_timeout_ms

    def wrap_accepted(self, conn: socket.socket) -> TLSStreamTransport:
        try:
            tls_sock = self.context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        except IO_ERRORS as exc:
            conn.close()
            raise io_failure("ECHEC_CONNEXION_SOCKET", exc) from None
        return TLSStreamTransport(
            tls_sock, self.mode, self.marker, self.max_size, self.handshake_timeout_ms, handshake_done=False
        )


def connect_tls(host: str, port: int, timeout_ms: int, context: ssl.SSLContext) -> TLSStreamTransport:
    """A TCP connection and its TLS handshake, both within ``timeout_ms``."""
    deadline = Deadline.after_ms(max(1, timeout_ms))
    raw = open_connection(host, port, timeout_ms)
    try:
        tls_sock = context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
    except IO_ERRORS as exc:
        raw.close()
        raise tls_failure(exc, f"{host}:{port}", timeout_ms) from None
    try:
        if not handshake(tls_sock, deadline):
            raise TimeoutError()
    except IO_ERRORS as exc:
        tls_sock.close()
        raise tls_failure(exc, f"{host}:{port}", timeout_ms) from None
    return TLSStreamTransport(tls_sock)

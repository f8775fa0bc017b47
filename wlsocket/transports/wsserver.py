"""The server end of a WebSocket (RFC 6455) on an accepted channel.

:class:`WebSocketServerTransport` takes over the socket of an accepted
channel (plain TCP or TLS) and runs the I/O around the protocol core: the
opening handshake policy is :class:`~wlsocket.ws.handshake.ServerHandshake`'s
(request parsed by h11, origins, subprotocols, permessage-deflate), the
frames, UTF-8 checks, size limit and close handshake are
:class:`~wlsocket.ws.protocol.Protocol`'s.  This module owns the I/O and
the threading rules.

Threading: the protocol's state changes under ``_proto_lock``, held only
for CPU work (never across a ``recv`` or ``sendall``).  ``_send_lock``
keeps frames whole and in order on the wire: a writer builds its frame and
sends it under that lock.  The reader never waits for it: the pongs and
close replies it owes wait in the protocol, and whoever holds the send
lock flushes them (the reader itself when the lock is free), so a writer
blocked on a slow client can never stop the reader from draining the
socket.

Lifecycle: the socket is taken over from the accepted channel and the
opening handshake runs in the first thread that reads, writes or asks for
handshake data (:class:`~wlsocket.transports.wschannel.ServerChannel`, the
base class), so the accept loop never waits for a client.  The socket is
shut down as soon as the connection is over; its descriptor is released by
:meth:`WebSocketServerTransport.close` (SocketFerme), as for the other
transports.
"""

from __future__ import annotations

import collections
import socket
import threading
import time

from ..errors import SocketFailure, raise_error
from ..values import Buffer
from ..ws.frames import CloseCode, ProtocolError
from ..ws.handshake import (
    DEFAULT_HANDSHAKE_TIMEOUT_MS,
    MAX_REQUEST_HEAD,
    WebSocketOptions,
)
from ..ws.protocol import DEFAULT_CLOSE_TIMEOUT_MS, CloseReceived, Ping, Side, State
from .base import (
    Message,
    Payload,
    Transport,
)
from .io import (
    IO_ERRORS,
    in_flight_done,
    os_reason,
    wait_writable,
)
from .wschannel import ServerChannel
from .wscommon import Receiver, message_payload, protocol_failure

__all__ = [
    "WebSocketOptions",
    "WebSocketServerTransport",
    "DEFAULT_HANDSHAKE_TIMEOUT_MS",
    "MAX_REQUEST_HEAD",
]

_CLOSE_TIMEOUT_S = DEFAULT_CLOSE_TIMEOUT_MS / 1000
#: Messages from this size up are sent as header, then payload (not copied).
_DIRECT_SEND = 64 * 1024


class WebSocketServerTransport(ServerChannel):
    """A channel speaking RFC 6455 as the server (SocketWebSocket mode).

    ``read`` returns one whole message: ``str`` for text, :class:`Buffer`
    for binary, ``None`` on timeout.  ``write`` sends a ``str`` as a text
    message and bytes (a Buffer) as a binary one.
    """

    def __init__(self, channel: Transport, options: WebSocketOptions, max_size: int) -> None:
        super().__init__(channel, options, max_size)
        self._proto_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._control_stalled = False  # the reader waits for room for them
        self._messages: collections.deque[Message] = collections.deque()
        self._receiver = Receiver()

    # -- sending ---------------------------------------------------------------

    def _has_control(self) -> bool:
        protocol = self._protocol
        return protocol is not None and protocol.has_data_to_send()

    def _flush_control_locked(self, wait_s: float | None) -> bool:
        """Send the owed control frames; the caller holds _send_lock.  With
        ``wait_s`` they wait at most that long for room in the socket
        (False: they are kept for later); None sends blocking, as a writer does.

        The unlocked emptiness test may miss a frame queued this instant: its
        reader then finds the send lock free, or the writer's re-check after
        releasing it (see :meth:`write`) sends it."""
        protocol = self._protocol
        if protocol is None:
            return True
        sock = self._socket()
        while protocol.has_data_to_send():
            if wait_s is not None and not wait_writable(sock, wait_s):
                return False
            with self._proto_lock:
                frame = protocol.next_data_to_send()
            if frame is None:
                return True
            sock.sendall(frame)
        return True

    def _flush_control(self) -> None:
        """The reader's way to send what it owes: never waits, neither for
        the send lock (its holder sends them right after its own frame) nor
        for room in the socket (the reader then also waits for writability)."""
        while self._has_control():
            if not self._send_lock.acquire(blocking=False):
                self._control_stalled = False
                return
            try:
                done = self._flush_control_locked(0.0)
            except IO_ERRORS:
                self._forget_control()
                done = True
            finally:
                self._send_lock.release()
            self._control_stalled = not done
            if not done:
                return

    def _forget_control(self) -> None:
        with self._proto_lock:
            if self._protocol is not None:
                self._protocol.forget_data_to_send()

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        if address is not None or port is not None:
            raise_error("PARAMETRE_INVALIDE", "address and port are for UDP sockets")
        data, text = message_payload(payload)
        if self._accepted is None:
            self._ensure_open(None)
        protocol = self._protocol
        assert protocol is not None
        with self._send_lock:
            if self._closed or self._shut:
                self._raise_end()
            with self._proto_lock:
                if protocol.state is not State.OPEN:
                    raise SocketFailure("SOCKET_FERMEE", "the close handshake has begun")
                header, body = protocol.send_message(data, text)
            sock = self._socket()
            try:
                if len(body) < _DIRECT_SEND:  # one send for a small message; a large one is not copied
                    sock.sendall(header + body)
                else:
                    sock.sendall(header)
                    sock.sendall(body)
                self._flush_control_locked(None)
            except IO_ERRORS as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                raise SocketFailure("ECHEC_ECRITURE_SOCKET", os_reason(exc)) from None
        self._flush_control()

    # -- reading ---------------------------------------------------------------

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        """One whole message; ``max_bytes`` does not apply (whole messages)."""
        deadline = None if wait else time.monotonic() + max(0, timeout_ms) / 1000
        if not self._read_lock.acquire(timeout=-1 if deadline is None else max(0, timeout_ms) / 1000):
            return None
        try:
            if self._accepted is None and not self._ensure_open(deadline):
                return None
            return self._read_message(deadline)
        finally:
            self._read_lock.release()

    def _read_message(self, deadline: float | None) -> Message | None:
        protocol = self._protocol
        assert protocol is not None
        while True:
            if self._messages:
                return self._messages.popleft()
            if self._closed or self.outcome is not None:
                self._raise_end()
            if self._leftover:
                data, self._leftover = self._leftover, b""
                protocol.receive_data(data)
                self._process()
                continue
            if self._has_control():
                self._flush_control()
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return None
            waiter = self._waiter
            assert waiter is not None
            readable, writable = waiter.ready(remaining, self._control_stalled)
            if not readable:
                if writable:
                    continue  # room again for what the reader owes
                return None
            try:
                count = self._receiver.receive(self._socket(), protocol)
            except IO_ERRORS as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                self._set_end("ECHEC_LECTURE_SOCKET", os_reason(exc))
                self._shutdown()
                continue
            if self._closed:
                continue
            if count:
                self._process()
            else:
                self._set_end(
                    "SOCKET_FERMEE",
                    "the client disconnected in the middle of a message (1006)"
                    if protocol.in_message
                    else "the client disconnected without a close frame (1006)",
                )
                self._shutdown()

    def _process(self) -> None:
        """Act on the protocol's events after new bytes."""
        protocol = self._protocol
        assert protocol is not None
        while True:
            failure: tuple[str, str] | None = None
            with self._proto_lock:
                try:
                    event = protocol.next_event()
                except ProtocolError as error:
                    failure, event = protocol_failure(error), None
            if failure is not None:
                self._set_end(*failure)
                self._close_after_local_close()
                return
            if event is None:
                break
            if type(event) is str or type(event) is Buffer:
                self._messages.append(event)
            elif type(event) is Ping:
                self._flush_control()
            elif type(event) is CloseReceived:
                if protocol.closing_side is Side.CLIENT:
                    reason = f", {event.reason}" if event.reason else ""
                    self._set_end("SOCKET_FERMEE", f"closed by the client (code {event.code}{reason})")
                    self._flush_control_bounded()  # our reply; the server drops TCP first
                else:  # the reply to our close
                    self._set_end("SOCKET_FERMEE", "closed")
                self._shutdown()
                return
        if self._has_control():
            self._flush_control()

    def _close_after_local_close(self) -> None:
        """We sent a close: half-close, wait for the peer to finish, drop."""
        self._flush_control_bounded()
        self._shutdown(socket.SHUT_WR)
        self._drain(_CLOSE_TIMEOUT_S)
        self._shutdown()

    def _flush_control_bounded(self) -> bool:
        if not self._send_lock.acquire(timeout=_CLOSE_TIMEOUT_S):
            return False
        try:
            return self._flush_control_locked(_CLOSE_TIMEOUT_S)
        except IO_ERRORS:
            return False
        finally:
            self._send_lock.release()

    # -- settings and information ------------------------------------------------

    def set_mode(self, mode: int, marker: bytes | None) -> None:
        raise_error("FONCTION_INTERDITE", f"{self.name} (a WebSocket channel keeps its mode)")

    def set_max_message_size(self, size: int) -> None:
        self._max_size = size
        if self._protocol is not None:
            self._protocol.max_size = size

    @property
    def max_message_size(self) -> int:
        return self._max_size

    # -- closing ---------------------------------------------------------------

    def close(self, code: int = CloseCode.NORMAL, reason: str = "") -> None:
        """SocketFerme: close code NORMAL (SocketWebSocketFerme: ``code`` and
        ``reason``), wait (bounded) for the client's reply, release the
        socket.  Threads blocked on the channel return with SOCKET_FERMEE."""
        with self._state_lock:
            if self._closed:
                return
            self._closed = True
        channel = self._channel
        if self._sock is None and channel is not None:
            channel.close()  # wakes a TLS handshake running in the takeover
        sent_close = False
        protocol = self._protocol
        if protocol is not None and self.outcome is None and not self._shut:
            with self._proto_lock:
                started = protocol.send_close(code, reason)
            if started:
                sent_close = self._flush_control_bounded()
        if sent_close:
            self._shutdown(socket.SHUT_WR)
            # Wait for the client's close reply and FIN, unless a reader
            # thread is busy on the socket: it will see them.
            if self._read_lock.acquire(timeout=_CLOSE_TIMEOUT_S):
                try:
                    self._drain(_CLOSE_TIMEOUT_S)
                finally:
                    self._read_lock.release()
        self._shutdown()
        if self._waiter is not None:
            self._waiter.unpark()
        with in_flight_done(self._read_lock, self._handshake_lock, self._send_lock):
            self._fd_closed = True
            if self._sock is not None:
                self._sock.close()

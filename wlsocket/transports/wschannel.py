"""The channel under a SocketWebSocket transport, and its opening handshake.

:class:`ServerChannel` holds what a WebSocket server channel is before and
around its messages: the accepted TCP or TLS channel it takes the socket
over from (``detach()``, which for TLS first finishes the TLS handshake),
the socket and its shutdown, how the connection ended, and the opening
handshake (the request received within the handshake timeout, then the
101 response or the refusal of
:class:`~wlsocket.ws.handshake.ServerHandshake`).  The handshake data
(path, subprotocol, headers, origin) is read here too.  The message phase
is :class:`~wlsocket.transports.wsserver.WebSocketServerTransport`'s.

The handshake must complete within the handshake timeout counted from the
moment the channel became a WebSocket one; a client that is silent, too
slow or sends a request that never ends is dropped.
"""

from __future__ import annotations

import contextlib
import enum
import socket
import threading
import time

from ..errors import SocketFailure, raise_error
from ..ws.handshake import (
    Accepted,
    Refusal,
    ServerHandshake,
    WebSocketOptions,
)
from ..ws.protocol import Protocol, Side
from .base import (
    HANDSHAKE_INFO_TYPES,
    SOCKET_ADDRESS,
    SOCKET_PORT,
    SOCKET_WS_ORIGIN,
    SOCKET_WS_PATH,
    SOCKET_WS_SUBPROTOCOL,
    Transport,
)
from .io import (
    CLOSE_GRACE_S,
    IO_ERRORS,
    Deadline,
    Waiter,
    drain_until_eof,
    os_reason,
)
from .wscommon import send_bounded

__all__ = ["Phase", "ServerChannel"]

_HANDSHAKE_RECV = 4096
#: A refusal is sent within this time, then the client may read it for _REFUSAL_DRAIN_S.
_REFUSAL_SEND_S = 1.0
_REFUSAL_DRAIN_S = 0.5


class Phase(enum.Enum):
    HANDSHAKE = "handshake"  # the client's request is awaited
    OPEN = "open"  # the handshake is done (the protocol says whether closing began)
    ENDED = "ended"  # the connection is over (``outcome`` says how)


class ServerChannel(Transport):
    """The socket and opening handshake of a SocketWebSocket channel (the
    base of the transport; the handshake lock serialises the handshake)."""

    def __init__(self, channel: Transport, options: WebSocketOptions, max_size: int) -> None:
        # The stream transport of the accepted channel, until the takeover.
        self._channel: Transport | None = channel
        self._sock: socket.socket | None = None
        self._waiter: Waiter | None = None  # the reader's
        self.options = options
        self._max_size = options.max_message_size or max_size
        self._peer = (channel.client_info(SOCKET_ADDRESS), channel.client_info(SOCKET_PORT))
        self._handshake = ServerHandshake(options)
        self._created = time.monotonic()
        self._accepted: Accepted | None = None
        self._protocol: Protocol | None = None
        self._send_lock = threading.Lock()
        self._handshake_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self.phase = Phase.HANDSHAKE
        #: (error code, detail) of how the connection ended.
        self.outcome: tuple[str, str] | None = None
        self._leftover = b""  # bytes received after the request head
        self._closed = False  # SocketFerme was called
        self._shut = False
        self._fd_closed = False

    # -- small helpers ---------------------------------------------------------

    @property
    def _handshake_deadline(self) -> float:
        return self._created + max(0, self.options.handshake_timeout_ms) / 1000

    def _set_end(self, code: str, detail: str) -> None:
        with self._state_lock:
            if self.outcome is None:
                self.outcome = (code, detail)
                self.phase = Phase.ENDED

    def _raise_end(self) -> None:
        if self._closed:
            raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
        raise SocketFailure(*(self.outcome or ("SOCKET_FERMEE", "closed")))

    def _socket(self) -> socket.socket:
        sock = self._sock
        assert sock is not None
        return sock

    def _shutdown(self, how: int = socket.SHUT_RDWR) -> None:
        """Shut the socket down (wakes threads blocked in it); idempotent for RDWR."""
        sock = self._sock
        if self._fd_closed or sock is None:
            return
        if how == socket.SHUT_RDWR:
            with self._state_lock:
                if self._shut:
                    return
                self._shut = True
        with contextlib.suppress(*IO_ERRORS):
            sock.shutdown(how)

    def _send_bounded(self, data: bytes, timeout_s: float) -> bool:
        """Send a short response without ever blocking for long."""
        return send_bounded(self._socket(), self._send_lock, timeout_s, lambda: data)

    def _drain(self, timeout_s: float) -> None:
        """Read and discard until the peer closes or the time is up, so that
        closing never resets a connection whose last frame is still unread."""
        drain_until_eof(self._socket(), Deadline.after(timeout_s))

    # -- opening handshake -----------------------------------------------------

    def _ensure_open(self, deadline: float | None) -> bool:
        """Complete the opening handshake; False if ``deadline`` came first."""
        if self._accepted is not None:
            return True
        if self.outcome is not None or self._closed:
            self._raise_end()
        hs_deadline = self._handshake_deadline
        # Another thread may be running the handshake: wait for it, bounded.
        wait_s = (hs_deadline if deadline is None else min(deadline, hs_deadline)) - time.monotonic()
        if not self._handshake_lock.acquire(timeout=max(0.0, wait_s) + (CLOSE_GRACE_S if deadline is None else 0.0)):
            if self._accepted is not None:
                return True
            if self.outcome is not None or self._closed:
                self._raise_end()
            if deadline is not None and time.monotonic() >= deadline:
                return False
            raise SocketFailure("ECHEC_WEBSOCKET", "the opening handshake did not complete")
        try:
            if self._sock is None:
                self._take_over()
            return self._run_handshake(deadline, hs_deadline)
        finally:
            self._handshake_lock.release()

    def _run_handshake(self, deadline: float | None, hs_deadline: float) -> bool:
        """Receive the request and answer it (handshake lock held)."""
        handshake = self._handshake
        while self._accepted is None:
            if self._closed:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
            if self.outcome is not None:
                self._raise_end()
            outcome = handshake.outcome()
            if outcome is not None:
                self._answer(outcome)
                continue
            now = time.monotonic()
            if now >= hs_deadline:
                self._drop(
                    f"no complete handshake request within {self.options.handshake_timeout_ms} ms"
                    f" ({handshake.received_count} bytes received)"
                )
                continue
            wait_until = hs_deadline if deadline is None else min(deadline, hs_deadline)
            waiter = self._waiter
            assert waiter is not None
            if not waiter.readable(wait_until - now):
                if deadline is not None and deadline < hs_deadline and time.monotonic() >= deadline:
                    return False
                continue
            try:
                chunk = self._socket().recv(_HANDSHAKE_RECV)
            except IO_ERRORS as exc:
                chunk = b""
                if not self._closed:
                    self._drop(f"the connection failed during the handshake: {os_reason(exc)}")
                    continue
            if not chunk:
                self._drop("the client disconnected before completing the handshake")
                continue
            handshake.receive_data(chunk)
        return True

    def _take_over(self) -> None:
        """Take the channel's socket and the bytes it had received (caller
        holds the handshake lock).  A TLS channel finishes its TLS handshake
        here, bounded by its own timeout."""
        channel = self._channel
        assert channel is not None
        try:
            sock, received = channel.detach()
        except SocketFailure as failure:
            self._set_end(failure.code, str(failure.detail))
            channel.close()
            raise
        self._sock = sock
        self._waiter = Waiter(sock, park=True)  # idle channels park: see transports/parking.py
        self._handshake.receive_data(received)
        self._channel = None
        if self._closed:  # SocketFerme ran meanwhile: it closes the socket
            self._shutdown()
            raise SocketFailure("SOCKET_FERMEE", "SocketFerme")

    def _drop(self, detail: str) -> None:
        self._set_end("ECHEC_WEBSOCKET", detail)
        self._shutdown()

    def _answer(self, outcome: Accepted | Refusal) -> None:
        """Send the 101 response or the refusal."""
        if isinstance(outcome, Refusal):
            self._send_bounded(outcome.response(), _REFUSAL_SEND_S)
            self._set_end("ECHEC_WEBSOCKET", f"handshake refused ({outcome.status}): {outcome.reason}")
            # Half-close and let the client read the answer before the socket
            # goes (closing with unread input would reset the connection).
            self._shutdown(socket.SHUT_WR)
            self._drain(_REFUSAL_DRAIN_S)
            self._shutdown()
            return
        if not self._send_bounded(outcome.response, max(0.1, self._handshake_deadline - time.monotonic())):
            self._drop("could not send the handshake response")
            return
        self._protocol = Protocol(Side.SERVER, self._max_size, outcome.deflate)
        self._leftover = self._handshake.leftover
        with self._state_lock:
            self._accepted = outcome
            if self.phase is Phase.HANDSHAKE:
                self.phase = Phase.OPEN

    def reconfigure(self, options: WebSocketOptions) -> None:
        """New options, allowed until the handshake has started."""
        if not self._handshake_lock.acquire(blocking=False):
            raise_error("FONCTION_INTERDITE", f"{self.name} (the WebSocket handshake is running)")
        try:
            if self.phase is not Phase.HANDSHAKE:
                raise_error("FONCTION_INTERDITE", f"{self.name} (the WebSocket handshake is over)")
            self.options = options
            self._handshake.options = options
            if options.max_message_size:
                self._max_size = options.max_message_size
        finally:
            self._handshake_lock.release()

    def client_info(self, info_type: int) -> str:
        return self._peer[0] if info_type == SOCKET_ADDRESS else self._peer[1]

    def handshake_info(self, info_type: object) -> str | None:
        """SocketClientInfo's extension types; completes the handshake first."""
        if isinstance(info_type, bool) or info_type not in HANDSHAKE_INFO_TYPES:
            return None
        self._ensure_open(None)
        accepted = self._accepted
        assert accepted is not None
        if info_type == SOCKET_WS_PATH:
            return accepted.path
        if info_type == SOCKET_WS_SUBPROTOCOL:
            return accepted.subprotocol
        if info_type == SOCKET_WS_ORIGIN:
            return accepted.header("Origin") or ""
        return "\r\n".join(f"{name}: {value}" for name, value in accepted.headers)

    def header(self, name: str) -> str:
        """The value of one request header ("" when absent); repeated
        headers are joined with ", "."""
        self._ensure_open(None)
        accepted = self._accepted
        assert accepted is not None
        return accepted.header(name) or ""

"""The WebSocket client (RFC 6455): SocketConnecte("ws://..."), WebSocketClientConnecte.

The I/O loop around the protocol core (:mod:`wlsocket.ws.protocol`): the
TCP connection is the core's (:func:`~wlsocket.transports.tcp.open_connection`),
TLS and the opening handshake are :mod:`.wsconnect`'s (websocket-client's
handshake); after it, received bytes go to the protocol (a large payload is
received straight into its final buffer) and its events come out here.

Failures close the connection with the RFC's codes (see
:class:`~wlsocket.ws.frames.CloseCode`): protocol error, invalid UTF-8 (in
a text message or a close reason), a message above the socket's limit
(default :data:`~wlsocket.ws.protocol.DEFAULT_MAX_MESSAGE_SIZE`, changed
with ``SocketTailleMaxMessage``).  After sending or receiving a close frame
the client waits (at most the close timeout) for the server to end the TCP
connection, as RFC 6455 section 7.1.1 prefers.

Two ways of use (see :mod:`wlsocket.api.websocket`): *synchronous*, where
the program's SocketLit reads one whole message per call in its own
thread; *asynchronous*, where a connection thread reads and hands every
event to the socket's procedure through :mod:`wlsocket.dispatcher`.
Keepalive pings (off by default) go out from whichever thread is reading
when the connection has been silent for the interval; a ping that gets no
answer within another interval ends the connection (1006).

One concept, one connection's I/O loop, in its two forms and with the
close handshake's races (SocketFerme from any thread, a procedure, a
reader blocked meanwhile): hence a little over 500 lines.
"""

from __future__ import annotations

import contextlib
import enum
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

from ..dispatcher import (
    SOCKET_CLOSING,
    SOCKET_ERROR,
    SOCKET_MESSAGE,
    SOCKET_OPENING,
    EventSource,
    in_connection_callback,
)
from ..errors import SocketFailure, log, message_for, raise_error
from ..values import Buffer
from ..ws.frames import CloseCode, ProtocolError
from ..ws.protocol import DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_MESSAGE_SIZE, CloseReceived, Ping, Protocol, Side, State
from .base import SOCKET_ADDRESS, SOCKET_WS_HEADERS, SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL, Message, Payload, Transport
from .io import (
    CLOSE_GRACE_S,
    IO_ERRORS,
    Deadline,
    Waiter,
    drain_until_eof,
    in_flight_done,
    os_reason,
)
from .tcp import open_connection
from .wscommon import Receiver, message_payload, protocol_failure, send_bounded, write_failure
from .wsconnect import Target, client_handshake, parse_ws_url, secure_socket, tls_handshake

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "DEFAULT_CLOSE_TIMEOUT_MS",
    "Target",
    "parse_ws_url",
    "Phase",
    "WebSocketClientTransport",
]

#: Frames at least this large are sent after their header rather than copied behind it.
_SPLIT_WRITE = 64 * 1024
#: An endless read wakes this often to see a keepalive interval set meanwhile.
_RECHECK_S = 1.0
_RECHECK_MS = int(_RECHECK_S * 1000)
_KEEPALIVE_PAYLOAD = b"wlsocket"
_P = ParamSpec("_P")
_R = TypeVar("_R")


class Phase(enum.Enum):
    """The connection's life; while OPEN, the protocol's state tells
    whether the close handshake has begun."""

    CONNECTING = "connecting"
    OPEN = "open"
    CLOSED = "closed"


# Looked up on every message: module constants cost less than enum attributes.
_OPEN_PHASE, _CLOSED_PHASE, _OPEN = Phase.OPEN, Phase.CLOSED, State.OPEN


class _Ended(Exception):
    """Internal: the connection is over (the transport's fields say how)."""


class WebSocketClientTransport(Transport):
    """One WebSocket client connection registered under a socket name.

    Synchronous when ``source`` is None (SocketLit reads); otherwise a
    connection thread connects, reads and posts events to ``source``.
    """

    def __init__(
        self,
        target: Target | str,
        source: EventSource | None = None,
        max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        ping_interval_ms: int = 0,
        close_timeout_ms: int = DEFAULT_CLOSE_TIMEOUT_MS,
    ) -> None:
        self._target = target
        self._source = source
        self._sock: socket.socket | None = None
        self._waiter: Waiter | None = None
        #: poll() on the plain socket once open (the Waiter's, without its layers).
        self._poll: Callable[[int], list[tuple[int, int]]] | None = None
        self._protocol = Protocol(Side.CLIENT, max_size)
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        # every change of the protocol's state, and of the fields below
        self._state_lock = threading.Lock()
        self.phase = Phase.CONNECTING
        self.subprotocol = ""
        self.response_headers: dict[str, str] = {}
        self.ping_interval_ms = ping_interval_ms
        self.close_timeout_ms = close_timeout_ms
        self._close_requested = False  # SocketFerme was called
        #: (code, reason) of the close that ended the connection (ours or the server's).
        self.close_status: tuple[int, str] | None = None
        #: (error code, detail) when the connection ended by a failure.
        self.failure: tuple[str, str] | None = None
        self._failure_reported = False
        self._fd_closed = False
        self._peer = ("0", "")
        self._last_rx = time.monotonic()
        self._ping_sent_at: float | None = None
        self._thread: threading.Thread | None = None
        self._receiver = Receiver()
        #: The protocol may hold a whole event (bytes went in that next_event
        #: has not yet answered None to); False: receive first.  Reader only.
        self._parse_first = False

    # -- opening -----------------------------------------------------------------------------

    def start(self) -> None:
        """Asynchronous form: connect and read in a connection thread."""
        self._thread = threading.Thread(target=self._run, name=f"wlsocket-ws-{self.name}", daemon=True)
        self._thread.start()

    def connect(self) -> None:
        """Open the connection and do the handshake; raises SocketFailure."""
        target = self._target
        if isinstance(target, str):
            secure, host, port, resource = parse_ws_url(target)
            target = self._target = Target(host, port, resource, secure)
        deadline = time.monotonic() + max(1, target.timeout_ms) / 1000
        sock = open_connection(target.host, target.port, target.timeout_ms)
        try:
            self._publish(sock)
            if target.secure:
                secured = secure_socket(sock, target)
                self._publish(secured)
                self._while_connecting(tls_handshake, secured, target, deadline)
                sock = secured
            self.response_headers, self.subprotocol = self._while_connecting(client_handshake, sock, target, deadline)
            sock.settimeout(None)
            with self._state_lock:
                if self._close_requested:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection")
                self._waiter = Waiter(sock)
                if type(sock) is socket.socket:  # TLS may hold decrypted bytes poll cannot see
                    poller = select.poll()
                    poller.register(sock, select.POLLIN)
                    self._poll = poller.poll
                self.phase = Phase.OPEN
        except SocketFailure:
            self._close_fd()
            raise
        try:
            host, port = sock.getpeername()[:2]
            self._peer = (str(host), str(port))
        except OSError:
            pass
        self._last_rx = time.monotonic()

    def _publish(self, sock: socket.socket) -> None:
        """Make ``sock`` the one SocketFerme shuts down."""
        with self._state_lock:
            self._sock = sock
            if self._close_requested:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection")

    def _while_connecting(self, step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
        """Run a connection step; its failure is SOCKET_FERMEE once SocketFerme ran."""
        try:
            return step(*args, **kwargs)
        except SocketFailure:
            if self._close_requested:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection") from None
            raise

    # -- the connection thread (asynchronous form) ------------------------------------------------

    def _run(self) -> None:
        source = self._source
        assert source is not None
        try:
            try:
                self.connect()
            except SocketFailure:
                raise
            except Exception as exc:  # a bug must still end with SocketFermeture
                log.exception("wlsocket: connection of %s failed", self.name)
                raise SocketFailure("ECHEC_CONNEXION_SOCKET", repr(exc)) from None
        except SocketFailure as failure:
            with self._state_lock:
                self.phase = Phase.CLOSED
                requested = self._close_requested
            self._close_fd()
            if not requested:
                source.post(SOCKET_ERROR, message_for(failure.code, failure.detail), (failure.code, failure.detail))
            source.post(SOCKET_CLOSING, str(int(CloseCode.ABNORMAL)))
            return
        source.post(SOCKET_OPENING, self.subprotocol)
        try:
            with self._read_lock:
                while True:
                    try:
                        message = self._next_message(None)
                    except _Ended:
                        break
                    if message is not None:
                        source.post(SOCKET_MESSAGE, message)
        except Exception as exc:  # a bug must still end with SocketFermeture, never a silent dead thread
            log.exception("wlsocket: connection thread of %s failed", self.name)
            with self._state_lock:
                self.phase = Phase.CLOSED
                if self.failure is None:
                    self.failure = ("ECHEC_LECTURE_SOCKET", repr(exc))
            self._close_fd()
        if self.failure is not None and not self._close_requested:
            source.post(SOCKET_ERROR, message_for(*self.failure), self.failure)
        code, reason = self.close_status or (int(CloseCode.ABNORMAL), "")
        source.post(SOCKET_CLOSING, f"{code} {reason}" if reason else str(code))

    # -- reading --------------------------------------------------------------------------------

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        """SocketLit: one whole message (str or Buffer), None on timeout.

        ``max_bytes`` does not apply: a WebSocket message is never cut."""
        if self._source is not None:
            raise_error("FONCTION_INTERDITE", f"{self.name} (its messages go to its procedure)")
        lock = self._read_lock
        deadline = None
        if wait:
            lock.acquire()  # no arguments: a keyword argument costs more than the lock
        else:
            deadline = time.monotonic() + max(0, timeout_ms) / 1000
            if not lock.acquire(True, max(0, timeout_ms) / 1000):
                return None
        try:
            if self.phase is _CLOSED_PHASE:
                raise self._ended_failure()
            try:
                return self._next_message(deadline)
            except _Ended:
                raise self._ended_failure() from None
        finally:
            lock.release()

    def _ended_failure(self) -> SocketFailure:
        """What SocketLit reports once the connection is over: the failure
        that ended it the first time, then SOCKET_FERMEE."""
        if self.failure is not None and not self._failure_reported:
            self._failure_reported = True
            return SocketFailure(*self.failure)
        if self._close_requested:
            return SocketFailure("SOCKET_FERMEE", "SocketFerme")
        code, reason = self.close_status or (int(CloseCode.ABNORMAL), "")
        return SocketFailure("SOCKET_FERMEE", f"closed by the server, code {code}" + (f" ({reason})" if reason else ""))

    def _next_event(self) -> object:
        with self._state_lock:
            return self._protocol.next_event()

    def _next_message(self, deadline: float | None) -> Message | None:
        """The next data message (read lock held), None on timeout; raises
        _Ended when the connection is over."""
        protocol = self._protocol
        while True:
            if self.phase is _CLOSED_PHASE:
                raise _Ended
            event: object = None
            if self._parse_first:  # bytes to parse: the state may change, under its lock
                try:
                    event = self._next_event()
                except ProtocolError as error:
                    self._fail(error.close_code, *protocol_failure(error))
                if event is None:
                    self._parse_first = False
            if event is None:
                event = self._receive(deadline)
                if event is False:
                    return None
                if event is True:
                    self._parse_first = True
                    continue
            if type(event) is str or type(event) is Buffer:
                if protocol.state is _OPEN:
                    return event
            elif type(event) is Ping:
                self._flush_control()
            elif type(event) is CloseReceived:
                self._peer_closed(event)

    def _receive(self, deadline: float | None) -> Message | bool:
        """Receive more bytes: the message they hold when they are one whole
        data frame (:meth:`Protocol.receive_message`), else True once they
        are in the protocol; False when ``deadline`` passed."""
        sock = self._sock
        assert sock is not None
        poll = self._poll
        try:
            # the common wait (plain socket, no deadline, no keepalive) without the general loop
            ready: object = poll is not None and deadline is None and not self.ping_interval_ms and poll(_RECHECK_MS)
        except IO_ERRORS:
            ready = True  # the read reports what happened
        if not ready and not self._wait_readable(deadline):
            return False
        try:
            received = self._receiver.receive_message(sock, self._protocol)
        except IO_ERRORS as exc:
            if self._close_requested:
                self._end(CloseCode.NORMAL, "")
            self._end(CloseCode.ABNORMAL, "", ("ECHEC_LECTURE_SOCKET", os_reason(exc)))
        received_bytes = received.__class__ is int
        if received_bytes and not received:
            if self._close_requested:
                self._end(CloseCode.NORMAL, "")
            detail = "the server ended the connection without a close frame (1006)"
            self._end(CloseCode.ABNORMAL, "", ("SOCKET_FERMEE", detail))
        self._last_rx = time.monotonic()
        self._ping_sent_at = None
        return True if received_bytes else received  # type: ignore[return-value]

    def _wait_readable(self, deadline: float | None) -> bool:
        """Wait until data, the deadline, or a keepalive ping to send.  An
        endless wait wakes every :data:`_RECHECK_S` so that a keepalive
        interval set meanwhile takes effect."""
        waiter = self._waiter
        assert waiter is not None
        while True:
            now = time.monotonic()
            wait = _RECHECK_S if deadline is None else max(0.0, deadline - now)
            interval = self.ping_interval_ms / 1000
            if interval > 0:
                if self._ping_sent_at is not None and now - self._ping_sent_at >= interval:
                    self._fail_silent_peer()
                if self._ping_sent_at is None and now - self._last_rx >= interval:
                    self._ping_sent_at = now
                    self._protocol.send_ping(_KEEPALIVE_PAYLOAD)
                    self._flush_control()
                wait = max(0.0, min(wait, (self._ping_sent_at or self._last_rx) + interval - now))
            if waiter.readable(wait):
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def _fail_silent_peer(self) -> None:
        detail = f"no answer to the keepalive ping within {self.ping_interval_ms} ms"
        self._fail(CloseCode.ABNORMAL, "ECHEC_LECTURE_SOCKET", detail)

    # -- closing handshake ----------------------------------------------------------------------

    def _peer_closed(self, event: CloseReceived) -> None:
        """The server's close frame: our reply (queued by the protocol) goes
        out, then we wait for the TCP end."""
        self._flush_control()
        self._drain_until_eof()
        if self._protocol.closing_side is Side.SERVER:
            self._end(event.code, event.reason)
        self._end(*(self.close_status or (CloseCode.NORMAL, "")))  # the answer to our close

    def _fail(self, close_code: int, code: str, detail: str) -> None:
        """Fail the connection (RFC 6455 7.1.7): close frame, wait, end."""
        if self._flush_control():  # the protocol queued a close frame
            self._drain_until_eof()
        self._end(close_code, "", (code, detail))

    def _drain_until_eof(self) -> None:
        """Discard what comes until the server ends TCP, for the close timeout at most."""
        sock = self._sock
        if sock is not None:
            drain_until_eof(sock, Deadline.after(self.close_timeout_ms / 1000))

    def _end(self, code: int, reason: str, failure: tuple[str, str] | None = None) -> None:
        """Record how the connection ended, release the socket, raise _Ended."""
        with self._state_lock:
            if self.phase is not Phase.CLOSED:
                self.phase = Phase.CLOSED
                if self.close_status is None or failure is not None:
                    self.close_status = (int(code), reason)
                if failure is not None and self.failure is None:
                    self.failure = failure
            self._protocol.receive_eof()
        self._close_fd()
        raise _Ended

    # -- writing --------------------------------------------------------------------------------

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        """SocketEcrit: a chaîne goes as a text frame, a Buffer (bytes) as binary."""
        if address is not None or port is not None:
            raise_error("PARAMETRE_INVALIDE", "address and port are for UDP sockets")
        data: bytes | bytearray | memoryview
        if payload.__class__ is str:  # the common case without a call (UTF-8 is encode()'s default)
            try:
                data, text = payload.encode(), True
            except UnicodeEncodeError:  # a lone surrogate: message_payload raises the documented error
                data, text = message_payload(payload)
        else:
            data, text = message_payload(payload)
        protocol = self._protocol
        if self.phase is not _OPEN_PHASE or protocol.state is not _OPEN:
            self._refuse_write()
        sock = self._sock
        assert sock is not None
        lock = self._write_lock
        lock.acquire()  # acquire/release: half the cost of a with block
        try:
            if protocol.state is not _OPEN or self._fd_closed:
                raise SocketFailure("SOCKET_FERMEE", "the connection is closed")
            if len(data) < _SPLIT_WRITE:
                sock.sendall(protocol.message_frame(data, text))
            else:
                header, body = protocol.send_message(data, text)
                sock.sendall(header)
                sock.sendall(body)
        except IO_ERRORS as exc:
            raise write_failure(exc, self._close_requested) from None
        finally:
            lock.release()

    def _refuse_write(self) -> NoReturn:
        """The failure of a SocketEcrit while the connection is not open."""
        if self.phase is Phase.CONNECTING:
            raise SocketFailure("ECHEC_ECRITURE_SOCKET", "the connection is not open yet (wait for SocketOuverture)")
        raise SocketFailure("SOCKET_FERMEE", "SocketFerme" if self._close_requested else "the connection is closed")

    def _flush_control(self) -> bool:
        """Send the control frames the protocol owes (pong, close), never
        blocking longer than the close timeout (a server that stopped reading
        cannot hold us); False when there were none or they could not go."""
        sock = self._sock
        if sock is None or self._fd_closed or not self._protocol.has_data_to_send():
            return False
        return send_bounded(sock, self._write_lock, self.close_timeout_ms / 1000, self._protocol.data_to_send)

    # -- SocketFerme ------------------------------------------------------------------------------

    def close(self) -> None:
        """SocketFerme: close handshake (1000), then release everything.

        From a procedure running in a connection thread it only starts the
        handshake: that socket's thread ends it within the close timeout
        (waiting there could make two connection threads wait for each other).
        """
        with self._state_lock:
            if self._close_requested:
                return
            self._close_requested = True
            phase = self.phase
            if phase is Phase.OPEN and self.close_status is None:
                self.close_status = (int(CloseCode.NORMAL), "")
            started = phase is Phase.OPEN and self._protocol.send_close(CloseCode.NORMAL)
        if phase is Phase.CONNECTING:
            self._shutdown()
            if self._thread is None:  # never connected (synchronous form, or not started)
                with self._state_lock:
                    self.phase = Phase.CLOSED
                self._close_fd()
                return
        elif started:
            self._flush_control()
        thread = self._thread
        if thread is not None:
            if thread is threading.current_thread() or in_connection_callback():
                return
            if thread.is_alive():
                thread.join(self.close_timeout_ms / 1000 + CLOSE_GRACE_S)
            if thread.is_alive():
                self._shutdown()
                thread.join(CLOSE_GRACE_S)
            return
        # synchronous form: read the answer ourselves unless a SocketLit is doing it
        if self._read_lock.acquire(timeout=self.close_timeout_ms / 1000):
            try:
                if self.phase is not Phase.CLOSED:
                    try:
                        while self._next_message(time.monotonic() + self.close_timeout_ms / 1000) is not None:
                            pass
                    except _Ended:
                        pass
            finally:
                self._read_lock.release()
        self._shutdown()
        with in_flight_done(self._read_lock):
            pass  # a SocketLit woken by the shutdown has left
        with self._state_lock:
            self.phase = Phase.CLOSED
        self._close_fd()

    def _shutdown(self) -> None:
        """Wake every thread blocked on the socket (it stays open until _close_fd)."""
        sock = self._sock
        if sock is not None and not self._fd_closed:
            with contextlib.suppress(*IO_ERRORS):
                # the descriptor only: SSLSocket.shutdown would drop its TLS
                # object under a thread still reading it
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _close_fd(self) -> None:
        """Release the descriptor once, after any write in progress has left."""
        with self._state_lock:
            if self._fd_closed or self._sock is None:
                self._fd_closed = True
                return
            self._fd_closed = True
            sock = self._sock
        with contextlib.suppress(*IO_ERRORS):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        with in_flight_done(self._write_lock):
            sock.close()

    # -- settings and information ------------------------------------------------------------------

    def set_mode(self, mode: int, marker: bytes | None) -> None:
        """No effect, as documented for WebSocketClientConnecte sockets."""

    def set_max_message_size(self, size: int) -> None:
        self._protocol.max_size = size

    @property
    def max_message_size(self) -> int:
        return self._protocol.max_size

    def set_ping_interval(self, interval_ms: int) -> None:
        self.ping_interval_ms = interval_ms

    def client_info(self, info_type: int) -> str:
        return self._peer[0] if info_type == SOCKET_ADDRESS else self._peer[1]

    def handshake_info(self, info_type: object) -> str | None:
        """SocketClientInfo's WebSocket types, as on a server channel:
        SocketWebSocketChemin (the path asked), SocketWebSocketProtocole (the
        subprotocol the server chose), SocketWebSocketEntêtes (the server's
        response headers, one "name: value" per line, names in lower case as
        websocket-client reads them).  None for the others."""
        if isinstance(info_type, bool):
            return None
        if info_type == SOCKET_WS_PATH:
            return self._target.resource if isinstance(self._target, Target) else ""
        if info_type == SOCKET_WS_SUBPROTOCOL:
            return self.subprotocol
        if info_type == SOCKET_WS_HEADERS:
            return "\r\n".join(f"{name}: {value}" for name, value in self.response_headers.items())
        return None

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

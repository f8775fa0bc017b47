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

Lifecycle: the transport wraps the accepted channel and takes its socket
over (``detach()``, which for TLS first finishes the TLS handshake) in the
first thread that reads, writes or asks for handshake data, normally the
channel's own thread; the opening handshake runs there too, so the accept
loop never waits for a client.  It must complete within the handshake
timeout counted from the moment the channel became a WebSocket one; a
client that is silent, too slow or sends a request that never ends is
dropped.  The socket is shut down as soon as the connection is over; its
descriptor is released by :meth:`close` (SocketFerme), as for the other
transports.
"""

from __future__ import annotations

import collections
import contextlib
import enum
import socket
import threading
import time

from ..errors import SocketFailure, raise_error
from ..values import Buffer
from ..ws.frames import CloseCode, ProtocolError
from ..ws.handshake import (
    DEFAULT_HANDSHAKE_TIMEOUT_MS,
    MAX_REQUEST_HEAD,
    Accepted,
    Refusal,
    ServerHandshake,
    WebSocketOptions,
)
from ..ws.protocol import DEFAULT_CLOSE_TIMEOUT_MS, CloseReceived, Ping, Protocol, Side, State
from .base import (
    HANDSHAKE_INFO_TYPES,
    SOCKET_ADDRESS,
    SOCKET_PORT,
    SOCKET_WS_ORIGIN,
    SOCKET_WS_PATH,
    SOCKET_WS_SUBPROTOCOL,
    Message,
    Payload,
    Transport,
)
from .io import (
    CLOSE_GRACE_S,
    IO_ERRORS,
    Deadline,
    Waiter,
    drain_until_eof,
    in_flight_done,
    os_reason,
    wait_writable,
)
from .wscommon import message_payload, protocol_failure

__all__ = [
    "WebSocketOptions",
    "WebSocketServerTransport",
    "DEFAULT_HANDSHAKE_TIMEOUT_MS",
    "MAX_REQUEST_HEAD",
]

_CLOSE_TIMEOUT_S = DEFAULT_CLOSE_TIMEOUT_MS / 1000
_RECV_SIZE = 64 * 1024
_MAX_RECV_INTO = 4 * 1024 * 1024
#: Messages from this size up are sent as header, then payload (not copied).
_DIRECT_SEND = 64 * 1024
_HANDSHAKE_RECV = 4096
#: A refusal is sent within this time, then the client may read it for _REFUSAL_DRAIN_S.
_REFUSAL_SEND_S = 1.0
_REFUSAL_DRAIN_S = 0.5


class Phase(enum.Enum):
    HANDSHAKE = "handshake"  # the client's request is awaited
    OPEN = "open"  # the handshake is done (the protocol says whether closing began)
    ENDED = "ended"  # the connection is over (``outcome`` says how)


class WebSocketServerTransport(Transport):
    """A channel speaking RFC 6455 as the server (SocketWebSocket mode).

    ``read`` returns one whole message: ``str`` for text, :class:`Buffer`
    for binary, ``None`` on timeout.  ``write`` sends a ``str`` as a text
    message and bytes (a Buffer) as a binary one.
    """

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
        self._proto_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._handshake_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self.phase = Phase.HANDSHAKE
        #: (error code, detail) of how the connection ended.
        self.outcome: tuple[str, str] | None = None
        self._control_stalled = False  # the reader waits for room for them
        self._leftover = b""  # bytes received after the request head
        self._messages: collections.deque[Message] = collections.deque()
        self._scratch: bytearray | None = None
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
        if not self._send_lock.acquire(timeout=timeout_s):
            return False
        try:
            sock = self._socket()
            if not wait_writable(sock, timeout_s):
                return False
            sock.sendall(data)
            return True
        except IO_ERRORS:
            return False
        finally:
            self._send_lock.release()

    def _drain(self, timeout_s: float) -> None:
        """Read and discard until the peer closes or the time is up, so that
        closing never resets a connection whose last frame is still unread."""
        drain_until_eof(self._socket(), Deadline.after(timeout_s))

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
        self._waiter = Waiter(sock)
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
            if deadline is not None or self._control_stalled:
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
                count = self._recv(protocol)
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

    def _recv(self, protocol: Protocol) -> int:
        """One receive into the protocol (a large payload straight into its
        buffer); the byte count, 0 at the end of the stream."""
        sock = self._socket()
        target = protocol.receive_buffer()
        if target is not None:
            count = sock.recv_into(target, min(len(target), _MAX_RECV_INTO))
            protocol.received_into(count)
            return count
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = bytearray(_RECV_SIZE)
        count = sock.recv_into(scratch)
        protocol.receive_data(memoryview(scratch)[:count])
        return count

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
        with in_flight_done(self._read_lock, self._handshake_lock, self._send_lock):
            self._fd_closed = True
            if self._sock is not None:
                self._sock.close()

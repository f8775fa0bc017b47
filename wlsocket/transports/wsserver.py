"""The server end of a WebSocket (RFC 6455) on an accepted channel.

:class:`WebSocketServerTransport` takes over the socket of an accepted
channel (plain TCP or TLS) and speaks the WebSocket protocol on it, with
``wsproto`` doing the framing, UTF-8 checks, close codes and
permessage-deflate (RFC 7692); this module owns the I/O, the opening
handshake checks, the message size limit and the threading rules.

Threading: the wsproto connection object is not thread-safe, so every call
into it happens under ``_proto_lock``, held only for CPU work (never across
a ``recv`` or ``sendall``).  ``_send_lock`` keeps frames whole and in order
on the wire: a writer generates its frame and sends it under that lock.
The reader never waits for it: the pongs and close replies it must send go
to a small queue that whoever holds the send lock flushes (the reader
itself when the lock is free), so a writer blocked on a slow client can
never stop the reader from draining the socket.

Lifecycle: the transport wraps the accepted channel and takes its socket
over (``detach()``, which for TLS first finishes the TLS handshake) in the
first thread that reads, writes or asks for handshake data, normally the
channel's own thread; the opening handshake runs there too, so the accept
loop never waits for a client.  It must complete within the
handshake timeout counted from the moment the channel became a WebSocket
one; a client that is silent, too slow or sends a request that never ends
is dropped.  The socket is shut down as soon as the connection is over;
its descriptor is released by :meth:`close` (SocketFerme), as for the
other transports.
"""

from __future__ import annotations

import base64
import binascii
import collections
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Optional

from wsproto import ConnectionType, WSConnection
from wsproto.connection import Connection, ConnectionState
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    Request,
    TextMessage,
)
from wsproto.extensions import PerMessageDeflate
from wsproto.utilities import ProtocolError, RemoteProtocolError

from ..errors import SocketFailure, raise_error
from ..values import Buffer, to_bytes, to_text
from .base import CLOSE_GRACE_S, SOCKET_ADDRESS, SOCKET_PORT, Message, Transport, in_flight_done, os_reason

__all__ = [
    "WebSocketOptions",
    "WebSocketServerTransport",
    "DEFAULT_HANDSHAKE_TIMEOUT_MS",
    "CLOSE_TIMEOUT_S",
    "MAX_REQUEST_HEAD",
    "SOCKET_WS_PATH",
    "SOCKET_WS_SUBPROTOCOL",
    "SOCKET_WS_HEADERS",
    "SOCKET_WS_ORIGIN",
    "HANDSHAKE_INFO_TYPES",
]

#: A client must complete its opening handshake within this time (10 s,
#: the ``websockets`` package's default too).
DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000
#: How long a closing endpoint waits for the peer's close frame / FIN.
CLOSE_TIMEOUT_S = 2.0
#: Largest request head (request line + headers) accepted: 16 KiB.
MAX_REQUEST_HEAD = 16 * 1024

# SocketClientInfo extension types (wlsocket extensions).
SOCKET_WS_PATH = 101
SOCKET_WS_SUBPROTOCOL = 102
SOCKET_WS_HEADERS = 103
SOCKET_WS_ORIGIN = 104
HANDSHAKE_INFO_TYPES = (SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL, SOCKET_WS_HEADERS, SOCKET_WS_ORIGIN)

# 64 KiB keeps recv() buffers on the heap (a larger one is a fresh mmap
# per call, ~10 us per small read).
_RECV_SIZE = 64 * 1024
# While reads come back full (a bulk transfer), ask for more at a time, up to
# this: fewer trips through wsproto per MiB.
_MAX_RECV_SIZE = 1024 * 1024
#: Messages from this size up are sent as header, then payload (not copied).
_DIRECT_SEND = 64 * 1024
#: Pongs kept while the socket has no room for them (older ones dropped).
_MAX_PENDING_PONGS = 16
# Compressed input is fed to wsproto in slices this small: deflate expands
# at most ~1032x, so one slice can never inflate to more than ~8 MiB before
# the size limit is checked (a "zip bomb" cannot allocate gigabytes).
_COMPRESSED_SLICE = 8 * 1024
_HANDSHAKE_RECV = 4096

_RECEIVING = (ConnectionState.OPEN, ConnectionState.LOCAL_CLOSING)

_STATUS_TEXT = {
    400: "Bad Request",
    403: "Forbidden",
    408: "Request Timeout",
    426: "Upgrade Required",
    431: "Request Header Fields Too Large",
}


@dataclass
class WebSocketOptions:
    """Settings of the SocketWebSocket mode (see docs/websocket-server.md).

    ``subprotocols``: the subprotocols the server speaks, in its order of
    preference; the first one the client also offers is chosen.  ``None``
    (default) answers with the client's first proposal, as the hand-written
    WINDEV servers do; an empty tuple never answers one.
    ``origins``: the allowed values of the Origin header (``None``: any); a
    request carrying another Origin is refused with 403.  A request without
    Origin (not from a browser) is accepted.
    ``compression``: accept permessage-deflate when the client offers it.
    ``max_message_size``: bytes; ``None`` keeps the socket's own limit
    (SocketTailleMaxMessage, 64 MiB by default).  Above it: close code 1009.
    ``handshake_timeout_ms``: time allowed for the client's request.
    """

    subprotocols: Optional[tuple[str, ...]] = None
    origins: Optional[tuple[str, ...]] = None
    compression: bool = True
    max_message_size: Optional[int] = None
    handshake_timeout_ms: int = DEFAULT_HANDSHAKE_TIMEOUT_MS


class _Refused(Exception):
    """The opening handshake is refused with an HTTP status."""

    def __init__(self, status: int, reason: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers


def _frame_header(opcode: int, length: int) -> bytes:
    """The header of a whole, unmasked, uncompressed server frame (RFC 6455 5.2)."""
    if length < 126:
        return bytes((0x80 | opcode, length))
    if length < 1 << 16:
        return struct.pack("!BBH", 0x80 | opcode, 126, length)
    return struct.pack("!BBQ", 0x80 | opcode, 127, length)


def _text_size(text: str) -> int:
    # str.isascii() is O(1) in CPython: the exact byte count costs nothing
    # for ASCII, one encode otherwise.
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class WebSocketServerTransport(Transport):
    """A channel speaking RFC 6455 as the server (SocketWebSocket mode).

    ``read`` returns one whole message: ``str`` for text, :class:`Buffer`
    for binary, ``None`` on timeout.  ``write`` sends a ``str`` as a text
    message and bytes (a Buffer) as a binary one.
    """

    def __init__(self, channel: Transport, options: WebSocketOptions, max_size: int) -> None:
        # The stream transport of the accepted channel, until the takeover.
        self._channel: Optional[Transport] = channel
        self._sock: socket.socket = None  # type: ignore[assignment]
        self.options = options
        self.max_size = options.max_message_size or max_size
        self._peer = (channel.client_info(SOCKET_ADDRESS), channel.client_info(SOCKET_PORT))
        self._ws = WSConnection(ConnectionType.SERVER)
        self._proto_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._handshake_lock = threading.Lock()
        self._state_lock = threading.Lock()
        # Control frames owed to the client: pongs, at most the latest
        # _MAX_PENDING_PONGS (RFC 6455 5.5.3 allows answering only the most
        # recent ping, so a ping flood from a client that does not read costs
        # no memory), then close frames in order.
        self._pongs: collections.deque[bytes] = collections.deque(maxlen=_MAX_PENDING_PONGS)
        self._control_out: collections.deque[bytes] = collections.deque()
        # The reader holds frames it could not send: the socket was full.
        self._control_stalled = False
        # Handshake state.
        self._request_bytes = bytearray()
        self._created = time.monotonic()
        self._open = False
        self._compressed = False
        self._leftover = b""
        self._path = ""
        self._subprotocol = ""
        self._headers: list[tuple[str, str]] = []
        # Message state (reader only).
        self._parts: list = []
        self._part_size = 0
        self._messages: collections.deque[Message] = collections.deque()
        self._recv_size = _RECV_SIZE
        # End state.
        self._end: Optional[tuple[str, str]] = None
        self._shut = False
        self._closed = False
        self._fd_closed = False

    # -- small helpers ---------------------------------------------------------

    @property
    def _handshake_deadline(self) -> float:
        return self._created + max(0, self.options.handshake_timeout_ms) / 1000

    def _set_end(self, code: str, detail: str) -> None:
        with self._state_lock:
            if self._end is None:
                self._end = (code, detail)

    def _raise_end(self) -> None:
        if self._closed:
            raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
        raise SocketFailure(*(self._end or ("SOCKET_FERMEE", "closed")))

    def _readable(self, timeout_s: Optional[float]) -> bool:
        pending = getattr(self._sock, "pending", None)
        if pending is not None:
            try:
                if pending():
                    return True  # TLS data already decrypted
            except (OSError, ValueError):
                return True
        poller = select.poll()
        try:
            poller.register(self._sock, select.POLLIN)
            ms = None if timeout_s is None else max(0, int(timeout_s * 1000 + 0.999))
            return bool(poller.poll(ms))
        except (OSError, ValueError):
            return True  # let recv report what happened

    def _wait_io(self, timeout_s: Optional[float], want_write: bool) -> tuple[bool, bool]:
        """(readable, writable) within the time; writability only if asked."""
        pending = getattr(self._sock, "pending", None)
        if pending is not None:
            try:
                if pending():
                    return True, False
            except (OSError, ValueError):
                return True, False
        poller = select.poll()
        try:
            poller.register(self._sock, select.POLLIN | (select.POLLOUT if want_write else 0))
            ms = None if timeout_s is None else max(0, int(timeout_s * 1000 + 0.999))
            found = poller.poll(ms)
        except (OSError, ValueError):
            return True, False  # let recv report what happened
        flags = found[0][1] if found else 0
        return bool(flags & ~select.POLLOUT), bool(flags & select.POLLOUT)

    def _writable(self, timeout_s: float) -> bool:
        poller = select.poll()
        try:
            poller.register(self._sock, select.POLLOUT)
            return bool(poller.poll(max(0, int(timeout_s * 1000 + 0.999))))
        except (OSError, ValueError):
            return False

    def _shutdown(self, how: int = socket.SHUT_RDWR) -> None:
        """Shut the socket down (wakes threads blocked in it); idempotent for RDWR."""
        if self._fd_closed or self._sock is None:
            return
        if how == socket.SHUT_RDWR:
            with self._state_lock:
                if self._shut:
                    return
                self._shut = True
        try:
            self._sock.shutdown(how)
        except (OSError, ValueError):
            pass

    def _send_bounded(self, data: bytes, timeout_s: float) -> bool:
        """Send a short frame or response without ever blocking for long."""
        if not self._send_lock.acquire(timeout=timeout_s):
            return False
        try:
            if not self._writable(timeout_s):
                return False
            self._sock.sendall(data)
            return True
        except (OSError, ValueError):
            return False
        finally:
            self._send_lock.release()

    def _drain(self, timeout_s: float) -> None:
        """Read and discard until the peer closes or the time is up, so that
        closing never resets a connection whose last frame is still unread."""
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._readable(remaining):
                return
            try:
                if not self._sock.recv(_RECV_SIZE):
                    return
            except (OSError, ValueError):
                return

    # -- sending ---------------------------------------------------------------

    def _has_control(self) -> bool:
        return bool(self._pongs) or bool(self._control_out)

    def _flush_control_locked(self, wait_s: Optional[float]) -> bool:
        """Send the owed control frames; the caller holds _send_lock.  With
        ``wait_s`` each frame waits at most that long for room in the socket
        (False: some are left); None sends blocking, as a writer does.

        The unlocked emptiness test may miss a frame queued this instant: its
        reader then finds the send lock free, or the writer's re-check after
        releasing it (see :meth:`write`) sends it."""
        while self._pongs or self._control_out:
            if wait_s is not None and not self._writable(wait_s):
                return False
            with self._proto_lock:
                if self._pongs:
                    data = self._pongs.popleft()
                elif self._control_out:
                    data = self._control_out.popleft()
                else:
                    return True
            self._sock.sendall(data)
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
            except (OSError, ValueError):
                with self._proto_lock:
                    self._pongs.clear()
                    self._control_out.clear()
                done = True
            finally:
                self._send_lock.release()
            self._control_stalled = not done
            if not done:
                return

    def write(self, payload: Message, address: Optional[str] = None, port: Optional[int] = None) -> None:
        if address is not None or port is not None:
            raise_error("PARAMETRE_INVALIDE", "address and port are for UDP sockets")
        text: Optional[str] = None
        binary: Optional[bytes] = None
        if isinstance(payload, (bytes, bytearray, memoryview)):
            binary = payload  # type: ignore[assignment]
        else:
            text = payload if isinstance(payload, str) else to_text(to_bytes(payload))
        if not self._open:
            self._ensure_open(None)
        # Without compression a whole server message is a bare header and the
        # payload (RFC 6455 5.2): built here, it skips wsproto's frame
        # assembly and its copies.  Compressed messages go through wsproto.
        direct = not self._compressed
        try:
            if direct and text is not None:
                binary = text.encode("utf-8")
            elif not direct:
                event = BytesMessage(data=bytes(binary)) if text is None else TextMessage(data=text)  # type: ignore[arg-type]
        except UnicodeEncodeError as exc:
            raise_error("PARAMETRE_INVALIDE", f"text that UTF-8 cannot encode ({exc.reason}): send a Buffer")
        with self._send_lock:
            if self._closed or self._shut:
                self._raise_end()
            connection = self._ws.connection
            assert connection is not None
            with self._proto_lock:
                if connection.state is not ConnectionState.OPEN:
                    raise SocketFailure("SOCKET_FERMEE", "the close handshake has begun")
                if direct:
                    header = _frame_header(0x2 if text is None else 0x1, len(binary))  # type: ignore[arg-type]
                    # One send for a small message; a large one is not copied.
                    parts: tuple = (header + binary,) if len(binary) < _DIRECT_SEND else (header, binary)  # type: ignore
                else:
                    try:
                        parts = (connection.send(event),)
                    except UnicodeEncodeError as exc:
                        raise_error("PARAMETRE_INVALIDE", f"text that UTF-8 cannot encode ({exc.reason}): send a Buffer")
            try:
                for part in parts:
                    self._sock.sendall(part)
                self._flush_control_locked(None)
            except (OSError, ValueError) as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                raise SocketFailure("ECHEC_ECRITURE_SOCKET", os_reason(exc)) from None
        self._flush_control()

    # -- opening handshake -----------------------------------------------------

    def _ensure_open(self, deadline: Optional[float]) -> bool:
        """Complete the opening handshake; False if ``deadline`` came first."""
        if self._open:
            return True
        if self._end is not None or self._closed:
            self._raise_end()
        hs_deadline = self._handshake_deadline
        # Another thread may be running the handshake: wait for it, bounded.
        wait_s = (hs_deadline if deadline is None else min(deadline, hs_deadline)) - time.monotonic()
        if not self._handshake_lock.acquire(timeout=max(0.0, wait_s) + (CLOSE_GRACE_S if deadline is None else 0.0)):
            if self._open:
                return True
            if self._end is not None or self._closed:
                self._raise_end()
            if deadline is not None and time.monotonic() >= deadline:
                return False
            raise SocketFailure("ECHEC_WEBSOCKET", "the opening handshake did not complete")
        try:
            if self._sock is None:
                self._take_over()
            while not self._open:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
                if self._end is not None:
                    self._raise_end()
                head_end = self._request_bytes.find(b"\r\n\r\n")
                if head_end >= 0 or len(self._request_bytes) > MAX_REQUEST_HEAD:
                    self._answer_request(head_end)
                    continue
                now = time.monotonic()
                if now >= hs_deadline:
                    self._drop(
                        f"no complete handshake request within {self.options.handshake_timeout_ms} ms"
                        f" ({len(self._request_bytes)} bytes received)"
                    )
                    continue
                wait_until = hs_deadline if deadline is None else min(deadline, hs_deadline)
                if not self._readable(wait_until - now):
                    if deadline is not None and deadline < hs_deadline and time.monotonic() >= deadline:
                        return False
                    continue
                try:
                    chunk = self._sock.recv(_HANDSHAKE_RECV)
                except (OSError, ValueError) as exc:
                    chunk = b""
                    if not self._closed:
                        self._drop(f"the connection failed during the handshake: {os_reason(exc)}")
                        continue
                if not chunk:
                    self._drop("the client disconnected before completing the handshake")
                    continue
                self._request_bytes += chunk
            return True
        finally:
            self._handshake_lock.release()

    def _take_over(self) -> None:
        """Take the channel's socket and the bytes it had received (caller
        holds the handshake lock).  A TLS channel finishes its TLS handshake
        here, bounded by its own timeout."""
        channel = self._channel
        assert channel is not None
        try:
            sock, received = channel.detach()  # type: ignore[attr-defined]
        except SocketFailure as failure:
            self._set_end(failure.code, str(failure.detail))
            channel.close()
            raise
        self._sock = sock
        self._request_bytes += received
        self._channel = None
        if self._closed:  # SocketFerme ran meanwhile: it closes the socket
            self._shutdown()
            raise SocketFailure("SOCKET_FERMEE", "SocketFerme")

    def _drop(self, detail: str) -> None:
        self._set_end("ECHEC_WEBSOCKET", detail)
        self._shutdown()

    def _answer_request(self, head_end: int) -> None:
        """Accept or refuse the request whose head ends at ``head_end``."""
        try:
            # Also when the whole head came at once: the limit is on its size,
            # not on how many bytes were waiting before it ended.
            if head_end < 0 or head_end + 4 > MAX_REQUEST_HEAD:
                raise _Refused(431, f"request head larger than {MAX_REQUEST_HEAD} bytes")
            head = bytes(self._request_bytes[: head_end + 4])
            self._leftover = bytes(self._request_bytes[head_end + 4 :])
            self._request_bytes = bytearray()
            request = self._parse_request(head)
            response = self._accept(request)
        except _Refused as refusal:
            self._refuse(refusal)
            return
        if not self._send_bounded(response, max(0.1, self._handshake_deadline - time.monotonic())):
            self._drop("could not send the handshake response")
            return
        self._open = True

    def _parse_request(self, head: bytes) -> Request:
        first_line, _, header_block = head.partition(b"\r\n")
        parts = first_line.split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
            raise _Refused(400, "not an HTTP request")
        if parts[0] != b"GET":
            raise _Refused(400, "a WebSocket handshake is a GET request")
        if parts[2] != b"HTTP/1.1":
            raise _Refused(400, "a WebSocket handshake needs HTTP/1.1")
        try:
            self._ws.receive_data(head)
            events = list(self._ws.events())
        except RemoteProtocolError as exc:
            hint = exc.event_hint
            status = getattr(hint, "status_code", 400)
            headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in getattr(hint, "headers", ()) or ())
            raise _Refused(status, str(exc), headers) from None
        except (ProtocolError, ValueError, UnicodeError) as exc:
            raise _Refused(400, f"malformed request ({exc})") from None
        if len(events) != 1 or not isinstance(events[0], Request):
            raise _Refused(400, "malformed request")
        request = events[0]
        self._headers = []
        for line in header_block.split(b"\r\n"):
            name, sep, value = line.partition(b":")
            if sep:
                self._headers.append((to_text(name.strip()), to_text(value.strip())))
        self._path = request.target
        return request

    def _header(self, name: str) -> Optional[str]:
        wanted = name.lower()
        values = [value for key, value in self._headers if key.lower() == wanted]
        return ", ".join(values) if values else None

    def _accept(self, request: Request) -> bytes:
        key = self._header("Sec-WebSocket-Key") or ""
        try:
            if len(base64.b64decode(key.encode("ascii"), validate=True)) != 16:
                raise ValueError
        except (ValueError, binascii.Error, UnicodeError):
            raise _Refused(400, "Sec-WebSocket-Key is not 16 bytes in base64") from None
        allowed = self.options.origins
        origin = self._header("Origin")
        if allowed is not None and origin is not None:
            if origin.lower() not in {item.lower() for item in allowed}:
                raise _Refused(403, f"origin {origin} is not allowed")
        offered = list(request.subprotocols)
        chosen: Optional[str] = None
        if self.options.subprotocols is None:
            chosen = offered[0] if offered else None
        else:
            chosen = next((item for item in self.options.subprotocols if item in offered), None)
        extensions = [PerMessageDeflate()] if self.options.compression else []
        with self._proto_lock:
            try:
                response = self._ws.send(
                    AcceptConnection(subprotocol=chosen, extensions=extensions, extra_headers=[(b"Server", b"wlsocket")])
                )
            except (ProtocolError, ValueError) as exc:
                raise _Refused(400, f"cannot accept the request ({exc})") from None
        self._compressed = any(ext.enabled() for ext in extensions)
        self._subprotocol = chosen or ""
        return response

    def _refuse(self, refusal: _Refused) -> None:
        body = f"{refusal.status} {_STATUS_TEXT.get(refusal.status, 'Error')}: {refusal.reason}\n".encode("utf-8")
        lines = [f"HTTP/1.1 {refusal.status} {_STATUS_TEXT.get(refusal.status, 'Error')}"]
        lines += [f"{name}: {value}" for name, value in refusal.headers]
        lines += ["Content-Type: text/plain; charset=utf-8", f"Content-Length: {len(body)}", "Connection: close"]
        response = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        self._send_bounded(response, 1.0)
        self._set_end("ECHEC_WEBSOCKET", f"handshake refused ({refusal.status}): {refusal.reason}")
        # Half-close and let the client read the answer before the socket
        # goes (closing with unread input would reset the connection).
        self._shutdown(socket.SHUT_WR)
        self._drain(0.5)
        self._shutdown()

    # -- reading ---------------------------------------------------------------

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Optional[Message]:
        """One whole message; ``max_bytes`` does not apply (whole messages)."""
        deadline = None if wait else time.monotonic() + max(0, timeout_ms) / 1000
        if not self._read_lock.acquire(timeout=-1 if deadline is None else max(0, timeout_ms) / 1000):
            return None
        try:
            if not self._open and not self._ensure_open(deadline):
                return None
            return self._read_message(deadline)
        finally:
            self._read_lock.release()

    def _read_message(self, deadline: Optional[float]) -> Optional[Message]:
        while True:
            if self._messages:
                return self._messages.popleft()
            if self._closed or self._end is not None:
                self._raise_end()
            if self._leftover:
                data, self._leftover = self._leftover, b""
                self._receive(data)
                continue
            if self._has_control():
                self._flush_control()
            if deadline is not None or self._control_stalled:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                readable, writable = self._wait_io(remaining, self._control_stalled)
                if not readable:
                    if writable:
                        continue  # room again for what the reader owes
                    return None
            try:
                data = self._sock.recv(self._recv_size)
            except (OSError, ValueError) as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                self._set_end("ECHEC_LECTURE_SOCKET", os_reason(exc))
                self._shutdown()
                continue
            if self._closed:
                continue
            if len(data) == self._recv_size:
                self._recv_size = min(self._recv_size * 4, _MAX_RECV_SIZE)
            elif self._recv_size != _RECV_SIZE and len(data) < _RECV_SIZE:
                self._recv_size = _RECV_SIZE
            if data:
                self._receive(data)
            else:
                self._set_end(
                    "SOCKET_FERMEE",
                    "the client disconnected in the middle of a message (1006)"
                    if self._parts
                    else "the client disconnected without a close frame (1006)",
                )
                self._shutdown()

    def _receive(self, data: bytes) -> None:
        """Feed received bytes to wsproto and act on the events."""
        if self._compressed and len(data) > _COMPRESSED_SLICE:
            pieces: "list[bytes] | tuple[bytes]" = [
                data[i : i + _COMPRESSED_SLICE] for i in range(0, len(data), _COMPRESSED_SLICE)
            ]
        else:
            pieces = (data,)
        # After the handshake, wsproto's Connection directly (one generator
        # layer less per message than WSConnection).
        connection = self._ws.connection
        assert connection is not None
        for piece in pieces:
            with self._proto_lock:
                if connection.state not in _RECEIVING:
                    return
                connection.receive_data(piece)
                after = self._handle_events(connection)
            if after is not None:
                after()
                return
            if self._has_control():
                self._flush_control()

    def _handle_events(self, ws: Connection):  # -> Optional[Callable[[], None]]
        """Process wsproto's events (caller holds _proto_lock).  Returns what
        to do once the lock is released when the connection is ending."""
        for event in ws.events():
            if isinstance(event, (TextMessage, BytesMessage)):
                data = event.data
                size = _text_size(data) if isinstance(data, str) else len(data)
                if event.message_finished and not self._parts:  # a message in one piece
                    if size > self.max_size:
                        return self._fail_locked(1009, "MESSAGE_TROP_GRAND", f"more than {self.max_size} bytes")
                    self._messages.append(data if isinstance(data, str) else Buffer(data))
                    continue
                self._parts.append(data)
                self._part_size += size
                if self._part_size > self.max_size:
                    self._parts, self._part_size = [], 0
                    return self._fail_locked(1009, "MESSAGE_TROP_GRAND", f"more than {self.max_size} bytes")
                if event.message_finished:
                    if isinstance(event, TextMessage):
                        message: Message = self._parts[0] if len(self._parts) == 1 else "".join(self._parts)
                    else:
                        message = Buffer(b"".join(self._parts))
                    self._parts, self._part_size = [], 0
                    self._messages.append(message)
            elif isinstance(event, Ping):
                if ws.state is ConnectionState.OPEN:
                    self._pongs.append(ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                state = ws.state
                if state is ConnectionState.REMOTE_CLOSING:
                    self._control_out.append(ws.send(event.response()))
                    detail = f"closed by the client (code {int(event.code)}{', ' + event.reason if event.reason else ''})"
                    self._set_end("SOCKET_FERMEE", detail)
                    return self._close_after_reply
                if state is ConnectionState.CLOSED:  # the reply to our close
                    self._set_end("SOCKET_FERMEE", "closed")
                    return self._shutdown
                # A protocol error found by wsproto: fail the connection.
                code = "TRAME_INVALIDE"
                return self._fail_locked(int(event.code), code, f"{event.reason or 'protocol error'} (code {int(event.code)})")
        return None

    def _fail_locked(self, close_code: int, error: str, detail: str):
        """Start closing after a local decision (caller holds _proto_lock)."""
        self._parts, self._part_size = [], 0
        if self._ws.state is ConnectionState.OPEN:
            reason = {1009: "message too big"}.get(close_code, "")
            self._control_out.append(self._ws.send(CloseConnection(code=close_code, reason=reason or None)))
        self._set_end(error, detail)
        return self._close_after_local_close

    def _close_after_reply(self) -> None:
        """Peer-initiated close: our reply is queued; the server drops TCP first."""
        self._flush_control_bounded()
        self._shutdown()

    def _close_after_local_close(self) -> None:
        """We sent a close: half-close, wait for the peer to finish, drop."""
        self._flush_control_bounded()
        self._shutdown(socket.SHUT_WR)
        self._drain(CLOSE_TIMEOUT_S)
        self._shutdown()

    def _flush_control_bounded(self) -> None:
        if not self._send_lock.acquire(timeout=CLOSE_TIMEOUT_S):
            return
        try:
            self._flush_control_locked(CLOSE_TIMEOUT_S)
        except (OSError, ValueError):
            pass
        finally:
            self._send_lock.release()

    # -- settings and information ------------------------------------------------

    def set_mode(self, mode: int, marker: Optional[bytes]) -> None:
        raise_error("FONCTION_INTERDITE", f"{self.name} (a WebSocket channel keeps its mode)")

    def set_max_message_size(self, size: int) -> None:
        self.max_size = size

    @property
    def max_message_size(self) -> int:
        return self.max_size

    def reconfigure(self, options: WebSocketOptions) -> None:
        """New options, allowed until the handshake has started."""
        if not self._handshake_lock.acquire(blocking=False):
            raise_error("FONCTION_INTERDITE", f"{self.name} (the WebSocket handshake is running)")
        try:
            if self._open or self._end is not None:
                raise_error("FONCTION_INTERDITE", f"{self.name} (the WebSocket handshake is over)")
            self.options = options
            if options.max_message_size:
                self.max_size = options.max_message_size
        finally:
            self._handshake_lock.release()

    def client_info(self, info_type: int) -> str:
        return self._peer[0] if info_type == SOCKET_ADDRESS else self._peer[1]

    def handshake_info(self, info_type: object) -> Optional[str]:
        """SocketClientInfo's extension types; completes the handshake first."""
        if isinstance(info_type, bool) or info_type not in HANDSHAKE_INFO_TYPES:
            return None
        self._ensure_open(None)
        if info_type == SOCKET_WS_PATH:
            return self._path
        if info_type == SOCKET_WS_SUBPROTOCOL:
            return self._subprotocol
        if info_type == SOCKET_WS_ORIGIN:
            return self._header("Origin") or ""
        return "\r\n".join(f"{name}: {value}" for name, value in self._headers)

    def header(self, name: str) -> str:
        """The value of one request header ("" when absent); repeated
        headers are joined with ", "."""
        self._ensure_open(None)
        return self._header(name) or ""

    # -- closing ---------------------------------------------------------------

    def close(self, code: int = 1000, reason: str = "") -> None:
        """SocketFerme: close code 1000 (SocketWebSocketFerme: ``code`` and
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
        if self._open and self._end is None and not self._shut:
            with self._proto_lock:
                if self._ws.state is ConnectionState.OPEN:
                    self._control_out.append(self._ws.send(CloseConnection(code=code, reason=reason or None)))
            if self._send_lock.acquire(timeout=CLOSE_TIMEOUT_S):
                try:
                    sent_close = self._flush_control_locked(CLOSE_TIMEOUT_S)
                except (OSError, ValueError):
                    pass
                finally:
                    self._send_lock.release()
        if sent_close:
            self._shutdown(socket.SHUT_WR)
            # Wait for the client's close reply and FIN, unless a reader
            # thread is busy on the socket: it will see them.
            got_read = self._read_lock.acquire(timeout=CLOSE_TIMEOUT_S)
            if got_read:
                try:
                    self._drain(CLOSE_TIMEOUT_S)
                finally:
                    self._read_lock.release()
        self._shutdown()
        with in_flight_done(self._read_lock, self._handshake_lock, self._send_lock):
            self._fd_closed = True
            if self._sock is not None:
                self._sock.close()

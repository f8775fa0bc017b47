"""The WebSocket client (RFC 6455): SocketConnecte("ws://..."), WebSocketClientConnecte.

Who does what:

* the TCP connection is the core's (:func:`~wlsocket.transports.tcp.open_connection`),
  TLS is Python's ``ssl`` with the context the facade chose;
* the opening handshake (request, response checks, Sec-WebSocket-Accept,
  cookies) is websocket-client's, run on our socket through a wrapper that
  bounds the *whole* handshake by the connection timeout;
* after the handshake, frames are read and written here.  websocket-client's
  own reader is not used because, for a port that must survive any server,
  it falls short: its UTF-8 check is slow (about 160 ms per MiB) and accepts
  a text message ending in a truncated sequence; it has no message size
  limit (a frame announcing 2^63 bytes is read until memory runs out); it
  joins continuation frames with ``+=`` (quadratic on many fragments); it
  lets fragmented or oversized pong frames through; it reads a frame in
  several 16 KiB ``recv`` calls.  :class:`FrameReader` is the sans-I/O
  replacement: text is checked with Python's strict UTF-8 codec (an
  incremental decoder for fragmented messages, so bad text fails on the
  fragment that carries it), limits are checked on the frame header before
  any payload is stored, and large payloads are received straight into
  their final buffer.

Failures close the connection with the RFC's codes: 1002 for a protocol
error, 1007 for invalid UTF-8 (in a text message or a close reason), 1009
for a message above the socket's limit (default :data:`DEFAULT_MAX_MESSAGE_SIZE`,
changed with ``SocketTailleMaxMessage``).  After sending or receiving a
close frame the client waits (at most the close timeout) for the server to
end the TCP connection, as RFC 6455 section 7.1.1 prefers.

Two ways of use (see :mod:`wlsocket.api.websocket`): *synchronous*, where
the program's SocketLit reads one whole message per call in its own
thread; *asynchronous*, where a connection thread reads and hands every
event to the socket's procedure through :mod:`wlsocket.dispatcher`.
Keepalive pings (off by default) go out from whichever thread is reading
when the connection has been silent for the interval; a ping that gets no
answer within another interval ends the connection (1006).
"""

from __future__ import annotations

import codecs
import os
import select
import socket
import ssl
import struct
import threading
import time
from typing import Any, Optional, Union
from urllib.parse import urlsplit

import websocket as websocket_client

from ..codecs import DEFAULT_MAX_MESSAGE_SIZE
from ..dispatcher import SOCKET_CLOSING, SOCKET_ERROR, SOCKET_MESSAGE, SOCKET_OPENING, EventSource, in_connection_callback
from ..errors import SocketFailure, log, message_for, raise_error
from ..values import Buffer, to_bytes
from .base import CLOSE_GRACE_S, SOCKET_ADDRESS, Message, Transport, in_flight_done, os_reason
from .tcp import open_connection

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "DEFAULT_CLOSE_TIMEOUT_MS",
    "FrameReader",
    "ProtocolViolation",
    "Target",
    "parse_ws_url",
    "mask",
    "encode_frame",
    "WebSocketClientTransport",
]

#: How long SocketFerme (or a failure) waits for the server's side of the close handshake.
DEFAULT_CLOSE_TIMEOUT_MS = 2000

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
TEXT, BINARY, PING, PONG, CLOSE = "text", "binary", "ping", "pong", "close"

CLOSE_NORMAL = 1000
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_NO_STATUS = 1005
CLOSE_ABNORMAL = 1006
CLOSE_INVALID_DATA = 1007
CLOSE_TOO_BIG = 1009

#: Payloads at least this large are received straight into their own buffer.
_BIG_FRAME = 64 * 1024
_RECV_SIZE = 64 * 1024
_MAX_RECV_INTO = 4 * 1024 * 1024
#: Frames at least this large are sent after their header rather than copied behind it.
_SPLIT_WRITE = 64 * 1024
#: An endless read wakes this often to see a keepalive interval set meanwhile.
_RECHECK_S = 1.0


def _valid_close_code(code: int) -> bool:
    """Codes a peer may send (RFC 6455 7.4 and the IANA registry)."""
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


class ProtocolViolation(Exception):
    """The server broke RFC 6455: fail the connection with ``close_code``."""

    def __init__(self, close_code: int, code: str, detail: str) -> None:
        super().__init__(close_code, code, detail)
        self.close_code = close_code
        self.code = code
        self.detail = detail


def _violation(detail: str) -> ProtocolViolation:
    return ProtocolViolation(CLOSE_PROTOCOL_ERROR, "TRAME_INVALIDE", f"{detail}, close code 1002")


def _invalid_utf8(where: str, exc: UnicodeDecodeError) -> ProtocolViolation:
    detail = f"invalid UTF-8 in a {where}: {exc.reason} at byte {exc.start}, close code 1007"
    return ProtocolViolation(CLOSE_INVALID_DATA, "TRAME_INVALIDE", detail)


class FrameReader:
    """Sans-I/O: the bytes a server sends in, messages and control frames out.

    ``feed(data)`` adds received bytes; when :meth:`fill_target` returns a
    buffer, the caller may instead receive directly into it and report the
    count with :meth:`filled`.  :meth:`next_event` returns ``None`` until an
    event is whole, then ``(TEXT, str)``, ``(BINARY, Buffer)``,
    ``(PING, bytes)``, ``(PONG, bytes)`` or ``(CLOSE, code, reason)``; it
    raises :class:`ProtocolViolation` for anything RFC 6455 forbids.
    """

    def __init__(self, max_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> None:
        self.max_size = max_size
        self._buf = bytearray()
        self._big: Optional[bytearray] = None  # payload of a large frame being received
        self._big_filled = 0
        self._big_header = (0, 0)
        self._message_opcode = 0  # opcode of the fragmented message in progress
        self._parts: list[Any] = []
        self._size = 0
        self._utf8: Any = None

    def feed(self, data: bytes) -> None:
        self._buf += data

    def fill_target(self) -> Optional[memoryview]:
        if self._big is None:
            return None
        return memoryview(self._big)[self._big_filled :]

    def filled(self, count: int) -> None:
        self._big_filled += count

    def next_event(self) -> Optional[tuple]:
        while True:
            if self._big is not None:
                if self._big_filled < len(self._big):
                    return None
                fin, opcode = self._big_header
                payload: Union[bytearray, bytes] = self._big
                self._big = None
            else:
                buf = self._buf
                have = len(buf)
                if have < 2:
                    return None
                first, second = buf[0], buf[1]
                length = second & 0x7F
                start = 2
                if length == 126:
                    if have < 4:
                        return None
                    length = (buf[2] << 8) | buf[3]
                    start = 4
                elif length == 127:
                    if have < 10:
                        return None
                    length = int.from_bytes(buf[2:10], "big")
                    start = 10
                fin, opcode = first & 0x80, first & 0x0F
                self._check_header(first, second, fin, opcode, length)
                end = start + length
                if have >= end:
                    payload = buf[start:end]
                    del buf[:end]
                elif length >= _BIG_FRAME:
                    big = bytearray(length)
                    big[: have - start] = buf[start:]
                    buf.clear()
                    self._big, self._big_filled, self._big_header = big, have - start, (fin, opcode)
                    return None
                else:
                    return None
            event = self._frame(fin, opcode, payload)
            if event is not None:
                return event

    def _check_header(self, first: int, second: int, fin: int, opcode: int, length: int) -> None:
        """Everything knowable before the payload arrives (checked again on each call)."""
        if first & 0x70:
            raise _violation(f"reserved bits {first >> 4 & 7:03b} set without a negotiated extension")
        if second & 0x80:
            raise _violation("a frame from the server is masked")
        if opcode >= 0x8:
            if opcode > OP_PONG:
                raise _violation(f"reserved control opcode {opcode}")
            if not fin:
                raise _violation("a fragmented control frame")
            if length > 125:
                raise _violation(f"a control frame of {length} bytes (125 at most)")
            return
        if opcode > OP_BINARY:
            raise _violation(f"reserved data opcode {opcode}")
        if opcode == OP_CONT and not self._message_opcode:
            raise _violation("a continuation frame with no message to continue")
        if opcode != OP_CONT and self._message_opcode:
            raise _violation("a new message before the end of the fragmented one")
        if length >> 63:
            raise _violation("a 64-bit length with its most significant bit set")
        if self._size + length > self.max_size:
            raise ProtocolViolation(
                CLOSE_TOO_BIG,
                "MESSAGE_TROP_GRAND",
                f"{self._size + length} bytes or more, limit {self.max_size}, close code 1009",
            )

    def _frame(self, fin: int, opcode: int, payload: Union[bytearray, bytes]) -> Optional[tuple]:
        if opcode == OP_TEXT and fin:
            try:
                return (TEXT, payload.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise _invalid_utf8("text message", exc) from None
        if opcode == OP_BINARY and fin:
            return (BINARY, Buffer(payload))
        if opcode == OP_PING:
            return (PING, bytes(payload))
        if opcode == OP_PONG:
            return (PONG, bytes(payload))
        if opcode == OP_CLOSE:
            return self._close_frame(payload)
        # a fragment: the first (TEXT/BINARY without fin) or a continuation
        if opcode != OP_CONT:
            self._message_opcode = opcode
            self._utf8 = codecs.getincrementaldecoder("utf-8")("strict") if opcode == OP_TEXT else None
        self._size += len(payload)
        if self._utf8 is not None:
            try:
                self._parts.append(self._utf8.decode(payload, bool(fin)))
            except UnicodeDecodeError as exc:
                raise _invalid_utf8("fragmented text message", exc) from None
        else:
            self._parts.append(bytes(payload))
        if not fin:
            return None
        parts, text = self._parts, self._utf8 is not None
        self._parts, self._size, self._message_opcode, self._utf8 = [], 0, 0, None
        return (TEXT, "".join(parts)) if text else (BINARY, Buffer(b"".join(parts)))

    @staticmethod
    def _close_frame(payload: Union[bytearray, bytes]) -> tuple:
        if not payload:
            return (CLOSE, CLOSE_NO_STATUS, "")
        if len(payload) == 1:
            raise _violation("a close frame with a 1-byte payload")
        code = (payload[0] << 8) | payload[1]
        if not _valid_close_code(code):
            raise _violation(f"invalid close code {code}")
        try:
            reason = payload[2:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _invalid_utf8("close reason", exc) from None
        return (CLOSE, code, reason)


# --- writing ----------------------------------------------------------------------


#: _XOR_TABLES[k] maps every byte to itself XOR k (for bytes.translate).
_XOR_TABLES = [bytes(value ^ key for value in range(256)) for key in range(256)]
_SMALL_MASK = 1024


def mask(key: bytes, data: Union[bytes, bytearray, memoryview]) -> Union[bytes, bytearray]:
    """XOR ``data`` with the 4-byte ``key`` repeated (RFC 6455 5.3), never
    byte by byte in Python: a big-integer XOR for small payloads, and for
    large ones ``bytes.translate`` over every fourth byte with a 256-byte
    XOR table per key byte (wsproto's method, about 0.8 ms per MiB)."""
    count = len(data)
    if count < _SMALL_MASK:
        if not count:
            return b""
        whole, rest = divmod(count, 4)
        return (int.from_bytes(data, "big") ^ int.from_bytes(key * whole + key[:rest], "big")).to_bytes(count, "big")
    out = bytearray(data)
    for offset in range(4):
        out[offset::4] = out[offset::4].translate(_XOR_TABLES[key[offset]])
    return out


_key_pools = threading.local()


def _mask_key() -> bytes:
    """4 bytes from the OS's CSPRNG, fetched 1 KiB at a time per thread (a
    getrandom call per frame costs more than the rest of a small frame)."""
    pool = _key_pools.__dict__
    data, position = pool.get("data", b""), pool.get("position", 0)
    if position >= len(data):
        data, position = os.urandom(1024), 0
        pool["data"] = data
    pool["position"] = position + 4
    return data[position : position + 4]


def encode_frame(
    opcode: int, payload: Union[bytes, bytearray, memoryview], fin: bool = True
) -> tuple[bytes, Union[bytes, bytearray]]:
    """A masked client frame as (header with mask key, masked payload)."""
    length = len(payload)
    key = _mask_key()
    first = (0x80 if fin else 0) | opcode
    if length < 126:
        header = struct.pack("!BB4s", first, 0x80 | length, key)
    elif length < 65536:
        header = struct.pack("!BBH4s", first, 0xFE, length, key)
    else:
        header = struct.pack("!BBQ4s", first, 0xFF, length, key)
    return header, mask(key, payload)


# --- where to connect -----------------------------------------------------------------


class Target:
    """Everything needed to open one connection."""

    def __init__(
        self,
        host: str,
        port: int,
        resource: str = "/",
        secure: bool = False,
        subprotocols: tuple[str, ...] = (),
        timeout_ms: int = 30_000,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.host, self.port, self.resource, self.secure = host, port, resource, secure
        self.subprotocols = subprotocols
        self.timeout_ms = timeout_ms
        self.ssl_context = ssl_context

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'wss' if self.secure else 'ws'}://{host}:{self.port}{self.resource}"


def parse_ws_url(url: str) -> tuple[bool, str, int, str]:
    """``ws://host[:port][/path][?query]`` -> (secure, host, port, resource).

    Raises the non-fatal URL_INVALIDE for anything RFC 6455 section 3 refuses
    (another scheme, no host, a bad port, a fragment)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise SocketFailure("URL_INVALIDE", f"{url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("ws", "wss"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (the scheme must be ws:// or wss://)")
    if not parts.hostname:
        raise SocketFailure("URL_INVALIDE", f"{url!r} (no host name)")
    if parts.fragment or url.strip().endswith("#"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (a WebSocket URL has no #fragment)")
    if port == 0:
        raise SocketFailure("URL_INVALIDE", f"{url!r} (port 0)")
    if any(ch in parts.hostname for ch in " \t\r\n/\\"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (invalid host name)")
    resource = parts.path or "/"
    if parts.query:
        resource += "?" + parts.query
    secure = scheme == "wss"
    return secure, parts.hostname, port or (443 if secure else 80), resource


class _HandshakeSocket:
    """What websocket-client's handshake sees: our socket, with every
    ``recv``/``send`` bounded by what is left of the connection timeout (its
    own timeout applies per call, so a server trickling bytes could stretch
    the handshake without end)."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the handshake took too long")
        self._sock.settimeout(remaining)

    def recv(self, size: int) -> bytes:
        self._arm()
        return self._sock.recv(size)

    def send(self, data: bytes) -> int:
        self._arm()
        return self._sock.send(data)

    def gettimeout(self) -> Optional[float]:
        return self._sock.gettimeout()

    def settimeout(self, value: Optional[float]) -> None:
        pass  # the deadline decides

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        pass  # the transport owns the socket


# --- the transport ----------------------------------------------------------------------------

CONNECTING, OPEN, CLOSING, CLOSED = "connecting", "open", "closing", "closed"


class _Ended(Exception):
    """Internal: the connection is over (the transport's fields say how)."""


class WebSocketClientTransport(Transport):
    """One WebSocket client connection registered under a socket name.

    Synchronous when ``source`` is None (SocketLit reads); otherwise a
    connection thread connects, reads and posts events to ``source``.
    """

    def __init__(
        self,
        target: Union[Target, str],
        source: Optional[EventSource] = None,
        max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        ping_interval_ms: int = 0,
        close_timeout_ms: int = DEFAULT_CLOSE_TIMEOUT_MS,
    ) -> None:
        self._target = target
        self._source = source
        self._sock: Optional[socket.socket] = None
        self._reader = FrameReader(max_size)
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self.state = CONNECTING
        self.subprotocol = ""
        self.response_headers: dict[str, str] = {}
        self.ping_interval_ms = ping_interval_ms
        self.close_timeout_ms = close_timeout_ms
        self._close_requested = False  # SocketFerme was called
        self._close_sent = False
        #: (code, reason) of the close that ended the connection (ours or the server's).
        self.close_status: Optional[tuple[int, str]] = None
        #: (error code, detail) when the connection ended by a failure.
        self.failure: Optional[tuple[str, str]] = None
        self._failure_reported = False
        self._fd_closed = False
        self._peer = ("0", "")
        self._last_rx = time.monotonic()
        self._ping_sent_at: Optional[float] = None
        self._thread: Optional[threading.Thread] = None
        self._scratch: Optional[bytearray] = None
        self._poller: Optional[Any] = None  # select.poll on the socket, made at the first wait

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
            with self._state_lock:
                self._sock = sock
                if self._close_requested:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection")
            if target.secure:
                sock = self._tls(sock, target, deadline)
            self._handshake(sock, target, deadline)
            sock.settimeout(None)
            with self._state_lock:
                if self._close_requested:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection")
                self.state = OPEN
        except SocketFailure:
            self._close_fd()
            raise
        try:
            host, port = sock.getpeername()[:2]
            self._peer = (str(host), str(port))
        except OSError:
            pass
        self._last_rx = time.monotonic()

    def _tls(self, sock: socket.socket, target: Target, deadline: float) -> ssl.SSLSocket:
        from . import tls  # the secure sockets' contexts and error wording

        context = target.ssl_context or tls.client_context()
        try:
            secured = context.wrap_socket(sock, server_hostname=target.host, do_handshake_on_connect=False)
        except (ssl.SSLError, ValueError, OSError) as exc:
            raise SocketFailure("ECHEC_SSL", os_reason(exc)) from None
        with self._state_lock:
            self._sock = secured
        try:
            secured.settimeout(max(0.001, deadline - time.monotonic()))
            secured.do_handshake()
        except (OSError, ValueError) as exc:
            raise self._connect_failure(tls.tls_failure(exc, f"{target.host}:{target.port}", target.timeout_ms)) from None
        return secured

    def _connect_failure(self, failure: SocketFailure) -> SocketFailure:
        if self._close_requested:
            return SocketFailure("SOCKET_FERMEE", "SocketFerme during the connection")
        return failure

    def _handshake(self, sock: socket.socket, target: Target, deadline: float) -> None:
        headers = []
        if target.subprotocols:
            headers.append("Sec-WebSocket-Protocol: " + ", ".join(target.subprotocols))
        client = websocket_client.WebSocket(skip_utf8_validation=True, enable_multithread=False)
        where = f"{target.host}:{target.port}"
        try:
            client.connect(
                target.url, socket=_HandshakeSocket(sock, deadline), header=headers, redirect_limit=0
            )
        except websocket_client.WebSocketBadStatusException as exc:
            status = f"{exc.status_code} {exc.status_message or ''}".strip()
            raise self._connect_failure(
                SocketFailure("ECHEC_WEBSOCKET", f"{where} refused the WebSocket connection (HTTP {status})")
            ) from None
        except (websocket_client.WebSocketTimeoutException, socket.timeout):
            raise self._connect_failure(
                SocketFailure(
                    "ECHEC_CONNEXION_SOCKET", f"{where} did not answer the WebSocket handshake within {target.timeout_ms} ms"
                )
            ) from None
        except websocket_client.WebSocketConnectionClosedException:
            raise self._connect_failure(
                SocketFailure("ECHEC_CONNEXION_SOCKET", f"{where} closed the connection during the WebSocket handshake")
            ) from None
        except websocket_client.WebSocketException as exc:
            raise self._connect_failure(SocketFailure("ECHEC_WEBSOCKET", f"{where}: {exc}")) from None
        except ssl.SSLError as exc:
            raise self._connect_failure(SocketFailure("ECHEC_SSL", f"{where}: {exc.reason or exc}")) from None
        except OSError as exc:
            raise self._connect_failure(SocketFailure("ECHEC_CONNEXION_SOCKET", f"{where}: {os_reason(exc)}")) from None
        except (ValueError, TypeError, KeyError, UnicodeError) as exc:  # a response websocket-client chokes on
            raise self._connect_failure(SocketFailure("ECHEC_WEBSOCKET", f"{where}: invalid handshake response ({exc})")) from None
        finally:
            client.sock = None  # ours, not websocket-client's
        response = client.getheaders() or {}
        self.response_headers = dict(response)
        chosen = response.get("sec-websocket-protocol", "")
        if chosen and chosen not in target.subprotocols:
            raise self._connect_failure(
                SocketFailure("ECHEC_WEBSOCKET", f"{where} chose the subprotocol {chosen!r}, which was not offered")
            )
        if response.get("sec-websocket-extensions"):
            raise self._connect_failure(
                SocketFailure("ECHEC_WEBSOCKET", f"{where} imposed extensions that were not offered")
            )
        self.subprotocol = chosen

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
                self.state = CLOSED
                requested = self._close_requested
            self._close_fd()
            if not requested:
                source.post(SOCKET_ERROR, message_for(failure.code, failure.detail), (failure.code, failure.detail))
            source.post(SOCKET_CLOSING, str(CLOSE_ABNORMAL))
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
                self.state = CLOSED
                if self.failure is None:
                    self.failure = ("ECHEC_LECTURE_SOCKET", repr(exc))
            self._close_fd()
        if self.failure is not None and not self._close_requested:
            source.post(SOCKET_ERROR, message_for(*self.failure), self.failure)
        code, reason = self.close_status or (CLOSE_ABNORMAL, "")
        source.post(SOCKET_CLOSING, f"{code} {reason}" if reason else str(code))

    # -- reading --------------------------------------------------------------------------------

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Optional[Message]:
        """SocketLit: one whole message (str or Buffer), None on timeout.

        ``max_bytes`` does not apply: a WebSocket message is never cut."""
        if self._source is not None:
            raise_error("FONCTION_INTERDITE", f"{self.name} (its messages go to its procedure)")
        deadline = None if wait else time.monotonic() + max(0, timeout_ms) / 1000
        if not self._read_lock.acquire(timeout=-1 if deadline is None else max(0, timeout_ms) / 1000):
            return None
        try:
            if self.state == CLOSED:
                raise self._ended_failure()
            try:
                return self._next_message(deadline)
            except _Ended:
                raise self._ended_failure() from None
        finally:
            self._read_lock.release()

    def _ended_failure(self) -> SocketFailure:
        """What SocketLit reports once the connection is over: the failure
        that ended it the first time, then SOCKET_FERMEE."""
        if self.failure is not None and not self._failure_reported:
            self._failure_reported = True
            return SocketFailure(*self.failure)
        if self._close_requested:
            return SocketFailure("SOCKET_FERMEE", "SocketFerme")
        code, reason = self.close_status or (CLOSE_ABNORMAL, "")
        return SocketFailure("SOCKET_FERMEE", f"closed by the server, code {code}" + (f" ({reason})" if reason else ""))

    def _next_message(self, deadline: Optional[float]) -> Optional[Message]:
        """The next data message (read lock held), None on timeout; raises
        _Ended when the connection is over."""
        reader = self._reader
        while True:
            if self.state == CLOSED:
                raise _Ended
            try:
                event = reader.next_event()
            except ProtocolViolation as violation:
                self._fail(violation.close_code, violation.code, violation.detail)
            if event is None:
                if not self._receive(deadline):
                    return None
                continue
            kind = event[0]
            if kind is TEXT or kind is BINARY:
                if self.state == OPEN:
                    return event[1]
            elif kind is PING:
                if not self._close_sent:
                    self._send_control(OP_PONG, event[1])
            elif kind is CLOSE:
                self._peer_closed(event[1], event[2])

    def _receive(self, deadline: Optional[float]) -> bool:
        """Receive more bytes into the reader; False when ``deadline`` passed."""
        sock = self._sock
        assert sock is not None
        if not self._wait_readable(sock, deadline):
            return False
        reader = self._reader
        target = reader.fill_target()
        try:
            if target is not None:
                count = sock.recv_into(target, min(len(target), _MAX_RECV_INTO))
                reader.filled(count)
            else:
                # into a buffer kept for the connection: a fresh bytes object
                # per recv costs an mmap/munmap pair at this size
                scratch = self._scratch
                if scratch is None:
                    scratch = self._scratch = bytearray(_RECV_SIZE)
                count = sock.recv_into(scratch)
                reader.feed(memoryview(scratch)[:count])
        except (OSError, ValueError) as exc:
            if self._close_requested:
                self._end(CLOSE_NORMAL, "")
            self._end(CLOSE_ABNORMAL, "", ("ECHEC_LECTURE_SOCKET", os_reason(exc)))
        if not count:
            if self._close_requested:
                self._end(CLOSE_NORMAL, "")
            self._end(CLOSE_ABNORMAL, "", ("SOCKET_FERMEE", "the server ended the connection without a close frame (1006)"))
        self._last_rx = time.monotonic()
        self._ping_sent_at = None
        return True

    def _wait_readable(self, sock: socket.socket, deadline: Optional[float]) -> bool:
        """Poll until data, the deadline, or a keepalive ping to send.  An
        endless wait wakes every :data:`_RECHECK_S` so that a keepalive
        interval set meanwhile takes effect."""
        pending = getattr(sock, "pending", None)
        while True:
            if pending is not None and pending():
                return True
            now = time.monotonic()
            wait = _RECHECK_S if deadline is None else max(0.0, deadline - now)
            interval = self.ping_interval_ms / 1000
            if interval > 0:
                if self._ping_sent_at is not None and now - self._ping_sent_at >= interval:
                    self._fail_silent_peer()
                if self._ping_sent_at is None and now - self._last_rx >= interval:
                    self._ping_sent_at = now
                    self._send_control(OP_PING, b"wlsocket")
                wait = max(0.0, min(wait, (self._ping_sent_at or self._last_rx) + interval - now))
            try:
                poller = self._poller
                if poller is None:
                    poller = self._poller = select.poll()
                    poller.register(sock, select.POLLIN)
                ready = poller.poll(max(0, int(wait * 1000 + 0.999)))
            except (OSError, ValueError):
                return True  # let recv report it
            if ready:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False

    def _fail_silent_peer(self) -> None:
        self._fail(
            CLOSE_ABNORMAL, "ECHEC_LECTURE_SOCKET", f"no answer to the keepalive ping within {self.ping_interval_ms} ms"
        )

    # -- closing handshake ----------------------------------------------------------------------

    def _peer_closed(self, code: int, reason: str) -> None:
        """The server sent a close frame: answer it, wait for the TCP end."""
        if not self._close_sent:
            echo = b"" if code == CLOSE_NO_STATUS else struct.pack("!H", code)
            self._send_close_frame(echo)
            self._drain_until_eof()
            self._end(code, reason)
        # we started the close: this is the answer
        self._drain_until_eof()
        requested = self.close_status or (CLOSE_NORMAL, "")
        self._end(*requested)

    def _fail(self, close_code: int, code: str, detail: str) -> None:
        """Fail the connection (RFC 6455 7.1.7): close frame, wait, end."""
        if close_code != CLOSE_ABNORMAL and not self._close_sent:
            self._send_close_frame(struct.pack("!H", close_code))
            self._drain_until_eof()
        self._end(close_code, "", (code, detail))

    def _drain_until_eof(self) -> None:
        """Discard what comes until the server ends TCP, for the close timeout at most."""
        sock = self._sock
        if sock is None:
            return
        deadline = time.monotonic() + self.close_timeout_ms / 1000
        pending = getattr(sock, "pending", None)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                if not (pending is not None and pending()):
                    poller = select.poll()
                    poller.register(sock, select.POLLIN)
                    if not poller.poll(max(1, int(remaining * 1000))):
                        return
                if not sock.recv(_RECV_SIZE):
                    return
            except (OSError, ValueError):
                return

    def _end(self, code: int, reason: str, failure: Optional[tuple[str, str]] = None) -> None:
        """Record how the connection ended, release the socket, raise _Ended."""
        with self._state_lock:
            if self.state != CLOSED:
                self.state = CLOSED
                if self.close_status is None or failure is not None:
                    self.close_status = (code, reason)
                if failure is not None and self.failure is None:
                    self.failure = failure
        self._close_fd()
        raise _Ended

    # -- writing --------------------------------------------------------------------------------

    def write(self, payload: Message, address: Optional[str] = None, port: Optional[int] = None) -> None:
        """SocketEcrit: a chaîne goes as a text frame, a Buffer (bytes) as binary."""
        if address is not None or port is not None:
            raise_error("PARAMETRE_INVALIDE", "address and port are for UDP sockets")
        if isinstance(payload, str):
            try:
                data: Union[bytes, memoryview] = payload.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise_error("PARAMETRE_INVALIDE", f"text that UTF-8 cannot encode: {payload[exc.start:exc.end]!r}")
            opcode = OP_TEXT
        elif isinstance(payload, (bytes, bytearray, memoryview)):
            data, opcode = payload, OP_BINARY
        else:
            data, opcode = to_bytes(payload), OP_TEXT  # numbers and booleans as their text
        state = self.state
        if state == CONNECTING:
            raise SocketFailure("ECHEC_ECRITURE_SOCKET", "the connection is not open yet (wait for SocketOuverture)")
        if state != OPEN or self._close_sent:
            raise SocketFailure("SOCKET_FERMEE", "SocketFerme" if self._close_requested else "the connection is closed")
        header, body = encode_frame(opcode, data)
        sock = self._sock
        assert sock is not None
        with self._write_lock:
            if self._close_sent or self._fd_closed:
                raise SocketFailure("SOCKET_FERMEE", "the connection is closed")
            try:
                if len(body) >= _SPLIT_WRITE:
                    sock.sendall(header)
                    sock.sendall(body)
                else:
                    sock.sendall(header + body)
            except (OSError, ValueError) as exc:
                if self._close_requested:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                raise SocketFailure("ECHEC_ECRITURE_SOCKET", os_reason(exc)) from None

    def _send_control(self, opcode: int, payload: bytes) -> bool:
        """A ping, pong or close frame, never blocking longer than the close
        timeout (a server that stopped reading cannot hold us)."""
        sock = self._sock
        if sock is None or self._fd_closed:
            return False
        header, body = encode_frame(opcode, payload)
        timeout = self.close_timeout_ms / 1000
        if not self._write_lock.acquire(timeout=timeout):
            return False
        try:
            poller = select.poll()
            poller.register(sock, select.POLLOUT)
            if not poller.poll(int(timeout * 1000)):
                return False
            sock.sendall(header + body)
            return True
        except (OSError, ValueError):
            return False
        finally:
            self._write_lock.release()

    def _send_close_frame(self, payload: bytes) -> bool:
        with self._state_lock:
            if self._close_sent:
                return False
            self._close_sent = True
            if self.state == OPEN:
                self.state = CLOSING
        return self._send_control(OP_CLOSE, payload)

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
            state = self.state
            if state == OPEN and self.close_status is None:
                self.close_status = (CLOSE_NORMAL, "")
        if state == CONNECTING:
            self._shutdown()
            if self._thread is None:  # never connected (synchronous form, or not started)
                with self._state_lock:
                    self.state = CLOSED
                self._close_fd()
                return
        elif state == OPEN:
            self._send_close_frame(struct.pack("!H", CLOSE_NORMAL))
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
                if self.state != CLOSED:
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
            self.state = CLOSED
        self._close_fd()

    def _shutdown(self) -> None:
        """Wake every thread blocked on the socket (it stays open until _close_fd)."""
        sock = self._sock
        if sock is not None and not self._fd_closed:
            try:
                # the descriptor only: SSLSocket.shutdown would drop its TLS
                # object under a thread still reading it
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except (OSError, ValueError):
                pass

    def _close_fd(self) -> None:
        """Release the descriptor once, after any write in progress has left."""
        with self._state_lock:
            if self._fd_closed or self._sock is None:
                self._fd_closed = True
                return
            self._fd_closed = True
            sock = self._sock
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass
        with in_flight_done(self._write_lock):
            sock.close()

    # -- settings and information ------------------------------------------------------------------

    def set_mode(self, mode: int, marker: Optional[bytes]) -> None:
        """No effect, as documented for WebSocketClientConnecte sockets."""

    def set_max_message_size(self, size: int) -> None:
        self._reader.max_size = size

    @property
    def max_message_size(self) -> int:
        return self._reader.max_size

    def set_ping_interval(self, interval_ms: int) -> None:
        self.ping_interval_ms = interval_ms

    def client_info(self, info_type: int) -> str:
        return self._peer[0] if info_type == SOCKET_ADDRESS else self._peer[1]

    def handshake_info(self, info_type: object) -> Optional[str]:
        """SocketClientInfo's WebSocket types, as on a server channel:
        SocketWebSocketChemin (the path asked), SocketWebSocketProtocole (the
        subprotocol the server chose), SocketWebSocketEntêtes (the server's
        response headers, one "name: value" per line, names in lower case as
        websocket-client reads them).  None for the others."""
        from .wsserver import SOCKET_WS_HEADERS, SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL

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
    def thread(self) -> Optional[threading.Thread]:
        return self._thread

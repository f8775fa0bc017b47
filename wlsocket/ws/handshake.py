"""The opening handshake policy (RFC 6455 section 4), sans-I/O.

Server: :class:`ServerHandshake` collects the request's bytes, parses the
head with h11, checks it (GET, HTTP/1.1, Upgrade, Connection, version,
key), applies the options (allowed origins, subprotocol choice,
permessage-deflate) and gives either the 101 response to send or a
:class:`Refusal` with its HTTP status and the response that says why.

Client: websocket-client writes the request and checks the status and
Sec-WebSocket-Accept; :func:`check_server_response` adds what this
package requires (only an offered subprotocol, no extension).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

import h11

from ..values import to_text
from . import deflate
from .deflate import PerMessageDeflate

__all__ = [
    "DEFAULT_HANDSHAKE_TIMEOUT_MS",
    "MAX_REQUEST_HEAD",
    "WebSocketOptions",
    "Refusal",
    "Accepted",
    "ServerHandshake",
    "accept_key",
    "check_server_response",
    "HandshakeFailure",
]

#: A client must complete its opening handshake within this time (10 s,
#: the ``websockets`` package's default too).
DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000
#: Largest request head (request line + headers) accepted: 16 KiB.
MAX_REQUEST_HEAD = 16 * 1024

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
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

    subprotocols: tuple[str, ...] | None = None
    origins: tuple[str, ...] | None = None
    compression: bool = True
    max_message_size: int | None = None
    handshake_timeout_ms: int = DEFAULT_HANDSHAKE_TIMEOUT_MS


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 4.2.2)."""
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + _GUID).digest()).decode("ascii")


class Refusal(Exception):
    """The opening handshake is refused with an HTTP status."""

    def __init__(self, status: int, reason: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers

    def response(self) -> bytes:
        """The HTTP response that refuses, its body saying why."""
        text = _STATUS_TEXT.get(self.status, "Error")
        body = f"{self.status} {text}: {self.reason}\n".encode()
        lines = [f"HTTP/1.1 {self.status} {text}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        lines += ["Content-Type: text/plain; charset=utf-8", f"Content-Length: {len(body)}", "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class Accepted:
    """A request accepted: what to send and what was agreed."""

    response: bytes
    path: str
    subprotocol: str
    #: The request's headers as received, (name, value) in order.
    headers: list[tuple[str, str]] = field(default_factory=list)
    deflate: PerMessageDeflate | None = None

    def header(self, name: str) -> str | None:
        """A request header's value; repeated headers joined with ", "."""
        wanted = name.lower()
        values = [value for key, value in self.headers if key.lower() == wanted]
        return ", ".join(values) if values else None


def _tokens(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class ServerHandshake:
    """The server's side of one opening handshake: feed the bytes received
    with :meth:`receive_data`, then :meth:`outcome` gives None (more bytes
    needed), an :class:`Accepted` or a :class:`Refusal` (not raised).  The
    bytes received after the request head (the client's first frames) are
    in :attr:`leftover` once the outcome is known."""

    def __init__(self, options: WebSocketOptions) -> None:
        self.options = options
        self._received = bytearray()
        self.leftover = b""

    @property
    def received_count(self) -> int:
        return len(self._received)

    def receive_data(self, data: bytes | bytearray | memoryview) -> None:
        self._received += data

    def outcome(self) -> Accepted | Refusal | None:
        head_end = self._received.find(b"\r\n\r\n")
        if head_end < 0 and len(self._received) <= MAX_REQUEST_HEAD:
            return None
        try:
            # Also when the whole head came at once: the limit is on its size,
            # not on how many bytes were waiting before it ended.
            if head_end < 0 or head_end + 4 > MAX_REQUEST_HEAD:
                raise Refusal(431, f"request head larger than {MAX_REQUEST_HEAD} bytes")
            head = bytes(self._received[: head_end + 4])
            self.leftover = bytes(self._received[head_end + 4 :])
            self._received = bytearray()
            return self._accept(head)
        except Refusal as refusal:
            return refusal

    def _accept(self, head: bytes) -> Accepted:
        first_line = head.partition(b"\r\n")[0]
        parts = first_line.split(b" ")
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
            raise Refusal(400, "not an HTTP request")
        if parts[0] != b"GET":
            raise Refusal(400, "a WebSocket handshake is a GET request")
        if parts[2] != b"HTTP/1.1":
            raise Refusal(400, "a WebSocket handshake needs HTTP/1.1")
        parser = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_REQUEST_HEAD)
        try:
            parser.receive_data(head)
            request = parser.next_event()
        except h11.RemoteProtocolError as exc:
            raise Refusal(400, f"malformed request ({exc})") from None
        if not isinstance(request, h11.Request):
            raise Refusal(400, "malformed request")
        headers = [(to_text(name), to_text(value)) for name, value in request.headers.raw_items()]
        accepted = Accepted(b"", request.target.decode("ascii", "replace"), "", headers)
        get = accepted.header
        if not any(token.lower() == "upgrade" for token in _tokens(get("Connection"))):
            raise Refusal(400, "Missing header, 'Connection: Upgrade'")
        version = get("Sec-WebSocket-Version")
        if version != "13":
            raise Refusal(
                426 if version else 400,
                "Missing header, 'Sec-WebSocket-Version'" if not version else "Sec-WebSocket-Version must be 13",
                (("Sec-WebSocket-Version", "13"),),
            )
        key = get("Sec-WebSocket-Key")
        if key is None:
            raise Refusal(400, "Missing header, 'Sec-WebSocket-Key'")
        if (get("Upgrade") or "").lower() != "websocket":
            raise Refusal(400, "Missing header, 'Upgrade: websocket'")
        try:
            if len(base64.b64decode(key.encode("ascii"), validate=True)) != 16:
                raise ValueError
        except (ValueError, binascii.Error, UnicodeError):
            raise Refusal(400, "Sec-WebSocket-Key is not 16 bytes in base64") from None
        options = self.options
        origin = get("Origin")
        allowed = options.origins
        if allowed is not None and origin is not None and origin.lower() not in {item.lower() for item in allowed}:
            raise Refusal(403, f"origin {origin} is not allowed")
        offered = _tokens(get("Sec-WebSocket-Protocol"))
        if options.subprotocols is None:
            chosen = offered[0] if offered else ""
        else:
            chosen = next((item for item in options.subprotocols if item in offered), "")
        lines = [
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Accept: {accept_key(key)}",
        ]
        if chosen:
            lines.append(f"Sec-WebSocket-Protocol: {chosen}")
        if options.compression:
            agreed = deflate.negotiate(_tokens(get("Sec-WebSocket-Extensions")))
            if agreed is not None:
                lines.append(f"Sec-WebSocket-Extensions: {agreed[0]}")
                accepted.deflate = agreed[1]
        lines.append("Server: wlsocket")
        accepted.response = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        accepted.subprotocol = chosen
        return accepted


class HandshakeFailure(Exception):
    """The server's 101 response breaks what this client requires."""


def check_server_response(headers: dict[str, str], offered: tuple[str, ...]) -> str:
    """The subprotocol the server chose ("" for none), from its response
    headers (names in lower case); raises HandshakeFailure for a
    subprotocol that was not offered or for any extension (none is
    offered)."""
    chosen = headers.get("sec-websocket-protocol", "")
    if chosen and chosen not in offered:
        raise HandshakeFailure(f"chose the subprotocol {chosen!r}, which was not offered")
    if headers.get("sec-websocket-extensions"):
        raise HandshakeFailure("imposed extensions that were not offered")
    return chosen

"""Which transmission mode a stream of bytes looks like.

A peer set to another mode is the commonest bug of a migration: a ported
program left in SocketTailleDébut talks to a WINDEV program that calls
``SocketChangeModeTransmission(c, SocketMarqueurFin)``, or a plain TCP
client reaches a SocketCréeSSL server.  When the bytes do not decode in the
chosen mode, :func:`guess_mode` says what they do look like, from the first
bytes of the stream; it is a heuristic (the modes are not self-describing)
and says so when nothing fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import codecs
from ..ws import frames

_SIZE_LINE = re.compile(rb"\s*(\d{1,20})\s*\r?\n")
_HTTP_UPGRADE = re.compile(rb"^GET [^\r\n]* HTTP/1\.1\r?\n", re.ASCII)
# First byte of a WebSocket frame: FIN set, no reserved bit, a known opcode.
_WS_FIRST_BYTES = frozenset({0x81, 0x82, 0x88, 0x89, 0x8A, 0x01, 0x02, 0x00})


@dataclass(frozen=True)
class Guess:
    """A mode name of :mod:`.options` (or "tls", "http") and why."""

    mode: str
    reason: str

    def describe(self) -> str:
        return f"looks like {self.mode} ({self.reason})"


def _size_prefixed(data: bytes) -> str | None:
    match = _SIZE_LINE.match(data)
    if not match:
        return None
    size = int(match.group(1))
    rest = len(data) - match.end()
    if rest == size:
        return f"size line {size} followed by exactly {size} bytes"
    if rest > size and _SIZE_LINE.match(data, match.end() + size):
        return f"size line {size}, then {size} bytes and another size line"
    if rest < size:
        return f"size line {size}, {rest} bytes of it so far"
    return None


def _websocket_frame(data: bytes) -> str | None:
    """Exactly one whole frame, read by the package's one frame parser."""
    if not data or data[0] not in _WS_FIRST_BYTES:
        return None
    header = frames.parse_header(data)
    if header is None or len(data) != header.size + header.length:
        return None
    opcode = {1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong", 0: "continuation"}[header.opcode]
    masked = "masked" if header.mask_key is not None else "unmasked"
    return f"a {masked} {opcode} frame of {header.length} bytes"


def guess_mode(data: bytes, marker: bytes = codecs.DEFAULT_MARKER) -> Guess:
    """What ``data`` (the first bytes a peer sent) most looks like."""
    if len(data) >= 3 and data[0] == 0x16 and data[1] == 0x03 and data[2] <= 0x04:
        return Guess("tls", "a TLS handshake record: the peer uses SocketConnecteSSL / SocketCréeSSL")
    if _HTTP_UPGRADE.match(data):
        upgrade = b"upgrade: websocket" in data[:4096].lower()
        what = "a WebSocket opening handshake" if upgrade else "an HTTP request"
        return Guess("websocket" if upgrade else "http", what)
    if data.startswith(b"HTTP/1.1 101"):
        return Guess("websocket", "a WebSocket handshake answer (101 Switching Protocols)")
    reason = _size_prefixed(data)
    if reason:
        return Guess("taille", reason)
    if marker and marker in data:
        count = data.count(marker)
        mode = "marqueur-buffer" if count > 1 or not data.endswith(marker) else "marqueur"
        return Guess(mode, f"{count} end marker{'s' if count > 1 else ''} {marker!r}")
    if b"<EOF>" in data and marker != b"<EOF>":
        return Guess("marqueur", "the default end marker b'<EOF>'")
    if b"\r\n" in data and marker != b"\r\n":
        return Guess("marqueur", "lines ended by CR LF (SocketMarqueurFin with marker \\r\\n?)")
    reason = _websocket_frame(data)
    if reason:
        return Guess("websocket", reason)
    return Guess("brut", "no size line, no end marker: unframed bytes (SocketSansMarqueurFin)")

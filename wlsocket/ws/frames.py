"""WebSocket frames (RFC 6455 section 5): opcodes, close codes, the header
format and masking.

This module is the only place in the package that writes a frame header
(:func:`frame_header`) and the only one that reads one
(:func:`parse_header`).  Masking is one function, :func:`apply_mask`,
looked up at each call: replacing ``frames.apply_mask`` changes every
masked frame, sent or received.  It is the ``websockets`` package's C
function when that is installed, else the pure-Python one.
"""

from __future__ import annotations

import enum
import os
import struct
import threading
from collections.abc import Callable
from typing import NamedTuple, cast

__all__ = [
    "Opcode",
    "CloseCode",
    "ProtocolError",
    "Header",
    "parse_header",
    "frame_header",
    "apply_mask",
    "python_apply_mask",
    "c_apply_mask",
    "new_mask_key",
    "is_valid_close_code",
    "can_send_close_code",
    "MAX_CLOSE_REASON",
    "close_payload",
    "MAX_CONTROL_PAYLOAD",
]

BytesLike = bytes | bytearray | memoryview


class Opcode(enum.IntEnum):
    """RFC 6455 5.2."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


class CloseCode(enum.IntEnum):
    """RFC 6455 7.4.1 (and the IANA registry): the codes this package sends
    or names.  A peer may send any code :func:`is_valid_close_code` accepts."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    #: Never on the wire: a close frame without a code.
    NO_STATUS = 1005
    #: Never on the wire: the connection ended without a close frame.
    ABNORMAL = 1006
    INVALID_DATA = 1007
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    MANDATORY_EXTENSION = 1010
    INTERNAL_ERROR = 1011


#: A control frame carries at most this many bytes (RFC 6455 5.5).
MAX_CONTROL_PAYLOAD = 125
#: The UTF-8 bytes of a close reason, after the 2-byte code.
MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2

# The codes a peer may send: 1000-1003, 1007-1014 (1004-1006 and 1015 are
# reserved, never on the wire), and the 3000-4999 application range.
_SENDABLE_LOW = frozenset(range(1000, 1004)) | frozenset(range(1007, 1015))


def is_valid_close_code(code: int) -> bool:
    """True for a code that may appear in a close frame (RFC 6455 7.4)."""
    return code in _SENDABLE_LOW or 3000 <= code <= 4999


def can_send_close_code(code: int, server: bool) -> bool:
    """True for a code this endpoint may send: a valid one, except that
    only a client sends MANDATORY_EXTENSION (RFC 6455 7.4.1)."""
    return is_valid_close_code(code) and not (server and code == CloseCode.MANDATORY_EXTENSION)


class ProtocolError(Exception):
    """The peer broke RFC 6455 (or RFC 7692): the connection fails with
    ``close_code`` (1002 protocol error, 1007 invalid data, 1009 too big).

    The only exception the protocol core raises for anything received."""

    def __init__(self, close_code: CloseCode, detail: str) -> None:
        super().__init__(close_code, detail)
        self.close_code = close_code
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.detail}, close code {int(self.close_code)}"


class Header(NamedTuple):
    """A parsed frame header."""

    fin: bool
    rsv: int  # the three reserved bits, RSV1 as 0b100
    opcode: int  # kept as int: a reserved value must reach the checks
    mask_key: bytes | None
    length: int
    size: int  # bytes the header takes on the wire


def parse_header(data: BytesLike) -> Header | None:
    """The header at the start of ``data``, or None until it is whole.

    Only the format is read here; what the opcode, bits and length may be
    is the protocol's business (:mod:`.protocol`)."""
    have = len(data)
    if have < 2:
        return None
    first, second = data[0], data[1]
    length = second & 0x7F
    size = 2
    if length == 126:
        if have < 4:
            return None
        length = (data[2] << 8) | data[3]
        size = 4
    elif length == 127:
        if have < 10:
            return None
        length = int.from_bytes(data[2:10], "big")
        size = 10
    key = None
    if second & 0x80:
        if have < size + 4:
            return None
        key = bytes(data[size : size + 4])
        size += 4
    # tuple.__new__: a third of the cost of Header(...) on every frame
    return _new_tuple(Header, (first & 0x80 != 0, (first >> 4) & 7, first & 0x0F, key, length, size))


_new_tuple = tuple.__new__
_SHORT, _MEDIUM, _LONG = struct.Struct("!BB"), struct.Struct("!BBH"), struct.Struct("!BBQ")
_SHORT_MASKED, _MEDIUM_MASKED, _LONG_MASKED = struct.Struct("!BB4s"), struct.Struct("!BBH4s"), struct.Struct("!BBQ4s")


def frame_header(
    opcode: int, length: int, fin: bool = True, rsv1: bool = False, mask_key: bytes | None = None
) -> bytes:
    """The header of one frame (RFC 6455 5.2), with ``mask_key`` when the
    frame is masked (every client frame)."""
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    if mask_key is None:
        if length < 126:
            return _SHORT.pack(first, length)
        if length < 1 << 16:
            return _MEDIUM.pack(first, 126, length)
        return _LONG.pack(first, 127, length)
    if length < 126:
        return _SHORT_MASKED.pack(first, 0x80 | length, mask_key)
    if length < 1 << 16:
        return _MEDIUM_MASKED.pack(first, 0xFE, length, mask_key)
    return _LONG_MASKED.pack(first, 0xFF, length, mask_key)


# --- masking ----------------------------------------------------------------------------------

#: _XOR_TABLES[k] maps every byte to itself XOR k (for bytes.translate).
_XOR_TABLES = [bytes(value ^ key for value in range(256)) for key in range(256)]
#: Below this size a big-integer XOR is faster than four translates
#: (measured on CPython 3.11: equal near 400 bytes).
_SMALL_MASK = 384


def python_apply_mask(data: BytesLike, key: bytes) -> bytes | bytearray:
    """``data`` XOR the 4-byte ``key`` repeated (RFC 6455 5.3), never byte by
    byte in Python.  Small payloads: one big-integer XOR.  Larger ones:
    ``bytes.translate`` over every fourth byte with a 256-byte table per key
    byte.  Measured per MiB on CPython 3.11 (tests/ws/ and docs/design.md):
    translate 0.82 ms, big-integer XOR 2.6 ms, XOR by 4 KiB integer chunks
    1.2 ms."""
    count = len(data)
    if count < _SMALL_MASK:
        if not count:
            return b""
        whole, rest = divmod(count, 4)
        repeated = int.from_bytes(key * whole + key[:rest], "little")
        return (int.from_bytes(data, "little") ^ repeated).to_bytes(count, "little")
    out = bytearray(data)
    for offset in range(4):
        out[offset::4] = out[offset::4].translate(_XOR_TABLES[key[offset]])
    return out


def c_apply_mask() -> Callable[[BytesLike, bytes], bytes | bytearray] | None:
    """The ``websockets`` package's C ``speedups.apply_mask`` (0.04 ms per
    MiB against 0.8-1.3 for :func:`python_apply_mask`), or None when that
    package or its compiled part is not installed (``pip install
    wlsocket[speedups]``; a build without a C compiler ships without it)."""
    try:
        from websockets.speedups import apply_mask as compiled
    except ImportError:
        return None
    return cast("Callable[[BytesLike, bytes], bytes | bytearray]", compiled)


def _first_apply_mask(data: BytesLike, key: bytes) -> bytes | bytearray:
    """Chooses the masking function at the first masked frame (importing
    websockets costs 40 ms: not at ``import wlsocket``), then masks."""
    global apply_mask
    apply_mask = c_apply_mask() or python_apply_mask
    return apply_mask(data, key)


#: The masking function: ``apply_mask(data, key) -> bytes-like``.  Every
#: masked frame goes through this name; assign another implementation with
#: the same signature to use it.  The C one of :func:`c_apply_mask` when
#: installed, else :func:`python_apply_mask` (chosen at the first use).
apply_mask: Callable[[BytesLike, bytes], bytes | bytearray] = _first_apply_mask


_key_pools = threading.local()


def new_mask_key() -> bytes:
    """4 bytes from the OS's CSPRNG, fetched 1 KiB at a time per thread (a
    getrandom call per frame costs more than the rest of a small frame)."""
    pool = _key_pools.__dict__
    data: bytes = pool.get("data", b"")
    position: int = pool.get("position", 0)
    if position >= len(data):
        data, position = os.urandom(1024), 0
        pool["data"] = data
    pool["position"] = position + 4
    return data[position : position + 4]


def close_payload(code: int, reason: str = "") -> bytes:
    """The payload of a close frame: nothing for NO_STATUS, else the code
    and the UTF-8 reason, cut to fit a control frame."""
    if code == CloseCode.NO_STATUS:
        return b""
    encoded = reason.encode("utf-8", "replace")[:MAX_CLOSE_REASON]
    return struct.pack("!H", code) + encoded.decode("utf-8", "ignore").encode("utf-8")

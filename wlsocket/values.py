"""How WLangage values live in Python: the chaîne, the Buffer, durations,
ports and addresses.

WLangage converts silently between a chaîne and a Buffer; a port must too,
without ever corrupting bytes.  The rules (also in the README):

* A chaîne is a Python ``str``.  On the wire it is encoded with the
  *string encoding* (default ``"ansi"``: Windows-1252 made bijective, see
  below).  Reading decodes with the same codec, so every byte value maps to
  exactly one character and back: ``Buffer(SocketLit(c))`` is exactly the
  bytes that arrived, whatever they were.
* A Buffer is :class:`Buffer`, a ``bytes`` subclass that also concatenates
  and compares with a ``str`` (the ``str`` is encoded first), so
  ``sRequete += bufMorceau`` or ``SI buf = "" ALORS`` keep working.
* ``"ansi"`` is Windows-1252 where the five bytes it leaves undefined
  (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the same value,
  as browsers do.  Characters outside that set cannot exist in a WINDEV ANSI
  string; writing one raises the fatal error ``CHAINE_NON_ANSI`` rather than
  sending a '?' in its place.  Choose ``"utf-8"`` (lossless too, undecodable
  bytes kept with ``surrogateescape``) for Unicode peers.
"""

from __future__ import annotations

import codecs
import datetime
import math
import re
from collections.abc import Callable
from typing import SupportsIndex, overload

from .errors import raise_error

__all__ = [
    "Buffer",
    "to_bytes",
    "to_text",
    "ansi_encode",
    "ansi_decode",
    "duration_ms",
    "check_port",
    "check_address",
    "set_string_encoding",
    "get_string_encoding",
]

# --- the bijective ANSI codec ------------------------------------------------

_DECODE_TABLE = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)
# charmap_decode/encode with a 256-entry table run in C (about 1-2 ms/MiB).
_ENCODING_MAP = codecs.charmap_build(_DECODE_TABLE)
# From this size a failed ASCII attempt costs less than a separate check.
_DECODE_OPTIMISTIC_AT = 16 * 1024


def ansi_decode(data: bytes | bytearray) -> str:
    """Bytes -> chaîne, one character per byte (Windows-1252, bijective)."""
    if len(data) < _DECODE_OPTIMISTIC_AT:
        if data.isascii():
            return data.decode("ascii")
    else:
        # One pass instead of isascii() then decode(): on a large message
        # that pass is most of what SocketLit costs.
        try:
            return data.decode("ascii")
        except UnicodeDecodeError:
            pass
    return codecs.charmap_decode(data, "strict", _DECODE_TABLE)[0]


def ansi_encode(text: str) -> bytes:
    """Chaîne -> bytes, the inverse of :func:`ansi_decode`.

    Raises UnicodeEncodeError for a character that has no ANSI byte.
    """
    if text.isascii():
        return text.encode("ascii")
    return codecs.charmap_encode(text, "strict", _ENCODING_MAP)[0]


def _utf8_decode(data: bytes | bytearray) -> str:
    return data.decode("utf-8", "surrogateescape")


def _utf8_encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


_ENCODINGS: dict[str, tuple[Callable[[str], bytes], Callable[[bytes | bytearray], str]]] = {
    "ansi": (ansi_encode, ansi_decode),
    "utf-8": (_utf8_encode, _utf8_decode),
}
_current = ["ansi"]
# The encoder and decoder of _current, looked up once (to_bytes / to_text).
_encode: list[Callable[[str], bytes]] = [ansi_encode]
_decode: list[Callable[[bytes | bytearray], str]] = [ansi_decode]


def set_string_encoding(name: str) -> None:
    """Choose how a chaîne crosses the wire: ``"ansi"`` (default) or ``"utf-8"``.

    A wlsocket extension: WINDEV decides this from the project's string
    format (ANSI or Unicode).  The choice is process-wide.
    """
    key = name.lower().replace("_", "-")
    if key == "utf8":
        key = "utf-8"
    if key not in _ENCODINGS:
        raise_error("ENCODAGE_INCONNU", name)
    _current[0] = key
    _encode[0], _decode[0] = _ENCODINGS[key]


def get_string_encoding() -> str:
    return _current[0]


def to_bytes(value: object) -> bytes:
    """A chaîne, Buffer, number or boolean as the bytes WLangage would send."""
    if value.__class__ is not str and isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return _encode[0](value)
        except UnicodeEncodeError as exc:
            raise_error("CHAINE_NON_ANSI", repr(value[exc.start : exc.end]))
    if isinstance(value, bool):
        return b"1" if value else b"0"
    if isinstance(value, (int, float)):
        return str(value).encode("ascii")
    as_chaine = getattr(type(value), "__wl_chaine__", None)  # a JSON or Variant (wlangage.jsonvalue)
    if as_chaine is not None:
        return to_bytes(as_chaine(value))
    raise_error("TYPE_MESSAGE_INVALIDE", type(value).__name__)


def to_text(data: bytes | bytearray) -> str:
    """Bytes read from the wire as a chaîne (lossless, see module doc)."""
    return _decode[0](data)


# --- Buffer ------------------------------------------------------------------


class Buffer(bytes):
    """The WLangage ``Buffer``: raw bytes that mix with chaînes.

    ``Buffer("abc")`` encodes the chaîne; ``Buffer(b"...")`` keeps the bytes.
    ``+`` and ``==`` accept a ``str`` on either side (it is encoded first), so
    ported code that mixes the two types keeps working; the result of ``+``
    is a Buffer.  Indexing and slicing give Buffers, so ``buf[0:1]`` is a
    one-byte Buffer; use the ``[[ ]]`` helper for 1-based WLangage indexing.
    """

    __slots__ = ()

    def __new__(cls, value: object = b"") -> Buffer:
        if isinstance(value, int) and not isinstance(value, bool):
            # bytes(5) would make five zero bytes; WLangage would make "5".
            return super().__new__(cls, str(value).encode("ascii"))
        if isinstance(value, (bytes, bytearray, memoryview)):
            return super().__new__(cls, value)  # one copy (to_bytes would make a second one)
        return super().__new__(cls, to_bytes(value))

    def __add__(self, other: object) -> Buffer:
        return Buffer(bytes(self) + to_bytes(other))

    def __radd__(self, other: object) -> Buffer:
        return Buffer(to_bytes(other) + bytes(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = to_bytes(other)
            except Exception:
                return False
        # bytes.__eq__ on self itself: bytes(self) would copy a large Buffer
        return bytes.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = bytes.__hash__

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> Buffer: ...

    def __getitem__(self, key: SupportsIndex | slice) -> int | Buffer:
        if isinstance(key, slice):
            return Buffer(bytes.__getitem__(self, key))
        return bytes.__getitem__(self, key)

    def __str__(self) -> str:
        return to_text(bytes(self))

    def __repr__(self) -> str:
        return f"Buffer({bytes(self)!r})"


# --- durations ----------------------------------------------------------------

_DURATION_UNITS = {
    "ms": 1,
    "cs": 10,
    "s": 1000,
    "sec": 1000,
    "min": 60_000,
    "mn": 60_000,
    "h": 3_600_000,
    "j": 86_400_000,
    "d": 86_400_000,
}
#: The longest timeout (the largest WLangage 4-byte integer of milliseconds,
#: about 24.8 days): poll() and lock waits cannot take more.
MAX_DURATION_MS = 2**31 - 1
_DURATION_PART = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]+)\s*")


def duration_ms(value: object, what: str = "timeout") -> int:
    """A WLangage timeout as whole milliseconds.

    Accepts an integer of milliseconds, a ``datetime.timedelta``, or a
    readable duration such as ``"1 s"``, ``"250 ms"``, ``"1 min 30 s"``.
    Anything else, NaN, infinity or more than :data:`MAX_DURATION_MS` either
    way is the fatal error ``DUREE_INVALIDE``.
    """
    ms = _parse_duration(value)
    if ms is None or not -MAX_DURATION_MS <= ms <= MAX_DURATION_MS:
        raise_error("DUREE_INVALIDE", f"{what}={value!r}" + ("" if ms is None else f", {MAX_DURATION_MS} ms at most"))
    return ms


def _parse_duration(value: object) -> int | None:
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        return value
    elif isinstance(value, float):
        if math.isfinite(value):
            return int(value)
    elif isinstance(value, datetime.timedelta):
        return int(value.total_seconds() * 1000)
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text  # one sign only: int("--5") fails
        # isdecimal: int() refuses other digits ("²") and strings over 4300 digits
        if digits.isdecimal() and len(digits) <= 20:
            return int(text)
        pos, total = 0, 0.0
        for match in _DURATION_PART.finditer(text):
            unit = match.group(2).lower()
            if match.start() != pos or unit not in _DURATION_UNITS:
                break
            total += float(match.group(1).replace(",", ".")) * _DURATION_UNITS[unit]
            pos = match.end()
        else:
            if pos == len(text) and pos and math.isfinite(total):
                return int(total)
    return None


def check_port(port: object) -> int:
    """A port as WLangage accepts it: 1..65535, an integer or its digits;
    anything else is the fatal NUM_PORT_INVALIDE."""
    if isinstance(port, str):
        digits = port.strip()
        # isdecimal, not isdigit: int() refuses "²"; and past 4300 digits
        # int() refuses any string (none of them is a port anyway).
        if digits.isdecimal() and len(digits) <= 10:
            port = int(digits)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise_error("NUM_PORT_INVALIDE", repr(port))
    return port


def wl_str(value: object) -> str:
    """A value as WLangage shows it in a chaîne: booleans are "1"/"0", a
    Buffer is its characters, a whole float loses its ".0"."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return to_text(bytes(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)


@overload
def check_address(address: object, default: str) -> str: ...


@overload
def check_address(address: object, default: None) -> str | None: ...


def check_address(address: object, default: str | None) -> str | None:
    """A host name or IP address given as a chaîne; ``default`` for none
    (None or ""); anything else is the fatal PARAMETRE_INVALIDE.  With a
    chaîne as ``default`` the result is always a chaîne."""
    if address is None or address == "":
        return default
    if isinstance(address, (int, float)):
        # WLangage converts a number or boolean given for a chaîne: Faux is "0".
        address = wl_str(address)
    if not isinstance(address, str):
        raise_error("PARAMETRE_INVALIDE", f"address={address!r}")
    return address

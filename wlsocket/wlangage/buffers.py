"""WLangage Buffer helpers: hexadecimal dumps, hex/integer conversions,
bitwise operators and Encode/Décode (BASE64, BASE64 URL).

A chaîne given where bytes are expected is taken in the current string
encoding (``"ansi"`` by default: one byte per character), so
``BufferVersHexa("é")`` is ``"E9"`` (WINDEV would show the UTF-16 bytes of a
Unicode string; a port has no such strings).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from ..errors import raise_error, wlangage_function
from ..values import Buffer
from ._types import bad_type, need_int, raw_bytes, text_or_buffer, wl_str

__all__ = [
    "NO_GROUPING", "NO_LINE", "BIG_ENDIAN",
    "ENCODE_NONE", "ENCODE_BASE64", "ENCODE_BASE64_NO_CR", "ENCODE_BASE64_URL",
    "buffer_to_hexa", "hexa_to_buffer", "hexa_to_int", "int_to_hexa",
    "binary_xor", "binary_or", "binary_and", "encode", "decode",
]

# Values of wlsocket's own: far from any real group size or line length.
NO_GROUPING = 0x2000_0000  # SansRegroupement
NO_LINE = -1  # SansLigne
BIG_ENDIAN = 0x4000_0000  # BigEndian (alone as 3rd argument, or added to the group size)

#: Bytes per line when BufferVersHexa groups (the PC SOFT examples wrap at 16).
DEFAULT_BYTES_PER_LINE = 16
_NOT_GIVEN = object()

_WHITESPACE = re.compile(r"[ \t\r\n]+")


def buffer_to_hexa(buffer: object, bytes_per_word: object = 1, bytes_per_line: object = _NOT_GIVEN) -> str:
    """BufferVersHexa / BufferToHexa(<Buffer> [, <Nb octets par mot> [, <Nb octets par ligne>]]).

    Upper-case hexadecimal, words separated by a space: ``"4A 5B 00"``.
    ``<Nb octets par mot>``: 1 (default), 2 or 4 (a word is read
    little-endian, as WINDEV does, unless ``BigEndian`` is added to it or
    given as third argument), or ``SansRegroupement`` (NoGrouping: every
    digit glued, ``"4A5B00"``).  A last incomplete word is written byte by
    byte.  ``<Nb octets par ligne>``: CR LF after that many bytes (never
    inside a word); ``SansLigne`` (NoLine) for one line; the default is 16
    bytes per line, as in PC SOFT's examples.

    Differs: a chaîne is read in the current string encoding (not UTF-16).
    wlsocket's choice: with ``SansRegroupement`` the default is one line
    (the hex of a SHA-256 hash is one token).
    """
    data = raw_bytes(buffer, "BufferVersHexa #1")
    word = need_int(bytes_per_word, "BufferVersHexa #2")
    big_endian = bool(word & BIG_ENDIAN)
    word &= ~BIG_ENDIAN
    if bytes_per_line is BIG_ENDIAN or bytes_per_line == BIG_ENDIAN:
        big_endian, bytes_per_line = True, _NOT_GIVEN
    if word == NO_GROUPING:
        size, separator = 1, ""
        per_line = NO_LINE if bytes_per_line is _NOT_GIVEN else need_int(bytes_per_line, "BufferVersHexa #3")
    elif word in (1, 2, 4):
        size, separator = word, " "
        given = bytes_per_line is not _NOT_GIVEN
        per_line = need_int(bytes_per_line, "BufferVersHexa #3") if given else DEFAULT_BYTES_PER_LINE
    else:
        raise_error("PARAMETRE_INVALIDE", f"BufferVersHexa bytes per word={word}")
    if per_line != NO_LINE and per_line < size:
        per_line = size  # fewer bytes per line than per word: one word per line

    tokens: list[tuple[str, int]] = []
    whole = len(data) - len(data) % size
    for pos in range(0, whole, size):
        chunk = data[pos:pos + size]
        tokens.append(((chunk if big_endian else chunk[::-1]).hex().upper(), size))
    tokens.extend((f"{byte:02X}", 1) for byte in data[whole:])

    out: list[str] = []
    on_line = 0
    for index, (token, count) in enumerate(tokens):
        if index:
            if per_line != NO_LINE and on_line >= per_line:
                out.append("\r\n")
                on_line = 0
            else:
                out.append(separator)
        out.append(token)
        on_line += count
    return "".join(out)


def _hex_digits(text: object, where: str) -> str:
    value = text_or_buffer(text, where)
    return _WHITESPACE.sub("", wl_str(value))


@wlangage_function("HexaVersBuffer", failure=Buffer())
def hexa_to_buffer(hexa: object) -> Buffer:
    """HexaVersBuffer / HexaToBuffer(<Chaîne hexadécimale>): the bytes written in hex.

    Spaces, TABs and line breaks are ignored, so the output of
    :func:`buffer_to_hexa` (with words of 1 byte) reads back.

    Differs: wlsocket's choice: a non-hex character or an odd number of
    digits is the non-fatal error HEXA_INVALIDE (empty Buffer + ErreurInfo).
    """
    digits = _hex_digits(hexa, "HexaVersBuffer #1")
    try:
        return Buffer(bytes.fromhex(digits))
    except ValueError:
        raise_error("HEXA_INVALIDE", repr(digits[:40]))


@wlangage_function("HexaVersEntier", failure=0)
def hexa_to_int(hexa: object) -> int:
    """HexaVersEntier / HexaToInt(<Chaîne hexadécimale>): ``HexaVersEntier("FF") == 255``.

    Upper or lower case, an optional ``0x``; spaces and line breaks are
    ignored (``HexaVersEntier(BufferVersHexa(buf))`` reads the bytes
    big-endian); "" gives 0.

    Differs: the result is never negative and not limited to 32 bits.
    wlsocket's choices: spaces are ignored (so the original WebSocket
    example's ``HexaVersEntier(BufferVersHexa(...))`` reads "00 7E" as
    126); any other character is the non-fatal error HEXA_INVALIDE
    (0 + ErreurInfo).
    """
    digits = _hex_digits(hexa, "HexaVersEntier #1")
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    if not digits:
        return 0
    if not re.fullmatch(r"[0-9A-Fa-f]+", digits):
        raise_error("HEXA_INVALIDE", repr(digits[:40]))
    return int(digits, 16)


def int_to_hexa(value: object, digits: object = None) -> str:
    """EntierVersHexa / IntToHexa(<Entier> [, <Nombre de chiffres>]): upper-case hex.

    Without ``digits``: 8 digits (a 4-byte integer, ``"000000FF"``), 16 when
    the value needs more; ``Droite(EntierVersHexa(n), 4)`` is therefore the
    low 16 bits.  A negative value is written in two's complement on 32 bits
    (64 when it does not fit).  With ``digits``: padded with zeros to that
    width (1024 at most), never cut (a wider value keeps all its digits).

    Differs: wlsocket's choices: the 8-digit default, and a width smaller
    than the value never cuts digits.
    """
    n = need_int(value, "EntierVersHexa #1")
    if n < 0:
        if n >= -(1 << 31):
            n += 1 << 32
        elif n >= -(1 << 63):
            n += 1 << 64
        else:
            raise_error("PARAMETRE_INVALIDE", f"EntierVersHexa value={n}")
    if digits is None:
        width = 8 if n < (1 << 32) else 16
    else:
        width = need_int(digits, "EntierVersHexa #2")
        # A WLangage integer has 16 hex digits at most; a width in the billions
        # would only allocate zeros until MemoryError.
        if not 0 <= width <= 1024:
            raise_error("PARAMETRE_INVALIDE", f"EntierVersHexa digits={width} (0 to 1024)")
    return f"{n:0{width}X}"


# --- bitwise operators --------------------------------------------------------


def _operand_kind(value: object) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "buffer"
    if isinstance(value, (bool, int)) or (isinstance(value, float) and value.is_integer()):
        return "int"
    return "other"


def _bitwise(name: str, a: object, b: object, op: Callable[[int, int], int]) -> object:
    kinds = (_operand_kind(a), _operand_kind(b))
    if kinds == ("buffer", "buffer"):
        assert isinstance(a, (bytes, bytearray, memoryview)) and isinstance(b, (bytes, bytearray, memoryview))
        left, right = bytes(a), bytes(b)
        size = max(len(left), len(right))
        left, right = left.ljust(size, b"\0"), right.ljust(size, b"\0")
        return Buffer(bytes(op(x, y) for x, y in zip(left, right, strict=False)))
    if kinds == ("int", "int"):
        return op(need_int(a, f"{name} #1"), need_int(b, f"{name} #2"))
    # an integer with a Buffer, or a chaîne: name the argument that does not fit
    if kinds[0] == "other" or kinds[1] == "int":
        bad_type(f"{name} #1", a)
    bad_type(f"{name} #2", b)


def binary_xor(a: object, b: object) -> object:
    """OUExclusifBinaire / BinaryXOR(<Valeur 1>, <Valeur 2>): bitwise exclusive OR.

    Two integers give an integer; two Buffers give a Buffer, byte by byte.

    Differs: wlsocket's choice: the shorter Buffer is padded with zero bytes.
    """
    return _bitwise("OUExclusifBinaire", a, b, lambda x, y: x ^ y)


def binary_or(a: object, b: object) -> object:
    """OUBinaire / BinaryOR(<Valeur 1>, <Valeur 2>): bitwise OR (integers or Buffers)."""
    return _bitwise("OUBinaire", a, b, lambda x, y: x | y)


def binary_and(a: object, b: object) -> object:
    """ETBinaire / BinaryAND(<Valeur 1>, <Valeur 2>): bitwise AND (integers or Buffers)."""
    return _bitwise("ETBinaire", a, b, lambda x, y: x & y)


# --- Encode / Décode ----------------------------------------------------------

ENCODE_NONE = 0  # encodeAucun
ENCODE_BASE64 = 1  # encodeBASE64
ENCODE_BASE64_NO_CR = 2  # encodeBASE64SansRC
ENCODE_BASE64_URL = 3  # encodeBASE64URL

_MIME_LINE = 76


def encode_bytes(data: bytes, fmt: object, where: str) -> object:
    """The bytes in the format ``fmt`` (shared by Encode and Crypte)."""
    if fmt == ENCODE_NONE:
        return Buffer(data)
    if fmt == ENCODE_BASE64_NO_CR:
        return base64.b64encode(data).decode("ascii")
    if fmt == ENCODE_BASE64:
        text = base64.b64encode(data).decode("ascii")
        return "\r\n".join(text[i:i + _MIME_LINE] for i in range(0, len(text), _MIME_LINE))
    if fmt == ENCODE_BASE64_URL:
        return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")
    raise_error("ALGORITHME_NON_SUPPORTE", f"{where}: format {fmt!r}")


def decode_bytes(value: object, fmt: object, where: str) -> Buffer:
    """The inverse of :func:`encode_bytes`; malformed input is HEXA/DECODAGE_INVALIDE."""
    if fmt == ENCODE_NONE:
        return Buffer(raw_bytes(value, where))
    if fmt not in (ENCODE_BASE64, ENCODE_BASE64_NO_CR, ENCODE_BASE64_URL):
        raise_error("ALGORITHME_NON_SUPPORTE", f"{where}: format {fmt!r}")
    text = _WHITESPACE.sub("", wl_str(text_or_buffer(value, where)))
    text += "=" * (-len(text) % 4)  # padding is optional on input
    try:
        if fmt == ENCODE_BASE64_URL:
            if not re.fullmatch(r"[A-Za-z0-9_-]*=*", text):
                raise ValueError("not base64url")
            return Buffer(base64.urlsafe_b64decode(text))
        return Buffer(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        raise_error("DECODAGE_INVALIDE", f"{where}: {text[:40]!r}")


def encode(value: object, fmt: object = ENCODE_BASE64) -> object:
    """Encode(<Élément à encoder>, <Format>): the bytes of a Buffer or chaîne, encoded.

    ``encodeBASE64``: standard alphabet with padding, CR LF every 76
    characters (MIME); ``encodeBASE64SansRC``: the same on one line;
    ``encodeBASE64URL``: URL alphabet (``-`` and ``_``).  A chaîne is
    encoded from its bytes in the current string encoding.

    Differs: other formats (UUEncode...) are the fatal error
    ALGORITHME_NON_SUPPORTE.  wlsocket's choice: encodeBASE64URL has no
    ``=`` padding.
    """
    if fmt == ENCODE_NONE:
        raise_error("ALGORITHME_NON_SUPPORTE", "Encode: encodeAucun")
    return encode_bytes(raw_bytes(value, "Encode #1"), fmt, "Encode")


@wlangage_function("Décode", failure=Buffer())
def decode(value: object, fmt: object = ENCODE_BASE64) -> Buffer:
    """Décode / Decode(<Élément à décoder>, <Format>): the bytes, as a Buffer.

    Line breaks and spaces are ignored and padding is optional, so every
    Encode output reads back.  Malformed input is the non-fatal error
    DECODAGE_INVALIDE (empty Buffer + ErreurInfo).
    """
    if fmt == ENCODE_NONE:
        raise_error("ALGORITHME_NON_SUPPORTE", "Décode: encodeAucun")
    return decode_bytes(value, fmt, "Décode")

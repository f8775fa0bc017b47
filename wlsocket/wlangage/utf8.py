"""UTF8VersAnsi, AnsiVersUTF8, ChaîneVersUTF8, UTF8VersChaîne: the UTF-8 / ANSI conversions.

Like the other chaîne functions (:mod:`.strings`), each takes a chaîne or a
:class:`~wlsocket.values.Buffer`; UTF-8 is always held in a Buffer, so it cannot
be encoded twice by mistake.
"""

from __future__ import annotations

import codecs

from ..errors import raise_error
from ..values import Buffer, ansi_decode, ansi_encode, to_text
from ._types import raw_bytes, string_arg

__all__ = ["utf8_to_ansi", "ansi_to_utf8", "string_to_utf8", "utf8_to_string"]


def _ansi_fallback(error: UnicodeError) -> tuple[str, int]:
    # Bytes that are not UTF-8 are read as ANSI characters instead of lost.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return ansi_decode(error.object[error.start:error.end]), error.end


codecs.register_error("wlsocket.ansi_fallback", _ansi_fallback)


def _decode_utf8(data: bytes) -> str:
    return data.decode("utf-8", "wlsocket.ansi_fallback")


def _only_ansi(text: str) -> str:
    try:
        ansi_encode(text)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            ansi_encode(char)
            out.append(char)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def utf8_to_ansi(text: object) -> str:
    """UTF8VersAnsi / UTF8ToAnsi(<Chaîne UTF-8>): UTF-8 bytes back to an ANSI chaîne.

    Takes a Buffer, or a chaîne whose characters are the UTF-8 bytes (an
    ANSI chaîne filled with ``Caract`` or read from a socket).  Characters
    that do not exist in ANSI become ``?`` as in WINDEV; bytes that are not
    valid UTF-8 are kept as the ANSI character of the same code.
    """
    return _only_ansi(_decode_utf8(raw_bytes(string_arg(text, "UTF8VersAnsi #1"), "UTF8VersAnsi #1")))


def utf8_to_string(text: object) -> str:
    """UTF8VersChaîne / UTF8ToString(<Buffer UTF-8>): the text of UTF-8 bytes (any character)."""
    return _decode_utf8(raw_bytes(string_arg(text, "UTF8VersChaîne #1"), "UTF8VersChaîne #1"))


def ansi_to_utf8(text: object) -> Buffer:
    """AnsiVersUTF8 / AnsiToUTF8(<Chaîne ANSI>): the UTF-8 bytes of an ANSI chaîne.

    A Buffer argument is read as ANSI bytes.

    Differs: returns a Buffer (WLangage returns a chaîne holding the bytes;
    a Buffer mixes with chaînes and cannot be encoded twice by mistake).
    """
    value = string_arg(text, "AnsiVersUTF8 #1")
    chars = ansi_decode(bytes(value)) if isinstance(value, Buffer) else value
    return _utf8_buffer(chars, "AnsiVersUTF8 #1")


def string_to_utf8(text: object) -> Buffer:
    """ChaîneVersUTF8 / StringToUTF8(<Chaîne>): the UTF-8 bytes of a chaîne, as a Buffer.

    A Buffer argument is read in the current string encoding first.
    """
    value = string_arg(text, "ChaîneVersUTF8 #1")
    chars = to_text(bytes(value)) if isinstance(value, Buffer) else value
    return _utf8_buffer(chars, "ChaîneVersUTF8 #1")


def _utf8_buffer(chars: str, where: str) -> Buffer:
    """UTF-8 bytes; undecodable bytes kept by surrogateescape go back as
    they came, any other lone surrogate has no UTF-8 form (fatal)."""
    try:
        return Buffer(chars.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError as exc:
        detail = f"{where}: {chars[exc.start:exc.end]!r} (a lone surrogate) has no UTF-8 form"
    raise_error("PARAMETRE_INVALIDE", detail)

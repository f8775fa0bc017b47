"""How the helper functions take their arguments (internal).

WLangage converts silently between numbers, chaînes and Buffers; these
helpers do the same few conversions in one place and turn anything else
(None, a list, an object) into the fatal error ``TYPE_PARAMETRE_INVALIDE``
instead of a Python ``TypeError`` from deep inside.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ..errors import raise_error
from ..values import Buffer, to_bytes, to_text
from ..values import wl_str as wl_str  # re-exported: the helpers import it from here

Text = str | Buffer


def bad_type(where: str, value: object) -> NoReturn:
    """Fatal error: ``where`` (e.g. ``"Majuscule #1"``) got a value of the wrong type."""
    raise_error("TYPE_PARAMETRE_INVALIDE", f"{where}: {type(value).__name__}")


def text_or_buffer(value: object, where: str) -> Text:
    """A chaîne stays a ``str``, bytes of any kind become a :class:`Buffer`,
    a number or boolean becomes its chaîne; anything else is fatal."""
    if isinstance(value, str):
        return value
    if isinstance(value, Buffer):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Buffer(bytes(value))
    if isinstance(value, (int, float)):
        return wl_str(value)
    bad_type(where, value)


def raw_bytes(value: object, where: str) -> bytes:
    """The bytes of a chaîne in the current string encoding, or of a Buffer."""
    value = text_or_buffer(value, where)
    return bytes(value) if isinstance(value, Buffer) else to_bytes(value)


def same_kind(model: Text, value: object, where: str) -> Text:
    """``value`` converted to the type of ``model`` (chaîne or Buffer)."""
    value = text_or_buffer(value, where)
    if isinstance(model, Buffer):
        return value if isinstance(value, Buffer) else Buffer(value)
    return to_text(bytes(value)) if isinstance(value, Buffer) else value


def common_kind(a: Text, b: Text) -> tuple[Text, Text]:
    """Two values of one type: both Buffers as soon as one is a Buffer."""
    if isinstance(a, Buffer) or isinstance(b, Buffer):
        return (a if isinstance(a, Buffer) else Buffer(a), b if isinstance(b, Buffer) else Buffer(b))
    return a, b


def need_int(value: object, where: str) -> int:
    """An integer argument (a boolean counts as 0/1, a whole float is accepted)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    bad_type(where, value)


class _EndOfText:
    """``EOT``: what ExtraitChaîne returns past the last field.

    A value of its own, distinct from ``""`` (an empty field is ``""``), so a
    port compares with ``champ == EOT`` or ``champ is EOT``.  It is falsy, so
    ``if not champ`` catches both; concatenating it is the fatal error
    ``TYPE_PARAMETRE_INVALIDE`` (the ported loop forgot to test for EOT).
    """

    __slots__ = ()
    _instance: _EndOfText | None = None

    def __new__(cls) -> _EndOfText:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EOT"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return False

    def __add__(self, other: object) -> Any:
        bad_type("EOT +", other)

    def __radd__(self, other: object) -> Any:
        bad_type("+ EOT", other)

    def __reduce__(self) -> str:
        return "EOT"  # copies and pickles stay the singleton


EOT = _EndOfText()


def string_arg(value: object, where: str) -> Text:
    """A chaîne or a Buffer argument (as :func:`text_or_buffer`); ``EOT`` is not one: fatal."""
    if value is EOT:
        bad_type(where, value)
    return text_or_buffer(value, where)

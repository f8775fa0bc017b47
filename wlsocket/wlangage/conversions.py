"""Val, NumériqueVersChaîne, TypeVar and the ``wl*`` type constants.

``Val("12abc")`` is 12, as in WLangage: the number at the start of the
chaîne, 0 when there is none.  NumériqueVersChaîne takes WLangage format
strings (``"+010.2f"``, ``"10,2fS"``...), not Python's.
TypeVar gives one of the ``wl*`` constants below; their values are
wlsocket's own (the reference does not give WINDEV's), so compare with the
constants, never with numbers.
"""

from __future__ import annotations

import math
import re

from ..errors import raise_error
from ..values import Buffer
from ._types import bad_type, need_int, wl_str
from .jsonvalue import JSON, _Leaf
from .typecodes import (
    WL_ARRAY,
    WL_ASSOCIATIVE_ARRAY,
    WL_BOOLEAN,
    WL_BUFFER,
    WL_DATE,
    WL_DATETIME,
    WL_DURATION,
    WL_INTEGER,
    WL_JSON,
    WL_NULL,
    WL_OBJECT,
    WL_PROCEDURE,
    WL_REAL,
    WL_STRING,
    WL_TIME,
    WL_UNKNOWN,
    WL_VARIANT,
    value_type,
)

__all__ = [
    "val", "num_to_string", "type_var",
    "WL_BOOLEAN", "WL_INTEGER", "WL_REAL", "WL_STRING", "WL_BUFFER", "WL_DATE", "WL_TIME",
    "WL_DATETIME", "WL_DURATION", "WL_ARRAY", "WL_ASSOCIATIVE_ARRAY", "WL_OBJECT", "WL_JSON",
    "WL_VARIANT", "WL_NULL", "WL_PROCEDURE", "WL_UNKNOWN",
]

def type_var(value: object) -> int:
    """TypeVar / TypeVar(<Variable>) -> one of the wl* constants.

    Differs: WLangage looks at the declared type of a variable; Python has
    only values, so a Variant or JSON gives the type of what it holds and
    a plain Python list is wlTableau, a dict wlTableauAssociatif."""
    if isinstance(value, _Leaf):
        value = value._plain_value()
    elif isinstance(value, JSON):
        value = value.Valeur_
        if isinstance(value, dict):
            return WL_JSON
    return value_type(value)


_NUMBER_AT_START = re.compile(r"\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?")
_HEX_AT_START = re.compile(r"\s*([+-]?)0[xX]([0-9a-fA-F]+)")


def val(text: object, base: object = 10) -> int | float:
    """Val(<Chaîne> [, <Base>]) -> the number the chaîne starts with.

    ``Val("12abc")`` is 12, ``Val("  -3.5 kg")`` -3.5, ``Val("1e3")``
    1000.0, ``Val("abc")`` 0; ``"0x1F"`` is read as hexadecimal.  With
    ``<Base>`` (2 to 36) the digits of that base are read as an integer.
    A number or boolean given is returned as its value.  The result is an
    integer unless the text has a decimal point or an exponent.
    """
    if isinstance(text, bool):
        return int(text)
    if isinstance(text, (int, float)):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = str(Buffer(bytes(text)))
    if not isinstance(text, str):
        bad_type("Val #1", text)
    radix = need_int(base, "Val #2")
    if radix != 10:
        if not 2 <= radix <= 36:
            raise_error("PARAMETRE_INVALIDE", f"Val base={radix}")
        digits = ""
        for char in text.strip()[:64]:
            if not char.isascii() or not char.isalnum() or int(char, 36) >= radix:
                break
            digits += char
        return int(digits, radix) if digits else 0
    hexa = _HEX_AT_START.match(text)
    if hexa:
        number = int(hexa.group(2), 16)
        return -number if hexa.group(1) == "-" else number
    match = _NUMBER_AT_START.match(text)
    if not match:
        return 0
    sign, mantissa, exponent = match.groups()
    literal = sign + mantissa + (f"e{exponent}" if exponent else "")
    # Beyond 18 digits a WLangage 8-byte integer overflows: a real, as a
    # WLangage numeric would become (and int() refuses 4300+ digits).
    if "." in mantissa or exponent or len(mantissa) > 18:
        try:
            return float(literal)
        except OverflowError:
            return float("inf") if sign != "-" else float("-inf")
    return int(literal)


_FORMAT = re.compile(r"^(-)?(\+)?(0)?(\d+)?(?:([.,])(\d+))?([dfeEgGxXo])?(S)?$")


#: Past these, NumériqueVersChaîne is the fatal PARAMETRE_INVALIDE, not a
#: Python error or a huge allocation (EntierVersHexa caps its width alike).
_LARGEST_NUMERIC = 10**38
_LARGEST_WIDTH = 1024


def num_to_string(number: object, fmt: object = None) -> str:
    """NumériqueVersChaîne / NumToString(<Nombre> [, <Format>]).

    Format ``"[-][+][0][<Taille>][.<Précision>]<Type>[S]"``: ``-`` left
    justifies, ``+`` forces the sign, ``0`` pads with zeros to
    ``<Taille>``; ``.`` or ``,`` before the precision is the decimal
    separator written; types ``d`` (integer), ``f``, ``e``, ``g``, ``x`` /
    ``X`` (hexadecimal), ``o`` (octal); ``S`` separates thousands with a
    space.  Without a format: the shortest form (``1.23``, ``123``).
    A chaîne given as the number is returned as it is, the format ignored.
    A bad format is the fatal error PARAMETRE_INVALIDE.
    """
    if isinstance(number, str):
        return number
    if isinstance(number, bool):
        number = int(number)
    if not isinstance(number, (int, float)):
        bad_type("NumériqueVersChaîne #1", number)
    if isinstance(number, int) and abs(number) >= _LARGEST_NUMERIC:
        # past WLangage's largest numérique (38 digits); Python refuses str() past 4300
        raise_error("PARAMETRE_INVALIDE", "NumériqueVersChaîne: a number of more than 38 digits")
    if fmt is None or fmt == "":
        return wl_str(number)
    if not isinstance(fmt, str):
        bad_type("NumériqueVersChaîne #2", fmt)
    match = _FORMAT.match(fmt)
    if not match:
        raise_error("PARAMETRE_INVALIDE", f"NumériqueVersChaîne format={fmt!r}")
    left, plus, zero, width, separator, precision, kind, thousands = match.groups()
    size = int(width) if width else 0
    if size > _LARGEST_WIDTH or (precision is not None and int(precision) > _LARGEST_WIDTH):
        raise_error("PARAMETRE_INVALIDE", f"NumériqueVersChaîne format={fmt!r}: a size above {_LARGEST_WIDTH}")
    kind = kind or ("d" if precision is None and isinstance(number, int) else "f")
    if kind in "xXo" or kind == "d":
        if isinstance(number, float) and not math.isfinite(number):
            raise_error("PARAMETRE_INVALIDE", f"NumériqueVersChaîne: {number} has no integer form")
        number = int(number)
        spec = kind
    else:
        spec = (f".{precision}" if precision is not None else "") + kind
    if thousands and kind not in "xXo":
        spec = "," + spec
    body = format(abs(number), spec)
    if thousands:
        body = body.replace(",", " ")
    if separator == ",":
        body = body.replace(".", ",")
    sign = "-" if number < 0 else ("+" if plus else "")
    if zero and not left:
        body = body.rjust(size - len(sign), "0")
    text = sign + body
    return text.ljust(size) if left else text.rjust(size)

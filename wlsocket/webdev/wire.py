"""Values as JSON text, to cross from one server process to another
(a Note, WebSocketExécute parameters, a binary message).

Tagged so that nothing changes type on the way: a Buffer stays a Buffer,
a dict stays a dict (``{"$d": ...}``), a Decimal a Decimal, a json a
json, a Variant a Variant holding the same (a chaîne, a Buffer...).  A value of
another type (a class instance) cannot cross: TYPE_PARAMETRE_INVALIDE.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

from ..errors import raise_error
from ..values import Buffer
from ..wlangage.jsonvalue import JSON, Variant

__all__ = ["dumps", "loads", "encode", "decode"]


def encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Variant):  # what it holds, with its own type (a Buffer stays one)
        return {"$v": encode(value.Valeur_)}
    if isinstance(value, JSON):  # a json: its JSON text
        return {"$j": value.FormatJSON_}
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$d": {str(key): encode(item) for key, item in value.items()}}
    raise_error("TYPE_PARAMETRE_INVALIDE", f"{type(value).__name__} cannot go to another server process")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if "$b" in value:
            return Buffer(base64.b64decode(value["$b"]))
        if "$n" in value:
            return Decimal(value["$n"])
        if "$v" in value:
            return Variant(decode(value["$v"]))
        if "$j" in value:
            return JSON(json.loads(value["$j"]))
        return {key: decode(item) for key, item in value.get("$d", {}).items()}
    return value


def dumps(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    return decode(json.loads(text))

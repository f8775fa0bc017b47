"""The ``wl*`` type constants of TypeVar, and the type of a plain value.

Apart from conversions.py so that the JSON type (which TypeVar looks
into) can give its ``..Type`` without importing TypeVar back.  The values
are wlsocket's own (the reference does not give WINDEV's): compare with
the constants, never with numbers.
"""

from __future__ import annotations

import datetime

from ..values import Buffer

__all__ = [
    "value_type",
    "WL_BOOLEAN", "WL_INTEGER", "WL_REAL", "WL_STRING", "WL_BUFFER", "WL_DATE", "WL_TIME",
    "WL_DATETIME", "WL_DURATION", "WL_ARRAY", "WL_ASSOCIATIVE_ARRAY", "WL_OBJECT", "WL_JSON",
    "WL_VARIANT", "WL_NULL", "WL_PROCEDURE", "WL_UNKNOWN",
]

WL_BOOLEAN = 1  # wlBooléen
WL_INTEGER = 8  # wlEntier
WL_REAL = 12  # wlRéel
WL_STRING = 16  # wlChaîne
WL_BUFFER = 18  # wlBuffer
WL_DATE = 20  # wlDate
WL_TIME = 21  # wlHeure
WL_DATETIME = 22  # wlDateHeure
WL_DURATION = 23  # wlDurée
WL_ARRAY = 30  # wlTableau
WL_ASSOCIATIVE_ARRAY = 31  # wlTableauAssociatif
WL_OBJECT = 36  # wlInstance (an object)
WL_JSON = 40  # wlJSON
WL_VARIANT = 41  # wlVariant
WL_NULL = 0  # wlNull (a Variant or JSON holding null)
WL_PROCEDURE = 42  # wlProcédure
WL_UNKNOWN = -1  # wlTypeInconnu


def value_type(value: object) -> int:
    """The wl* constant of a plain Python value (not a JSON or Variant)."""
    if value is None:
        return WL_NULL
    if isinstance(value, bool):
        return WL_BOOLEAN
    if isinstance(value, int):
        return WL_INTEGER
    if isinstance(value, float):
        return WL_REAL
    if isinstance(value, str):
        return WL_STRING
    if isinstance(value, (bytes, bytearray, memoryview, Buffer)):
        return WL_BUFFER
    if isinstance(value, datetime.datetime):
        return WL_DATETIME
    if isinstance(value, datetime.date):
        return WL_DATE
    if isinstance(value, datetime.time):
        return WL_TIME
    if isinstance(value, datetime.timedelta):
        return WL_DURATION
    if isinstance(value, (list, tuple)):
        return WL_ARRAY
    if isinstance(value, dict):
        return WL_ASSOCIATIVE_ARRAY
    if callable(value):
        return WL_PROCEDURE
    return WL_OBJECT

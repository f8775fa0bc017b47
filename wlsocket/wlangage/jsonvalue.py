"""The WLangage ``JSON`` and ``Variant`` types.

``j = JSON()`` is ``j est un JSON``.  Members are created by assignment,
at any depth: ``j.data.nom = "Ada"`` makes ``data`` an object first.
Elements of an array are 1-based: ``j.liste[1] = 5`` makes ``liste`` an
array; assigning past the end grows it with ``null``.  Reading a member
that does not exist gives a node whose ``Existe_`` is False (and that
assignment can still create), never an exception.

A member that holds a chaîne or a number reads as that ``str``, ``int``
or ``float`` (a subclass that also has the properties), so ``SELON
j.type`` ports as ``if j.type == "chat":``; objects, arrays, booleans and
``null`` read as nodes (``bool(node)`` and ``node == True`` work).

Properties (the rule of :mod:`.properties`): ``Existe_`` / ``Exist_``,
``FormatJSON_`` / ``JSONFormat_`` (the JSON text; assign it to parse),
``Occurrence_`` / ``Count_`` (members or elements), ``Type_`` (a ``wl*``
constant), ``Valeur_`` / ``Value_`` (plain Python data), ``Nom_`` /
``Name_`` (the member's name, or an element's 1-based index).  A member
whose name is one of these is reached with ``j["Existe_"]``, and so is
any member whose name is not a Python identifier (``j["nb-clients"]``).

Conversions: ``JSON(text)`` parses a chaîne that holds JSON; a chaîne
that starts with ``{`` or ``[`` and is not valid JSON is the fatal error
``JSON_INVALIDE`` (with line and column); any other chaîne that is not
JSON is a string value, as WLangage assigns it.  A Buffer is decoded as
UTF-8 first.  ``str(j)`` is the compact JSON text of an object or array,
and SocketEcrit sends a JSON or Variant as that text (a chaîne, encoded
as every chaîne is).  Dates and times become ISO 8601 chaînes.

``Variant`` holds any value with the same member syntax and keeps its
type: a chaîne assigned to it stays a chaîne (JSONVersVariant parses
one), a Buffer stays a Buffer.  It behaves as the value it holds, as
WLangage's Variant does: ``str(v)`` of a chaîne is that chaîne, ``v ==
"x"`` compares it, ``Buffer(v)`` gives a Buffer's bytes, SocketEcrit
sends what it holds; and a json built from it, ``JSON(v)`` (``j est un
JSON = v``), converts the value held, so a chaîne or Buffer holding JSON
text is parsed (by the rule above) rather than kept as a JSON string.
It adds ``Nul_`` / ``Null_``.

``copy.copy`` and ``copy.deepcopy`` of a JSON or Variant give an
independent copy of its whole value, detached from its parent.

Chosen where the reference is open: ``FormatJSON_`` and ``str()`` give
the compact text (no indentation); JSON member names are case sensitive.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
from collections.abc import Iterator
from typing import Any

from ..errors import raise_error
from ..values import Buffer
from .typecodes import value_type

__all__ = ["JSON", "Variant", "json_to_variant", "variant_to_json", "json_valid"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


_MISSING: Any = _Missing()

Key = str | int


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise_error("JSON_INVALIDE", f"{exc.msg}, line {exc.lineno} column {exc.colno}")
    except (RecursionError, ValueError) as exc:
        raise_error("JSON_INVALIDE", str(exc) or type(exc).__name__)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                          default=_buffer_text)
    except (TypeError, ValueError, RecursionError) as exc:
        raise_error("JSON_INVALIDE", f"cannot be written as JSON: {exc}")


def _buffer_text(value: Any) -> Any:
    """json.dumps' fallback: a Buffer a Variant holds is written as its characters."""
    if isinstance(value, (bytes, bytearray)):
        return str(Buffer(bytes(value)))
    raise TypeError(f"{type(value).__name__} has no JSON form")


def _plain(value: Any, lenient: bool = False) -> Any:
    """A value as JSON data (dict, list, str, int, float, bool, None), copied."""
    if isinstance(value, JSON):
        return _plain(value._wl_value, lenient) if value._wl_value is not _MISSING else None
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, _Leaf):
        return value._plain_value()
    if isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise_error("JSON_INVALIDE", f"{value} is not a JSON number")
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        # a Variant keeps a Buffer; JSON data holds its characters
        return Buffer(bytes(value)) if lenient else str(Buffer(bytes(value)))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v, lenient) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, lenient) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name), lenient) for name in value.__dataclass_fields__}
    if lenient:
        return value
    raise_error("TYPE_PARAMETRE_INVALIDE", f"JSON: {type(value).__name__} has no JSON form")


def _from_text(text: str) -> Any:
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        return _parse(stripped)
    try:
        return json.loads(stripped, parse_constant=_no_constant) if stripped else text
    except (json.JSONDecodeError, ValueError, RecursionError):
        return text


class _Leaf:
    """Properties of a member read as a chaîne or a number."""

    _wl_key: Key | None = None

    def _plain_value(self) -> Any:
        for kind in (str, int, float):
            if isinstance(self, kind):
                return kind(self)
        return None  # not reached: every leaf is one of the three

    def __setattr__(self, name: str, value: Any) -> None:
        raise_error("JSON_NON_OBJET", f"member {name!r} of a {type(self).__name__}")

    def _with_key(self, key: Key | None) -> _Leaf:
        object.__setattr__(self, "_wl_key", key)
        return self

    Existe_ = Exist_ = property(lambda self: True, doc="WLangage ..Existe")
    FormatJSON_ = JSONFormat_ = property(lambda self: _dumps(self._plain_value()), doc="WLangage ..FormatJSON")
    Occurrence_ = Count_ = property(lambda self: 0, doc="WLangage ..Occurrence")
    Type_ = property(lambda self: value_type(self._plain_value()), doc="WLangage ..Type")
    Valeur_ = Value_ = property(lambda self: self._plain_value(), doc="WLangage ..Valeur")
    Nom_ = Name_ = property(lambda self: self._wl_key, doc="WLangage ..Nom")


class JSONString(_Leaf, str):
    """A JSON member holding a chaîne."""


class JSONInteger(_Leaf, int):
    """A JSON member holding an integer."""


class JSONReal(_Leaf, float):
    """A JSON member holding a real."""


class JSON:
    """WLangage ``JSON`` (see the module documentation)."""

    __slots__ = ("_wl_value", "_wl_parent", "_wl_key")
    _wl_value: Any
    _wl_parent: JSON | None
    _wl_key: Key | None

    def __init__(self, value: object = None) -> None:
        object.__setattr__(self, "_wl_value", self._convert(value))
        object.__setattr__(self, "_wl_parent", None)
        object.__setattr__(self, "_wl_key", None)

    @classmethod
    def _convert(cls, value: object) -> Any:
        if isinstance(value, Variant) and isinstance(value._wl_value, (str, Buffer)):
            value = value._wl_value  # j est un JSON = v: what the Variant holds is converted
        if isinstance(value, (str, Buffer)) and not isinstance(value, _Leaf):
            return _from_text(value if isinstance(value, str) else bytes(value).decode("utf-8", "replace"))
        return _plain(value)

    @classmethod
    def _node(cls, value: Any, parent: JSON | None, key: Key | None) -> Any:
        if isinstance(value, str):
            return JSONString(value)._with_key(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return JSONInteger(value)._with_key(key)
        if isinstance(value, float):
            return JSONReal(value)._with_key(key)
        node = cls.__new__(cls)
        object.__setattr__(node, "_wl_value", value)
        object.__setattr__(node, "_wl_parent", parent)
        object.__setattr__(node, "_wl_key", key)
        return node

    # --- creating on assignment ------------------------------------------------

    def _container(self, kind: type) -> Any:
        value = self._wl_value
        if value is _MISSING or value is None:
            value = kind()
            object.__setattr__(self, "_wl_value", value)
            if self._wl_parent is not None and self._wl_key is not None:
                self._wl_parent._store(self._wl_key, value)
        elif not isinstance(value, kind):
            what = "an object" if kind is dict else "an array"
            raise_error("JSON_NON_OBJET", f"{self._describe()} is {type(value).__name__}, not {what}")
        return value

    def _store(self, key: Key, value: Any) -> None:
        if isinstance(key, str):
            self._container(dict)[key] = value
            return
        items = self._container(list)
        if key < 1:
            raise_error("INDICE_INVALIDE", f"JSON[{key}] (elements count from 1)")
        if key > len(items):
            items.extend([None] * (key - len(items)))
        items[key - 1] = value

    def _child(self, key: Key) -> Any:
        value = self._wl_value
        if isinstance(key, str) and isinstance(value, dict) and key in value:
            return self._node(value[key], self, key)
        if isinstance(key, int) and isinstance(value, list):
            if not 1 <= key <= len(value):
                raise_error("INDICE_INVALIDE", f"{self._describe()}[{key}] (valid: 1 to {len(value)})")
            return self._node(value[key - 1], self, key)
        if isinstance(key, int) and value not in (_MISSING, None):
            raise_error("JSON_NON_OBJET", f"{self._describe()} is not an array")
        return self._node(_MISSING, self, key)

    def _describe(self) -> str:
        parts: list[str] = []
        node: JSON | None = self
        while node is not None and node._wl_key is not None:
            parts.append(f"[{node._wl_key}]" if isinstance(node._wl_key, int) else f".{node._wl_key}")
            node = node._wl_parent
        return "JSON" + "".join(reversed(parts))

    # --- Python protocol ------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._child(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)  # a property (FormatJSON_ = ...)
            return
        self._store(name, _plain(value, isinstance(self, Variant)))

    def __delattr__(self, name: str) -> None:
        value = self._wl_value
        if isinstance(value, dict):
            value.pop(name, None)

    def __getitem__(self, key: Key) -> Any:
        return self._child(_key(key))

    def __setitem__(self, key: Key, value: Any) -> None:
        self._store(_key(key), _plain(value, isinstance(self, Variant)))

    def __delitem__(self, key: Key) -> None:
        key = _key(key)
        value = self._wl_value
        if isinstance(value, dict) and isinstance(key, str):
            value.pop(key, None)
        elif isinstance(value, list) and isinstance(key, int) and 1 <= key <= len(value):
            del value[key - 1]

    def __len__(self) -> int:
        value = self._wl_value
        return len(value) if isinstance(value, (dict, list)) else 0

    def __iter__(self) -> Iterator[Any]:
        """POUR TOUT: the elements of an array, the members of an object
        (each with its ``Nom_``)."""
        value = self._wl_value
        if isinstance(value, list):
            return iter([self._node(item, self, index) for index, item in enumerate(value, 1)])
        if isinstance(value, dict):
            return iter([self._node(item, self, name) for name, item in value.items()])
        return iter(())

    def __contains__(self, name: object) -> bool:
        value = self._wl_value
        return isinstance(value, dict) and name in value or isinstance(value, list) and name in value

    def __bool__(self) -> bool:
        value = self._wl_value
        return value is not _MISSING and bool(value)

    def __eq__(self, other: object) -> bool:
        mine = None if self._wl_value is _MISSING else self._wl_value
        try:
            return bool(mine == _plain(other, True))
        except Exception:
            return False

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dict

    def __copy__(self) -> JSON:
        """copy.copy: a value of its own (WLangage copies on assignment), so
        the whole tree is copied; the copy is detached from any parent."""
        return self.__deepcopy__({})

    def __deepcopy__(self, memo: dict[int, Any]) -> JSON:
        value = self._wl_value
        copied = value if value is _MISSING else copy.deepcopy(value, memo)
        node = type(self).__new__(type(self))
        object.__setattr__(node, "_wl_value", copied)
        object.__setattr__(node, "_wl_parent", None)
        object.__setattr__(node, "_wl_key", self._wl_key)
        return node

    def __str__(self) -> str:
        value = self._wl_value
        if isinstance(value, (dict, list)):
            return _dumps(value)
        if value is _MISSING or value is None:
            return ""
        return _wl_chaine(value)

    def __wl_chaine__(self) -> str | Buffer:
        """What SocketEcrit sends: the JSON text (as ``str()``); the Buffer
        itself for a Variant that holds one."""
        value = self._wl_value
        return value if isinstance(value, Buffer) else str(self)

    def __add__(self, other: object) -> str:
        return str(self) + _wl_chaine(other)

    def __radd__(self, other: object) -> str:
        return _wl_chaine(other) + str(self)

    def __repr__(self) -> str:
        value = self._wl_value
        return f"{type(self).__name__}({'<absent>' if value is _MISSING else _dumps_or_repr(value)})"

    # --- WLangage properties ----------------------------------------------------

    def _exists(self) -> bool:
        return self._wl_value is not _MISSING

    def _format_json(self) -> str:
        return _dumps(None if self._wl_value is _MISSING else self._wl_value)

    def _set_format_json(self, text: object) -> None:
        if isinstance(text, Variant) and isinstance(text._wl_value, str):
            text = text._wl_value  # j..FormatJSON = v: the chaîne the Variant holds
        if not isinstance(text, str):
            raise_error("TYPE_PARAMETRE_INVALIDE", f"FormatJSON_: {type(text).__name__}")
        value = _parse(text)
        object.__setattr__(self, "_wl_value", value)
        if self._wl_parent is not None and self._wl_key is not None:
            self._wl_parent._store(self._wl_key, value)

    def _type(self) -> int:
        return value_type(None if self._wl_value is _MISSING else self._wl_value)

    def _value(self) -> Any:
        return None if self._wl_value is _MISSING else self._wl_value

    def _name(self) -> Key | None:
        return self._wl_key

    Existe_ = Exist_ = property(_exists, doc="WLangage ..Existe: False for a member never assigned")
    FormatJSON_ = JSONFormat_ = property(_format_json, _set_format_json, doc="WLangage ..FormatJSON")
    Occurrence_ = Count_ = property(__len__, doc="WLangage ..Occurrence: members or elements")
    Type_ = property(_type, doc="WLangage ..Type: a wl* constant")
    Valeur_ = Value_ = property(_value, doc="WLangage ..Valeur: the plain Python data")
    Nom_ = Name_ = property(_name, doc="WLangage ..Nom: member name or 1-based index")


class Variant(JSON):
    """WLangage ``Variant``: any value, with the member syntax of JSON.

    A chaîne assigned to it stays a chaîne (use JSONVersVariant to parse,
    or ``JSON(v)``, which converts the chaîne it holds), a Buffer stays a
    Buffer; values that have no JSON form (a procedure, an object) are
    kept as they are.  Adds ``Nul_`` / ``Null_``."""

    __slots__ = ()

    @classmethod
    def _convert(cls, value: object) -> Any:
        return _plain(value, lenient=True)

    def _null(self) -> bool:
        return self._wl_value is None or self._wl_value is _MISSING

    Nul_ = Null_ = property(_null, doc="WLangage ..Nul / ..Null")


def _key(key: object) -> Key:
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise_error("TYPE_PARAMETRE_INVALIDE", f"JSON[{key!r}]: a member name or a 1-based index")
    return key


def _wl_chaine(value: object) -> str:
    from ..values import wl_str

    return wl_str(value)


def _dumps_or_repr(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def json_to_variant(text: object) -> Variant:
    """JSONVersVariant / JSONToVariant(<Chaîne JSON>) -> Variant.

    Fatal JSON_INVALIDE for text that is not JSON."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = bytes(text).decode("utf-8", "replace")
    if not isinstance(text, str):
        raise_error("TYPE_PARAMETRE_INVALIDE", f"JSONVersVariant #1: {type(text).__name__}")
    return Variant(_parse(text))


def variant_to_json(value: object, options: object = None) -> str:
    """VariantVersJSON / VariantToJSON(<Variant> [, <Options>]) -> chaîne: the JSON text.

    Differs: ``<Options>`` is accepted and ignored (the text is compact)."""
    return _dumps(_plain(value))


def json_valid(text: object) -> bool:
    """JSONValide / JSONValid(<Chaîne>) -> booléen: True when the chaîne is JSON."""
    if not isinstance(text, str):
        return False
    try:
        json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return False
    return True

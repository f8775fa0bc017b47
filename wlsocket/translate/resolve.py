"""Name resolution: WLangage identifiers are case- and accent-insensitive.

``sCle`` and ``sClé`` are one variable; the output keeps the spelling of
the declaration.  A name is looked up from the innermost scope out: the
procedure (its parameters and declarations), the procedures it is nested
in (PROCEDURE INTERNE), the module (procedures, globals, constants,
classes), then wlsocket's names (``from wlsocket import *``, resolved the
way :mod:`wlsocket` resolves attributes).  What is found nowhere is kept as
written: a call to it fails at run time with a NameError and it is listed
among the missing functions.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from functools import lru_cache

from wlsocket.names import build_namespace, lookup_key

__all__ = ["Symbol", "Scope", "WlsocketNames", "WLSOCKET", "python_name", "type_kind", "TypeKind"]

#: WLangage literals that are Python constants (Vrai/Faux are wlsocket names).
PYTHON_CONSTANTS = {"true": "True", "false": "False", "null": "None", "vrai": "Vrai", "faux": "Faux"}


def python_name(name: str) -> str:
    """A WLangage identifier as a Python identifier (keywords get a trailing ``_``)."""
    cleaned = "".join(c if ("a" + c).isidentifier() else "_" for c in name)
    if not cleaned or not cleaned[0].isidentifier():
        cleaned = "_" + cleaned
    if keyword.iskeyword(cleaned) or cleaned in ("self", "main"):
        cleaned += "_"
    return cleaned


@dataclass
class Symbol:
    """A declared name: its spelling, what it is and (for variables) its WLangage type kind."""

    spelling: str
    what: str  # "var", "param", "proc", "const", "class", "global"
    kind: str = "unknown"
    type_text: str = ""


@dataclass
class Scope:
    """One level of names; ``owner`` is the procedure name ("" for the module)."""

    owner: str
    parent: Scope | None = None
    symbols: dict[str, Symbol] = field(default_factory=dict)
    is_class: bool = False

    def declare(self, name: str, what: str, kind: str = "unknown", type_text: str = "") -> Symbol:
        key = lookup_key(name)
        if key in self.symbols:
            return self.symbols[key]
        symbol = Symbol(python_name(name), what, kind, type_text)
        self.symbols[key] = symbol
        return symbol

    def find(self, name: str) -> tuple[Symbol, Scope] | None:
        key = lookup_key(name)
        scope: Scope | None = self
        while scope is not None:
            if key in scope.symbols:
                return scope.symbols[key], scope
            scope = scope.parent
        return None

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class WlsocketNames:
    """wlsocket's public names, looked up as WLangage does (no case, no accents)."""

    def __init__(self) -> None:
        namespace = build_namespace()
        self.by_key: dict[str, str] = {}
        for name in namespace:
            self.by_key.setdefault(lookup_key(name), name)
        for extra in ("Buffer", "WLangageError"):
            self.by_key[lookup_key(extra)] = extra
        self.spellings = set(namespace) | {"Buffer", "WLangageError"}

    def find(self, name: str) -> str | None:
        """The spelling to write for ``name``: as written when wlsocket has it, else its declared one."""
        if name in self.spellings:
            return name
        return self.by_key.get(lookup_key(name))

    def has(self, name: str) -> bool:
        return self.find(name) is not None


@lru_cache(maxsize=1)
def wlsocket_names() -> WlsocketNames:
    return WlsocketNames()


def WLSOCKET() -> WlsocketNames:  # noqa: N802 - reads as a constant at the call sites
    return wlsocket_names()


@dataclass(frozen=True)
class TypeKind:
    """What a WLangage type means for the emitter."""

    kind: str  # str, buf, int, float, bool, array, assoc, variant, json, date, class, other
    name: str = ""  # class/structure name, or the runtime type name


_KINDS: list[tuple[str, str]] = [
    ("tableau associatif", "assoc"), ("associative array", "assoc"),
    ("tableau", "array"), ("array", "array"), ("file de", "array"), ("pile de", "array"),
    ("queue of", "array"), ("stack of", "array"), ("liste de", "array"), ("list of", "array"),
    ("chaine", "str"), ("string", "str"), ("caractere", "str"), ("character", "str"),
    ("buffer", "buf"),
    ("entier", "int"), ("int", "int"), ("octet", "int"), ("byte", "int"),
    ("reel", "float"), ("real", "float"), ("numerique", "float"), ("numeric", "float"),
    ("monetaire", "float"), ("currency", "float"),
    ("booleen", "bool"), ("boolean", "bool"),
    ("variant", "variant"), ("json", "json"),
    ("dateheure", "date"), ("datetime", "date"), ("date", "date"), ("heure", "date"), ("time", "date"),
    ("duree", "date"), ("duration", "date"),
]


def type_kind(type_text: str) -> TypeKind:
    """Classify a declared type (``chaîne ANSI``, ``tableau de 5 entiers``, ``CClient dynamique``...)."""
    text = lookup_key(type_text).strip()
    text = re.sub(r"^(un|une|des|a|an)\s+", "", text)
    for prefix, kind in _KINDS:
        if re.match(re.escape(prefix) + r"s?(\s|$)", text):
            return TypeKind(kind)
    word = re.match(r"(objet\s+|object\s+)?([^\W\d]\w*)", text)
    if word:
        original = re.sub(r"^(un|une|des|a|an)\s+", "", type_text.strip(), flags=re.IGNORECASE)
        original = re.sub(r"^(objet|object)\s+", "", original, flags=re.IGNORECASE)
        match = re.match(r"[^\W\d]\w*", original)
        return TypeKind("class", match.group(0) if match else word.group(2))
    return TypeKind("other")

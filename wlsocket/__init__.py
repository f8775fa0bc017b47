"""wlsocket: the WLangage socket functions for Python.

``from wlsocket import *`` gives every function and constant under its
French name (``SocketCrée``), its unaccented spelling (``SocketCree``) and
its English name (``SocketCreate``).  Like WLangage identifiers, attribute
lookups on the module ignore case and accents: ``wlsocket.SOCKETCRÉE``.

The declarations are in :mod:`wlsocket.names`; the error model in
:mod:`wlsocket.errors`; the chaîne/Buffer rules in :mod:`wlsocket.values`.
"""

from __future__ import annotations

from typing import Any

from .errors import FATAL_CODES, WLangageError, set_language
from .names import build_namespace, lookup_key
from .registry import REGISTRY
from .values import Buffer, get_string_encoding, set_string_encoding

__version__ = "0.1.0"

_NAMESPACE = build_namespace()
globals().update(_NAMESPACE)
_BY_KEY = {lookup_key(name): value for name, value in _NAMESPACE.items()}

__all__ = sorted(_NAMESPACE) + ["Buffer", "WLangageError"]


def __getattr__(name: str) -> Any:
    """Case- and accent-insensitive lookup, as WLangage identifiers."""
    try:
        return _BY_KEY[lookup_key(name)]
    except KeyError:
        raise AttributeError(f"module 'wlsocket' has no attribute {name!r}") from None


def close_all() -> None:
    """Close every named socket (WLangage does it when the program ends)."""
    REGISTRY.close_all()



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

from . import dispatcher
from .errors import FATAL_CODES as FATAL_CODES
from .errors import WLangageError as WLangageError
from .errors import set_language as set_language
from .names import build_namespace, lookup_key
from .registry import REGISTRY
from .values import Buffer as Buffer
from .values import get_string_encoding as get_string_encoding
from .values import set_string_encoding as set_string_encoding
from .wlangage import threads

__version__ = "0.1.0"

_NAMESPACE = build_namespace()
globals().update(_NAMESPACE)
_BY_KEY = {lookup_key(name): value for name, value in _NAMESPACE.items()}

# Built from the name table: every WLangage name is declared once, in
# names.py; a second, static list could drift from it (test_examples_docs.py
# checks every spelling of the table is in it).
__all__ = sorted(_NAMESPACE) + ["Buffer", "WLangageError"]


def _multitache_runs_the_pump(mode: str) -> None:
    """While the "pump" delivery is chosen, Multitâche runs the pump, as a
    WINDEV program handles socket events while it waits."""
    if mode == dispatcher.PUMP:
        threads.register_pump(dispatcher.pump)
    else:
        threads.unregister_pump(dispatcher.pump)


dispatcher.on_delivery_change(_multitache_runs_the_pump)


def __getattr__(name: str) -> Any:
    """Case- and accent-insensitive lookup, as WLangage identifiers."""
    try:
        return _BY_KEY[lookup_key(name)]
    except KeyError:
        raise AttributeError(f"module 'wlsocket' has no attribute {name!r}") from None


def close_all() -> None:
    """Close every named socket (WLangage does it when the program ends)."""
    REGISTRY.close_all()



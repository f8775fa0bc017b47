"""The registry of named sockets: WLangage identifies every socket by a name.

One lock guards the table; lookups of a name that exists never block on
another socket's I/O.  Names are case-sensitive strings, as in WLangage.
"""

from __future__ import annotations

import atexit
import secrets
import threading

from .errors import raise_error
from .transports.base import Transport

__all__ = ["Registry", "REGISTRY", "check_name"]


def check_name(name: object) -> str:
    """A socket name as WLangage accepts it, or the fatal error."""
    if not isinstance(name, str):
        raise_error("NOM_SOCKET_INVALIDE", type(name).__name__)
    if not name:
        raise_error("NOM_SOCKET_VIDE")
    return name


class Registry:
    """Name -> transport, safe to use from any number of threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: dict[str, Transport] = {}
        #: The table itself, read without the lock by the facade's hot paths:
        #: ``table.get(name)`` for a ``str`` name, else :meth:`get` (the errors).
        self.table = self._sockets

    def check_free(self, name: object) -> str:
        """Fail early (before opening anything) when ``name`` is taken."""
        name = check_name(name)
        if name in self._sockets:
            raise_error("SOCKET_EXISTANTE", name)
        return name

    def add(self, name: str, transport: Transport) -> None:
        """Register ``transport``; if another thread took the name meanwhile,
        close it and raise SOCKET_EXISTANTE."""
        with self._lock:
            if name not in self._sockets:
                self._sockets[name] = transport
                transport.name = name
                return
        transport.close()
        raise_error("SOCKET_EXISTANTE", name)

    def add_unique(self, transport: Transport) -> str:
        """Register under a fresh random 16-character name (SocketAccepte)."""
        with self._lock:
            while True:
                name = secrets.token_hex(8)
                if name not in self._sockets:
                    self._sockets[name] = transport
                    transport.name = name
                    return name

    def get(self, name: object) -> Transport:
        # A registered str name costs one dict lookup; the checks run for the others.
        transport = self._sockets.get(name) if name.__class__ is str else None
        if transport is None:
            name = check_name(name)
            transport = self._sockets.get(name)
            if transport is None:
                raise_error("SOCKET_INEXISTANTE", name)
        return transport

    def pop(self, name: object) -> Transport:
        name = check_name(name)
        with self._lock:
            transport = self._sockets.pop(name, None)
        if transport is None:
            raise_error("SOCKET_INEXISTANTE", name)
        return transport

    def remove_if(self, name: str, transport: Transport) -> None:
        """Forget ``name`` only if it still names ``transport``."""
        with self._lock:
            if self._sockets.get(name) is transport:
                del self._sockets[name]

    def replace(self, name: str, old: Transport, new: Transport) -> None:
        """Let ``new`` serve ``name`` in place of ``old`` (a channel whose
        transport changes, e.g. the SocketWebSocket mode).  If ``name`` no
        longer names ``old`` (closed meanwhile), close ``new`` and raise
        SOCKET_INEXISTANTE."""
        with self._lock:
            if self._sockets.get(name) is old:
                self._sockets[name] = new
                new.name = name
                return
        new.close()
        raise_error("SOCKET_INEXISTANTE", name)

    def exists(self, name: object) -> bool:
        return isinstance(name, str) and name in self._sockets

    def names(self) -> list[str]:
        with self._lock:
            return list(self._sockets)

    def close_all(self) -> None:
        """Close every socket (WLangage does so when the program ends)."""
        with self._lock:
            transports = list(self._sockets.values())
            self._sockets.clear()
        for transport in transports:
            transport.close()


REGISTRY = Registry()
atexit.register(REGISTRY.close_all)

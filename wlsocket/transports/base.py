"""What every transport offers the facade.

A transport raises :class:`~wlsocket.errors.SocketFailure` for a non-fatal
error and the fatal errors through :func:`~wlsocket.errors.raise_error`; it
never lets an ``OSError`` or ``ssl.SSLError`` escape.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator, Optional, Union

from ..errors import raise_error
from ..values import Buffer

# SocketClientInfo types.
SOCKET_ADDRESS = 1
SOCKET_PORT = 2
# wlsocket extensions: the opening handshake of a SocketWebSocket channel
# (a WebSocket client answers SOCKET_WS_SUBPROTOCOL too).
SOCKET_WS_PATH = 101  # SocketWebSocketChemin: the request target
SOCKET_WS_SUBPROTOCOL = 102  # SocketWebSocketProtocole: the subprotocol chosen
SOCKET_WS_HEADERS = 103  # SocketWebSocketEntêtes: every request header
SOCKET_WS_ORIGIN = 104  # SocketWebSocketOrigine: the Origin header
HANDSHAKE_INFO_TYPES = (SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL, SOCKET_WS_HEADERS, SOCKET_WS_ORIGIN)

Message = Union[bytes, str, Buffer]


#: How long closing waits for a read, write or handshake in progress to
#: leave the socket before releasing its descriptor anyway.
CLOSE_GRACE_S = 2.0


@contextlib.contextmanager
def in_flight_done(*locks: threading.Lock) -> Iterator[None]:
    """Hold ``locks`` once the I/O holding them has left (each waited for at
    most :data:`CLOSE_GRACE_S`; the socket was shut down first, so it leaves
    at once).  Closing a descriptor under a thread still using it would let
    the number be reused by another socket under that thread."""
    got = [lock.acquire(timeout=CLOSE_GRACE_S) for lock in locks]
    try:
        yield
    finally:
        for lock, held in zip(reversed(locks), reversed(got)):
            if held:
                lock.release()


def os_reason(exc: BaseException) -> str:
    """The words of an OS error for ErreurInfo ("Connection refused")."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class Transport:
    """Base: every operation is refused until a subclass provides it."""

    name: str = ""
    #: Error code used when a function does not apply to this kind of socket.
    forbidden_code = "FONCTION_INTERDITE"

    def _forbidden(self) -> "Transport":
        raise_error(self.forbidden_code, self.name)

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Optional[Message]:
        """One message, or None on timeout (not an error in WLangage)."""
        self._forbidden()

    def write(self, payload: Message, address: Optional[str] = None, port: Optional[int] = None) -> None:
        self._forbidden()

    def set_mode(self, mode: int, marker: Optional[bytes]) -> None:
        self._forbidden()

    def client_info(self, info_type: int) -> str:
        self._forbidden()
        return ""

    def wait_for_connection(self, timeout_ms: int) -> bool:
        self._forbidden()
        return False

    def accept(self) -> "Transport":
        return self._forbidden()

    def deny(self) -> None:
        self._forbidden()

    def set_max_message_size(self, size: int) -> None:
        self._forbidden()

    def close(self) -> None:
        raise NotImplementedError


def extra_client_info(transport: Transport, info_type: object) -> Optional[str]:
    """Extension SocketClientInfo types (WebSocket handshake data...).

    A transport offers them with a ``handshake_info(info_type)`` method that
    returns None for a type it does not know.
    """
    getter = getattr(transport, "handshake_info", None)
    return None if getter is None else getter(info_type)

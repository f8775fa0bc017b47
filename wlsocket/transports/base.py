"""What every transport offers the facade: the :class:`Transport` interface.

A transport raises :class:`~wlsocket.errors.SocketFailure` for a non-fatal
error and the fatal errors through :func:`~wlsocket.errors.raise_error`; it
never lets an ``OSError`` or ``ssl.SSLError`` escape (:mod:`.io` maps them)
and never records ErreurInfo itself: the facade reports.

Every transport implements :meth:`Transport.read`, :meth:`Transport.write`,
:meth:`Transport.client_info` and :meth:`Transport.close`.  The other
operations are optional capabilities: the default of each raises the fatal
error of a function that does not apply to this kind of socket
(:attr:`Transport.forbidden_code`: FONCTION_INTERDITE, or
SOCKET_UDP_FONCTION_INTERDITE for UDP), so the facade calls them without
asking first.

:class:`SocketTransport` is the shared close path of the transports that
own one socket (stream, datagram, listener): shut the socket down (which
wakes the threads blocked in it), wait for the I/O in progress to leave,
then release the descriptor.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar, NoReturn

from ..errors import SocketFailure, raise_error
from ..values import Buffer
from .io import IO_ERRORS, closed_failure, in_flight_done, io_failure

__all__ = [
    "SOCKET_ADDRESS",
    "SOCKET_PORT",
    "SOCKET_WS_PATH",
    "SOCKET_WS_SUBPROTOCOL",
    "SOCKET_WS_HEADERS",
    "SOCKET_WS_ORIGIN",
    "HANDSHAKE_INFO_TYPES",
    "Message",
    "Payload",
    "Transport",
    "SocketTransport",
    "ChannelUpgrade",
]

# --- SocketClientInfo types: all of them, here ------------------------------------------------

SOCKET_ADDRESS = 1  # SocketAdresse: the peer's IP address
SOCKET_PORT = 2  # SocketPort: the peer's port
# wlsocket extensions: the opening handshake of a SocketWebSocket channel
# (a WebSocket client answers SOCKET_WS_SUBPROTOCOL too).
SOCKET_WS_PATH = 101  # SocketWebSocketChemin: the request target
SOCKET_WS_SUBPROTOCOL = 102  # SocketWebSocketProtocole: the subprotocol chosen
SOCKET_WS_HEADERS = 103  # SocketWebSocketEntêtes: every request header
SOCKET_WS_ORIGIN = 104  # SocketWebSocketOrigine: the Origin header
HANDSHAKE_INFO_TYPES = (SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL, SOCKET_WS_HEADERS, SOCKET_WS_ORIGIN)

#: What a read returns: bytes (a bytearray for a large message received in
#: place), or a chaîne / Buffer already typed (WebSocket text / binary).
Message = bytes | bytearray | str | Buffer
#: What a write takes: a message, or a number sent as its text (SocketEcrit).
Payload = Message | memoryview | int | float
#: Makes the transport that replaces a channel (the SocketWebSocket mode).
ChannelUpgrade = Callable[["Transport"], "Transport"]


class Transport(ABC):
    """One named socket, as the facade sees it.

    ``name`` is set by the registry.  Timeouts are in milliseconds; a read
    or wait that times out is not an error (None / False).
    """

    name: str = ""
    #: Error code used when a function does not apply to this kind of socket.
    forbidden_code: ClassVar[str] = "FONCTION_INTERDITE"

    def _forbidden(self, why: str = "") -> NoReturn:
        """The fatal "function forbidden on this socket" error."""
        raise_error(self.forbidden_code, f"{self.name} ({why})" if why else self.name)

    # -- every transport --------------------------------------------------------------

    @abstractmethod
    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        """SocketLit: one message, or None when ``timeout_ms`` ran out
        (``wait`` False); ``wait`` True waits without limit."""

    @abstractmethod
    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        """SocketEcrit: send one message (``address``/``port``: UDP only)."""

    @abstractmethod
    def client_info(self, info_type: int) -> str:
        """SocketClientInfo(SocketAdresse / SocketPort) of the peer."""

    @abstractmethod
    def close(self) -> None:
        """SocketFerme: idempotent; wakes the threads blocked on this socket."""

    # -- optional capabilities: the default raises the documented fatal error -----------

    def set_mode(self, mode: int, marker: bytes | None) -> None:
        """SocketChangeModeTransmission with a WINDEV framing mode."""
        self._forbidden()

    def wait_for_connection(self, timeout_ms: int) -> bool:
        """SocketAttendConnexion: True when a connection request is pending."""
        self._forbidden()

    def accept(self) -> Transport:
        """SocketAccepte: the transport of the pending connection."""
        self._forbidden()

    def deny(self) -> None:
        """SocketRefuse: accept the pending connection and close it."""
        self._forbidden()

    def set_max_message_size(self, size: int) -> None:
        """SocketTailleMaxMessage (wlsocket extension)."""
        self._forbidden()

    @property
    def max_message_size(self) -> int:
        """The largest message a read accepts (bytes)."""
        self._forbidden()

    def set_ping_interval(self, interval_ms: int) -> None:
        """WebSocketIntervallePing (wlsocket extension; WebSocket clients)."""
        self._forbidden()

    def handshake_info(self, info_type: object) -> str | None:
        """SocketClientInfo with one of :data:`HANDSHAKE_INFO_TYPES`; None
        for a type this transport does not know (the facade then raises
        PARAM_INVALIDE_SOCKET_CLIENT_INFO, as this default does)."""
        raise_error("PARAM_INVALIDE_SOCKET_CLIENT_INFO", repr(info_type))

    def detach(self) -> tuple[socket.socket, bytes]:
        """Hand the socket and the bytes received but not read to another
        transport; this one is closed afterwards without touching them."""
        self._forbidden("no stream to hand over")

    def upgrade_to_websocket(self, upgrade: ChannelUpgrade) -> Transport:
        """SocketChangeModeTransmission(..., SocketWebSocket): the transport
        that serves this name from now on.  A channel returns ``upgrade(self)``
        (the facade registers it in place of this one); a listener returns
        itself and upgrades the channels it accepts."""
        self._forbidden("SocketWebSocket applies to TCP channels and servers")


class SocketTransport(Transport):
    """A transport that owns one socket, with a read lock and a write lock
    (a reader never blocks a writer), and the shared close path."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False

    def _in_flight_locks(self) -> tuple[threading.Lock, ...]:
        """The locks held by I/O in progress, waited for before the
        descriptor is released (in this order)."""
        return self._read_lock, self._write_lock

    def _io_failure(self, code: str, exc: BaseException, where: str = "") -> SocketFailure:
        """``exc`` from this socket as a WLangage error (SOCKET_FERMEE once closed)."""
        return io_failure(code, exc, self._closed, where)

    def _check_open(self) -> None:
        if self._closed:
            raise closed_failure()

    def _shut_down(self) -> None:
        """Wake the threads blocked in the socket; the descriptor stays open.
        (On an unconnected UDP socket Linux answers ENOTCONN but still wakes
        pollers.)"""
        with contextlib.suppress(*IO_ERRORS):
            self._sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._shut_down()
        with in_flight_done(*self._in_flight_locks()):
            self._sock.close()


def extra_client_info(transport: Transport, info_type: object) -> str:
    """SocketClientInfo with an extension type (WebSocket handshake data):
    the transport's :meth:`~Transport.handshake_info`, or the fatal
    PARAM_INVALIDE_SOCKET_CLIENT_INFO for a type it does not know."""
    found = transport.handshake_info(info_type)
    if found is None:
        raise_error("PARAM_INVALIDE_SOCKET_CLIENT_INFO", repr(info_type))
    return found

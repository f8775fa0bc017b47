"""UDP: one datagram socket, no connection, no framing.

Each SocketLit returns exactly one datagram and remembers its sender for
SocketClientInfo; each SocketEcrit sends one datagram to the address and
port it names.  The functions that only make sense on a TCP stream give the
fatal error SOCKET_UDP_FONCTION_INTERDITE, and a datagram above 65,000
bytes SOCKET_TAILLE_PAQUET_UDP, as the WINDEV runtime does.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Optional

from ..errors import SocketFailure, raise_error
from ..values import to_bytes
from .base import SOCKET_ADDRESS, Message, Transport, os_reason
from .tcp import StreamTransport, bind_socket, wait_readable

__all__ = ["UdpTransport", "open_udp", "MAX_DATAGRAM"]

#: Largest datagram SocketEcrit sends (the WINDEV limit).
MAX_DATAGRAM = 65_000
# Receive room for anything a non-WINDEV peer may send (IPv4 maximum 65,507).
_RECV_SIZE = 65_535


class UdpTransport(Transport):
    """A SocketCréeUDP socket."""

    forbidden_code = "SOCKET_UDP_FONCTION_INTERDITE"

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self._sender: tuple[str, str] = ("0", "")

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Optional[Message]:
        """One whole datagram (``max_bytes`` does not cut it), None on timeout."""
        deadline = None if wait else time.monotonic() + max(0, timeout_ms) / 1000
        if not self._read_lock.acquire(timeout=-1 if deadline is None else max(0, timeout_ms) / 1000):
            return None
        try:
            if self._closed:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
            try:
                ready = wait_readable(self._sock, None if deadline is None else max(0.0, deadline - time.monotonic()))
            except (OSError, ValueError):
                ready = True  # let recvfrom say what happened
            if self._closed:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
            if not ready:
                return None
            try:
                data, sender = self._sock.recvfrom(_RECV_SIZE)
            except (OSError, ValueError) as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                raise SocketFailure("ECHEC_LECTURE_SOCKET", os_reason(exc)) from None
            self._sender = (str(sender[0]), str(sender[1]))
            return data
        finally:
            self._read_lock.release()

    def write(self, payload: Message, address: Optional[str] = None, port: Optional[int] = None) -> None:
        if address is None and port is None:
            self._forbidden()  # the TCP form of SocketEcrit
        from ..api.args import check_address, check_port

        host = check_address(address, None)
        if host is None:
            raise_error("PARAMETRE_INVALIDE", "a UDP datagram needs a destination address")
        destination = (host, check_port(port))
        data = to_bytes(payload)
        if len(data) > MAX_DATAGRAM:
            raise_error("SOCKET_TAILLE_PAQUET_UDP", len(data))
        with self._write_lock:
            if self._closed:
                raise SocketFailure("SOCKET_FERMEE", "SocketFerme")
            try:
                self._sock.sendto(data, destination)
            except (socket.gaierror, UnicodeError, TypeError) as exc:  # not a host name: IDNA refuses it, or a NUL
                raise SocketFailure("SOCKET_ADRESSE_INCONNUE", f"{host} ({os_reason(exc)})") from None
            except (OSError, ValueError) as exc:
                if self._closed:
                    raise SocketFailure("SOCKET_FERMEE", "SocketFerme") from None
                raise SocketFailure("ECHEC_ECRITURE_SOCKET", f"{host}:{port}: {os_reason(exc)}") from None

    def client_info(self, info_type: int) -> str:
        """The sender of the last datagram read ("0" / "" before any)."""
        return self._sender[0] if info_type == SOCKET_ADDRESS else self._sender[1]

    def set_channel_upgrade(self, upgrade: object) -> None:
        """SocketChangeModeTransmission(..., SocketWebSocket) asks this of a
        listening socket: a datagram socket has no stream to upgrade."""
        self._forbidden()

    # Same protocol as a stream: shut down (on an unconnected UDP socket
    # Linux answers ENOTCONN but still wakes pollers), wait for the
    # in-flight read and write, then release the descriptor.
    close = StreamTransport.close


def open_udp(port: int, address: Optional[str]) -> socket.socket:
    """A UDP socket bound to ``address:port`` (every interface by default).

    No SO_REUSEADDR: on Linux it would let two UDP sockets share a port
    and split the datagrams between them; a port in use is an error.
    """
    return bind_socket(port, address, socket.SOCK_DGRAM)
"""UDP: one datagram socket, no connection, no framing.

Each SocketLit returns exactly one datagram and remembers its sender for
SocketClientInfo; each SocketEcrit sends one datagram to the address and
port it names.  The functions that only make sense on a TCP stream give the
fatal error SOCKET_UDP_FONCTION_INTERDITE, and a datagram above 65,000
bytes SOCKET_TAILLE_PAQUET_UDP, as the WINDEV runtime does.
"""

from __future__ import annotations

import socket

from ..errors import raise_error
from ..values import check_address, check_port, to_bytes
from .base import SOCKET_ADDRESS, ChannelUpgrade, Message, Payload, SocketTransport, Transport
from .io import ADDRESS_ERRORS, IO_ERRORS, Deadline, address_failure, locked, wait_readable
from .tcp import bind_socket

__all__ = ["UdpTransport", "open_udp", "MAX_DATAGRAM"]

#: Largest datagram SocketEcrit sends (the WINDEV limit).
MAX_DATAGRAM = 65_000
# Receive room for anything a non-WINDEV peer may send (IPv4 maximum 65,507).
_RECV_SIZE = 65_535


class UdpTransport(SocketTransport):
    """A SocketCréeUDP socket.  Closing is the stream's: shut down, wait for
    the read and write in progress, release the descriptor."""

    forbidden_code = "SOCKET_UDP_FONCTION_INTERDITE"

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(sock)
        self._sender: tuple[str, str] = ("0", "")

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        """One whole datagram (``max_bytes`` does not cut it), None on timeout."""
        deadline = Deadline(None) if wait else Deadline.after_ms(timeout_ms)
        with locked(self._read_lock, deadline) as held:
            if not held:
                return None
            self._check_open()
            ready = wait_readable(self._sock, deadline.remaining())
            self._check_open()
            if not ready:
                return None
            try:
                data, sender = self._sock.recvfrom(_RECV_SIZE)
            except IO_ERRORS as exc:
                raise self._io_failure("ECHEC_LECTURE_SOCKET", exc) from None
            self._sender = (str(sender[0]), str(sender[1]))
            return data

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        """One datagram to ``address:port``."""
        if address is None and port is None:
            self._forbidden()  # the TCP form of SocketEcrit
        host = check_address(address, None)
        if host is None:
            raise_error("PARAMETRE_INVALIDE", "a UDP datagram needs a destination address")
        destination = (host, check_port(port))
        data = to_bytes(payload)
        if len(data) > MAX_DATAGRAM:
            raise_error("SOCKET_TAILLE_PAQUET_UDP", len(data))
        with self._write_lock:
            self._check_open()
            try:
                self._sock.sendto(data, destination)
            except (*ADDRESS_ERRORS, TypeError) as exc:  # not a host name: IDNA refuses it, or a NUL
                raise address_failure(host, exc) from None
            except IO_ERRORS as exc:
                raise self._io_failure("ECHEC_ECRITURE_SOCKET", exc, f"{host}:{port}") from None

    def client_info(self, info_type: int) -> str:
        """The sender of the last datagram read ("0" / "" before any)."""
        return self._sender[0] if info_type == SOCKET_ADDRESS else self._sender[1]

    def upgrade_to_websocket(self, upgrade: ChannelUpgrade) -> Transport:
        """SOCKET_UDP_FONCTION_INTERDITE naming the socket, as every
        TCP-only function on a UDP socket."""
        self._forbidden()


def open_udp(port: int, address: str | None) -> socket.socket:
    """A UDP socket bound to ``address:port`` (every interface by default).

    No SO_REUSEADDR: on Linux it would let two UDP sockets share a port
    and split the datagrams between them; a port in use is an error.
    """
    return bind_socket(port, address, socket.SOCK_DGRAM)

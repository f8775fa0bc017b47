"""Datagram sockets: SocketCréeUDP.  SocketLit and SocketEcrit (its UDP
form, with a destination) work on them as on any socket."""

from __future__ import annotations

from typing import Any

from ..errors import wlangage_function
from ..registry import REGISTRY
from ..transports.udp import UdpTransport, open_udp
from .args import check_address, check_port


@wlangage_function("SocketCréeUDP", failure=False)
def socket_create_udp(name: str, port: Any, address: str | None = None) -> bool:
    """SocketCréeUDP(<nom>, <port> [, <adresse>]) -> booléen

    A UDP socket bound to ``port`` (and ``address``, default every
    interface): every UDP endpoint, client or server, is made this way.
    SocketEcrit(<nom>, <message>, <adresse>, <port>) sends one datagram
    (65,000 bytes at most, else the fatal SOCKET_TAILLE_PAQUET_UDP);
    SocketLit returns one whole datagram as a chaîne (its ``max_bytes``
    does not cut it) and SocketClientInfo then gives its sender.
    SocketChangeModeTransmission, SocketAttendConnexion, SocketAccepte,
    SocketRefuse and SocketEcrit without a destination give the fatal
    SOCKET_UDP_FONCTION_INTERDITE.

    Non-fatal (False + ErreurInfo): the port is in use
    (ECHEC_CREATION_SOCKET), the address is unknown.
    Differs: any port 1..65535 is accepted (WINDEV asks for 5000..65000).
    """
    name = REGISTRY.check_free(name)
    port = check_port(port)
    REGISTRY.add(name, UdpTransport(open_udp(port, check_address(address, None))))
    return True

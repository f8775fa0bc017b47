"""TCP sockets: SocketCrée, SocketAttendConnexion, SocketAccepte,
SocketRefuse and SocketConnecte."""

from __future__ import annotations

from typing import Any

from ..errors import wlangage_function
from ..registry import REGISTRY
from ..transports.tcp import ListenerTransport, StreamTransport, open_connection, open_listener
from .args import (
    DEFAULT_CONNECT_TIMEOUT_MS,
    LOCAL_HOST,
    check_address,
    check_connect_timeout,
    check_port,
    check_timeout,
    refuse_callback_form,
)
from .websocket import connect_url_with_callback

_WAIT_INSTEAD = (
    "write instead, in a thread (ThreadExécute): SI SocketAttendConnexion(<nom>, <délai>) ALORS "
    "canal = SocketAccepte(<nom>) and call the procedure with canal"
)


@wlangage_function("SocketCrée", failure=False)
def socket_create(name: str, port: int, address: str | None = None) -> bool:
    """SocketCrée(<nom>, <port> [, <adresse>]) -> booléen

    Creates a listening TCP socket on ``port`` (bound to ``address``,
    default every interface, ``0.0.0.0``).  Its mode is SocketTailleDébut;
    the channels that SocketAccepte returns inherit its mode and marker.
    Used directly with SocketLit/SocketEcrit it is the "simplified server"
    (one client, accepted on first use; a SocketLit timeout covers the wait
    for that client and for its message together).

    Fatal: empty or taken name, port outside 1..65535.  Non-fatal (False +
    ErreurInfo): the port is in use, the address is unknown.
    Differs: WINDEV asks for ports 5000..65000; any valid port is accepted.
    """
    name = REGISTRY.check_free(name)
    port = check_port(port)
    sock = open_listener(port, check_address(address, None))
    REGISTRY.add(name, ListenerTransport(sock))
    return True


@wlangage_function("SocketAttendConnexion", failure=False)
def socket_wait_for_connection(name: str, timeout: Any = 0) -> bool:
    """SocketAttendConnexion(<nom> [, <délai en ms>]) -> booléen

    True when a connection request is pending on the listening socket,
    False when ``timeout`` (milliseconds or a duration, 0 = forever) ran
    out.  SocketFerme from another thread ends the wait at once (False +
    ErreurInfo SOCKET_FERMEE).
    """
    transport = REGISTRY.get(name)
    refuse_callback_form("SocketAttendConnexion(<nom>, <procédure>)", timeout, _WAIT_INSTEAD)
    return transport.wait_for_connection(check_timeout(timeout))


@wlangage_function("SocketAccepte", failure="")
def socket_accept(name: str) -> str:
    """SocketAccepte(<nom>) -> chaîne: the name of the new channel.

    The channel inherits the mode and marker of the listening socket; its
    name is 16 random characters.  Nothing pending: "" + ErreurInfo
    AUCUNE_DEMANDE_CONNEXION (it never waits: call SocketAttendConnexion).
    """
    channel = REGISTRY.get(name).accept()
    return REGISTRY.add_unique(channel)


@wlangage_function("SocketRefuse", failure=False)
def socket_deny(name: str) -> bool:
    """SocketRefuse(<nom>) -> booléen: accepts the pending connection and
    closes it at once, as the WINDEV runtime does."""
    REGISTRY.get(name).deny()
    return True


@wlangage_function("SocketConnecte", failure=False)
def socket_connect(name: str, port: Any, address: Any = None, timeout: Any = DEFAULT_CONNECT_TIMEOUT_MS) -> bool:
    """SocketConnecte(<nom>, <port> [, <adresse> [, <délai en ms>]]) -> booléen

    Connects a TCP client to ``address`` (default: this computer) within
    ``timeout`` (default 30 s, also for 0 or less; the reference leaves
    it open).  Mode:
    SocketTailleDébut.  Non-fatal: unknown host (SOCKET_ADRESSE_INCONNUE),
    refused or unanswered connection (ECHEC_CONNEXION_SOCKET).

    The WEBDEV browser form ``SocketConnecte(<nom>, "ws://...", <procédure>)``
    (a WebSocket client reporting to a callback) is chosen when the second
    argument is a ws:// or wss:// URL.
    """
    if isinstance(port, str) and port.lower().startswith(("ws://", "wss://")):
        return connect_url_with_callback(name, port, address)
    name = REGISTRY.check_free(name)
    port = check_port(port)
    sock = open_connection(check_address(address, LOCAL_HOST), port, check_connect_timeout(timeout))
    REGISTRY.add(name, StreamTransport(sock))
    return True

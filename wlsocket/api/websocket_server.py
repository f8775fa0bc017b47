"""The SocketWebSocket mode (a wlsocket extension): an accepted channel
becomes the server end of a WebSocket (RFC 6455).

    SocketChangeModeTransmission(Canal, SocketWebSocket [, <options>])

set on a channel returned by SocketAccepte (from SocketCrée or
SocketCréeSSL), or on the listening socket so that every channel it
accepts afterwards is a WebSocket channel.  The call returns at once; the
opening handshake runs in the channel's first SocketLit / SocketEcrit.
Full description: docs/websocket-server.md.
"""

from __future__ import annotations

import functools
from typing import Any

from ..errors import raise_error, wlangage_function
from ..registry import REGISTRY
from ..transports.base import SOCKET_WS_HEADERS, SOCKET_WS_ORIGIN, SOCKET_WS_PATH, SOCKET_WS_SUBPROTOCOL, Transport
from ..transports.wsserver import WebSocketServerTransport
from ..values import duration_ms
from ..ws.frames import MAX_CLOSE_REASON, CloseCode, can_send_close_code
from ..ws.handshake import WebSocketOptions

__all__ = [
    "WebSocketOptions",
    "enable_websocket_mode",
    "socket_websocket_header",
    "socket_websocket_close",
    "SOCKET_WS_PATH",
    "SOCKET_WS_SUBPROTOCOL",
    "SOCKET_WS_HEADERS",
    "SOCKET_WS_ORIGIN",
]

_OPTION_KEYS = {"subprotocols", "origins", "compression", "max_message_size", "handshake_timeout"}


def _names(value: object, what: str) -> tuple[str, ...] | None:
    """A list of names: a chaîne "a, b" or a list/tuple of chaînes."""
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise_error("PARAMETRE_INVALIDE", f"{what}={value!r}")
    return None


def parse_options(option: object) -> WebSocketOptions:
    """The ``option`` argument of SocketChangeModeTransmission for
    SocketWebSocket: None (defaults), a chaîne (the accepted subprotocols,
    comma-separated), a dict with the keys subprotocols, origins,
    compression, max_message_size, handshake_timeout, or a
    :class:`WebSocketOptions`.  Anything else is the fatal PARAMETRE_INVALIDE."""
    if option is None:
        return WebSocketOptions()
    if isinstance(option, WebSocketOptions):
        # Checked as the dict form: a dataclass takes any value in any field.
        option = {
            "subprotocols": option.subprotocols,
            "origins": option.origins,
            "compression": option.compression,
            "max_message_size": option.max_message_size,
            "handshake_timeout": option.handshake_timeout_ms,
        }
    if isinstance(option, str):
        return WebSocketOptions(subprotocols=_names(option, "subprotocols"))
    if not isinstance(option, dict):
        raise_error("PARAMETRE_INVALIDE", f"WebSocket options must be a dict, got {type(option).__name__}")
    unknown = set(option) - _OPTION_KEYS
    if unknown:
        raise_error("PARAMETRE_INVALIDE", f"unknown WebSocket option(s) {sorted(map(str, unknown))}")
    options = WebSocketOptions(
        subprotocols=_names(option.get("subprotocols"), "subprotocols"),
        origins=_names(option.get("origins"), "origins"),
    )
    if "compression" in option:
        if not isinstance(option["compression"], (bool, int)):
            raise_error("PARAMETRE_INVALIDE", f"compression={option['compression']!r}")
        options.compression = bool(option["compression"])
    size = option.get("max_message_size")
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise_error("PARAMETRE_INVALIDE", f"max_message_size={size!r}")
        options.max_message_size = size
    if option.get("handshake_timeout") is not None:
        timeout = duration_ms(option["handshake_timeout"], "handshake_timeout")
        if timeout <= 0:
            raise_error("PARAMETRE_INVALIDE", f"handshake_timeout={option['handshake_timeout']!r}")
        options.handshake_timeout_ms = timeout
    return options


def _upgrade_channel(channel: Transport, options: WebSocketOptions) -> WebSocketServerTransport:
    return WebSocketServerTransport(channel, options, channel.max_message_size)


def enable_websocket_mode(transport: Transport, option: Any) -> bool:
    """SocketChangeModeTransmission(<nom>, SocketWebSocket [, <options>]).

    Called by :func:`wlsocket.api.common.socket_change_transmission_mode`.
    On a listening socket: channels accepted from now on are WebSocket
    channels.  On a connected TCP or TLS socket (normally a channel from
    SocketAccepte; a SocketConnecte socket is accepted too and then plays
    the server side, for a server that connects out to its clients): it
    becomes one, the handshake waiting for its first read or write.
    Setting it again on a WebSocket channel whose handshake has not started
    replaces its options.  Other sockets give their own fatal "forbidden"
    error: SOCKET_UDP_FONCTION_INTERDITE for UDP, FONCTION_INTERDITE for a
    WebSocket client.
    """
    options = parse_options(option)
    if isinstance(transport, WebSocketServerTransport):
        if option is not None:
            transport.reconfigure(options)
        return True
    # A listener keeps its name (it upgrades its channels); UDP, a WebSocket
    # client...: their own "forbidden" error.
    serving = transport.upgrade_to_websocket(functools.partial(_upgrade_channel, options=options))
    if serving is not transport:
        REGISTRY.replace(transport.name, transport, serving)
    return True


@wlangage_function("SocketWebSocketEntête", failure="")
def socket_websocket_header(name: str, header: Any) -> str:
    """wlsocket extension: SocketWebSocketEntête(<canal>, <nom d'en-tête>) -> chaîne

    The value of a header of the client's opening handshake request
    (``"Cookie"``, ``"Authorization"``, ``"User-Agent"``...; any case), ""
    when the request had none; repeated headers are joined with ", ".
    Completes the handshake first if needed (call it in the channel's
    thread).  Fatal FONCTION_INTERDITE on a socket that is not a
    SocketWebSocket channel; non-fatal ECHEC_WEBSOCKET when the handshake
    failed.
    """
    transport = REGISTRY.get(name)
    if not isinstance(header, str) or not header:
        raise_error("PARAMETRE_INVALIDE", f"header={header!r}")
    if not isinstance(transport, WebSocketServerTransport):
        raise_error("FONCTION_INTERDITE", f"{name} (not a SocketWebSocket channel)")
    return transport.header(header)


@wlangage_function("SocketWebSocketFerme", failure=None)
def socket_websocket_close(name: str, code: Any = int(CloseCode.NORMAL), reason: Any = "") -> None:
    """wlsocket extension: SocketWebSocketFerme(<canal> [, <code> [, <raison>]])

    SocketFerme with the close code and reason of the close frame chosen:
    1001 ("going away") for a server that stops, 1008 for a policy
    violation...  The name is freed as by SocketFerme.  Fatal:
    PARAMETRE_INVALIDE for a code RFC 6455 does not let an endpoint send
    or a reason above 123 bytes of UTF-8; FONCTION_INTERDITE on a socket
    that is not a SocketWebSocket channel.
    """
    transport = REGISTRY.get(name)
    if not isinstance(transport, WebSocketServerTransport):
        raise_error("FONCTION_INTERDITE", f"{name} (not a SocketWebSocket channel)")
    if isinstance(code, bool) or not isinstance(code, int) or not can_send_close_code(code, server=True):
        raise_error("PARAMETRE_INVALIDE", f"close code {code!r}")
    try:
        reason_size = len(reason.encode("utf-8")) if isinstance(reason, str) else MAX_CLOSE_REASON + 1
    except UnicodeEncodeError:
        reason_size = MAX_CLOSE_REASON + 1
    if reason_size > MAX_CLOSE_REASON:
        raise_error("PARAMETRE_INVALIDE", f"close reason {reason!r} (a chaîne of at most {MAX_CLOSE_REASON} bytes)")
    REGISTRY.pop(name)
    transport.close(code, reason)

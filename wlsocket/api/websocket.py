"""The WebSocket client: SocketConnecte with a ws:// or wss:// URL and a
procedure (WEBDEV browser code), WebSocketClientConnecte and
WebSocketClientConnecteSSL (WINDEV 27+), in their synchronous and
asynchronous syntaxes.  Full description: docs/websocket-client.md.

Once connected, the name works with SocketEcrit (a chaîne goes as a text
message, a Buffer as a binary one), SocketLit (synchronous syntax only:
one whole message per call), SocketExiste, SocketFerme, SocketClientInfo,
SocketTailleMaxMessage and WebSocketIntervallePing.  The asynchronous forms
report to ``Procedure(nEvénement, sMessage)`` through
:mod:`wlsocket.dispatcher` (events SocketOuverture, SocketMessage,
SocketFermeture, SocketErreur).
"""

from __future__ import annotations

import ssl
from typing import Any

from ..dispatcher import EventSource, check_procedure
from ..errors import SocketFailure, raise_error, wlangage_function
from ..registry import REGISTRY
from ..transports import tls_context
from ..transports.wsclient import (
    DEFAULT_CLOSE_TIMEOUT_MS,
    DEFAULT_MAX_MESSAGE_SIZE,
    Target,
    WebSocketClientTransport,
    parse_ws_url,
)
from .args import DEFAULT_CONNECT_TIMEOUT_MS, check_bool, check_port, check_positive_int, check_timeout

__all__ = [
    "connect_url_with_callback",
    "websocket_client_connect",
    "websocket_client_connect_ssl",
    "websocket_ping_interval",
    "set_defaults",
    "get_defaults",
]

#: Settings of connections made from now on (see :func:`set_defaults`).
_DEFAULTS: dict[str, Any] = {
    "connect_timeout": DEFAULT_CONNECT_TIMEOUT_MS,
    "close_timeout": DEFAULT_CLOSE_TIMEOUT_MS,
    "max_message_size": DEFAULT_MAX_MESSAGE_SIZE,
    "ping_interval": 0,
    "ssl_context": None,
}


def set_defaults(**settings: Any) -> dict[str, Any]:
    """wlsocket extension: defaults for WebSocket client connections made from now on.

    ``connect_timeout`` (ms or duration, 30 s: DNS, TCP, TLS and handshake
    together; it is also the only timeout of the SocketConnecte form),
    ``close_timeout`` (2 s: how long SocketFerme waits for the server's
    side of the close handshake), ``max_message_size`` (64 MiB; above it
    the connection is closed with 1009), ``ping_interval`` (0 = no
    keepalive ping), ``ssl_context`` (an ``ssl.SSLContext`` for wss:// URLs
    given to SocketConnecte; None = the secure sockets' default: system
    trust store, host name checked).  Returns the previous values, so that
    ``set_defaults(**old)`` restores them.
    """
    previous = dict(_DEFAULTS)
    for key, value in settings.items():
        if key not in _DEFAULTS:
            raise_error("PARAMETRE_INVALIDE", f"{key}={value!r}")
        if key in ("connect_timeout", "close_timeout", "ping_interval"):
            value = check_timeout(value, key)
            if value < 0 or (value == 0 and key == "connect_timeout"):
                raise_error("PARAMETRE_INVALIDE", f"{key}={value!r}")
        elif key == "max_message_size":
            value = check_positive_int(value, key) or 1
        elif value is not None and not isinstance(value, ssl.SSLContext):
            raise_error("PARAMETRE_INVALIDE", f"{key}={value!r}")
        _DEFAULTS[key] = value
    return previous


def get_defaults() -> dict[str, Any]:
    return dict(_DEFAULTS)


def _new_transport(
    target: Any, procedure: Any = None, name: str = "", function: str = "SocketConnecte"
) -> WebSocketClientTransport:
    source = None if procedure is None else EventSource(name, procedure, function)
    return WebSocketClientTransport(
        target,
        source,
        max_size=_DEFAULTS["max_message_size"],
        ping_interval_ms=_DEFAULTS["ping_interval"],
        close_timeout_ms=_DEFAULTS["close_timeout"],
    )


def _start(name: str, transport: WebSocketClientTransport) -> bool:
    REGISTRY.add(name, transport)
    transport.start()
    return True


def connect_url_with_callback(name: str, url: str, procedure: Any) -> bool:
    """SocketConnecte(<nom>, "ws://<hôte>[:<port>][/<chemin>]", <procédure>) -> booléen

    The WEBDEV browser form, called by SocketConnecte when its second
    argument is a ws:// or wss:// URL.  Returns True at once: the
    connection is made in its own thread and everything that follows is
    told to ``procedure(nEvénement, sMessage)``: SocketOuverture, then a
    SocketMessage per message, SocketErreur if something fails (a malformed
    URL, an unknown host, a refused connection, a TLS or handshake failure,
    a protocol violation), and SocketFermeture exactly once, last.  The
    name stays registered until SocketFerme, as every socket.

    Fatal: the name is taken or empty, ``procedure`` is not a procedure of
    two parameters (PROCEDURE_INVALIDE).
    Differs: the timeout and the other settings come from :func:`set_defaults`
    (the WLangage syntax has no place for them); a wss:// URL verifies the
    server's certificate against the system's trust store.
    """
    name = REGISTRY.check_free(name)
    procedure = check_procedure(procedure)
    target: Any = url
    try:
        secure, host, port, resource = parse_ws_url(url)
    except SocketFailure:
        pass  # reported to the procedure by the connection thread
    else:
        target = Target(host, port, resource, secure, (), _DEFAULTS["connect_timeout"], _wss_context(secure))
    return _start(name, _new_transport(target, procedure, name))


def _wss_context(secure: bool) -> ssl.SSLContext | None:
    if not secure:
        return None
    chosen: ssl.SSLContext | None = _DEFAULTS["ssl_context"]
    if chosen is not None:
        return chosen
    return tls_context.client_context()


def _subprotocols(value: Any) -> tuple[str, ...]:
    """<Protocoles>: a chaîne "chat, json" or a list of chaînes ("" = none)."""
    if value is None:
        return ()
    if isinstance(value, str):
        names = tuple(item.strip() for item in value.split(",") if item.strip())
    elif isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        names = tuple(item.strip() for item in value if item.strip())
    else:
        raise_error("PARAMETRE_INVALIDE", f"protocols={value!r}")
        return ()
    for item in names:
        if any(ch in item for ch in ' ,;"()<>@:\\/[]?={}\t\r\n') or not item.isascii():
            raise_error("PARAMETRE_INVALIDE", f"protocol {item!r} is not a token")
    return names


def _target(address: Any, port: Any, path: Any, protocols: Any, timeout: Any, secure: bool) -> Target:
    """The arguments of WebSocketClientConnecte(SSL) checked (fatal on misuse)."""
    if not isinstance(address, str) or not address.strip():
        raise_error("PARAMETRE_INVALIDE", f"server address={address!r}")
    address = address.strip()
    resource = "/"
    if address.lower().startswith(("ws://", "wss://")):
        url_secure, host, url_port, resource = parse_ws_url(address)
        if url_secure != secure:
            raise_error(
                "PARAMETRE_INVALIDE",
                f"{address}: use {'wss://' if secure else 'ws://'}"
                f" with WebSocketClientConnecte{'SSL' if secure else ''}",
            )
        if port in (None, 0, ""):
            port = url_port
    else:
        host = address[1:-1] if address.startswith("[") and address.endswith("]") else address
        if any(ch in host for ch in " /\\?#@\t\r\n"):
            raise_error("PARAMETRE_INVALIDE", f"server address={address!r} (a host name or an IP address)")
    port = (443 if secure else 80) if port in (None, 0, "") else check_port(port)
    if path not in (None, ""):
        if not isinstance(path, str) or any(ch in path for ch in " \t\r\n#"):
            raise_error("PARAMETRE_INVALIDE", f"path={path!r}")
        resource = path if path.startswith("/") else "/" + path
    timeout_ms = _DEFAULTS["connect_timeout"] if timeout in (None, 0) else check_timeout(timeout)
    if timeout_ms <= 0:
        timeout_ms = _DEFAULTS["connect_timeout"]
    return Target(host, port, resource, secure, _subprotocols(protocols), timeout_ms)


def _connect(name: str, target: Target, procedure: Any) -> bool:
    if procedure is not None:
        function = "WebSocketClientConnecteSSL" if target.secure else "WebSocketClientConnecte"
        return _start(name, _new_transport(target, procedure, name, function))
    transport = _new_transport(target)
    transport.connect()
    REGISTRY.add(name, transport)
    return True


@wlangage_function("WebSocketClientConnecte", failure=False)
def websocket_client_connect(name: str, *arguments: Any) -> bool:
    """WebSocketClientConnecte: a ws:// client, two syntaxes.

    Synchronous::

        WebSocketClientConnecte(<nom>, <adresse serveur> [, <port> [, <chemin>
                                [, <protocoles> [, <délai>]]]])

    -> booléen.  True once the connection is open; SocketLit then returns
    one whole message per call (a chaîne for text, a Buffer for binary),
    SocketEcrit sends one.  False + ErreurInfo otherwise:
    SOCKET_ADRESSE_INCONNUE, ECHEC_CONNEXION_SOCKET (refused, or no answer
    within the timeout), ECHEC_WEBSOCKET (the server refused the handshake,
    e.g. HTTP 403, or answered it wrongly).

    Asynchronous::

        WebSocketClientConnecte(<nom>, <procédure>, <adresse serveur> [, <port>
                                [, <chemin> [, <protocoles> [, <délai>]]]])

    -> True at once; the outcome goes to ``procédure(nEvénement, sMessage)``
    as for SocketConnecte with a ws:// URL.

    ``adresse``: a host name or IP address (or a whole ws:// URL); ``port``
    default 80; ``chemin`` default "/"; ``protocoles``: the subprotocols
    offered (Sec-WebSocket-Protocol), a chaîne "a, b" or a list; ``délai``:
    the connection timeout in ms or a duration (default 30 s; 0 = default).
    Fatal: taken or empty name, bad port, bad procedure (PROCEDURE_INVALIDE).

    Differs: the reference leaves open the default timeout (30 s here), the
    unit of the timeout (milliseconds, as the other v27 functions) and
    whether SocketLit returns exactly one message (it does here: a message
    is never cut, ``max_bytes`` is ignored).
    """
    return _client_connect(name, arguments, secure=False)


@wlangage_function("WebSocketClientConnecteSSL", failure=False)
def websocket_client_connect_ssl(
    name: str,
    *arguments: Any,
    ca_file: Any = None,
    verify: Any = True,
    legacy_tls: Any = False,
) -> bool:
    """WebSocketClientConnecteSSL: a wss:// client, two syntaxes.

    Synchronous::

        WebSocketClientConnecteSSL(<nom>, <adresse serveur> [, <port> [, <chemin>
                                   [, <protocoles> [, <options SSL> [, <délai>]]]]])

    Asynchronous::

        WebSocketClientConnecteSSL(<nom>, <procédure>, <adresse serveur> [, <port>
                                   [, <chemin> [, <protocoles> [, <options SSL> [, <délai>]]]]])

    As WebSocketClientConnecte, over TLS (port default 443).  ``options
    SSL`` are those of SocketConnecteSSL (ProtocoleTLS1_2 + ProtocoleTLS1_3
    ...; default TLS 1.0 to 1.2, clamped as SocketConnecteSSL documents);
    the server's certificate is verified against the system's trust store,
    host name included.  Extra non-fatal errors: CERTIFICAT_INVALIDE,
    ECHEC_SSL.  wlsocket extensions (keyword only), as SocketConnecteSSL:
    ``ca_file`` (trust that CA file only), ``verify=False``, ``legacy_tls``;
    an ``ssl.SSLContext`` may also be given as ``options SSL``.

    Differs: as WebSocketClientConnecte; TLS 1.0 and 1.1 are clamped to 1.2
    by the local OpenSSL unless ``legacy_tls=True`` (see SocketConnecteSSL).
    """
    return _client_connect(
        name, arguments, secure=True, ca_file=ca_file, verify=verify, legacy_tls=legacy_tls
    )


def _client_connect(name: str, arguments: tuple[Any, ...], secure: bool, **tls_extras: Any) -> bool:
    name = REGISTRY.check_free(name)
    procedure = None
    if arguments and (callable(arguments[0]) and not isinstance(arguments[0], str)):
        procedure = check_procedure(arguments[0])
        arguments = arguments[1:]
    most = 6 if secure else 5
    if not arguments or len(arguments) > most:
        raise_error("PARAMETRE_INVALIDE", f"{len(arguments)} arguments after the name (1 to {most})")
    values = list(arguments) + [None] * (most - len(arguments))
    if secure:
        address, port, path, protocols, ssl_options, timeout = values
    else:
        address, port, path, protocols, timeout = values
    target = _target(address, port, path, protocols, timeout, secure)
    if secure:
        target.ssl_context = _client_tls_context(ssl_options, **tls_extras)
    return _connect(name, target, procedure)


def _client_tls_context(options: Any, ca_file: Any, verify: Any, legacy_tls: Any) -> ssl.SSLContext:
    if isinstance(options, ssl.SSLContext):
        return options
    protocols, identification = tls_context.split_options(options, "SSL options")
    return tls_context.client_context(
        protocols, None, identification, ca_file, check_bool(verify, "verify"), check_bool(legacy_tls, "legacy_tls")
    )


@wlangage_function("WebSocketIntervallePing", failure=False)
def websocket_ping_interval(name: str, interval: Any) -> bool:
    """wlsocket extension: WebSocketIntervallePing(<nom>, <délai>) -> booléen

    Keepalive for a WebSocket client socket: after ``délai`` (ms or a
    duration) without anything received, a ping goes out; no answer within
    another ``délai`` ends the connection (SocketErreur then SocketFermeture
    1006, or "" + ECHEC_LECTURE_SOCKET from SocketLit).  0 (default) turns
    it off.  Pings leave from the thread that reads: the connection thread
    of the asynchronous forms, a waiting SocketLit in the synchronous one.
    No reconnection is ever made automatically.
    """
    transport = REGISTRY.get(name)
    interval_ms = check_timeout(interval, "interval")
    if interval_ms < 0:
        raise_error("PARAMETRE_INVALIDE", f"interval={interval!r}")
    transport.set_ping_interval(interval_ms)
    return True

"""Opening a WebSocket client connection: the URL, the target, TLS and the
opening handshake.

The opening handshake (request, status, Sec-WebSocket-Accept, cookies,
proxies' needs) is websocket-client's, run on our socket through
:class:`_HandshakeSocket`, which bounds the *whole* handshake by the
connection timeout; :func:`~wlsocket.ws.handshake.check_server_response`
then applies this package's own rules.  After the handshake the frames are
the protocol core's (:mod:`wlsocket.ws.protocol`).
"""

from __future__ import annotations

import socket
import ssl
import time
from urllib.parse import urlsplit

import websocket as websocket_client

from ..errors import SocketFailure
from ..ws.handshake import HandshakeFailure, check_server_response
from .io import IO_ERRORS, os_reason, tls_failure
from .tls_context import client_context

__all__ = ["Target", "parse_ws_url", "secure_socket", "tls_handshake", "client_handshake"]


class Target:
    """Everything needed to open one connection."""

    def __init__(
        self,
        host: str,
        port: int,
        resource: str = "/",
        secure: bool = False,
        subprotocols: tuple[str, ...] = (),
        timeout_ms: int = 30_000,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.resource, self.secure = host, port, resource, secure
        self.subprotocols = subprotocols
        self.timeout_ms = timeout_ms
        self.ssl_context = ssl_context

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'wss' if self.secure else 'ws'}://{host}:{self.port}{self.resource}"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_ws_url(url: str) -> tuple[bool, str, int, str]:
    """``ws://host[:port][/path][?query]`` -> (secure, host, port, resource).

    Raises the non-fatal URL_INVALIDE for anything RFC 6455 section 3 refuses
    (another scheme, no host, a bad port, a fragment)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise SocketFailure("URL_INVALIDE", f"{url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("ws", "wss"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (the scheme must be ws:// or wss://)")
    if not parts.hostname:
        raise SocketFailure("URL_INVALIDE", f"{url!r} (no host name)")
    if parts.fragment or url.strip().endswith("#"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (a WebSocket URL has no #fragment)")
    if port == 0:
        raise SocketFailure("URL_INVALIDE", f"{url!r} (port 0)")
    if any(ch in parts.hostname for ch in " \t\r\n/\\"):
        raise SocketFailure("URL_INVALIDE", f"{url!r} (invalid host name)")
    resource = parts.path or "/"
    if parts.query:
        resource += "?" + parts.query
    secure = scheme == "wss"
    return secure, parts.hostname, port or (443 if secure else 80), resource


class _HandshakeSocket:
    """What websocket-client's handshake sees: our socket, with every
    ``recv``/``send`` bounded by what is left of the connection timeout (its
    own timeout applies per call, so a server trickling bytes could stretch
    the handshake without end)."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the handshake took too long")
        self._sock.settimeout(remaining)

    def recv(self, size: int) -> bytes:
        self._arm()
        return self._sock.recv(size)

    def send(self, data: bytes) -> int:
        self._arm()
        return self._sock.send(data)

    def gettimeout(self) -> float | None:
        return self._sock.gettimeout()

    def settimeout(self, value: float | None) -> None:
        pass  # the deadline decides

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        pass  # the transport owns the socket


def secure_socket(sock: socket.socket, target: Target) -> ssl.SSLSocket:
    """``sock`` wrapped for TLS (the handshake is not done yet)."""
    context = target.ssl_context or client_context()
    try:
        return context.wrap_socket(sock, server_hostname=target.host, do_handshake_on_connect=False)
    except (ssl.SSLError, *IO_ERRORS) as exc:
        raise SocketFailure("ECHEC_SSL", os_reason(exc)) from None


def tls_handshake(sock: ssl.SSLSocket, target: Target, deadline: float) -> None:
    try:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sock.do_handshake()
    except IO_ERRORS as exc:
        raise tls_failure(exc, target.where, target.timeout_ms) from None


def client_handshake(sock: socket.socket, target: Target, deadline: float) -> tuple[dict[str, str], str]:
    """The opening handshake on ``sock``: (the response headers, names in
    lower case; the subprotocol chosen).  Raises SocketFailure."""
    headers = []
    if target.subprotocols:
        headers.append("Sec-WebSocket-Protocol: " + ", ".join(target.subprotocols))
    client = websocket_client.WebSocket(skip_utf8_validation=True, enable_multithread=False)
    where = target.where
    try:
        client.connect(  # type: ignore[no-untyped-call]
            target.url, socket=_HandshakeSocket(sock, deadline), header=headers, redirect_limit=0
        )
    except websocket_client.WebSocketBadStatusException as exc:
        status = f"{exc.status_code} {exc.status_message or ''}".strip()
        raise SocketFailure("ECHEC_WEBSOCKET", f"{where} refused the WebSocket connection (HTTP {status})") from None
    except (TimeoutError, websocket_client.WebSocketTimeoutException):
        raise SocketFailure(
            "ECHEC_CONNEXION_SOCKET", f"{where} did not answer the WebSocket handshake within {target.timeout_ms} ms"
        ) from None
    except websocket_client.WebSocketConnectionClosedException:
        raise SocketFailure(
            "ECHEC_CONNEXION_SOCKET", f"{where} closed the connection during the WebSocket handshake"
        ) from None
    except websocket_client.WebSocketException as exc:
        raise SocketFailure("ECHEC_WEBSOCKET", f"{where}: {exc}") from None
    except ssl.SSLError as exc:
        raise SocketFailure("ECHEC_SSL", f"{where}: {exc.reason or exc}") from None
    except OSError as exc:
        raise SocketFailure("ECHEC_CONNEXION_SOCKET", f"{where}: {os_reason(exc)}") from None
    except (ValueError, TypeError, KeyError, UnicodeError) as exc:  # a response websocket-client chokes on
        raise SocketFailure("ECHEC_WEBSOCKET", f"{where}: invalid handshake response ({exc})") from None
    finally:
        client.sock = None  # ours, not websocket-client's
    response: dict[str, str] = dict(client.getheaders() or {})
    try:
        chosen = check_server_response(response, target.subprotocols)
    except HandshakeFailure as failure:
        raise SocketFailure("ECHEC_WEBSOCKET", f"{where} {failure}") from None
    return response, chosen

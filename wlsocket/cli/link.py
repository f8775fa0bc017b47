"""A named socket of the WLangage facade, as the subcommands use it.

``ecoute`` and ``envoie`` go through the package's public functions
(SocketCrée, SocketCréeSSL, SocketConnecte, SocketConnecteSSL,
WebSocketClientConnecte, SocketLit, SocketEcrit...) exactly as a ported
program does, so what they show is what such a program would receive.  In
the WINDEV modes the socket is switched to SocketSansMarqueurFin and the
bytes are framed and decoded here with :mod:`wlsocket.codecs` (the same
code): that is what lets a peer in the wrong mode be shown, byte for byte,
instead of an error.  In websocket mode SocketLit returns whole messages.
"""

from __future__ import annotations

import itertools

import wlsocket as wl

from ..values import Buffer

#: Largest chunk one SocketLit of a raw socket returns (a 16 MiB message comes in 16 reads).
READ_CHUNK = 1 << 20
_names = itertools.count(1)


class LinkClosed(Exception):
    """The peer closed the connection (or it broke): ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class LinkError(Exception):
    """A facade call failed: the text is ErreurInfo()."""


def fresh_name(prefix: str) -> str:
    """A socket name nobody else uses in this process."""
    return f"wlsocket-cli-{prefix}-{next(_names)}"


def last_error() -> str:
    return str(wl.ErreurInfo(wl.errMessage))


def last_error_code() -> str:
    return str(wl.ErreurInfo(wl.errCode))


class Link:
    """A connected named socket: a client or an accepted channel."""

    def __init__(self, name: str, websocket: bool) -> None:
        self.name = name
        self.websocket = websocket
        if not websocket:
            wl.SocketChangeModeTransmission(name, wl.SocketSansMarqueurFin)

    def peer(self) -> str:
        address = wl.SocketClientInfo(self.name, wl.SocketAdresse)
        port = wl.SocketClientInfo(self.name, wl.SocketPort)
        return f"{address}:{port}" if address else "?"

    def read(self, timeout_ms: int) -> tuple[bytes, bool] | None:
        """(bytes, is_text) of the next chunk or WebSocket message, None after
        ``timeout_ms`` without one; raises :class:`LinkClosed` at the end."""
        value: str | Buffer = wl.SocketLit(self.name, False, timeout_ms, READ_CHUNK)
        if wl.ErreurDetectee:
            raise LinkClosed(last_error())
        if isinstance(value, Buffer):
            return bytes(value), False
        if not value:
            return None
        if self.websocket:  # a text message: its UTF-8 bytes
            return value.encode("utf-8", "surrogateescape"), True
        # The facade's chaîne holds one character per byte ("ansi", lossless).
        return bytes(Buffer(value)), False

    def write(self, data: bytes, text: bool = False) -> None:
        """Send ``data`` unchanged (a WebSocket text message when ``text``)."""
        message: str | Buffer = Buffer(data)
        if self.websocket and text:
            message = data.decode("utf-8", "replace")
        if not wl.SocketEcrit(self.name, message):
            raise LinkClosed(last_error())

    def close(self) -> None:
        if wl.SocketExiste(self.name):
            wl.SocketFerme(self.name)

"""Functions that work on any named socket: SocketLit, SocketEcrit,
SocketExiste, SocketFerme, SocketChangeModeTransmission, SocketClientInfo."""

from __future__ import annotations

from typing import Any

from .. import codecs
from ..errors import (
    MessageWithError,
    SocketFailure,
    clear_error,
    get_ident,
    in_error,
    raise_error,
    record_error,
    report_failure,
    wlangage_function,
)
from ..registry import REGISTRY
from ..transports.base import SOCKET_ADDRESS, SOCKET_PORT, Message, extra_client_info
from ..values import MAX_DURATION_MS, Buffer, to_bytes, to_text
from .args import check_bool, check_positive_int, check_timeout, refuse_callback_form
from .websocket_server import enable_websocket_mode

_READ_INSTEAD = (
    "write instead, in a thread (ThreadExécute): sMessage = SocketLit(<nom>, Vrai) then "
    "<procédure>(sMessage, <paramètre>); a WebSocket client can report to a procedure: "
    "SocketConnecte(<nom>, \"ws://...\", <procédure>)"
)

#: wlsocket extension: the RFC 6455 server mode of SocketChangeModeTransmission.
SOCKET_WEBSOCKET = 100
_MODES = set(codecs.MODES)

#: Indexed directly by SocketLit and SocketEcrit (a method call costs more than
#: the lookup); Registry.get gives the errors of a name it does not hold.
_SOCKETS = REGISTRY.table
#: SocketLit's defaults, passed untouched when they are these very objects.
_TIMEOUT_MS = 1000
_MAX_BYTES = 4096


# SocketLit and SocketEcrit do what @wlangage_function does, inline: the
# decorator's extra call and argument packing cost as much as the framing.
def socket_read(
    name: str,
    wait: Any = True,
    timeout: Any = _TIMEOUT_MS,
    max_bytes: Any = _MAX_BYTES,
    incoming_data_delay: Any = None,
) -> str | Buffer:
    """SocketLit(<nom> [, <attente infinie> [, <délai ms> [, <taille max> [, <délai données>]]]])

    Returns one message as a chaîne ("" when nothing came).  ``wait`` True
    (the documented default) blocks until a message is whole; False waits at
    most ``timeout`` (ms or duration, default 1000; a negative value counts
    as its opposite, as in the WINDEV runtime) for the *whole* message.
    A timeout is not an error: "" and ErreurDétectée stays false; bytes
    already received stay buffered for the next call.  ``max_bytes`` (4096)
    applies to SocketSansMarqueurFin only.  The peer closing gives "" with
    ErreurInfo SOCKET_FERMEE (so a loop can tell the end from a timeout).
    A WebSocket socket returns a chaîne for a text message and a
    :class:`Buffer` for a binary one.

    Differs: ``incoming_data_delay`` (newest WINDEV syntax, meaning not
    documented) is accepted and ignored.
    """
    # Written out in SocketLit and SocketEcrit, not a shared helper: on the
    # hot path a call costs more than these lines (docs/benchmarks.md).
    if in_error and get_ident() in in_error:
        clear_error()
    try:
        try:
            transport = _SOCKETS[name]
        except (KeyError, TypeError):  # not registered, or not even a name
            transport = REGISTRY.get(name)
        if wait is True and timeout is _TIMEOUT_MS and max_bytes is _MAX_BYTES:
            timeout_ms = _TIMEOUT_MS  # the defaults: nothing to check
        else:
            wait, timeout_ms, max_bytes = _read_arguments(wait, timeout, max_bytes)
        message: Message | bytearray | None
        try:
            message = transport.read(wait, timeout_ms, max_bytes)
        except MessageWithError as exc:  # a message, and bytes dropped after its end marker
            message = exc.message
            record_error(exc.code, exc.detail, "SocketLit")
        if message is None:
            return ""
        text: str | Buffer
        kind = message.__class__
        if kind is bytes and len(message) < 4096 and message.isascii():
            # ASCII is the same chaîne in both string encodings: one decode, no lookup
            text = message.decode("ascii")  # type: ignore[union-attr]
        elif kind is str or isinstance(message, (str, Buffer)):  # str: ASCII lines decoded a chunk at a time
            text = message  # type: ignore[assignment]
        else:
            text = to_text(message)
        return text
    except (SocketFailure, OSError) as exc:
        report_failure(exc, "SocketLit", False)
        return ""


def _read_arguments(wait: Any, timeout: Any, max_bytes: Any) -> tuple[bool, int, int]:
    """SocketLit's arguments checked (fatal on misuse): wait, timeout in ms, max_bytes."""
    # The common argument types skip the checks (same results, less time).
    if timeout.__class__ is not int and callable(timeout):
        refuse_callback_form("SocketLit(<nom>, Vrai, <procédure>, <paramètre>)", timeout, _READ_INSTEAD)
    if wait is not True:
        wait = check_bool(wait, "wait")
    if timeout.__class__ is int and -MAX_DURATION_MS <= timeout <= MAX_DURATION_MS:
        timeout_ms = timeout
    else:
        timeout_ms = check_timeout(timeout)
    if timeout_ms < 0:
        timeout_ms = -timeout_ms  # as the WINDEV runtime does
    if max_bytes.__class__ is not int or max_bytes < 0:
        max_bytes = check_positive_int(max_bytes, "max_bytes")
    return wait, timeout_ms, max_bytes


def socket_write(name: str, message: Any, address: str | None = None, port: Any = None) -> bool:
    """SocketEcrit(<nom>, <message> [, <adresse>, <port>]) -> booléen

    Sends ``message`` (chaîne or Buffer; a JSON or Variant is sent as its
    JSON text, a chaîne) framed by the socket's mode; the
    UDP form adds the destination address and port.  Non-fatal: the
    connection is broken (ECHEC_ECRITURE_SOCKET) or closed (SOCKET_FERMEE).
    """
    # Written out in SocketLit and SocketEcrit, not a shared helper: on the
    # hot path a call costs more than these lines (docs/benchmarks.md).
    if in_error and get_ident() in in_error:
        clear_error()
    try:
        try:
            transport = _SOCKETS[name]
        except (KeyError, TypeError):  # not registered, or not even a name
            transport = REGISTRY.get(name)
        if message.__class__ is not str and not isinstance(message, (str, bytes, bytearray, memoryview, int, float)):
            # A JSON or Variant (wlsocket.wlangage.jsonvalue) is sent as its JSON text.
            as_chaine = getattr(type(message), "__wl_chaine__", None)
            if as_chaine is None:
                raise_error("TYPE_MESSAGE_INVALIDE", type(message).__name__)
            message = as_chaine(message)
        transport.write(message, address, port)
        return True
    except (SocketFailure, OSError) as exc:
        report_failure(exc, "SocketEcrit", True)
        return False


socket_read.wl_name = "SocketLit"  # type: ignore[attr-defined]
socket_write.wl_name = "SocketEcrit"  # type: ignore[attr-defined]


def socket_exists(name: str) -> bool:
    """SocketExiste(<nom>) -> booléen: True while the name is registered
    (until SocketFerme, even if the peer has gone).  Never an error."""
    clear_error()
    return REGISTRY.exists(name)


@wlangage_function("SocketFerme", failure=None)
def socket_close(name: str) -> None:
    """SocketFerme(<nom>): closes the socket and frees its name at once.

    Threads blocked on this socket (SocketLit, SocketEcrit,
    SocketAttendConnexion) return promptly with SOCKET_FERMEE.

    Chosen: closing never reports a failure of the system's close (a peer
    already gone, a reset): the name is freed and the descriptor released
    whatever happened, which is all a program can ask of it, so
    ECHEC_FERMETURE_SOCKET is never recorded.  Fatal: unknown name.
    """
    REGISTRY.pop(name).close()


@wlangage_function("SocketChangeModeTransmission", failure=False)
def socket_change_transmission_mode(name: str, mode: Any, option: Any = None) -> bool:
    """SocketChangeModeTransmission(<nom>, <mode> [, <marqueur>]) -> booléen

    ``mode``: SocketTailleDébut (1, default), SocketMarqueurFin (0),
    SocketMarqueurFinBuffer (2), SocketSansMarqueurFin (3), or the wlsocket
    extension SocketWebSocket.  ``option`` is the end marker of the end-tag
    modes (default ``"<EOF>"``).  Bytes received and not yet read are kept
    and decoded with the new mode.  Set on a listening socket, the mode is
    inherited by the channels it accepts.

    Chosen (the reference is silent): a SocketLit in progress on the same
    socket in another thread finishes first, so a message is never decoded
    half in one mode and half in the other; the change waits for it (a
    SocketLit waiting forever therefore holds it until data comes or
    SocketFerme).
    """
    transport = REGISTRY.get(name)
    if isinstance(mode, bool) or not isinstance(mode, (int, float)) or mode not in _MODES and mode != SOCKET_WEBSOCKET:
        raise_error("SOCKET_TYPE_TRANSMISSION_INVALIDE", repr(mode))
    mode = int(mode)  # 2.0 is mode 2 (a WLangage réel holding a constant); the transports take an int
    if mode == SOCKET_WEBSOCKET:
        return enable_websocket_mode(transport, option)
    marker = None
    if option is not None:
        marker = to_bytes(option)
        if not marker:
            raise_error("PARAMETRE_INVALIDE", "empty end marker")
    transport.set_mode(mode, marker)
    return True


@wlangage_function("SocketClientInfo", failure="")
def socket_client_info(name: str, info_type: Any) -> str:
    """SocketClientInfo(<nom>, <type>) -> chaîne

    SocketAdresse: the peer's IP address; SocketPort: its port.  For UDP,
    the sender of the last datagram read.  "0" / "" before any connection.
    """
    transport = REGISTRY.get(name)
    if info_type not in (SOCKET_ADDRESS, SOCKET_PORT) or isinstance(info_type, bool):
        return extra_client_info(transport, info_type)
    return transport.client_info(info_type)


@wlangage_function("SocketTailleMaxMessage", failure=False)
def socket_set_max_message_size(name: str, size: Any) -> bool:
    """wlsocket extension: SocketTailleMaxMessage(<nom>, <octets>) -> booléen

    The largest message SocketLit accepts on this socket (default 64 MiB).
    A larger one closes the connection with MESSAGE_TROP_GRAND; nothing that
    large is ever allocated.  On a listening socket, inherited by channels.
    Fatal PARAMETRE_INVALIDE for a size under 1 byte.
    """
    transport = REGISTRY.get(name)
    if check_positive_int(size, "size") < 1:
        raise_error("PARAMETRE_INVALIDE", "size=0: a message limit is at least 1 byte")
    transport.set_max_message_size(size)
    return True

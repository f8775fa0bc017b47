"""What the WebSocket client and server transports share: the payload of
a SocketEcrit, and the WLangage error of a protocol failure."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from ..errors import SocketFailure, raise_error
from ..values import Buffer, to_bytes
from ..ws.frames import CloseCode, ProtocolError
from ..ws.protocol import Protocol
from .base import Payload
from .io import IO_ERRORS, Deadline, locked, os_reason, wait_writable

__all__ = ["message_payload", "protocol_failure", "write_failure", "send_bounded", "Receiver"]


def message_payload(payload: Payload) -> tuple[bytes | bytearray | memoryview, bool]:
    """SocketEcrit's value as (bytes, is_text): a chaîne goes as a text
    message (UTF-8), a Buffer (bytes) as a binary one, a number or a boolean
    as its text.  A chaîne UTF-8 cannot encode (a lone surrogate) is the
    fatal PARAMETRE_INVALIDE."""
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8"), True
        except UnicodeEncodeError as exc:
            raise_error(
                "PARAMETRE_INVALIDE",
                f"text that UTF-8 cannot encode ({exc.reason}): {payload[exc.start:exc.end]!r}; send a Buffer",
            )
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return payload, False
    return to_bytes(payload), True


def protocol_failure(error: ProtocolError) -> tuple[str, str]:
    """(WLangage error code, detail) of a connection failed by the protocol:
    MESSAGE_TROP_GRAND for a message above the limit (1009), TRAME_INVALIDE
    for the rest (1002, 1007)."""
    code = "MESSAGE_TROP_GRAND" if error.close_code is CloseCode.MESSAGE_TOO_BIG else "TRAME_INVALIDE"
    return code, str(error)


def write_failure(exc: BaseException, closed: bool) -> SocketFailure:
    """The failure of a SocketEcrit whose send raised ``exc``: SOCKET_FERMEE
    when SocketFerme was called meanwhile (``closed``), else ECHEC_ECRITURE_SOCKET."""
    if closed:
        return SocketFailure("SOCKET_FERMEE", "SocketFerme")
    return SocketFailure("ECHEC_ECRITURE_SOCKET", os_reason(exc))


def send_bounded(sock: socket.socket, lock: threading.Lock, timeout_s: float, take: Callable[[], bytes]) -> bool:
    """Send what ``take()`` returns (called with the write ``lock`` held: a
    control frame, a handshake response) without blocking longer than
    ``timeout_s`` for the lock, then for room in the socket: a peer that
    stopped reading cannot hold us.  False when nothing went."""
    with locked(lock, Deadline.after(timeout_s)) as held:
        if not held:
            return False
        try:
            data = take()
            if not data or not wait_writable(sock, timeout_s):
                return False
            sock.sendall(data)
            return True
        except IO_ERRORS:
            return False


#: Under glibc's mmap threshold: a larger receive buffer is a fresh mmap per call.
_RECV_SIZE = 64 * 1024
#: A large payload is received in place, up to this much per call.
_MAX_RECV_INTO = 4 * 1024 * 1024


class Receiver:
    """One ``recv`` into a protocol: the rest of a large payload straight
    into its final buffer, anything else through a scratch buffer kept for
    the connection (a fresh bytes object per recv costs an mmap/munmap pair
    at this size)."""

    __slots__ = ("_scratch",)

    def __init__(self) -> None:
        self._scratch: bytearray | None = None

    def receive(self, sock: socket.socket, protocol: Protocol) -> int:
        """The byte count, 0 at the end of the stream; raises IO_ERRORS."""
        target = protocol.receive_buffer()
        if target is not None:
            count = sock.recv_into(target, min(len(target), _MAX_RECV_INTO))
            protocol.received_into(count)
            return count
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = bytearray(_RECV_SIZE)
        count = sock.recv_into(scratch)
        protocol.receive_data(memoryview(scratch)[:count])
        return count

    def receive_message(self, sock: socket.socket, protocol: Protocol) -> int | str | Buffer:
        """As :meth:`receive`, but bytes that are one whole data message
        give that message (see :meth:`Protocol.receive_message`) instead of
        their count."""
        scratch = self._scratch
        if scratch is None or protocol.receive_buffer() is not None:
            return self.receive(sock, protocol)
        count = sock.recv_into(scratch)
        message = protocol.receive_message(scratch, count)
        return count if message is None else message

"""What the WebSocket client and server transports share: the payload of
a SocketEcrit, and the WLangage error of a protocol failure."""

from __future__ import annotations

from ..errors import raise_error
from ..values import to_bytes
from ..ws.frames import CloseCode, ProtocolError
from .base import Payload

__all__ = ["message_payload", "protocol_failure"]


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

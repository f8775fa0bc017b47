"""Messages between the program and its clients.

Incoming: ``vMessage`` is a runtime ``Variant``, as in WEBDEV, holding a
chaîne (``str``) for a text frame and a ``Buffer`` for a binary frame.
It converts as WLangage's Variant does: ``JSON(vMessage)`` (``jMessage
est un JSON = vMessage``) parses the text it holds (a Buffer as UTF-8);
``vMessage == "texte"`` compares it; ``str(vMessage)`` is the chaîne
(a Buffer's characters), ``Buffer(vMessage)`` the bytes, and
``vMessage.Valeur_`` the ``str`` or ``Buffer`` itself, for Python's own
string and bytes methods; ``vMessage.Type_`` is wlChaine or wlBuffer.

Outgoing (``Client.Envoie`` / WebSocketEnvoie): the type of the value
chooses the frame, as PC SOFT documents: a chaîne goes as text, a Buffer
as binary; a json as its JSON text; a Python dict or list as JSON text
too; a number or a boolean as its text.  A Variant sends what it holds
(a chaîne as text, a Buffer as binary, other values as JSON text), so
``Client.Envoie(vMessage)`` echoes a message in its own frame type.
Anything else is the fatal TYPE_MESSAGE_INVALIDE.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import raise_error
from ..wlangage.jsonvalue import JSON, Variant

__all__ = ["outgoing", "incoming"]


def outgoing(value: Any) -> str | bytes:
    """The text (str) or binary (bytes) payload ``value`` is sent as."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, JSON):  # a json or a Variant: its JSON text (what SocketEcrit sends too)
        return value.__wl_chaine__()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise_error("TYPE_MESSAGE_INVALIDE", f"{type(value).__name__} not serialisable as JSON ({exc})")
    raise_error("TYPE_MESSAGE_INVALIDE", type(value).__name__)


def incoming(payload: str | bytes) -> Variant:
    """What ReceptionMessage receives for a message read by SocketLit (see module doc)."""
    return Variant(payload)

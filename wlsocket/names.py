"""Every WLangage name the package offers, declared once.

Each row is (French name with accents, English name, Python object).  The
unaccented French spelling is derived, so ``SocketCrée``, ``SocketCree`` and
``SocketCreate`` are the same function; :mod:`wlsocket` also resolves any
case and accent variant (``wlsocket.socketcree``) as WLangage does.
A row whose English name is ``None`` has no English spelling of its own.

To find where a WLangage function lives, read its row: the object's module
is its Python home.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Optional

from . import codecs, errors
from .api import common, tcp
from .transports import base

Row = tuple[str, Optional[str], Any]

SOCKET_FUNCTIONS: list[Row] = [
    # WLangage                       English                           Python
    ("SocketCrée", "SocketCreate", tcp.socket_create),
    ("SocketAttendConnexion", "SocketWaitForConnection", tcp.socket_wait_for_connection),
    ("SocketAccepte", "SocketAccept", tcp.socket_accept),
    ("SocketRefuse", "SocketDeny", tcp.socket_deny),
    ("SocketConnecte", "SocketConnect", tcp.socket_connect),
    ("SocketLit", "SocketRead", common.socket_read),
    ("SocketEcrit", "SocketWrite", common.socket_write),
    ("SocketExiste", "SocketExist", common.socket_exists),
    ("SocketFerme", "SocketClose", common.socket_close),
    ("SocketChangeModeTransmission", "SocketChangeTransmissionMode", common.socket_change_transmission_mode),
    ("SocketClientInfo", None, common.socket_client_info),
    # wlsocket extension
    ("SocketTailleMaxMessage", "SocketMaxMessageSize", common.socket_set_max_message_size),
]

SOCKET_CONSTANTS: list[Row] = [
    ("SocketMarqueurFin", "SocketEndTag", codecs.END_TAG),
    ("SocketTailleDébut", "SocketSizeAtBeginning", codecs.SIZE_PREFIX),
    ("SocketMarqueurFinBuffer", "SocketEndTagBuffer", codecs.END_TAG_BUFFER),
    ("SocketSansMarqueurFin", "SocketNoEndTag", codecs.NO_END_TAG),
    ("SocketAdresse", "SocketAddress", base.SOCKET_ADDRESS),
    ("SocketPort", None, base.SOCKET_PORT),
    # wlsocket extension
    ("SocketWebSocket", None, common.SOCKET_WEBSOCKET),
]

ERROR_NAMES: list[Row] = [
    ("ErreurInfo", "ErrorInfo", errors.error_info),
    ("ErreurDétectée", "ErrorOccurred", errors.error_detected),
    ("errMessage", None, errors.ERR_MESSAGE),
    ("errCode", None, errors.ERR_CODE),
    ("errFonction", "errFunction", errors.ERR_FUNCTION),
    ("errCodeSystème", "errSystemCode", errors.ERR_SYSTEM_CODE),
    ("errMessageSystème", "errSystemMessage", errors.ERR_SYSTEM_MESSAGE),
    ("errComplet", "errFullDetails", errors.ERR_FULL_DETAILS),
]

#: Every table, in the order the documentation lists them.
TABLES: dict[str, list[Row]] = {
    "Sockets": SOCKET_FUNCTIONS,
    "Socket constants": SOCKET_CONSTANTS,
    "Errors": ERROR_NAMES,
}


def strip_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def lookup_key(name: str) -> str:
    """The key under which WLangage identifiers compare: no accents, no case."""
    return strip_accents(name).casefold()


def spellings(row: Row) -> list[str]:
    french, english, _ = row
    names = [french, strip_accents(french)]
    if english:
        names.append(english)
    return list(dict.fromkeys(names))


def build_namespace() -> dict[str, Any]:
    """Every spelling of every row -> its object."""
    namespace: dict[str, Any] = {}
    for table in TABLES.values():
        for row in table:
            for spelling in spellings(row):
                if spelling in namespace and namespace[spelling] is not row[2]:
                    raise RuntimeError(f"two rows claim the name {spelling}")
                namespace[spelling] = row[2]
    return namespace

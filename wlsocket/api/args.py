"""Argument checks shared by the facade functions (all fatal on misuse)."""

from __future__ import annotations

from typing import Any

from ..errors import raise_error
from ..values import check_address, check_port, duration_ms

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_MS",
    "LOCAL_HOST",
    "check_port",
    "check_address",
    "check_timeout",
    "check_connect_timeout",
    "check_bool",
    "check_positive_int",
    "refuse_callback_form",
]

#: SocketConnecte's timeout when none is given (the reference leaves it open).
DEFAULT_CONNECT_TIMEOUT_MS = 30_000
#: "The current computer", the default target of SocketConnecte.
LOCAL_HOST = "127.0.0.1"


def refuse_callback_form(function: str, value: object, instead: str) -> None:
    """A procedure given where WLangage takes a delay: a form seen in ported
    code that WINDEV does not have (docs/porting-guide.md, "Callback forms")."""
    if callable(value) and not isinstance(value, (str, bytes, int, float)):
        raise_error("SYNTAXE_NON_WLANGAGE", f"{function}; {instead}")


def check_timeout(value: object, what: str = "timeout") -> int:
    """A timeout in milliseconds (integer, timedelta or "1 s")."""
    return duration_ms(value, what)


def check_connect_timeout(value: Any) -> int:
    """SocketConnecte's timeout in ms; 0 or less means the default (30 s).

    Chosen: the reference does not say what 0 means here; taking the
    default, as WebSocketClientConnecte does, keeps a connection attempt
    bounded (a silent server would otherwise hold it forever)."""
    timeout_ms = check_timeout(value)
    return timeout_ms if timeout_ms > 0 else DEFAULT_CONNECT_TIMEOUT_MS


def check_bool(value: object, what: str) -> bool:
    if isinstance(value, (bool, int)):
        return bool(value)
    raise_error("PARAMETRE_INVALIDE", f"{what}={value!r}")


def check_positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise_error("PARAMETRE_INVALIDE", f"{what}={value!r}")
    return value

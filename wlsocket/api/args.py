"""Argument checks shared by the facade functions (all fatal on misuse)."""

from __future__ import annotations

from ..errors import raise_error
from ..values import check_address, check_port, duration_ms

__all__ = [
    "check_port", "check_address", "check_timeout", "check_bool", "check_positive_int", "refuse_callback_form",
]


def refuse_callback_form(function: str, value: object, instead: str) -> None:
    """A procedure given where WLangage takes a delay: a form seen in ported
    code that WINDEV does not have (docs/porting-guide.md, "Callback forms")."""
    if callable(value) and not isinstance(value, (str, bytes, int, float)):
        raise_error("SYNTAXE_NON_WLANGAGE", f"{function}; {instead}")


def check_timeout(value: object, what: str = "timeout") -> int:
    """A timeout in milliseconds (integer, timedelta or "1 s")."""
    return duration_ms(value, what)


def check_bool(value: object, what: str) -> bool:
    if isinstance(value, (bool, int)):
        return bool(value)
    raise_error("PARAMETRE_INVALIDE", f"{what}={value!r}")
    return False


def check_positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise_error("PARAMETRE_INVALIDE", f"{what}={value!r}")
    return value  # type: ignore[return-value]

"""Argument checks shared by the facade functions (all fatal on misuse)."""

from __future__ import annotations

from ..errors import raise_error
from ..values import check_address, check_port, duration_ms

__all__ = ["check_port", "check_address", "check_timeout", "check_bool", "check_positive_int"]


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

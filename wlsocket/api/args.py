"""Argument checks shared by the facade functions (all fatal on misuse)."""

from __future__ import annotations

from ..errors import raise_error
from ..values import duration_ms


def check_port(port: object) -> int:
    """A port as WLangage accepts it: 1..65535, an integer or its digits."""
    if isinstance(port, str):
        digits = port.strip()
        # isdecimal, not isdigit: int() refuses "²"; and past 4300 digits
        # int() refuses any string (none of them is a port anyway).
        if digits.isdecimal() and len(digits) <= 10:
            port = int(digits)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise_error("NUM_PORT_INVALIDE", repr(port))
    return port


def check_address(address: object, default: str | None) -> str | None:
    if address is None or address == "":
        return default
    if isinstance(address, (int, float)):
        # WLangage converts a number or boolean given for a chaîne: Faux is "0"
        from ..wlangage._types import wl_str

        address = wl_str(address)
    if not isinstance(address, str):
        raise_error("PARAMETRE_INVALIDE", f"address={address!r}")
    return address


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

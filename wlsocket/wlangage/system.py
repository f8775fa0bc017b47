"""System functions: DonneUUID, DonneGUID, NetAdresseIP, SysEnvironnement,
Hasard, InitHasard, RéseauUtilisateur, NetNomMachine, Ping.

Chosen where the reference is open (the help pages found do not give the
exact forms): DonneUUID gives a random (version 4) UUID in its canonical
lower-case 36-character form; DonneGUID gives the same kind of value in
upper case, 32 hexadecimal digits by default (``guidBrut``) or
``{8-4-4-4-12}`` with ``guidFormaté``.
"""

from __future__ import annotations

import getpass
import os
import random
import socket
import threading
import uuid

from ..errors import raise_error
from ._types import bad_type, need_int

__all__ = [
    "get_uuid", "get_guid", "GUID_RAW", "GUID_FORMATTED", "net_ip_address", "sys_environment",
    "random_number", "init_random", "network_user", "net_machine_name", "ping",
]

GUID_RAW = 0  # guidBrut
GUID_FORMATTED = 1  # guidFormaté

_random = random.Random()
_random_lock = threading.Lock()


def get_uuid() -> str:
    """DonneUUID / GetUUID() -> "1b4e28ba-2fa1-41d2-883f-0016d3cca427" (random, version 4)."""
    return str(uuid.uuid4())


def get_guid(fmt: object = GUID_RAW) -> str:
    """DonneGUID / GetGUID([<Format>]) -> 32 upper-case hexadecimal digits
    (``guidBrut``, default) or ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``
    (``guidFormaté``)."""
    kind = need_int(fmt, "DonneGUID #1")
    value = uuid.uuid4()
    if kind == GUID_RAW:
        return value.hex.upper()
    if kind == GUID_FORMATTED:
        return "{" + str(value).upper() + "}"
    raise_error("PARAMETRE_INVALIDE", f"DonneGUID format={kind}")


def net_ip_address(host: object = "") -> str:
    """NetAdresseIP / NetIPAddress([<Nom du poste>]) -> chaîne.

    The IPv4 address of this computer (the one its outgoing route uses,
    else 127.0.0.1), or of ``<Nom du poste>``; "" when a name is unknown
    (non-fatal: nothing else is recorded).

    Differs: the form listing every address (``NetAdresseIP(0)``...) is not
    offered; finding the outgoing route sends no packet (a UDP socket is
    connected, never written)."""
    if not isinstance(host, str):
        bad_type("NetAdresseIP #1", host)
    if host:
        try:
            return socket.gethostbyname(host)
        except (OSError, UnicodeError, ValueError, TypeError):  # TypeError: a NUL in the name
            return ""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, only routed
        address: str = probe.getsockname()[0]
        return address
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def net_machine_name() -> str:
    """NetNomMachine / NetMachineName() -> the name of this computer."""
    return socket.gethostname()


def network_user() -> str:
    """RéseauUtilisateur / NetworkUser() -> the name of the user running the program."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def sys_environment(name: object = None) -> str:
    """SysEnvironnement / SysEnvironment([<Nom de la variable>]) -> chaîne.

    The value of an environment variable ("" when it is not set); without
    a name, every variable as "NOM=valeur" lines separated by CR+LF."""
    if name is None:
        return "\r\n".join(f"{key}={value}" for key, value in os.environ.items())
    if not isinstance(name, str):
        bad_type("SysEnvironnement #1", name)
    try:
        return os.environ.get(name, "")
    except (UnicodeError, ValueError):  # a name no environment can hold ("\ud800")
        return ""


def random_number(first: object = None, second: object = None) -> int | float:
    """Hasard / Random([<Borne 1> [, <Borne 2>]]).

    No bound: a real in [0, 1[; one bound N: an integer from 1 to N (from
    N to 1 when N is negative... as WLangage, 0 gives 0); two bounds: an
    integer between them, both included.  Safe from any thread."""
    with _random_lock:
        if first is None:
            return _random.random()
        low = need_int(first, "Hasard #1")
        if second is None:
            if low == 0:
                return 0
            return _random.randint(1, low) if low > 0 else _random.randint(low, -1)
        high = need_int(second, "Hasard #2")
        if low > high:
            low, high = high, low
        return _random.randint(low, high)


def init_random(seed: object = None) -> None:
    """InitHasard / InitRandom([<Valeur>]): a given seed makes Hasard repeat
    the same series; without one, the series starts anew from the clock."""
    with _random_lock:
        _random.seed(None if seed is None else need_int(seed, "InitHasard #1"))


#: The port Ping knocks at (echo): any answer, even a refusal, means the computer is there.
PING_PORT = 7


def ping(address: object, delay: object = 200) -> bool:
    """Ping / Ping(<Adresse> [, <Délai>]) -> booléen: True when the computer answers.

    Differs: an ICMP echo needs privileges a program rarely has; wlsocket
    asks for a TCP connection on port 7 instead, and an answer of any kind
    (accepted or refused) means the computer is there.  A computer whose
    firewall drops everything looks absent, as with ICMP.  ``<Délai>`` in
    hundredths of a second (default 2 s)."""
    from .delays import seconds_of

    if not isinstance(address, str) or not address:
        bad_type("Ping #1", address)
    timeout_s = max(0.01, seconds_of(delay, "Ping #2"))
    try:
        with socket.create_connection((address, PING_PORT), timeout=timeout_s):
            return True
    except ConnectionRefusedError:
        return True  # refused: someone is there
    except (OSError, UnicodeError, ValueError, OverflowError):
        return False

"""One scenario per row of docs/errors.md for the core socket functions."""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

import pytest

import wlsocket
from tests.conftest import LOOPBACK, ROOT, free_port, relative_to_tests, wait_until_inside
from wlsocket import *  # noqa: F403

TABLE = ROOT / "docs" / "errors.md"


def table_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[4] == relative_to_tests(__file__):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


Action = Callable[[], Any]
SCENARIOS: dict[tuple[str, str], Callable[[int, contextlib.ExitStack], Action]] = {}


def scenario(function: str, code: str):
    def register(make):
        SCENARIOS[(function, code)] = make
        return make

    return register


def listener(port: int) -> None:
    assert SocketCrée("srv", port, LOOPBACK)


def connected_channel(port: int, stack: contextlib.ExitStack) -> tuple[str, socket.socket]:
    listener(port)
    peer = stack.enter_context(socket.create_connection((LOOPBACK, port)))
    peer.settimeout(5)
    assert SocketAttendConnexion("srv", 5000)
    return SocketAccepte("srv"), peer


def client(port: int) -> None:
    listener(port)
    assert SocketConnecte("cli", port, LOOPBACK)


# --- SocketCrée -----------------------------------------------------------
scenario("SocketCrée", "NOM_SOCKET_VIDE")(lambda port, stack: lambda: SocketCrée("", port))
scenario("SocketCrée", "NOM_SOCKET_INVALIDE")(lambda port, stack: lambda: SocketCrée(42, port))
scenario("SocketCrée", "NUM_PORT_INVALIDE")(lambda port, stack: lambda: SocketCrée("s", 70000))
scenario("SocketCrée", "SOCKET_ADRESSE_INCONNUE")(
    lambda port, stack: lambda: SocketCrée("s", port, "no-such-host.invalid")
)


@scenario("SocketCrée", "SOCKET_EXISTANTE")
def _(port, stack):
    listener(port)
    return lambda: SocketCrée("srv", free_port(), LOOPBACK)


@scenario("SocketCrée", "ECHEC_CREATION_SOCKET")
def _(port, stack):
    listener(port)
    return lambda: SocketCrée("other", port, LOOPBACK)


# --- SocketAttendConnexion / SocketAccepte / SocketRefuse ----------------------
scenario("SocketAttendConnexion", "SOCKET_INEXISTANTE")(lambda port, stack: lambda: SocketAttendConnexion("x"))


@scenario("SocketAttendConnexion", "DUREE_INVALIDE")
def _(port, stack):
    listener(port)
    return lambda: SocketAttendConnexion("srv", "tomorrow")


@scenario("SocketAttendConnexion", "FONCTION_INTERDITE")
def _(port, stack):
    client(port)
    return lambda: SocketAttendConnexion("cli", 10)


@scenario("SocketAttendConnexion", "SOCKET_FERMEE")
def _(port, stack):
    listener(port)
    transport = wlsocket.REGISTRY.get("srv")

    def close_when_blocked() -> None:
        wait_until_inside(waiter, "wait_readable")
        wlsocket.REGISTRY.pop("srv")
        transport.close()

    waiter = threading.current_thread()
    closer = threading.Thread(target=close_when_blocked)
    closer.start()
    stack.callback(closer.join, 10)
    return lambda: SocketAttendConnexion("srv")


@scenario("SocketAccepte", "AUCUNE_DEMANDE_CONNEXION")
def _(port, stack):
    listener(port)
    return lambda: SocketAccepte("srv")


@scenario("SocketAccepte", "FONCTION_INTERDITE")
def _(port, stack):
    client(port)
    return lambda: SocketAccepte("cli")


@scenario("SocketRefuse", "AUCUNE_DEMANDE_CONNEXION")
def _(port, stack):
    listener(port)
    return lambda: SocketRefuse("srv")


# --- SocketConnecte -------------------------------------------------------------
@scenario("SocketConnecte", "SOCKET_EXISTANTE")
def _(port, stack):
    client(port)
    return lambda: SocketConnecte("cli", port, LOOPBACK)


scenario("SocketConnecte", "NUM_PORT_INVALIDE")(lambda port, stack: lambda: SocketConnecte("c", 0, LOOPBACK))
scenario("SocketConnecte", "SOCKET_ADRESSE_INCONNUE")(
    lambda port, stack: lambda: SocketConnecte("c", port, "no-such-host.invalid")
)
scenario("SocketConnecte", "ECHEC_CONNEXION_SOCKET")(lambda port, stack: lambda: SocketConnecte("c", port, LOOPBACK))


# --- SocketLit --------------------------------------------------------------------
scenario("SocketLit", "SOCKET_INEXISTANTE")(lambda port, stack: lambda: SocketLit("x"))


@scenario("SocketLit", "PARAMETRE_INVALIDE")
def _(port, stack):
    channel, _ = connected_channel(port, stack)
    return lambda: SocketLit(channel, True, 1000, -1)


@scenario("SocketLit", "SOCKET_FERMEE")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    peer.sendall(b"5\r\nab")
    peer.close()
    return lambda: SocketLit(channel)


@scenario("SocketLit", "ECHEC_LECTURE_SOCKET")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.sendall(b"5\r\nab")
    peer.close()  # with SO_LINGER 0: a reset
    return lambda: SocketLit(channel)


@scenario("SocketLit", "TRAME_INVALIDE")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    peer.sendall(b"abc\r\nxyz")
    return lambda: SocketLit(channel)


@scenario("SocketLit", "MESSAGE_TROP_GRAND")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    peer.sendall(b"99999999999\r\n")
    return lambda: SocketLit(channel)


@scenario("SocketLit", "SOCKET_LIT_MARQUEUR_FIN")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    SocketChangeModeTransmission(channel, SocketMarqueurFin)
    peer.sendall(b"first<EOF>second<EOF>")
    return lambda: SocketLit(channel)


# --- SocketEcrit ----------------------------------------------------------------
scenario("SocketEcrit", "SOCKET_INEXISTANTE")(lambda port, stack: lambda: SocketEcrit("x", "m"))


@scenario("SocketEcrit", "TYPE_MESSAGE_INVALIDE")
def _(port, stack):
    channel, _ = connected_channel(port, stack)
    return lambda: SocketEcrit(channel, ["not", "a", "message"])


@scenario("SocketEcrit", "CHAINE_NON_ANSI")
def _(port, stack):
    channel, _ = connected_channel(port, stack)
    return lambda: SocketEcrit(channel, "日本")


@scenario("SocketEcrit", "PARAMETRE_INVALIDE")
def _(port, stack):
    channel, _ = connected_channel(port, stack)
    return lambda: SocketEcrit(channel, "m", "127.0.0.1", 5000)


@scenario("SocketEcrit", "ECHEC_ECRITURE_SOCKET")
def _(port, stack):
    channel, peer = connected_channel(port, stack)
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    peer.close()

    def write_until_it_fails():
        return all(SocketEcrit(channel, "x" * 10_000) for _ in range(100))

    return write_until_it_fails


# --- the rest -------------------------------------------------------------------
scenario("SocketFerme", "SOCKET_INEXISTANTE")(lambda port, stack: lambda: SocketFerme("x"))
scenario("SocketChangeModeTransmission", "SOCKET_INEXISTANTE")(
    lambda port, stack: lambda: SocketChangeModeTransmission("x", SocketMarqueurFin)
)


@scenario("SocketChangeModeTransmission", "SOCKET_TYPE_TRANSMISSION_INVALIDE")
def _(port, stack):
    client(port)
    return lambda: SocketChangeModeTransmission("cli", 7)


@scenario("SocketChangeModeTransmission", "PARAMETRE_INVALIDE")
def _(port, stack):
    client(port)
    return lambda: SocketChangeModeTransmission("cli", SocketMarqueurFin, "")


@scenario("SocketClientInfo", "PARAM_INVALIDE_SOCKET_CLIENT_INFO")
def _(port, stack):
    client(port)
    return lambda: SocketClientInfo("cli", 99)


@scenario("SocketTailleMaxMessage", "PARAMETRE_INVALIDE")
def _(port, stack):
    client(port)
    return lambda: SocketTailleMaxMessage("cli", -1)


@scenario("SocketExiste", "(none)")
def _(port, stack):
    return lambda: [SocketExiste(value) for value in ("nothing", "", None, 3, b"x")]


FAILURE_VALUE = {"False": False, '""': ""}


@pytest.mark.parametrize("function, code, kind", table_rows())
def test_error_table_row(port, function, code, kind):
    make = SCENARIOS.get((function, code))
    assert make is not None, f"no scenario for {function} / {code}"
    with contextlib.ExitStack() as stack:
        action = make(port, stack)
        if kind == "fatal":
            with pytest.raises(WLangageError) as info:
                action()
            assert info.value.code == code
            assert str(info.value) == info.value.message
        elif kind == "never":
            assert action() == [False] * 5
            assert not ErreurDétectée
        else:
            result = action()
            expected = re.search(r"\((.*)\)", kind).group(1)
            if expected in FAILURE_VALUE:
                assert result == FAILURE_VALUE[expected] and type(result) is type(FAILURE_VALUE[expected])
            else:
                assert result == "first"
            assert ErreurDétectée
            assert ErreurInfo(errCode) == code
            assert ErreurInfo(errMessage)
            assert function in ErreurInfo()
    wlsocket.close_all()


def test_every_scenario_is_in_the_table():
    documented = {(function, code) for function, code, _ in table_rows()}
    assert set(SCENARIOS) == documented

"""What real programs pass to the socket functions: a number or boolean where a
chaîne is expected (converted, as WLangage does), and the callback forms of
SocketAttendConnexion / SocketLit that WINDEV does not have (fatal, with the way out)."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import LOOPBACK
from wlsocket import (
    Faux,
    SocketAccepte,
    SocketAttendConnexion,
    SocketConnecte,
    SocketCree,
    SocketEcrit,
    SocketFerme,
    SocketLit,
    WLangageError,
)


def test_a_boolean_address_is_its_chaine(port):
    # SocketCrée(n, p, Faux): Faux becomes "0", which the system reads as every interface
    assert SocketCree("srv", port, Faux)
    try:
        with socket.create_connection((LOOPBACK, port), timeout=5):
            assert SocketAttendConnexion("srv", 5000)
            SocketFerme(SocketAccepte("srv"))
    finally:
        SocketFerme("srv")


def test_a_number_message_and_a_number_address(port):
    assert SocketCree("srv", port, LOOPBACK)
    try:
        assert SocketConnecte("cli", port, LOOPBACK)
        assert SocketAttendConnexion("srv", 5000)
        channel = SocketAccepte("srv")
        assert SocketEcrit("cli", 42) and SocketLit(channel, False, 5000) == "42"
        assert SocketEcrit("cli", True) and SocketLit(channel, False, 5000) == "1"
        SocketFerme(channel)
    finally:
        SocketFerme("cli")
        SocketFerme("srv")


def test_socketattendconnexion_with_a_procedure_says_what_to_write(port):
    assert SocketCree("srv", port, LOOPBACK)
    try:
        with pytest.raises(WLangageError) as info:
            SocketAttendConnexion("srv", lambda canal: None)
        assert info.value.code == "SYNTAXE_NON_WLANGAGE"
        assert "SocketAttendConnexion(<nom>, <procédure>)" in info.value.message
        assert "SocketAccepte" in info.value.message and "ThreadExécute" in info.value.message
    finally:
        SocketFerme("srv")


def test_socketlit_with_a_procedure_says_what_to_write(port):
    assert SocketCree("srv", port, LOOPBACK)
    try:
        with pytest.raises(WLangageError) as info:
            SocketLit("srv", True, lambda message, parametre: None, "param")
        assert info.value.code == "SYNTAXE_NON_WLANGAGE"
        assert "SocketLit(<nom>, Vrai, <procédure>, <paramètre>)" in info.value.message
        assert "SocketLit(<nom>, Vrai)" in info.value.message
    finally:
        SocketFerme("srv")

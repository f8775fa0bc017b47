"""ExceptionDéclenche, ExceptionInfo (QUAND EXCEPTION DANS -> try/except),
ErreurDéclenche (a non-fatal error)."""

from __future__ import annotations

import pytest

from wlsocket import (
    ErreurDeclenche,
    ErreurDetectee,
    ErreurInfo,
    ExceptionDeclenche,
    ExceptionInfo,
    SocketLit,
    WLangageError,
    errCode,
    errMessage,
)
from wlsocket.wlangage.exceptions import WLangageException


def test_exceptiondeclenche_is_caught_as_a_wlangage_error():
    # QUAND EXCEPTION DANS ExceptionDéclenche(12, "Stock %1 épuisé", "A") FAIRE Trace(ExceptionInfo(errMessage))
    with pytest.raises(WLangageError) as info:
        ExceptionDeclenche(12, "Stock %1 épuisé", "A")
    assert isinstance(info.value, WLangageException) and info.value.user_code == 12
    assert info.value.code == "EXCEPTION_DECLENCHEE"
    try:
        ExceptionDeclenche(12, "Stock %1 épuisé", "A")
    except WLangageError:
        assert ExceptionInfo(errMessage) == "Stock A épuisé"
        assert ExceptionInfo(errCode) == 12
        assert ExceptionInfo() == "12: Stock A épuisé"


def test_exceptioninfo_on_runtime_and_python_errors():
    try:
        SocketLit("inconnue")
    except WLangageError:
        assert ExceptionInfo(errCode) == "SOCKET_INEXISTANTE"
        assert "inconnue" in ExceptionInfo(errMessage)
    try:
        {}["x"]
    except KeyError:
        assert ExceptionInfo(errCode) == "KeyError"
    assert ExceptionInfo(errMessage) == "" and ExceptionInfo(errCode) == 0


def test_erreurdeclenche_is_non_fatal():
    assert ErreurDeclenche(7, "Fichier %1 absent", "a.txt") is False
    assert ErreurDetectee and ErreurInfo(errMessage) == "Fichier a.txt absent" and ErreurInfo(errCode) == "7"

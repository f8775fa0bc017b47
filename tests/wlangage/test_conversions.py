"""Val, NumériqueVersChaîne with WLangage format strings, TypeVar."""

from __future__ import annotations

import datetime

import pytest

from wlsocket import (
    JSON,
    NumeriqueVersChaine,
    Tableau,
    TypeVar,
    Val,
    WLangageError,
    wlBooleen,
    wlBuffer,
    wlChaine,
    wlDate,
    wlEntier,
    wlProcedure,
    wlReel,
    wlTableau,
    wlTableauAssociatif,
)
from wlsocket.values import Buffer


@pytest.mark.parametrize("text, number", [
    ("12abc", 12), ("  -3.5 kg", -3.5), ("abc", 0), ("", 0), ("1e3", 1000.0), ("+7", 7),
    ("0x1F", 31), (".5", 0.5), ("12.", 12.0), (True, 1), (4.5, 4.5),
])
def test_val(text, number):
    result = Val(text)
    assert result == number and type(result) is type(number)


def test_val_base_and_bad_input():
    assert Val("ff", 16) == 255 and Val("101zz", 2) == 5 and Val("zz", 10) == 0
    with pytest.raises(WLangageError):
        Val(None)
    with pytest.raises(WLangageError):
        Val("1", 99)


@pytest.mark.parametrize("number, fmt, text", [
    (123, None, "123"), (1.23, None, "1.23"),
    (12345.5, "+10.2f", " +12345.50"), (12345.5, "-+10.2f", "+12345.50 "),
    (12345.5, "+010.2f", "+012345.50"), (12345.5, "010.2f", "0012345.50"),
    (12345.5, "10.2fS", " 12 345.50"), (12345.5, "10,2fS", " 12 345,50"),
    (255, "x", "ff"), (255, "04X", "00FF"), (-5, "03d", "-05"), (7, "d", "7"), (8, "o", "10"),
    (2.0, None, "2"), ("déjà", "10.2f", "déjà"),
])
def test_numeriqueverschaine(number, fmt, text):
    assert NumeriqueVersChaine(number, fmt) == text


def test_numeriqueverschaine_bad_format_is_fatal():
    with pytest.raises(WLangageError) as info:
        NumeriqueVersChaine(1, "%5d")
    assert info.value.code == "PARAMETRE_INVALIDE"


def test_typevar():
    assert TypeVar(True) == wlBooleen and TypeVar(3) == wlEntier and TypeVar(1.5) == wlReel
    assert TypeVar("x") == wlChaine and TypeVar(Buffer(b"x")) == wlBuffer
    assert TypeVar(datetime.date(2024, 1, 2)) == wlDate and TypeVar(Tableau()) == wlTableau
    assert TypeVar({}) == wlTableauAssociatif and TypeVar(print) == wlProcedure
    assert TypeVar(JSON('{"a": 1}').a) == wlEntier


@pytest.mark.parametrize(
    "number, fmt",
    [
        (10**5000, None),  # Python's str() refuses past 4300 digits
        (10**38, "d"),
        (float("inf"), "d"),
        (float("nan"), "x"),
        (1, "99999999999d"),  # a size that would allocate gigabytes
        (1.5, ".99999999f"),
    ],
    ids=["5000 digits", "10**38", "inf as d", "nan as x", "huge size", "huge precision"],
)
def test_num_to_string_refuses_what_wlangage_cannot_hold(number, fmt):
    with pytest.raises(WLangageError) as refused:
        NumeriqueVersChaine(number, fmt)
    assert refused.value.code == "PARAMETRE_INVALIDE"


def test_num_to_string_keeps_the_largest_numerique():
    assert NumeriqueVersChaine(10**38 - 1) == "9" * 38
    assert NumeriqueVersChaine(7, "1024d") == " " * 1023 + "7"

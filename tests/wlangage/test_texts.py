"""Position, Remplace, ChaîneFormate, RépèteChaîne, AnsiVersUnicode / UnicodeVersAnsi,
VérifieExpressionRégulière, Compresse / Décompresse."""

from __future__ import annotations

import pytest

from wlsocket import (
    AnsiVersUnicode,
    Buffer,
    ChaineFormate,
    Compresse,
    Decompresse,
    DepuisFin,
    Position,
    Remplace,
    RepeteChaine,
    SansCasse,
    Uncrypt,
    UnicodeVersAnsi,
    VerifieExpressionReguliere,
    WLangageError,
    ccMajuscule,
    ccSansAccent,
    ccSansEspace,
    ccSansPonctuationEtEspace,
)


def test_position_is_one_based_and_zero_when_absent():
    assert Position("abcabc", "c") == 3 and Position("abcabc", "c", 4) == 6 and Position("abcabc", "x") == 0
    assert Position("abcABC", "C", 1, SansCasse) == 3 and Position("abcabc", "c", None, DepuisFin) == 6
    assert Position("abcabc", "c", 5, DepuisFin) == 3 and Position("abc", "") == 0
    assert Position(Buffer(b"\x00\x01\x02"), Buffer(b"\x02")) == 3


def test_remplace():
    assert Remplace("a.b.c", ".", "-") == "a-b-c" and Remplace("Oui oui", "OUI", "non", SansCasse) == "non non"
    assert Remplace(Buffer(b"a\x00b"), Buffer(b"\x00"), "-") == Buffer(b"a-b") and Remplace("abc", "", "x") == "abc"


def test_chaineformate_repetechaine_ansi_unicode():
    assert ChaineFormate(" Éco-Nomie ", ccMajuscule + ccSansAccent + ccSansPonctuationEtEspace) == "ECONOMIE"
    assert ChaineFormate("  a b  ", ccSansEspace) == "a b"
    assert RepeteChaine("ab", 3) == "ababab" and RepeteChaine("x", 0) == ""
    assert RepeteChaine(Buffer(b"\0"), 2) == b"\0\0"
    with pytest.raises(WLangageError):
        RepeteChaine("x" * 1024, 1024 * 1024)
    assert AnsiVersUnicode(Buffer(b"\xe9t\xe9")) == "été" and AnsiVersUnicode("déjà") == "déjà"
    assert UnicodeVersAnsi("a€\u4e00") == "a€?"


def test_verifieexpressionreguliere():
    assert VerifieExpressionReguliere("12:30", "[0-9]+:[0-9]+") is True
    assert VerifieExpressionReguliere("12:30 x", "[0-9]+:[0-9]+") is False  # the whole chaîne must match
    assert VerifieExpressionReguliere("12:30", "([0-9]+):([0-9]+)", "sH", "sM") == (True, ["12", "30"])
    with pytest.raises(WLangageError):
        VerifieExpressionReguliere("x", "(")


def test_compresse_roundtrip_and_uncrypt_alias():
    data = "bonjour " * 100
    packed = Compresse(data)
    assert isinstance(packed, Buffer) and len(packed) < len(data)
    assert Decompresse(packed) == data and Decompresse("pas compressé") == b""
    assert callable(Uncrypt)

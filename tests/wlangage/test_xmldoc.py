"""XMLOuvre / XMLSauve: read a settings file, change an element, save it back."""

from __future__ import annotations

import pytest

from wlsocket import (
    ErreurDetectee,
    ErreurInfo,
    WLangageError,
    XMLOuvre,
    XMLSauve,
    depuisChaine,
    depuisFichier,
    errCode,
)

ACCOUNT = """<?xml version="1.0" encoding="utf-16"?>
<MessageAccount><Account_Name>Maison</Account_Name><POP3_Server>pop.exemple.fr</POP3_Server>
<POP3_User_Name>ada</POP3_User_Name><Options><Port>110</Port></Options></MessageAccount>"""


def test_open_read_change_and_save_keeps_the_encoding(tmp_path):
    path = tmp_path / "compte.oeaccount"
    path.write_bytes(ACCOUNT.encode("utf-16"))
    doc = XMLOuvre(str(path), depuisFichier)
    assert not ErreurDetectee
    sPOP = doc.MessageAccount.POP3_Server
    sUser = doc.MessageAccount.POP3_User_Name
    assert sPOP == "pop.exemple.fr" and sUser + "@" + sPOP == "ada@pop.exemple.fr"
    assert doc.MessageAccount.Options.Port == "110" and doc.MessageAccount.Existe_
    assert not doc.MessageAccount.Absent.Existe_ and not doc.Autre.Existe_
    doc.MessageAccount.POP3_User_Name = sUser + "@" + sPOP
    doc.MessageAccount.POP3_Server = "127.0.0.1"
    doc.MessageAccount.Nouveau.Valeur = 5  # created with its parent
    assert XMLSauve(doc)
    raw = path.read_bytes()
    assert raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff")  # UTF-16 again
    again = XMLOuvre(str(path), depuisFichier)
    assert again.MessageAccount.POP3_Server == "127.0.0.1"
    assert again.MessageAccount.POP3_User_Name == "ada@pop.exemple.fr"
    assert again.MessageAccount.Nouveau.Valeur == "5"


def test_not_xml_is_a_non_fatal_error(tmp_path):
    path = tmp_path / "pas.xml"
    path.write_text("ceci n'est pas du xml")
    assert XMLOuvre(str(path), depuisFichier) is None
    assert ErreurDetectee and ErreurInfo(errCode) == "XML_INVALIDE"
    assert XMLOuvre(str(tmp_path / "absent.xml"), depuisFichier) is None and ErreurDetectee
    doc = XMLOuvre("<a><b>1</b></a>", depuisChaine)
    assert doc.a.b == "1" and str(doc) == "<a><b>1</b></a>"
    with pytest.raises(WLangageError) as info:
        XMLSauve(doc)  # it came from a chaîne: no file to write
    assert info.value.code == "PARAMETRE_INVALIDE"
    copy = str(tmp_path / "copie.xml")
    assert XMLSauve(doc, copy) and XMLOuvre(copy, depuisFichier).a.b == "1"


def test_an_empty_document_refuses_members_with_a_fatal_error():
    from wlsocket import xmlDocument

    doc = xmlDocument()
    assert not doc.Racine.Existe_ and str(doc) == ""
    with pytest.raises(WLangageError) as info:
        doc.Racine.Element = 1
    assert info.value.code == "PARAMETRE_INVALIDE"

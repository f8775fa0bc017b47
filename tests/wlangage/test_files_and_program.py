"""Files, INI, zip, the emulated registry, the program functions and the older Evénement* events."""

from __future__ import annotations

import logging
import os
import threading
import zipfile

import pytest

from tests.conftest import run_thread, wait_until_inside
from wlsocket import (
    EOT,
    ComplèteRep,
    EnModePocket,
    EnModeTest,
    ErreurInfo,
    EvenementAttend,
    EvenementCree,
    EvenementDetruit,
    EvenementModifie,
    ExeInfo,
    FinProgramme,
    INIEcrit,
    INILit,
    Ping,
    ProjetInfo,
    RegistreCleSuivante,
    RegistreCreeCle,
    RegistreEcrit,
    RegistreExiste,
    RegistreLit,
    RegistrePremiereSousCle,
    RegistreSupprimeCle,
    SocketCree,
    SocketExiste,
    SysRep,
    TestEcritResultat,
    dbgAssert,
    errCode,
    eventClose,
    eventManual,
    eventOpen,
    exeNom,
    fChargeTexte,
    fDisqueInfo,
    fEcrit,
    fEcritLigne,
    fExtension,
    fExtraitChemin,
    fFerme,
    fFichier,
    fFichierExiste,
    fListeFichier,
    fLit,
    fLitLigne,
    foCreation,
    foLecture,
    foLectureEcriture,
    fOuvre,
    fpDebut,
    fPositionne,
    fRepCree,
    fRepertoire,
    fSauveTexte,
    fSep,
    fSupprime,
    piNomProjet,
    srTemp,
    twrErreur,
    zipAjouteFichier,
    zipCree,
    zipFerme,
)


def test_files_lines_positions(tmp_path):
    path = str(tmp_path / "journal.txt")
    number = fOuvre(path, foLectureEcriture + foCreation)
    assert number > 0
    assert fEcritLigne(number, "première") == 10 and fEcrit(number, "fin") == 3
    assert fPositionne(number, 0, fpDebut) == 0
    assert fLitLigne(number) == "première" and fLitLigne(number) == "fin" and fLitLigne(number) is EOT
    fPositionne(number, 0)
    assert fLit(number, 3) == "pre" and fLit(number, 0) == ""
    assert fFerme(number) == 0
    with open(path, "rb") as raw:
        assert raw.read() == b"premi\xe8re\r\nfin"  # an ANSI program's bytes
    assert fOuvre(str(tmp_path / "absent.txt"), foLecture) == -1 and ErreurInfo(errCode) == "FICHIER_INACCESSIBLE"


def test_paths_folders_and_texts(tmp_path):
    assert fSep() == os.sep and ComplèteRep("/a/b") == "/a/b/"
    assert fExtraitChemin("/a/b/c.txt", fRepertoire) == "/a/b/"
    assert fExtraitChemin("/a/b/c.txt", fFichier + fExtension) == "c.txt"
    folder = str(tmp_path / "x" / "y")
    assert fRepCree(folder) and os.path.isdir(folder)
    assert fSauveTexte(folder + "/t.txt", "été") and fChargeTexte(folder + "/t.txt") == "été"
    assert fListeFichier(folder + "/*.txt") == folder + "/t.txt" and fFichierExiste(folder + "/t.txt")
    assert fSupprime(folder + "/t.txt") and not fFichierExiste(folder + "/t.txt")
    assert fChargeTexte(folder + "/t.txt") == ""
    assert fDisqueInfo(str(tmp_path)) > 0 and os.path.isdir(SysRep(srTemp))


def test_ini_and_zip(tmp_path):
    ini = str(tmp_path / "conf.ini")
    assert INILit("Réseau", "Port", "5000", ini) == "5000"
    assert INIEcrit("Réseau", "Port", 6000, ini) and INIEcrit("Réseau", "Hôte", "poste1", ini)
    assert INILit("Réseau", "Port", "5000", ini) == "6000" and INILit("Réseau", "Hôte", "", ini) == "poste1"
    source = tmp_path / "a.txt"
    source.write_text("contenu")
    archive = str(tmp_path / "sauve.zip")
    assert zipCree("Z", archive) == 0 and zipAjouteFichier("Z", str(source)) == 0 and zipFerme("Z") == 0
    with zipfile.ZipFile(archive) as check:
        assert check.read("a.txt") == b"contenu"


def test_registry_is_a_per_user_store(tmp_path, monkeypatch):
    monkeypatch.setenv("WLSOCKET_REGISTRY", str(tmp_path / "registre.json"))
    key = "HKEY_CURRENT_USER\\Software\\MonAppli"
    assert RegistreLit(key, "Port") == "" and ErreurInfo(errCode) == "REGISTRE_INEXISTANT"
    assert RegistreEcrit(key, "Port", 5001) and RegistreLit(key.upper(), "port") == "5001"
    assert RegistreCreeCle(key + "\\A") and RegistreCreeCle(key + "\\B")
    assert RegistreExiste(key) and RegistreExiste(key, "Port") and not RegistreExiste(key, "Autre")
    first = RegistrePremiereSousCle(key)
    assert first == key + "\\A" and RegistreCleSuivante(first) == key + "\\B" and RegistreCleSuivante(key + "\\B") == ""
    assert RegistreSupprimeCle(key) and not RegistreExiste(key)


def test_program_functions(caplog):
    assert EnModeTest() is False and EnModePocket() is False
    assert ProjetInfo(piNomProjet) and ExeInfo(exeNom)
    with caplog.at_level(logging.INFO, logger="wlsocket"):
        dbgAssert(False, "jamais")
        dbgAssert(True, "toujours")
        TestEcritResultat(twrErreur, "échec")
    assert "jamais" in caplog.text and "toujours" not in caplog.text and "échec" in caplog.text
    assert Ping("127.0.0.1") is True and Ping("no-such-host.invalid", 10) is False


def test_finprogramme_closes_sockets_and_exits(port):
    assert SocketCree("avant_fin", port, "127.0.0.1")
    with pytest.raises(SystemExit):
        FinProgramme()
    assert not SocketExiste("avant_fin")


def test_older_evenement_functions_are_signals():
    assert EvenementCree("evt", eventManual, eventClose)
    assert EvenementAttend("evt", 1) is False
    got: list = []
    waiter = run_thread(lambda: got.append(EvenementAttend("evt", 1000)))
    wait_until_inside(waiter, "signal_wait")
    EvenementModifie("evt", eventOpen)
    waiter.join(10)
    assert got == [True] and isinstance(waiter, threading.Thread)
    EvenementDetruit("evt")

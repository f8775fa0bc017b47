"""The running program: EnModeTest, EnModePocket, ProjetInfo, ExeInfo,
FinProgramme, dbgAssert, RéseauNomRep, and the older synchronisation
events (EvénementCrée, EvénementModifie, EvénementAttend, EvénementDétruit).

A ported program never runs in the WINDEV editor's test mode nor on a
Pocket PC, so EnModeTest / EnModeTestAutomatique / EnModePocket are Faux.
The Evénement* functions are the named events of older WINDEV versions;
they are the signals of :mod:`.sync` under their older names and argument
order (mode before initial state).  Their English constants (eventManual,
eventOpen, eventClose) appear in real code; the French spellings
(événementManuel...) follow WLangage's naming and are not verified.
"""

from __future__ import annotations

import logging
import os
import sys

from ..registry import REGISTRY
from ._types import need_int, wl_str
from .sync import (
    SIGNAL_AUTOMATIC,
    SIGNAL_CLOSED,
    SIGNAL_MANUAL,
    SIGNAL_OPEN,
    signal_create,
    signal_destroy,
    signal_modify,
    signal_wait,
)

__all__ = [
    "in_test_mode", "in_automatic_test_mode", "in_pocket_mode", "project_info", "exe_info", "end_program",
    "dbg_assert", "network_dir_name", "test_write_result", "TWR_INFO", "TWR_ERROR",
    "event_create", "event_change", "event_wait", "event_destroy",
    "PI_PROJECT_NAME", "PI_CONFIGURATION", "EXE_NAME", "EXE_VERSION",
    "EVENT_MANUAL", "EVENT_AUTOMATIC", "EVENT_OPEN", "EVENT_CLOSE",
]

log = logging.getLogger("wlsocket")

PI_PROJECT_NAME = 1  # piNomProjet
PI_CONFIGURATION = 2  # piConfiguration
EXE_NAME = 1  # exeNom
EXE_VERSION = 2  # exeVersion
TWR_INFO = 1  # twrInfo
TWR_ERROR = 2  # twrErreur / twrError
EVENT_MANUAL = SIGNAL_MANUAL  # événementManuel / eventManual
EVENT_AUTOMATIC = SIGNAL_AUTOMATIC  # événementAutomatique / eventAutomatic
EVENT_OPEN = SIGNAL_OPEN  # événementOuvert / eventOpen
EVENT_CLOSE = SIGNAL_CLOSED  # événementFermé / eventClose


def in_test_mode() -> bool:
    """EnModeTest / InTestMode() -> Faux: a ported program is never run by the editor's GO."""
    return False


def in_automatic_test_mode() -> bool:
    """EnModeTestAutomatique / InAutomaticTestMode() -> Faux."""
    return False


def in_pocket_mode() -> bool:
    """EnModePocket / InPocketMode() -> Faux."""
    return False


def _main_name() -> str:
    main = sys.argv[0] if sys.argv and sys.argv[0] not in ("", "-c") else "python"
    return os.path.splitext(os.path.basename(main))[0]


def project_info(kind: object) -> str:
    """ProjetInfo / ProjectInfo(<Information>): ``piNomProjet`` is the name
    of the main script (without ``.py``); ``piConfiguration`` is "".

    Differs: the other kinds give ""."""
    return _main_name() if need_int(kind, "ProjetInfo #1") == PI_PROJECT_NAME else ""


def exe_info(kind: object, *rest: object) -> str:
    """ExeInfo / ExeInfo(<Information>): ``exeNom`` is the main script's
    file name; ``exeVersion`` is "" (a script has no version resource)."""
    if need_int(kind, "ExeInfo #1") == EXE_NAME:
        return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else _main_name()
    return ""


def end_program(*_ignored: object) -> None:
    """FinProgramme / EndProgram(): closes every socket and ends the program
    (raises ``SystemExit(0)``, so ``finally`` blocks still run)."""
    REGISTRY.close_all()
    raise SystemExit(0)


def dbg_assert(condition: object, message: object = "") -> None:
    """dbgAssert / dbgAssert(<Condition> [, <Message>]): WINDEV shows the
    message in test mode only; a ported program logs it (logger
    ``"wlsocket"``, level WARNING) and goes on."""
    if not condition:
        log.warning("dbgAssert: %s", wl_str(message))


def test_write_result(kind: object, message: object = "") -> None:
    """TestEcritRésultat / TestWriteResult(<Type>, <Message>): a WINDEV
    automated test's report line, logged (logger ``"wlsocket"``: INFO for
    ``twrInfo``, ERROR for ``twrErreur``)."""
    level = logging.ERROR if need_int(kind, "TestEcritRésultat #1") == TWR_ERROR else logging.INFO
    log.log(level, "TestEcritRésultat: %s", wl_str(message))


def network_dir_name(path: object) -> str:
    """RéseauNomRep / NetworkDirName(<Chemin>): the network share of a
    folder; "" here (no Windows share)."""
    return ""


def event_create(name: object, mode: object = EVENT_MANUAL, initial: object = EVENT_CLOSE) -> bool:
    """EvénementCrée / EventCreate(<Nom>, <Mode>, <Etat initial>) -> booléen: SignalCrée(nom, état, mode)."""
    return signal_create(name, initial, mode)


def event_change(name: object, state: object) -> bool:
    """EvénementModifie / EventChange(<Nom>, eventOpen|eventClose): SignalModifie."""
    return signal_modify(name, state)


def event_wait(name: object, delay: object = None) -> bool:
    """EvénementAttend / EventWait(<Nom> [, <Délai>]) -> booléen: SignalAttend (hundredths)."""
    return signal_wait(name, delay)


def event_destroy(name: object) -> None:
    """EvénementDétruit / EventDestroy(<Nom>): SignalDétruit."""
    signal_destroy(name)

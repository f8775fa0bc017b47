"""The WLangage runtime that socket programs use, apart from the sockets.

=====================  ========================================================
Module                 WLangage
=====================  ========================================================
:mod:`.strings`        ChaîneConstruit, ExtraitChaîne (EOT), Majuscule, Taille...
:mod:`.substrings`     the sub-string operator ``[[ ]]`` (:func:`sous_chaine`, :class:`SC`)
:mod:`.utf8`           UTF8VersAnsi, AnsiVersUTF8, ChaîneVersUTF8, UTF8VersChaîne
:mod:`.buffers`        BufferVersHexa, HexaVersEntier, OUExclusifBinaire, Encode...
:mod:`.hashes`         HashChaîne (HA_*), Crypte/Décrypte without encryption
:mod:`.threads`        ThreadExécute (every syntax), ThreadAttend, Multitâche,
                       ThreadPause, Temporisation, ThreadDemandeArrêt,
                       ThreadArrêtDemandé, ThreadCourant, ThreadEtat, ThreadMode,
                       ThreadArrête (cooperative), Thread*Signal, the ``PUMPS`` hook
:mod:`.sync`           Signal*, Sémaphore*, Mutex*, SectionCritique* and the
                       ``SectionCritique`` type (``with``)
:mod:`.mainthread`     ExécuteThreadPrincipal, ``@thread_principal``, TimerSys,
                       FinTimerSys, :func:`pump`
:mod:`.arrays`         ``Tableau`` (1-based), TableauAjoute, TableauCherche...,
                       Enfile/Défile, Empile/Dépile
:mod:`.jsonvalue`      ``JSON``, ``Variant``, JSONVersVariant, VariantVersJSON
:mod:`.dates`          DateSys, HeureSys, DateHeureSys, DateVersChaîne...
:mod:`.conversions`    Val, NumériqueVersChaîne, TypeVar, wl* constants
:mod:`.exceptions`     ExceptionDéclenche, ExceptionInfo, ErreurDéclenche
:mod:`.system`         DonneUUID, DonneGUID, NetAdresseIP, SysEnvironnement, Hasard, Ping
:mod:`.texts`          Position, Remplace, ChaîneFormate, RépèteChaîne, Compresse...
:mod:`.files`          fOuvre, fLitLigne, fEcrit..., fRepExe, SysRep, INILit, zip*
:mod:`.winregistry`    Registre* (a per-user store: there is no registry here)
:mod:`.program`        EnModeTest, ProjetInfo, ExeInfo, FinProgramme, dbgAssert,
                       Evénement* (the older signals)
:mod:`.console`        Trace, Info, Erreur (and their settable sinks)
:mod:`.properties`     the rule for properties: ``x..Propriété`` is ``x.Propriété_``
:mod:`.delays`         how the runtime reads delays (hundredths, "200 ms")
=====================  ========================================================

Their WLangage names (French, unaccented French, English) are declared in
:mod:`wlsocket.names`, so ``from wlsocket import *`` gives ``ExtraitChaîne``,
``ExtraitChaine`` and ``ExtractString``.  ErreurInfo and its constants live
in :mod:`wlsocket.errors`.  The ``[[ ]]`` helpers and :func:`pump` have no
WLangage name: import them from here.
"""

from __future__ import annotations

from . import (
    arrays,
    buffers,
    console,
    conversions,
    dates,
    delays,
    exceptions,
    files,
    hashes,
    jsonvalue,
    mainthread,
    program,
    properties,
    strings,
    substrings,
    sync,
    system,
    texts,
    threads,
    utf8,
    winregistry,
)
from .mainthread import pump, thread_principal
from .strings import EOT
from .substrings import SC, affecte_sous_chaine, set_substring, sous_chaine, substring
from .threads import PUMPS, register_pump, unregister_pump

__all__ = [
    "arrays", "buffers", "console", "conversions", "dates", "delays", "exceptions", "hashes", "jsonvalue",
    "mainthread", "properties", "strings", "sync", "system", "threads", "files", "program", "texts", "winregistry",
    "substrings", "utf8",
    "EOT", "SC", "sous_chaine", "affecte_sous_chaine", "substring", "set_substring",
    "PUMPS", "register_pump", "unregister_pump", "pump", "thread_principal",
]

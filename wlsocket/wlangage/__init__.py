"""The WLangage helper functions that socket programs use, apart from the sockets.

===================  ==========================================================
Module               WLangage
===================  ==========================================================
:mod:`.strings`      ChaîneConstruit, ChaîneOccurrence, ExtraitChaîne (EOT),
                     ChaîneVersTableau, Majuscule, SansEspace, Droite, Gauche,
                     Milieu, Taille, Asc, Caract, UTF8VersAnsi, AnsiVersUTF8,
                     ChaîneVersUTF8, UTF8VersChaîne, RC, TAB, CRLF, Vrai, Faux
                     and the sub-string operator ``[[ ]]``
                     (:func:`~.strings.sous_chaine`, :class:`~.strings.SC`)
:mod:`.buffers`      BufferVersHexa, HexaVersBuffer, HexaVersEntier,
                     EntierVersHexa, OUExclusifBinaire, OUBinaire, ETBinaire,
                     Encode, Décode
:mod:`.hashes`       HashChaîne (HA_*), Crypte/Décrypte without encryption
:mod:`.threads`      ThreadExécute, ThreadAttend, Multitâche and the ``PUMPS``
                     hook that Multitâche runs
:mod:`.console`      Trace, Info, Erreur (and their settable sinks)
===================  ==========================================================

Their WLangage names (French, unaccented French, English) are declared in
:mod:`wlsocket.names`, so ``from wlsocket import *`` gives ``ExtraitChaîne``,
``ExtraitChaine`` and ``ExtractString``.  ErreurInfo and its constants live
in :mod:`wlsocket.errors`.  The ``[[ ]]`` helpers have no WLangage name:
import them from here (``from wlsocket.wlangage import sous_chaine, SC``).
"""

from __future__ import annotations

from . import buffers, console, hashes, strings, threads
from .strings import EOT, SC, affecte_sous_chaine, set_substring, sous_chaine, substring
from .threads import PUMPS, register_pump, unregister_pump

__all__ = [
    "buffers", "console", "hashes", "strings", "threads",
    "EOT", "SC", "sous_chaine", "affecte_sous_chaine", "substring", "set_substring",
    "PUMPS", "register_pump", "unregister_pump",
]

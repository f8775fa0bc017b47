"""The WLangage error model.

WLangage has two kinds of errors:

* **non-fatal** (the runtime met a problem: a refused connection, a failed
  read): the function returns its failure value (``False`` or ``""``) and the
  error is kept for :func:`error_info` (``ErreurInfo``) and
  ``ErreurDétectée``.  The state is per thread, like WLangage's.
* **fatal** (the program is wrong: unknown socket name, bad port, invalid
  mode): :class:`WLangageError` is raised, with the same message.

Which codes are fatal is the set :data:`FATAL_CODES`; a program may move a
code out of it (``wlsocket.errors.FATAL_CODES.discard("SOCKET_INEXISTANTE")``)
to get ``False`` + ErreurInfo instead of an exception.

Messages exist in French and English; :func:`set_language` chooses
(default French, or the ``WLSOCKET_LANG`` environment variable).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

__all__ = [
    "WLangageError",
    "SocketFailure",
    "MessageWithError",
    "FATAL_CODES",
    "MESSAGES",
    "raise_error",
    "error_info",
    "ErrorDetected",
    "error_detected",
    "set_language",
    "wlangage_function",
    "record_error",
    "report_failure",
    "in_error",
    "get_ident",
    "clear_error",
]

log = logging.getLogger("wlsocket")

# code: (French, English).  {0} is the detail given where the error arises.
MESSAGES: dict[str, tuple[str, str]] = {
    "NOM_SOCKET_VIDE": ("Le nom de la socket est vide.", "The socket name is empty."),
    "NOM_SOCKET_INVALIDE": (
        "Le nom de la socket doit être une chaîne ({0}).",
        "The socket name must be a string ({0}).",
    ),
    "SOCKET_EXISTANTE": (
        "La socket '{0}' existe déjà.",
        "The socket '{0}' already exists.",
    ),
    "SOCKET_INEXISTANTE": (
        "La socket '{0}' n'existe pas.",
        "The socket '{0}' does not exist.",
    ),
    "NUM_PORT_INVALIDE": (
        "Numéro de port invalide ({0}) : il doit être compris entre 1 et 65535.",
        "Invalid port number ({0}): it must be between 1 and 65535.",
    ),
    "SOCKET_TYPE_TRANSMISSION_INVALIDE": (
        "Mode de transmission invalide ({0}).",
        "Invalid transmission mode ({0}).",
    ),
    "PARAM_INVALIDE_SOCKET_CLIENT_INFO": (
        "Type d'information invalide pour SocketClientInfo ({0}).",
        "Invalid information type for SocketClientInfo ({0}).",
    ),
    "PARAMETRE_INVALIDE": ("Paramètre invalide : {0}.", "Invalid parameter: {0}."),
    "DUREE_INVALIDE": ("Durée invalide : {0}.", "Invalid duration: {0}."),
    "TYPE_MESSAGE_INVALIDE": (
        "Le message doit être une chaîne ou un buffer (reçu : {0}).",
        "The message must be a string or a buffer (got: {0}).",
    ),
    "CHAINE_NON_ANSI": (
        "Le caractère {0} n'existe pas en ANSI : utilisez un Buffer ou l'encodage utf-8.",
        "Character {0} has no ANSI code: use a Buffer or the utf-8 encoding.",
    ),
    "ENCODAGE_INCONNU": ("Encodage inconnu : {0}.", "Unknown encoding: {0}."),
    "FONCTION_INTERDITE": (
        "Fonction interdite sur la socket '{0}'.",
        "Function not allowed on the socket '{0}'.",
    ),
    "SOCKET_UDP_FONCTION_INTERDITE": (
        "Cette fonction est interdite sur une socket UDP ('{0}').",
        "This function is not allowed on a UDP socket ('{0}').",
    ),
    "SOCKET_TAILLE_PAQUET_UDP": (
        "Datagramme trop grand ({0} octets, 65000 au plus).",
        "Datagram too large ({0} bytes, 65000 at most).",
    ),
    # non-fatal
    "ECHEC_CREATION_SOCKET": (
        "Impossible de créer la socket : {0}.",
        "Cannot create the socket: {0}.",
    ),
    "SOCKET_ADRESSE_INCONNUE": ("Adresse inconnue : {0}.", "Unknown address: {0}."),
    "ECHEC_CONNEXION_SOCKET": (
        "Échec de la connexion : {0}.",
        "Connection failed: {0}.",
    ),
    "ECHEC_LECTURE_SOCKET": ("Échec de la lecture : {0}.", "Read failed: {0}."),
    "ECHEC_ECRITURE_SOCKET": ("Échec de l'écriture : {0}.", "Write failed: {0}."),
    "AUCUNE_DEMANDE_CONNEXION": (
        "Aucune demande de connexion en attente sur '{0}'.",
        "No pending connection request on '{0}'.",
    ),
    "SOCKET_FERMEE": (
        "La connexion est fermée ({0}).",
        "The connection is closed ({0}).",
    ),
    "SOCKET_LIT_MARQUEUR_FIN": (
        "Données reçues après le marqueur de fin ({0}) : elles sont ignorées. "
        "Utilisez SocketMarqueurFinBuffer pour les garder.",
        "Data received after the end tag ({0}) was dropped. "
        "Use SocketMarqueurFinBuffer to keep it.",
    ),
    "MESSAGE_TROP_GRAND": (
        "Message trop grand ({0}) : la connexion est fermée.",
        "Message too large ({0}): the connection is closed.",
    ),
    "TRAME_INVALIDE": (
        "Trame invalide reçue ({0}) : la connexion est fermée.",
        "Invalid frame received ({0}): the connection is closed.",
    ),
    "ECHEC_FERMETURE_SOCKET": (
        "Échec de la fermeture : {0}.",
        "Close failed: {0}.",
    ),
    "ECHEC_SSL": ("Erreur SSL/TLS : {0}.", "SSL/TLS error: {0}."),
    "CERTIFICAT_INVALIDE": (
        "Certificat invalide : {0}.",
        "Invalid certificate: {0}.",
    ),
    "CERTIFICAT_INTROUVABLE": ("Certificat introuvable : {0}.", "Certificate not found: {0}."),
    "PROTOCOLE_SSL_OBSOLETE": (
        "{0} : protocole obsolète et dangereux, plus proposé ; utilisez ProtocoleTLS1_2 ou ProtocoleTLS1_3.",
        "{0}: obsolete, unsafe protocol, no longer offered; use ProtocolTLS1_2 or ProtocolTLS1_3.",
    ),
    "ECHEC_WEBSOCKET": ("Erreur WebSocket : {0}.", "WebSocket error: {0}."),
    # WebSocket client (issue 4)
    "PROCEDURE_INVALIDE": (
        "Procédure invalide : {0} ; il faut une procédure à deux paramètres (nEvénement, sMessage).",
        "Invalid procedure: {0}; a procedure of two parameters (nEvent, sMessage) is required.",
    ),
    "URL_INVALIDE": ("URL WebSocket invalide : {0}.", "Invalid WebSocket URL: {0}."),
    "ECHEC_PROCEDURE": (
        "La procédure de la socket a échoué : {0}.",
        "The socket's procedure failed: {0}.",
    ),
    # WLangage helper functions (wlsocket.wlangage)
    "TYPE_PARAMETRE_INVALIDE": (
        "Type de paramètre invalide ({0}).",
        "Invalid parameter type ({0}).",
    ),
    "THREAD_NOM_VIDE": ("Le nom du thread est vide.", "The thread name is empty."),
    "THREAD_EXISTANT": (
        "Un thread nommé '{0}' est déjà en cours d'exécution.",
        "A thread named '{0}' is already running.",
    ),
    "ALGORITHME_NON_SUPPORTE": (
        "Algorithme ou format non supporté par wlsocket ({0}).",
        "Algorithm or format not supported by wlsocket ({0}).",
    ),
    "HEXA_INVALIDE": ("Chaîne hexadécimale invalide : {0}.", "Invalid hexadecimal string: {0}."),
    "DECODAGE_INVALIDE": ("Données impossibles à décoder ({0}).", "Data cannot be decoded ({0})."),
    "JSON_INVALIDE": ("JSON invalide : {0}.", "Invalid JSON: {0}."),
    "JSON_NON_OBJET": (
        "Impossible de créer un membre ou un élément : {0}.",
        "Cannot create a member or an element: {0}.",
    ),
    "INDICE_INVALIDE": ("Indice hors du tableau : {0}.", "Index out of the array: {0}."),
    "THREAD_NON_ARRETE": (
        "Le thread {0} ne s'est pas arrêté (l'arrêt est coopératif : il doit tester ThreadArrêtDemandé).",
        "Thread {0} did not stop (stopping is cooperative: it must test ThreadStopRequested).",
    ),
    "THREAD_PRINCIPAL_OCCUPE": (
        "Le thread principal n'a pas exécuté la procédure dans le délai ({0}).",
        "The main thread did not run the procedure in time ({0}).",
    ),
    "SYNCHRO_EXISTANTE": ("{0} existe déjà.", "{0} already exists."),
    "FICHIER_INACCESSIBLE": ("Fichier inaccessible : {0}.", "File not accessible: {0}."),
    "XML_INVALIDE": ("XML invalide : {0}.", "Invalid XML: {0}."),
    "REGISTRE_INEXISTANT": ("Clé ou valeur absente du registre : {0}.", "Key or value not in the registry: {0}."),
    "SYNCHRO_INEXISTANTE": ("{0} n'existe pas.", "{0} does not exist."),
    "SYNCHRO_NON_POSSEDEE": (
        "Ce thread ne détient pas {0}.",
        "This thread does not hold {0}.",
    ),
    "SYNTAXE_NON_WLANGAGE": (
        "Cette syntaxe n'existe pas en WLangage : {0}.",
        "This syntax does not exist in WLangage: {0}.",
    ),
    "EXCEPTION_DECLENCHEE": ("Exception déclenchée : {0}", "Exception thrown: {0}"),
}

#: Codes that raise :class:`WLangageError`.  Mutable on purpose.
FATAL_CODES: set[str] = {
    "NOM_SOCKET_VIDE",
    "NOM_SOCKET_INVALIDE",
    "SOCKET_EXISTANTE",
    "SOCKET_INEXISTANTE",
    "NUM_PORT_INVALIDE",
    "SOCKET_TYPE_TRANSMISSION_INVALIDE",
    "PARAM_INVALIDE_SOCKET_CLIENT_INFO",
    "PARAMETRE_INVALIDE",
    "DUREE_INVALIDE",
    "TYPE_MESSAGE_INVALIDE",
    "CHAINE_NON_ANSI",
    "ENCODAGE_INCONNU",
    "FONCTION_INTERDITE",
    "SOCKET_UDP_FONCTION_INTERDITE",
    "SOCKET_TAILLE_PAQUET_UDP",
    "TYPE_PARAMETRE_INVALIDE",
    "THREAD_NOM_VIDE",
    "THREAD_EXISTANT",
    "ALGORITHME_NON_SUPPORTE",
    "JSON_INVALIDE",
    "JSON_NON_OBJET",
    "INDICE_INVALIDE",
    "THREAD_PRINCIPAL_OCCUPE",
    "SYNCHRO_INEXISTANTE",
    "SYNCHRO_NON_POSSEDEE",
    "SYNTAXE_NON_WLANGAGE",
    "EXCEPTION_DECLENCHEE",
    "PROCEDURE_INVALIDE",
}

_language = ["en" if os.environ.get("WLSOCKET_LANG", "fr").lower().startswith("en") else "fr"]


def set_language(language: str) -> None:
    """Choose the language of error messages: ``"fr"`` (default) or ``"en"``."""
    lang = str(language).lower()[:2]
    if lang not in ("fr", "en"):
        raise WLangageError("PARAMETRE_INVALIDE", f"language={language!r}")
    _language[0] = lang


def message_for(code: str, detail: object = "") -> str:
    fr, en = MESSAGES.get(code, ("{0}", "{0}"))
    return (fr if _language[0] == "fr" else en).format(detail)


class WLangageError(Exception):
    """A fatal WLangage error: the program used a function wrongly.

    ``code`` is the runtime's error key (``SOCKET_INEXISTANTE``...),
    ``message`` the text in the chosen language.
    """

    def __init__(self, code: str, detail: object = "") -> None:
        self.code = code
        self.detail = detail
        self.message = message_for(code, detail)
        super().__init__(self.message)


class SocketFailure(Exception):
    """Raised inside the package for a non-fatal error; the facade turns it
    into the failure value plus ErreurInfo.  Never reaches the user."""

    def __init__(self, code: str, detail: object = "") -> None:
        self.code = code
        self.detail = detail
        super().__init__(code, detail)


class MessageWithError(SocketFailure):
    """Raised by a transport's read that got a message *and* met a non-fatal
    error on the way (SOCKET_LIT_MARQUEUR_FIN: bytes dropped after the end
    marker).  The facade returns :attr:`message` and reports the error."""

    def __init__(self, message: bytes | bytearray | str, code: str, detail: object = "") -> None:
        super().__init__(code, detail)
        self.message = message


def raise_error(code: str, detail: object = "") -> NoReturn:
    """Raise the error ``code``: :class:`WLangageError` if the code is in
    :data:`FATAL_CODES`, else the internal non-fatal :class:`SocketFailure`."""
    if code in FATAL_CODES:
        raise WLangageError(code, detail)
    raise SocketFailure(code, detail)


# --- per-thread error state -------------------------------------------------

class _ErrorState(threading.local):
    code: str = ""
    detail: object = ""
    function: str = ""
    system_code: int = 0


_state = _ErrorState()
#: Idents of the threads whose state holds an error (a dead thread's may
#: stay).  While it is empty, a facade call has nothing to clear and skips
#: the thread-local read: ``if in_error and get_ident() in in_error: clear_error()``.
in_error: set[int] = set()
get_ident = threading.get_ident


def clear_error() -> None:
    _state.code, _state.detail, _state.function, _state.system_code = "", "", "", 0
    in_error.discard(get_ident())


def last_error() -> tuple[str, object]:
    """(code, detail) of this thread's last non-fatal error, to raise it
    as a :class:`WLangageError` where a failure cannot be returned."""
    return _state.code, _state.detail


def record_error(code: str, detail: object = "", function: str = "", system_code: int = 0) -> None:
    _state.code, _state.detail, _state.function = code, detail, function
    _state.system_code = system_code
    in_error.add(get_ident())  # after the state: a thread in error is always in the set


def report_failure(exc: SocketFailure | OSError, wl_name: str, writing: bool) -> None:
    """Record ``exc`` as this thread's error in the WLangage function
    ``wl_name``: a :class:`SocketFailure` with its code, an ``OSError``
    that escaped a transport as a failed write (``writing``) or read."""
    if isinstance(exc, SocketFailure):
        record_error(exc.code, exc.detail, wl_name)
    else:
        record_error("ECHEC_ECRITURE_SOCKET" if writing else "ECHEC_LECTURE_SOCKET",
                     exc.strerror or exc, wl_name, exc.errno or 0)


# ErreurInfo constants.  errMessage = 1 matches compiled WINDEV Mobile code;
# the others are wlsocket's own numbering.
ERR_MESSAGE = 1
ERR_CODE = 2
ERR_FUNCTION = 3
ERR_SYSTEM_CODE = 4
ERR_SYSTEM_MESSAGE = 5
ERR_FULL_DETAILS = 6


def error_info(info_type: int | None = None) -> Any:
    """ErreurInfo / ErrorInfo([info_type]).

    Without argument: the full description (function, code and message).
    ``errMessage`` gives the message alone, ``errCode`` the error key,
    ``errFunction`` the WLangage function.  "" (or 0) when no error.
    """
    if not _state.code:
        return 0 if info_type in (ERR_SYSTEM_CODE,) else ""
    msg = message_for(_state.code, _state.detail)
    if info_type == ERR_MESSAGE:
        return msg
    if info_type == ERR_CODE:
        return _state.code
    if info_type == ERR_FUNCTION:
        return _state.function
    if info_type == ERR_SYSTEM_CODE:
        return _state.system_code
    if info_type == ERR_SYSTEM_MESSAGE:
        return os.strerror(_state.system_code) if _state.system_code else ""
    return f"{_state.function}: {msg} [{_state.code}]" if _state.function else f"{msg} [{_state.code}]"


class ErrorDetected:
    """``ErreurDétectée``: true when the last WLangage call of this thread
    met a non-fatal error.  Use it as a boolean: ``if ErreurDetectee: ...``."""

    __slots__ = ()

    def __bool__(self) -> bool:
        # Checked after every call of a loop: while no thread holds an error
        # (the set is empty), the thread-local state is not even read.
        if in_error:
            return bool(_state.code)
        return False

    def __eq__(self, other: object) -> bool:
        return bool(self) == other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return repr(bool(self))


error_detected = ErrorDetected()

F = TypeVar("F", bound=Callable[..., Any])


def wlangage_function(wl_name: str, failure: Any) -> Callable[[F], F]:
    """Give a facade function the WLangage error model.

    The thread's error state is cleared on entry; a :class:`SocketFailure`
    becomes ``failure`` plus ErreurInfo; an ``OSError`` escaping a transport
    is reported the same way.  :class:`WLangageError` propagates.
    """

    def decorate(func: F) -> F:
        writing = "write" in func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if in_error and get_ident() in in_error:  # clear most of the time: one global read
                clear_error()
            try:
                return func(*args, **kwargs)
            except (SocketFailure, OSError) as exc:
                report_failure(exc, wl_name, writing)
                return failure

        wrapper.wl_name = wl_name  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate

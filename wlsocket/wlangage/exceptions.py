"""ExceptionDéclenche, ExceptionInfo, ErreurDéclenche and how WLangage's
exception blocks map to Python.

==============================================  ==============================================
WLangage                                        Python
==============================================  ==============================================
``QUAND EXCEPTION DANS`` / ``FAIRE`` / ``FIN``  ``try:`` / ``except Exception:``
``CAS EXCEPTION:`` (end of a procedure)         ``try:`` around the body, ``except Exception:``
``CAS ERREUR:`` (non-fatal errors)              ``if ErreurDétectée:`` after the call
``ExceptionInfo(errMessage)`` in the handler    ``ExceptionInfo(errMessage)`` inside ``except``
``ExceptionDéclenche(12, "msg")``               ``ExceptionDéclenche(12, "msg")`` (raises)
``ExceptionPropage()``                          ``raise`` inside ``except``
==============================================  ==============================================

A fatal WLangage error is :class:`wlsocket.WLangageError`; ExceptionDéclenche
raises :class:`WLangageException`, a subclass, so ``except WLangageError``
catches both.  ExceptionInfo reads the exception being handled (Python's
``sys.exc_info()``), so it answers only inside an ``except`` block, as
WLangage's answers only in the exception code.
"""

from __future__ import annotations

import sys

from ..errors import (
    ERR_CODE,
    ERR_FULL_DETAILS,
    ERR_FUNCTION,
    ERR_MESSAGE,
    WLangageError,
    clear_error,
    record_error,
)
from ._types import wl_str

__all__ = ["WLangageException", "exception_throw", "exception_info", "error_throw"]


class WLangageException(WLangageError):
    """An exception raised by ExceptionDéclenche: ``user_code`` and ``user_message``."""

    def __init__(self, user_code: object, user_message: str) -> None:
        super().__init__("EXCEPTION_DECLENCHEE", user_message)
        self.user_code = user_code
        self.user_message = user_message


def exception_throw(code: object, message: object = "", *params: object) -> None:
    """ExceptionDéclenche / ExceptionThrow(<Code>, <Message> [, <Paramètres>...]).

    Raises :class:`WLangageException`; ``%1``, ``%2``... in the message are
    replaced by the parameters, as in WLangage."""
    text = wl_str(message)
    for position, value in reversed(list(enumerate(params, 1))):
        text = text.replace(f"%{position}", wl_str(value))
    raise WLangageException(code, text)


def exception_info(info_type: object = None) -> object:
    """ExceptionInfo / ExceptionInfo([<Type>]): the exception being handled.

    ``errMessage``: its message; ``errCode``: the ExceptionDéclenche code,
    the WLangage error key (``SOCKET_INEXISTANTE``...) or the Python
    exception's class name; ``errFonction``: "" (not tracked); no type or
    ``errComplet``: "<code>: <message>".  Outside an ``except`` block:
    "" (or 0 for errCode)."""
    error = sys.exc_info()[1]
    if error is None:
        return 0 if info_type == ERR_CODE else ""
    if isinstance(error, WLangageException):
        code: object = error.user_code
        message = error.user_message
    elif isinstance(error, WLangageError):
        code, message = error.code, error.message
    else:
        code, message = type(error).__name__, str(error)
    if info_type == ERR_MESSAGE:
        return message
    if info_type == ERR_CODE:
        return code
    if info_type == ERR_FUNCTION:
        return ""
    if info_type in (None, ERR_FULL_DETAILS):
        return f"{code}: {message}"
    return ""


def error_throw(code: object, message: object = "", *params: object) -> bool:
    """ErreurDéclenche / ErrorThrow(<Code>, <Message> [, <Paramètres>...]).

    Makes a **non-fatal** error: ErreurDétectée becomes true and
    ErreurInfo(errCode) / ErreurInfo(errMessage) give ``<Code>`` (as a
    chaîne) and the message; the program goes on.  Returns False, the
    failure value, so ``RENVOYER ErreurDéclenche(...)`` ports as is.

    Differs: a ``CAS ERREUR`` block is ``if ErreurDétectée:`` after the call."""
    text = wl_str(message)
    for position, value in reversed(list(enumerate(params, 1))):
        text = text.replace(f"%{position}", wl_str(value))
    clear_error()
    record_error(wl_str(code), text, "ErreurDéclenche")
    return False

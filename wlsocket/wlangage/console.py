"""Trace, Info and Erreur for console programs.

WINDEV shows these in a trace window or a dialog box; a Python port runs in
a terminal, a service or a test.  So each writes one line of text to a
*sink* that the program may replace:

* ``Trace``: standard error by default, and always the ``wlsocket.trace``
  logger at DEBUG level (so a service's logging configuration sees it);
* ``Info``: standard output by default;
* ``Erreur``: standard error by default (and the ``wlsocket.erreur`` logger at
  WARNING level).

``set_trace_sink(fonction)``, ``set_info_sink(fonction)`` and
``set_error_sink(fonction)`` install a callable receiving the text
(``None`` restores the default).  The streams are looked up at each call,
so redirections of ``sys.stdout``/``sys.stderr`` are honoured.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

from ..values import wl_str
from ._types import bad_type

__all__ = [
    "trace", "info", "error",
    "set_trace_sink", "set_info_sink", "set_error_sink",
]

Sink = Callable[[str], object]

trace_log = logging.getLogger("wlsocket.trace")
error_log = logging.getLogger("wlsocket.erreur")
# Erreur already writes to its sink: without this handler, a program that
# never configured logging would see each message twice (logging's
# last-resort handler).  Records still reach the application's handlers.
error_log.addHandler(logging.NullHandler())

_sinks: dict[str, Sink | None] = {"trace": None, "info": None, "error": None}
_write_lock = threading.Lock()  # lines from several threads never interleave

#: What separates the arguments of Trace on its line (choice of wlsocket).
TRACE_SEPARATOR = ", "


def _write(stream_name: str, text: str) -> None:
    stream = getattr(sys, stream_name)
    with _write_lock:
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:
            # A lone surrogate, or a character a narrow console cannot show:
            # written escaped (\ud800), as Python's own stderr does.
            encoding = getattr(stream, "encoding", None) or "utf-8"
            stream.write((text + "\n").encode(encoding, "backslashreplace").decode(encoding))
        stream.flush()


def _emit(kind: str, default_stream: str, text: str) -> None:
    sink = _sinks[kind]
    if sink is None:
        _write(default_stream, text)
    else:
        sink(text)


def _setter(kind: str) -> Callable[[Sink | None], None]:
    def set_sink(sink: Sink | None) -> None:
        if sink is not None and not callable(sink):
            bad_type(f"set_{kind}", sink)
        _sinks[kind] = sink

    set_sink.__name__ = f"set_{kind}_sink"
    set_sink.__doc__ = f"Send the text of {kind.capitalize()} to ``sink(text)``; ``None`` restores the default."
    return set_sink


set_trace_sink = _setter("trace")
set_info_sink = _setter("info")
set_error_sink = _setter("error")


def trace(*values: object) -> None:
    """Trace(<Informations> [, <Informations complémentaires> ...]).

    Every argument on one line, converted as WLangage does (a Buffer shows
    its characters, ``Vrai`` shows ``1``), separated by ``", "``.

    Differs: no trace window: the line goes to standard error (or the sink
    set by ``set_trace_sink``) and to the ``wlsocket.trace`` logger.
    """
    text = TRACE_SEPARATOR.join(wl_str(v) for v in values)
    trace_log.debug("%s", text)
    _emit("trace", "stderr", text)


def info(*lines: object) -> None:
    """Info(<Ligne 1> [, <Ligne 2> ...]): a message for the user, one argument per line.

    Differs: WINDEV opens a dialog and waits for OK; here the text goes
    to standard output (or the sink set by ``set_info_sink``) at once.
    """
    _emit("info", "stdout", "\n".join(wl_str(v) for v in lines))


def error(*lines: object) -> None:
    """Erreur / Error(<Ligne 1> [, <Ligne 2> ...]): an error message, one argument per line.

    The program goes on (it is not an exception).

    Differs: WINDEV opens an error dialog; here the text goes to standard
    error (or the sink set by ``set_error_sink``) and the ``wlsocket.erreur`` log.
    """
    text = "\n".join(wl_str(v) for v in lines)
    error_log.warning("Erreur: %s", text)
    _emit("error", "stderr", text)

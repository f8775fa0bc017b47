"""ThreadExécute, ThreadAttend and Multitâche.

Named threads
    ``ThreadExécute("Thread1", threadNormal, ProcédureAttente)`` starts
    ``ProcédureAttente()`` in a new thread named "Thread1" and returns at
    once.  The name is the thread's identity while it runs: a name already
    running is the fatal error ``THREAD_EXISTANT`` (the program would lose
    track of a thread), and ``""`` is the fatal error ``THREAD_NOM_VIDE``.
    Once the procedure has returned, the name is free again.  The threads
    are daemon threads: like WINDEV, the program ends without waiting for
    them; :func:`thread_wait` (ThreadAttend) joins one.

The pump hook (for the WebSocket dispatcher and any event source)
    WINDEV runs pending events while a program calls ``Multitâche``; the
    port's equivalent is :data:`PUMPS`, a list of callables taking no
    argument.  ``Multitâche`` calls each of them, from the thread that
    called ``Multitâche``, before it waits and then about every
    :data:`PUMP_INTERVAL_S` seconds until its delay is over.  A pump should
    run what is ready and return quickly; one that must only run on a
    given thread checks ``threading.current_thread()`` itself.  Register
    with :func:`register_pump` / :func:`unregister_pump` (or append to the
    list).  An exception raised by a pump propagates out of ``Multitâche``.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import raise_error
from ..values import duration_ms
from ._types import bad_type, need_int

__all__ = [
    "THREAD_NORMAL", "THREAD_WAIT_START", "THREAD_CRITICAL_SECTION", "THREAD_SECURE", "THREAD_GLOBAL_CONTEXT",
    "WLThread", "thread_execute", "thread_wait", "multitask",
    "PUMPS", "PUMP_INTERVAL_S", "register_pump", "unregister_pump",
]

# Modes of ThreadExécute, combinable with + (values are wlsocket's own).
THREAD_NORMAL = 0  # threadNormal
THREAD_WAIT_START = 1  # threadAttendDémarrage
THREAD_CRITICAL_SECTION = 2  # threadSectionCritique
THREAD_SECURE = 4  # threadSécurisé
THREAD_GLOBAL_CONTEXT = 8  # threadContexteGlobal
_ALL_MODES = THREAD_WAIT_START | THREAD_CRITICAL_SECTION | THREAD_SECURE | THREAD_GLOBAL_CONTEXT

_running: dict[str, WLThread] = {}
_running_lock = threading.Lock()
# Threads started with threadSectionCritique run one at a time.
_critical_section = threading.RLock()


class WLThread:
    """A thread started by ThreadExécute: its ``name``, ``mode``, the
    procedure's ``result`` and the ``exception`` that ended it, if any."""

    def __init__(self, name: str, mode: int, procedure: Callable[..., Any], params: tuple) -> None:
        self.name = name
        self.mode = mode
        self.result: Any = None
        self.exception: BaseException | None = None
        self._procedure = procedure
        self._params = params
        self._thread = threading.Thread(target=self._run, name=f"wl:{name}", daemon=True)

    def _run(self) -> None:
        try:
            if self.mode & THREAD_CRITICAL_SECTION:
                with _critical_section:
                    self.result = self._procedure(*self._params)
            else:
                self.result = self._procedure(*self._params)
        except BaseException as exc:
            self.exception = exc
            raise  # threading.excepthook reports it, as WINDEV reports an error in a thread
        finally:
            with _running_lock:
                if _running.get(self.name) is self:
                    del _running[self.name]

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for the end; True when the thread has ended."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def __repr__(self) -> str:
        return f"<WLThread {self.name!r} {'running' if self.is_alive() else 'ended'}>"


def _by_value(value: Any) -> Any:
    # WLangage passes thread parameters by value: copy containers so the
    # caller's later changes do not reach the thread.  Other objects
    # (sockets, callables) are shared as they are.
    if isinstance(value, (list, dict, set, bytearray)):
        try:
            return copy.deepcopy(value)
        except Exception:
            return copy.copy(value)
    return value


def thread_execute(name: object, mode: object, procedure: object, *params: object) -> WLThread:
    """ThreadExécute / ThreadExecute(<Nom du thread>, <Mode>, <Procédure> [, <Paramètre 1> ...]).

    The "compatible" syntax.  Modes: ``threadNormal``;
    ``threadAttendDémarrage`` (return once the thread has started: always
    the case here, Python's ``start()`` waits for it);
    ``threadSectionCritique`` (threads started with it run one at a time);
    ``threadSécurisé`` and ``threadContexteGlobal`` are accepted with no
    further effect (Python threads always share the program's globals).
    Parameters are passed by value (lists, dicts and sets are copied).
    Errors, all fatal: a name that is not a chaîne or a procedure that is
    not callable (TYPE_PARAMETRE_INVALIDE), ``""`` (THREAD_NOM_VIDE), a name
    already running (THREAD_EXISTANT), an unknown mode (PARAMETRE_INVALIDE).

    Differs: returns a :class:`WLThread` handle (WLangage returns nothing);
    the procedure is a callable, not its name; threadSécurisé and
    threadContexteGlobal change nothing; the new syntax with a Thread
    variable is not offered.
    """
    if not isinstance(name, str):
        bad_type("ThreadExécute #1", name)
    if name == "":
        raise_error("THREAD_NOM_VIDE")
    flags = need_int(mode, "ThreadExécute #2")
    if flags & ~_ALL_MODES or flags < 0:
        raise_error("PARAMETRE_INVALIDE", f"ThreadExécute mode={flags}")
    if not callable(procedure):
        bad_type("ThreadExécute #3", procedure)
    handle = WLThread(name, flags, procedure, tuple(_by_value(p) for p in params))
    with _running_lock:
        if name in _running:
            raise_error("THREAD_EXISTANT", name)
        _running[name] = handle
    try:
        handle._thread.start()
    except BaseException:
        with _running_lock:
            _running.pop(name, None)
        raise
    return handle


def thread_wait(thread: object, max_wait: object = None) -> bool:
    """ThreadAttend / ThreadWait(<Nom du thread> [, <Durée maximale>]).

    Waits for the end of the thread (a name or the handle given by
    ThreadExécute).  ``<Durée maximale>``: hundredths of a second as in
    WLangage, or a duration such as ``"2 s"``; omitted or negative: no
    limit.  True when the thread has ended (a name that is not running has
    ended), False when the delay ran out.
    """
    if isinstance(thread, WLThread):
        handle: WLThread | None = thread
    elif isinstance(thread, str):
        with _running_lock:
            handle = _running.get(thread)
    else:
        bad_type("ThreadAttend #1", thread)
    timeout_s = _seconds(max_wait, "ThreadAttend #2")
    if handle is None:
        return True
    return handle.join(None if timeout_s < 0 else timeout_s)


def _seconds(value: object, where: str) -> float:
    """A WLangage delay in seconds: an int is hundredths; None is -1 (none)."""
    if value is None:
        return -1.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 100.0
    if isinstance(value, str) or hasattr(value, "total_seconds"):
        return duration_ms(value, where) / 1000.0
    bad_type(where, value)


# --- Multitâche and the pump hook ---------------------------------------------

#: Callables (no argument) that Multitâche runs: the dispatcher registers here.
PUMPS: list[Callable[[], object]] = []
#: How often Multitâche runs the pumps while it waits.
PUMP_INTERVAL_S = 0.01


def register_pump(pump: Callable[[], object]) -> None:
    """Have Multitâche call ``pump()`` (once, even if registered twice)."""
    if not callable(pump):
        bad_type("register_pump", pump)
    if pump not in PUMPS:
        PUMPS.append(pump)


def unregister_pump(pump: Callable[[], object]) -> None:
    """Stop calling ``pump``; no error if it was not registered."""
    with contextlib.suppress(ValueError):
        PUMPS.remove(pump)


def _run_pumps() -> None:
    for pump in tuple(PUMPS):  # a pump may unregister itself
        pump()


def multitask(delay: object = 0) -> None:
    """Multitâche / Multitask(<Durée>): let events run, then pause.

    ``<Durée>`` is in **hundredths of a second** (``Multitâche(50)`` pauses
    half a second), or a duration such as ``"500 ms"``.  0 or a negative
    value does not pause: the pumps run once and the thread yields.
    While pausing, the registered pumps (see the module documentation) run
    about every :data:`PUMP_INTERVAL_S` seconds.

    Differs: there is no UI event loop; "events" are the callables in
    ``wlsocket.wlangage.threads.PUMPS`` (the WebSocket dispatcher's
    callbacks).
    """
    seconds = _seconds(delay, "Multitâche #1")
    _run_pumps()
    if seconds <= 0:
        time.sleep(0)  # yield to the other threads
        return
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(remaining, PUMP_INTERVAL_S) if PUMPS else remaining)
        if PUMPS:
            _run_pumps()

"""ThreadExécute, ThreadAttend, Multitâche and thread control.

ThreadPause, Temporisation, ThreadDemandeArrêt, ThreadArrêtDemandé,
ThreadCourant, ThreadEtat, ThreadMode, ThreadArrête, ThreadEnvoieSignal,
ThreadAttendSignal and ThreadPriorité live here too.  Every delay is in
hundredths of a second when a number, or a duration chaîne (see
:mod:`.delays`).  In the main thread, every wait of this module serves
the main thread's queue (:mod:`.mainthread`).

Stopping is cooperative
    Python cannot kill a thread.  ThreadDemandeArrêt / ThreadArrête set a
    flag that the thread reads with ThreadArrêtDemandé (its loop must test
    it, as WINDEV recommends anyway); ThreadArrête then waits its delay
    and, when the thread is still running, reports the non-fatal error
    THREAD_NON_ARRETE (False) rather than pretending it stopped it.

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

import copy
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import raise_error, wlangage_function
from ._types import bad_type, need_int
from .delays import seconds_of, wait_seconds
from .mainthread import (
    PUMP_INTERVAL_S,
    PUMPS,
    is_main_thread,
    register_pump,
    run_pumps,
    serve,
    unregister_pump,
    wait_serving,
)

__all__ = [
    "THREAD_NORMAL", "THREAD_WAIT_START", "THREAD_CRITICAL_SECTION", "THREAD_SECURE", "THREAD_GLOBAL_CONTEXT",
    "THREAD_MISSING", "THREAD_RUNNING", "THREAD_SUSPENDED",
    "WLThread", "Thread", "thread_execute", "thread_wait", "multitask", "thread_pause", "temporisation",
    "thread_request_stop", "thread_stop_requested", "thread_current", "thread_state", "thread_mode",
    "thread_stop", "thread_send_signal", "thread_wait_signal", "thread_priority",
    "PUMPS", "PUMP_INTERVAL_S", "register_pump", "unregister_pump", "run_pumps",
]

# Modes of ThreadExécute, combinable with + (values are wlsocket's own).
THREAD_NORMAL = 0  # threadNormal
THREAD_WAIT_START = 1  # threadAttendDémarrage
THREAD_CRITICAL_SECTION = 2  # threadSectionCritique
THREAD_SECURE = 4  # threadSécurisé
THREAD_GLOBAL_CONTEXT = 8  # threadContexteGlobal
_ALL_MODES = THREAD_WAIT_START | THREAD_CRITICAL_SECTION | THREAD_SECURE | THREAD_GLOBAL_CONTEXT
# ThreadEtat results (values are wlsocket's own).
THREAD_MISSING = 0  # threadInexistant: no thread of that name is running
THREAD_RUNNING = 1  # threadEnCours
THREAD_SUSPENDED = 2  # threadSuspendu: never returned (ThreadSuspend is not offered)
#: ThreadArrête's delay when none is given (chosen: the reference gives none).
THREAD_STOP_DEFAULT = 200

_running: dict[str, WLThread] = {}
_running_lock = threading.Lock()
# Threads started with threadSectionCritique run one at a time.
_critical_section = threading.RLock()
# ThreadMode(threadSectionCritique) makes it the default of ThreadExécute.
_default_mode = [THREAD_NORMAL]
_current = threading.local()
_names = itertools.count(1)


class WLThread:
    """A thread started by ThreadExécute: its ``name``, ``mode``, the
    procedure's ``result`` and the ``exception`` that ended it, if any."""

    def __init__(self, name: str, mode: int, procedure: Callable[..., Any], params: tuple[Any, ...]) -> None:
        self.name = name
        self.mode = mode
        self.result: Any = None
        self.exception: BaseException | None = None
        self._procedure = procedure
        self._params = params
        #: set by ThreadDemandeArrêt / ThreadArrête, read by ThreadArrêtDemandé
        self.stop_requested = threading.Event()
        #: set by ThreadEnvoieSignal, taken by ThreadAttendSignal
        self.signal = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"wl:{name}", daemon=True)

    def _run(self) -> None:
        _current.handle = self
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

    Nom_ = Name_ = property(lambda self: self.name, doc="WLangage ..Nom")


def Thread(procedure: object, *params: object, name: str = "", mode: int = THREAD_NORMAL) -> WLThread:  # noqa: N802
    """The WLangage ``Thread`` type: ``t est un Thread(MaProcédure, 1, "a")``,
    started by ``ThreadExécute(t)``.  Without ``name`` one is made up."""
    if not callable(procedure):
        bad_type("Thread #1", procedure)
    return WLThread(name or f"Thread{next(_names)}", need_int(mode, "Thread mode"), procedure,
                    tuple(_by_value(p) for p in params))


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


def thread_execute(name: object, mode: object = None, procedure: object = None, *params: object) -> WLThread:
    """ThreadExécute / ThreadExecute(<Nom du thread>, <Mode>, <Procédure> [, <Paramètre 1> ...]),
    and the newer syntaxes ``ThreadExécute(<Thread>)`` (a :func:`Thread`
    variable) and ``ThreadExécute(<Procédure> [, <Paramètres>...])`` (a
    name is made up, mode threadNormal).

    Modes: ``threadNormal``; ``threadAttendDémarrage`` (return once the
    thread has started: always the case here, Python's ``start()`` waits
    for it); ``threadSectionCritique`` (threads started with it run one at
    a time; ThreadMode(threadSectionCritique) makes it the default);
    ``threadSécurisé`` and ``threadContexteGlobal`` are accepted with no
    further effect (Python threads always share the program's globals, and
    an exception in a thread never stops the others).
    Parameters are passed by value (lists, dicts and sets are copied).
    Errors, all fatal: a name that is not a chaîne or a procedure that is
    not callable (TYPE_PARAMETRE_INVALIDE), ``""`` (THREAD_NOM_VIDE), a name
    already running (THREAD_EXISTANT), an unknown mode (PARAMETRE_INVALIDE).

    Differs: returns a :class:`WLThread` handle (WLangage returns nothing);
    the procedure is a callable, not its name; threadSécurisé and
    threadContexteGlobal change nothing.
    """
    if isinstance(name, WLThread):
        if mode is not None or procedure is not None or params:
            raise_error("PARAMETRE_INVALIDE", "ThreadExécute(<Thread>) takes no other parameter")
        return _start(name)
    if callable(name) and not isinstance(name, str):
        arguments = tuple(a for a in (mode, procedure) if a is not None) + params
        return _start(Thread(name, *arguments, mode=_default_mode[0]))
    if not isinstance(name, str):
        bad_type("ThreadExécute #1", name)
    if name == "":
        raise_error("THREAD_NOM_VIDE")
    flags = need_int(mode, "ThreadExécute #2")
    if flags & ~_ALL_MODES or flags < 0:
        raise_error("PARAMETRE_INVALIDE", f"ThreadExécute mode={flags}")
    if not callable(procedure):
        bad_type("ThreadExécute #3", procedure)
    return _start(WLThread(name, flags | _default_mode[0], procedure, tuple(_by_value(p) for p in params)))


def _start(handle: WLThread) -> WLThread:
    name = handle.name
    if handle._thread.ident is not None:
        raise_error("THREAD_EXISTANT", f"{name} (already started)")
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
    found = handle
    limit = None if timeout_s < 0 else timeout_s
    return wait_serving(lambda slice_s: found.join(None if slice_s < 0 else slice_s), limit)


def _seconds(value: object, where: str) -> float:
    """A WLangage delay in seconds: an int is hundredths; None is -1 (none)."""
    return seconds_of(value, where)


# --- Multitâche and the pump hook ---------------------------------------------

_run_pumps = run_pumps


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
        busy = PUMPS or is_main_thread()
        time.sleep(min(remaining, PUMP_INTERVAL_S) if busy else remaining)
        if busy:
            _run_pumps()


# --- pauses and thread control --------------------------------------------------------


def _sleep_slice(slice_s: float) -> bool:
    if slice_s > 0:
        time.sleep(slice_s)
    return False


def thread_pause(delay: object) -> None:
    """ThreadPause / ThreadPause(<Durée>): pauses the current thread.

    ``<Durée>``: hundredths of a second (``ThreadPause(10)`` is 100 ms) or
    a duration chaîne.  In the main thread the main-thread queue is served
    meanwhile (ExécuteThreadPrincipal, TimerSys)."""
    seconds = _seconds(delay, "ThreadPause #1")
    if seconds <= 0:
        serve()
        time.sleep(0)
        return
    wait_serving(_sleep_slice, seconds)


def temporisation(delay: object, mode: object = None) -> None:
    """Temporisation / Delay(<Durée> [, <Mode>]): pauses while events run,
    as Multitâche does (main-thread queue, dispatcher pumps).

    Differs: ``<Mode>`` (tempoSourisEtClavier...) is accepted and ignored:
    there is no mouse or keyboard."""
    multitask(delay)


def _running_handle(name: object, where: str) -> WLThread | None:
    if isinstance(name, WLThread):
        return name if name.is_alive() else None
    if not isinstance(name, str):
        bad_type(where, name)
    with _running_lock:
        return _running.get(name)


def thread_request_stop(name: object) -> bool:
    """ThreadDemandeArrêt / ThreadRequestStop(<Nom du thread>): asks the
    thread to stop (it reads the request with ThreadArrêtDemandé) and
    returns at once.  False when no thread of that name is running."""
    handle = _running_handle(name, "ThreadDemandeArrêt #1")
    if handle is None:
        return False
    handle.stop_requested.set()
    return True


def thread_stop_requested() -> bool:
    """ThreadArrêtDemandé / ThreadStopRequested() -> booléen: True once
    ThreadDemandeArrêt or ThreadArrête asked the current thread to stop
    (always False outside a thread started by ThreadExécute)."""
    handle: WLThread | None = getattr(_current, "handle", None)
    return handle is not None and handle.stop_requested.is_set()


def thread_current() -> str:
    """ThreadCourant / ThreadCurrent() -> the name of the current thread.

    Chosen: "" in the main thread and in threads not started by
    ThreadExécute (the reference gives no name for them)."""
    handle: WLThread | None = getattr(_current, "handle", None)
    return handle.name if handle is not None else ""


def thread_state(name: object) -> int:
    """ThreadEtat / ThreadState(<Nom du thread>) -> threadEnCours while the
    thread runs, threadInexistant once it has ended or when the name is unknown."""
    handle = _running_handle(name, "ThreadEtat #1")
    return THREAD_RUNNING if handle is not None and handle.is_alive() else THREAD_MISSING


def thread_mode(mode: object) -> None:
    """ThreadMode / ThreadMode(<Mode>): the default of later ThreadExécute
    calls: ``threadSectionCritique`` makes threads run one at a time (the
    oldest WINDEV behaviour), ``threadNormal`` lets them run together."""
    flags = need_int(mode, "ThreadMode #1")
    if flags & ~_ALL_MODES or flags < 0:
        raise_error("PARAMETRE_INVALIDE", f"ThreadMode mode={flags}")
    _default_mode[0] = flags & THREAD_CRITICAL_SECTION


@wlangage_function("ThreadArrête", failure=False)
def thread_stop(name: object, delay: object = THREAD_STOP_DEFAULT) -> bool:
    """ThreadArrête / ThreadStop(<Nom du thread> [, <Délai>]) -> booléen.

    Requests the stop (as ThreadDemandeArrêt), then waits up to
    ``<Délai>`` (hundredths of a second, default 200: chosen) for the end.
    True when the thread has ended (or was not running); otherwise the
    non-fatal error THREAD_NON_ARRETE and False.

    Differs: WINDEV can kill the thread; Python cannot, so a thread that
    never reads ThreadArrêtDemandé keeps running (see the module doc)."""
    handle = _running_handle(name, "ThreadArrête #1")
    timeout_s = wait_seconds(delay, "ThreadArrête #2")
    if handle is None:
        return True
    handle.stop_requested.set()
    if handle._thread is threading.current_thread():
        raise_error("THREAD_NON_ARRETE", f"{handle.name}: a thread cannot wait for its own end")
    found = handle
    if not wait_serving(lambda slice_s: found.join(None if slice_s < 0 else slice_s), timeout_s):
        raise_error("THREAD_NON_ARRETE", handle.name)
    return True


def thread_send_signal(name: object) -> bool:
    """ThreadEnvoieSignal / ThreadSendSignal(<Nom du thread>): wakes the
    thread waiting in ThreadAttendSignal (or the next call it makes).
    False when no thread of that name is running."""
    handle = _running_handle(name, "ThreadEnvoieSignal #1")
    if handle is None:
        return False
    handle.signal.set()
    return True


def thread_wait_signal(delay: object = None) -> bool:
    """ThreadAttendSignal / ThreadWaitSignal([<Délai>]) -> booléen: waits
    for a ThreadEnvoieSignal to the current thread; True when one came,
    False after ``<Délai>`` (no delay: wait as long as it takes)."""
    handle: WLThread | None = getattr(_current, "handle", None)
    if handle is None:
        raise_error("FONCTION_INTERDITE", "ThreadAttendSignal outside a thread started by ThreadExécute")
    timeout_s = wait_seconds(delay, "ThreadAttendSignal #1")
    event = handle.signal
    if not wait_serving(lambda slice_s: event.wait(None if slice_s < 0 else slice_s), timeout_s):
        return False
    event.clear()
    return True


def thread_priority(name: object, priority: object = None) -> None:
    """ThreadPriorité / ThreadPriority(<Nom du thread>, <Priorité>).

    Differs: accepted and ignored (Python threads have no priority)."""
    _running_handle(name, "ThreadPriorité #1")

"""The main thread: ExécuteThreadPrincipal, ``<thread principal>`` procedures,
TimerSys / FinTimerSys.

WINDEV runs a program's UI code in its main thread and lets other threads
hand it work.  Python has no event loop of its own here, so the port keeps
a **queue** that the main thread (``threading.main_thread()``) serves each
time it calls one of the waiting functions: Multitâche, Temporisation,
ThreadPause, ThreadAttend, SignalAttend, SémaphoreDébut / MutexDébut with a
delay, or an explicit :func:`pump`.  A program whose main thread only
waits in a loop of ``Multitâche(10)`` serves it about every 10 ms.

* :func:`execute_main_thread` (ExécuteThreadPrincipal) called from another
  thread queues the procedure and **blocks its caller until the main
  thread has run it**; the procedure's result is returned and its
  exception raised in the caller.  From the main thread it runs at once.
  A main thread that never waits in one of those functions never serves
  the queue: the caller then waits (as in WINDEV, where a busy main
  thread holds it); give ``timeout_s`` (a wlsocket extension) to bound it.
* :func:`thread_principal` is the decorator for procedures declared
  ``<thread principal>``: calling one from any thread runs it in the main
  thread, the same way.
* TimerSys procedures are queued each period and run there too.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import raise_error
from ._types import bad_type, need_int
from .delays import seconds_of

__all__ = [
    "execute_main_thread", "thread_principal", "pump", "serve", "is_main_thread",
    "wait_serving", "system_timer", "end_system_timer",
    "PUMPS", "PUMP_INTERVAL_S", "register_pump", "unregister_pump", "run_pumps",
]

F = TypeVar("F", bound=Callable[..., Any])

#: How often a waiting main thread looks at its queue.
SERVE_INTERVAL_S = 0.005


class _Call:
    __slots__ = ("procedure", "args", "kwargs", "done", "result", "error")

    def __init__(self, procedure: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.procedure, self.args, self.kwargs = procedure, args, kwargs
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.procedure(*self.args, **self.kwargs)
        except BaseException as exc:  # handed to the caller, raised there
            self.error = exc
        finally:
            self.done.set()


_queue: deque[_Call | Callable[[], Any]] = deque()
_queue_ready = threading.Condition()


def is_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def serve() -> int:
    """Run what is queued for the main thread; only the main thread runs
    anything (elsewhere it returns 0).  Returns how many items ran."""
    if not is_main_thread():
        return 0
    count = 0
    while True:
        with _queue_ready:
            if not _queue:
                return count
            item = _queue.popleft()
        if isinstance(item, _Call):
            item.run()
        else:
            item()  # a timer tick: its own exceptions propagate to the main thread
        count += 1


# --- the Multitâche hooks (here, not in threads.py: pump() runs them) ----------

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


def run_pumps() -> int:
    """Serve the main thread's queue (in the main thread only), then call
    every registered pump once; returns how many queued items ran."""
    count = serve()
    for pump in tuple(PUMPS):  # a pump may unregister itself
        pump()
    return count


def pump() -> int:
    """Serve the main thread's queue and run the Multitâche hooks
    (:data:`PUMPS`) once each; returns how many queued items ran.  Call it
    from the main thread's own loop."""
    return run_pumps()


def _post(item: _Call | Callable[[], Any]) -> None:
    with _queue_ready:
        _queue.append(item)
        _queue_ready.notify_all()


def wait_serving(ready: Callable[[float], bool], timeout_s: float | None) -> bool:
    """Wait until ``ready(slice_s)`` is true (it may block up to ``slice_s``)
    or ``timeout_s`` passes (None: no limit).  In the main thread the queue
    is served between slices; elsewhere ``ready`` gets the whole delay."""
    deadline = None if timeout_s is None else time.monotonic() + max(0.0, timeout_s)
    if not is_main_thread():
        return ready(-1.0 if deadline is None else max(0.0, deadline - time.monotonic()))
    while True:
        serve()
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return ready(0.0)
        if ready(SERVE_INTERVAL_S if remaining is None else min(SERVE_INTERVAL_S, remaining)):
            return True


def execute_main_thread(procedure: object, *params: Any, timeout_s: float | None = None) -> Any:
    """ExécuteThreadPrincipal / ExecuteMainThread(<Procédure> [, <Paramètres>...]).

    Runs ``procedure(*params)`` in the main thread and returns its result
    (see the module documentation).  From the main thread: at once.

    Differs: WLangage returns nothing and its caller does not see the
    procedure's errors; here the result is returned and an exception is
    raised in the caller.  ``timeout_s`` (keyword, wlsocket extension)
    bounds the wait: past it, the fatal error THREAD_PRINCIPAL_OCCUPE (the
    procedure will not run any more)."""
    if not callable(procedure):
        bad_type("ExécuteThreadPrincipal #1", procedure)
    return _in_main_thread(procedure, params, {}, timeout_s)


def _in_main_thread(procedure: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                    timeout_s: float | None = None) -> Any:
    """Run in the main thread (now, when called there) and give back the
    result or raise the exception in the caller."""
    if is_main_thread():
        return procedure(*args, **kwargs)
    call = _Call(procedure, args, kwargs)
    _post(call)
    if not call.done.wait(timeout_s):
        with _queue_ready:
            try:
                _queue.remove(call)
            except ValueError:
                pass  # taken meanwhile: wait for it, it is running
            else:
                raise_error("THREAD_PRINCIPAL_OCCUPE", f"{timeout_s} s")
        call.done.wait()
    if call.error is not None:
        raise call.error
    return call.result


def thread_principal(procedure: F) -> F:
    """Decorator for a procedure declared ``<thread principal>`` in WLangage:
    a call from any thread runs it in the main thread (and waits for it)."""

    @functools.wraps(procedure)
    def in_main_thread(*args: Any, **kwargs: Any) -> Any:
        return _in_main_thread(procedure, args, kwargs)

    return in_main_thread  # type: ignore[return-value]


# --- TimerSys ---------------------------------------------------------------------


class _Timer:
    def __init__(self, ident: int, procedure: Callable[..., Any], period_s: float) -> None:
        self.ident, self.procedure, self.period_s = ident, procedure, period_s
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.queued = False
        self.thread = threading.Thread(target=self._clock, name=f"wl:TimerSys {ident}", daemon=True)

    def _clock(self) -> None:
        next_tick = time.monotonic() + self.period_s
        while not self.stopped.wait(max(0.0, next_tick - time.monotonic())):
            next_tick += self.period_s
            with self.lock:
                if self.queued:  # the main thread has not run the last tick: do not pile up
                    continue
                self.queued = True
            _post(self._tick)

    def _tick(self) -> None:
        with self.lock:
            self.queued = False
            if self.stopped.is_set():
                return  # FinTimerSys came first: never run after it
        self.procedure()


_timers: dict[int, _Timer] = {}
_timers_lock = threading.Lock()
_identifiers = itertools.count(1)


def system_timer(procedure: object, period: object, identifier: object = None) -> int:
    """TimerSys / TimerSys(<Procédure>, <Intervalle> [, <Identifiant>]) -> identifiant.

    Calls ``procedure()`` in the main thread every ``<Intervalle>``
    (hundredths of a second, or a duration such as ``"200 ms"``) until
    FinTimerSys.  A tick the main thread has not served yet is not queued
    twice.  With ``<Identifiant>``, a timer already using it is replaced.
    Fatal: a procedure that is not callable, an interval of 0 or less."""
    if not callable(procedure):
        bad_type("TimerSys #1", procedure)
    period_s = seconds_of(period, "TimerSys #2")
    if period_s <= 0:
        raise_error("DUREE_INVALIDE", f"TimerSys #2={period!r}: the interval must be positive")
    ident = next(_identifiers) if identifier is None else need_int(identifier, "TimerSys #3")
    end_system_timer(ident)
    timer = _Timer(ident, procedure, period_s)
    with _timers_lock:
        _timers[ident] = timer
    timer.thread.start()
    return ident


def end_system_timer(identifier: object) -> bool:
    """FinTimerSys / EndTimerSys(<Identifiant>): stops the timer; its
    procedure does not start again after this returns.  False (no error)
    for an identifier that is not running."""
    ident = need_int(identifier, "FinTimerSys #1")
    with _timers_lock:
        timer = _timers.pop(ident, None)
    if timer is None:
        return False
    with timer.lock:
        timer.stopped.set()
    if timer.thread is not threading.current_thread():
        timer.thread.join(1.0)
    return True

"""Where WebSocket callbacks run: the one place that calls a socket's procedure.

``SocketConnecte(name, "ws://...", Procedure)`` and the asynchronous
``WebSocketClientConnecte`` report to ``Procedure(nEvénement, sMessage)``.
Every such call goes through :meth:`EventSource.post` and :func:`_invoke`
below, nowhere else.

Events (the values are wlsocket's choice; the reference gives none):

======================  ==============  =====  =====================================
WLangage                English         value  sMessage
======================  ==============  =====  =====================================
SocketOuverture         SocketOpening   1      the subprotocol the server chose, or ""
SocketMessage           SocketMessage   2      the message: chaîne (text) or Buffer (binary)
SocketFermeture         SocketClosing   3      "<close code>" or "<close code> <reason>"
SocketErreur            SocketError     4      what failed, in the current language
======================  ==============  =====  =====================================

SocketFermeture's code is the one the server sent (1005 when its close frame
had none), or 1006 when the connection ended without a close frame, as a
browser's ``CloseEvent.code``.

Guarantees, for each socket:

* its events arrive in the order they happened, never two at a time (a
  procedure is never re-entered for the same socket);
* SocketOuverture, when the connection opens, comes before anything else;
  a connection that never opens gives SocketErreur then SocketFermeture;
* SocketFermeture comes exactly once, and last: nothing is delivered after it;
* while the procedure handles SocketErreur, ErreurInfo (errCode,
  errMessage...) describes that error, as after a failed WLangage call;
* an exception raised by the procedure is logged (logger ``"wlsocket"``) and
  recorded as the non-fatal error ``ECHEC_PROCEDURE`` (ErreurInfo of the
  thread that ran it, and :attr:`EventSource.errors`); later events of this
  socket and of the others are still delivered;
* the procedure may call SocketEcrit, SocketFerme and SocketConnecte, on its
  own socket's name too, without deadlock.

Two ways to deliver, chosen with :func:`set_delivery` before the connection
is made (each socket keeps the way it was created with):

``"connection"`` (default)
    in the socket's own connection thread, as soon as the event happens.
    While the procedure runs, that socket reads nothing more (TCP holds the
    rest), so a long procedure slows only its own socket.
``"pump"``
    in whatever thread calls :func:`pump`, as a WINDEV program with a user
    interface handles socket events in its main thread.  Connection threads
    only queue events; the program calls ``pump()`` from its loop (the
    ``wakeup`` callable given to :func:`set_delivery` is told when an event
    is waiting, to schedule that call from a GUI toolkit).  Multitâche
    (wlsocket.wlangage) calls ``pump()`` too while this mode is chosen.
    Calling ``pump()`` from inside a procedure delivers other sockets'
    events, never the running socket's.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from .errors import clear_error, get_ident, in_error, raise_error, record_error

__all__ = [
    "SOCKET_OPENING",
    "SOCKET_MESSAGE",
    "SOCKET_CLOSING",
    "SOCKET_ERROR",
    "CONNECTION_THREAD",
    "PUMP",
    "EventSource",
    "check_procedure",
    "set_delivery",
    "get_delivery",
    "pump",
    "pending",
    "in_connection_callback",
    "on_delivery_change",
]

log = logging.getLogger("wlsocket")

SOCKET_OPENING = 1  # SocketOuverture
SOCKET_MESSAGE = 2  # SocketMessage
SOCKET_CLOSING = 3  # SocketFermeture
SOCKET_ERROR = 4  # SocketErreur

EVENT_NAMES = {
    SOCKET_OPENING: "SocketOuverture",
    SOCKET_MESSAGE: "SocketMessage",
    SOCKET_CLOSING: "SocketFermeture",
    SOCKET_ERROR: "SocketErreur",
}

CONNECTION_THREAD = "connection"
PUMP = "pump"

Procedure = Callable[[int, Any], Any]


def check_procedure(procedure: object) -> Procedure:
    """The callback as WLangage requires it: callable as ``P(nEvénement, sMessage)``.

    Anything else (not callable, or whose parameters cannot take exactly two
    positional values) is the fatal error PROCEDURE_INVALIDE, raised by the
    function that was given it: the mistake is in the program, not the network.
    """
    if not callable(procedure):
        raise_error("PROCEDURE_INVALIDE", f"{procedure!r} is not a procedure")
    try:
        signature = inspect.signature(procedure)
    except (TypeError, ValueError):
        return procedure  # a builtin without introspection: trust it
    try:
        signature.bind(SOCKET_OPENING, "")
    except TypeError:
        raise_error("PROCEDURE_INVALIDE", f"{getattr(procedure, '__name__', procedure)}{signature}")
    return procedure


class _Delivery:
    """Process-wide choice and the queue of sockets waiting for :func:`pump`."""

    def __init__(self) -> None:
        self.mode = CONNECTION_THREAD
        self.wakeup: Callable[[], Any] | None = None
        self.lock = threading.Lock()
        self.ready = threading.Condition(self.lock)
        self.queue: deque[EventSource] = deque()


_delivery = _Delivery()
#: Idents of the threads running a procedure in "connection" mode (a set
#: costs a third of a thread-local counter per event).
_callback_threads: set[int] = set()
#: Every live EventSource, and a condition notified each time one has run its
#: procedure (wlsocket.wlangage.modal waits on it for translated modal boxes).
_sources: weakref.WeakSet[EventSource] = weakref.WeakSet()
settled_changed = threading.Condition(threading.Lock())


def set_delivery(mode: str, wakeup: Callable[[], Any] | None = None) -> None:
    """Choose where procedures run for sockets connected from now on.

    ``"connection"`` (default): in each socket's connection thread.
    ``"pump"``: in the thread that calls :func:`pump` (Multitâche calls it
    too); ``wakeup()`` (optional, called from a connection thread, must not
    block) signals that events wait.
    """
    if mode not in (CONNECTION_THREAD, PUMP):
        raise_error("PARAMETRE_INVALIDE", f"delivery={mode!r}")
    if wakeup is not None and not callable(wakeup):
        raise_error("PARAMETRE_INVALIDE", f"wakeup={wakeup!r}")
    with _delivery.lock:
        _delivery.mode = mode
        _delivery.wakeup = wakeup
    for listener in tuple(_delivery_listeners):
        listener(mode)


#: Called with the new mode after each :func:`set_delivery` (see
#: :func:`on_delivery_change`).
_delivery_listeners: list[Callable[[str], object]] = []


def on_delivery_change(listener: Callable[[str], object]) -> None:
    """Have ``listener(mode)`` called after each :func:`set_delivery`.

    This is how the WLangage runtime learns that Multitâche must run
    :func:`pump` (wired in ``wlsocket/__init__.py``): the dispatcher does not
    know the runtime.
    """
    if listener not in _delivery_listeners:
        _delivery_listeners.append(listener)


def get_delivery() -> str:
    return _delivery.mode


def in_connection_callback() -> bool:
    """True inside a procedure run by a connection thread.  Such a thread must
    not wait for another connection thread (they could wait for each other)."""
    return get_ident() in _callback_threads


class EventSource:
    """The events of one socket on their way to its procedure."""

    def __init__(self, name: str, procedure: Procedure, function: str = "SocketConnecte") -> None:
        self.name = name
        self.procedure = procedure
        #: The WLangage function that made the socket (ErreurInfo's errFonction).
        self.function = function
        with _delivery.lock:
            self.mode = _delivery.mode
            self.wakeup = _delivery.wakeup
        self._lock = _delivery.lock
        self._events: deque[tuple[int, Any, tuple[str, object] | None]] = deque()
        self._busy = False  # a thread is running this socket's procedure
        self._queued = False  # in the pump queue
        self._opened = False
        self._closed = False  # SocketFermeture accepted: nothing after it
        #: Exceptions raised by the procedure, oldest first (kept, not raised).
        self.errors: list[BaseException] = []
        #: The procedure has handled a message, an error or the close.
        self.settled = False
        with settled_changed:
            _sources.add(self)

    # -- producer side (the connection thread) ----------------------------------

    def post(self, event: int, message: Any = "", error: tuple[str, object] | None = None) -> None:
        """Queue an event; deliver it now in "connection" mode.  ``error``
        (code, detail) goes with SocketErreur: the procedure finds it in
        ErreurInfo while it runs."""
        lock = self._lock
        lock.acquire()  # acquire/release: half the cost of a with block, on every message
        try:
            if self._closed:
                log.debug("socket %s: %s after SocketFermeture ignored", self.name, EVENT_NAMES[event])
                return
            if event == SOCKET_OPENING:
                self._opened = True
            elif event == SOCKET_MESSAGE and not self._opened:
                log.debug("socket %s: message before SocketOuverture ignored", self.name)
                return
            elif event == SOCKET_CLOSING:
                self._closed = True
            item = (event, message, error)
            if self.mode == PUMP:
                self._events.append(item)
                wake = not self._queued and not self._busy
                if wake:
                    self._queued = True
                    _delivery.queue.append(self)
                    _delivery.ready.notify_all()
            elif self._busy:
                self._events.append(item)
                return  # the thread running the procedure delivers it next
            else:
                self._busy = True
                if self._events:  # left by a runner that was interrupted: keep the order
                    self._events.append(item)
                    item = None  # type: ignore[assignment]
        finally:
            lock.release()
        if self.mode == PUMP:
            if wake and self.wakeup is not None:
                try:
                    self.wakeup()
                except Exception:
                    log.exception("wlsocket: the pump wakeup function failed")
            return
        self._drain(item)

    def _drain(self, first: tuple[int, Any, tuple[str, object] | None] | None = None) -> None:
        """Deliver ``first`` then queued events one by one (connection mode;
        _busy is ours)."""
        ident = get_ident()
        nested = ident in _callback_threads  # a procedure that made another socket post here
        _callback_threads.add(ident)
        lock = self._lock
        try:
            if first is not None:
                _invoke(self, *first)
            while True:
                lock.acquire()
                try:
                    if not self._events:
                        self._busy = False
                        return
                    item = self._events.popleft()
                finally:
                    lock.release()
                _invoke(self, *item)
        except BaseException:
            with lock:
                self._busy = False  # KeyboardInterrupt/SystemExit: let a later post deliver
            raise
        finally:
            if not nested:
                _callback_threads.discard(ident)

    # -- consumer side (pump) -----------------------------------------------------

    def _take_one(self) -> tuple[int, Any, tuple[str, object] | None] | None:
        """Under the lock: the next event if nobody is running this socket."""
        if self._busy or not self._events:
            return None
        self._busy = True
        return self._events.popleft()

    @property
    def finished(self) -> bool:
        """SocketFermeture has been delivered (or the procedure is done)."""
        with self._lock:
            return self._closed and not self._events and not self._busy


def _invoke(source: EventSource, event: int, message: Any, error: tuple[str, object] | None = None) -> str | None:
    """Run the procedure once; the failure's detail when it raised, else None."""
    if error is not None:
        record_error(error[0], error[1], source.function)
    elif in_error and get_ident() in in_error:  # ErreurDétectée, without the thread-local read
        clear_error()
    try:
        source.procedure(event, message)
        return None
    except Exception as exc:  # WLangageError included: a fatal error ends the procedure, not the socket
        source.errors.append(exc)
        procedure = getattr(source.procedure, "__name__", "procedure")
        detail = f"{procedure} ({EVENT_NAMES[event]}, socket '{source.name}'): {exc!r}"
        log.exception("wlsocket: the procedure of socket %s raised during %s", source.name, EVENT_NAMES[event])
        record_error("ECHEC_PROCEDURE", detail, EVENT_NAMES[event])
        return detail
    finally:
        if event != SOCKET_OPENING and not source.settled:  # settled only ever becomes True: once
            with settled_changed:
                source.settled = True
                settled_changed.notify_all()


def unsettled_sources() -> list[EventSource]:
    """The live sockets whose procedure has not yet handled a message, an error or the close."""
    with settled_changed:
        return unsettled_sources_locked()


def unsettled_sources_locked() -> list[EventSource]:
    """As :func:`unsettled_sources`, with ``settled_changed`` held by the caller."""
    return [source for source in _sources if not source.settled]


def pending() -> int:
    """How many events wait for :func:`pump` (sockets in "pump" mode)."""
    with _delivery.lock:
        return sum(len(source._events) for source in _delivery.queue)


def pump(timeout_ms: int = 0, max_events: int | None = None) -> int:
    """Deliver waiting events of "pump" sockets in the calling thread.

    Waits at most ``timeout_ms`` (0: not at all) for a first event, then
    delivers what is ready (at most ``max_events``) and returns how many
    procedures ran.  Safe to call from several threads and from inside a
    procedure: a socket whose procedure is already running is skipped.
    When a procedure raised, the error is left in this thread's ErreurInfo
    (ECHEC_PROCEDURE) after ``pump`` returns.
    """
    delivered = 0
    failure: tuple[str, str] | None = None
    deadline = time.monotonic() + max(0, timeout_ms) / 1000
    with _delivery.lock:
        while not _has_ready_locked():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return 0
            _delivery.ready.wait(remaining)
    while max_events is None or delivered < max_events:
        with _delivery.lock:
            source, item = _next_ready_locked()
        if source is None or item is None:
            break
        try:
            detail = _invoke(source, *item)
            if detail is not None:
                failure = ("ECHEC_PROCEDURE", detail)
        finally:
            with _delivery.lock:
                source._busy = False
                if source._events and not source._queued:
                    source._queued = True
                    _delivery.queue.append(source)
        delivered += 1
    if failure is not None:
        record_error(failure[0], failure[1], "pump")
    return delivered


def _has_ready_locked() -> bool:
    return any(not source._busy and source._events for source in _delivery.queue)


def _next_ready_locked() -> tuple[EventSource | None, tuple[int, Any, tuple[str, object] | None] | None]:
    """Pop the first queued socket that is not running and take one event."""
    for _ in range(len(_delivery.queue)):
        source = _delivery.queue.popleft()
        item = source._take_one()
        if item is not None:
            source._queued = False
            return source, item
        if source._events:
            _delivery.queue.append(source)  # busy elsewhere: keep its place
        else:
            source._queued = False
    return None, None

"""Signals, semaphores, mutexes and critical sections, by name, as WLangage.

=====================  ======================================================
Signal               SignalCrée(nom [, signalFermé|signalOuvert [, signalManuel|signalAutomatique]]),
                     SignalModifie(nom, signalOuvert|signalFermé), SignalAttend(nom [, délai]),
                     SignalDétruit(nom)
Semaphore            SémaphoreCrée(nom [, nombre d'entrées]), SémaphoreDébut(nom [, délai]),
                     SémaphoreFin(nom [, nombre]), SémaphoreDétruit(nom)
Mutex                MutexCrée(nom), MutexDébut(nom [, délai]), MutexFin(nom), MutexDétruit(nom)
Critical section     SectionCritiqueDébut([nom]), SectionCritiqueFin([nom]), the ``SectionCritique``
                     type: ``with section:`` is ``UTILISER section DANS ... FIN``
=====================  ======================================================

Delays are hundredths of a second or a duration chaîne; without one the
wait has no limit.  In the main thread, waits serve the main-thread queue.
An automatic signal (``signalAutomatique``) lets **one** waiter through
each time it is opened, then closes; a manual one stays open until
SignalModifie closes it.  A name already created is the non-fatal error
SYNCHRO_EXISTANTE (False); an unknown name, or releasing what the thread
does not hold, is fatal (SYNCHRO_INEXISTANTE, SYNCHRO_NON_POSSEDEE).

Differs: the objects live in this process only (WINDEV's ``portée``
between programs is accepted and ignored).
"""

from __future__ import annotations

import threading
import types
from typing import Any, TypeVar

from ..errors import raise_error, wlangage_function
from ._types import bad_type, need_int
from .delays import wait_seconds
from .mainthread import wait_serving

__all__ = [
    "SIGNAL_OPEN", "SIGNAL_CLOSED", "SIGNAL_MANUAL", "SIGNAL_AUTOMATIC",
    "signal_create", "signal_modify", "signal_wait", "signal_destroy",
    "semaphore_create", "semaphore_start", "semaphore_end", "semaphore_destroy",
    "mutex_create", "mutex_start", "mutex_end", "mutex_destroy",
    "SectionCritique", "critical_section_start", "critical_section_end",
]

SIGNAL_CLOSED = 0  # signalFermé
SIGNAL_OPEN = 1  # signalOuvert
SIGNAL_MANUAL = 0  # signalManuel
SIGNAL_AUTOMATIC = 1  # signalAutomatique

K = TypeVar("K")


class _Signal:
    def __init__(self, is_open: bool, automatic: bool) -> None:
        self.is_open, self.automatic = is_open, automatic
        self.changed = threading.Condition()

    def modify(self, is_open: bool) -> None:
        with self.changed:
            self.is_open = is_open
            if is_open:
                self.changed.notify_all()

    def wait(self, slice_s: float) -> bool:
        with self.changed:
            if not self.changed.wait_for(lambda: self.is_open, None if slice_s < 0 else slice_s):
                return False
            if self.automatic:
                self.is_open = False  # one waiter per opening
            return True


class _Semaphore:
    def __init__(self, size: int) -> None:
        self.size = size
        self.slots = threading.Semaphore(size)
        self.holders: dict[int, int] = {}
        self.lock = threading.Lock()

    def acquire(self, slice_s: float) -> bool:
        if not self.slots.acquire(timeout=None if slice_s < 0 else slice_s):
            return False
        with self.lock:
            ident = threading.get_ident()
            self.holders[ident] = self.holders.get(ident, 0) + 1
        return True

    def release(self, count: int) -> bool:
        with self.lock:
            ident = threading.get_ident()
            held = self.holders.get(ident, 0)
            if held < count:
                return False
            if held == count:
                del self.holders[ident]
            else:
                self.holders[ident] = held - count
        for _ in range(count):
            self.slots.release()
        return True


class _Table:
    """Objects of one kind by name (signals, semaphores, mutexes)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.objects: dict[str, Any] = {}
        self.lock = threading.Lock()

    def add(self, name: object, value: Any, where: str) -> None:
        key = _name(name, where)
        with self.lock:
            if key in self.objects:
                raise_error("SYNCHRO_EXISTANTE", f"{self.kind} {key!r}")
            self.objects[key] = value

    def get(self, name: object, where: str) -> Any:
        key = _name(name, where)
        with self.lock:
            found = self.objects.get(key)
        if found is None:
            raise_error("SYNCHRO_INEXISTANTE", f"{self.kind} {key!r}")
        return found

    def remove(self, name: object, where: str) -> None:
        key = _name(name, where)
        with self.lock:
            if self.objects.pop(key, None) is None:
                raise_error("SYNCHRO_INEXISTANTE", f"{self.kind} {key!r}")


def _name(name: object, where: str) -> str:
    if not isinstance(name, str):
        bad_type(where, name)
    if not name:
        raise_error("PARAMETRE_INVALIDE", f"{where}: empty name")
    return name


_signals = _Table("signal")
_semaphores = _Table("sémaphore")
_mutexes = _Table("mutex")


# --- signals ---------------------------------------------------------------------------


@wlangage_function("SignalCrée", failure=False)
def signal_create(name: object, initial: object = SIGNAL_CLOSED, mode: object = SIGNAL_MANUAL,
                  scope: object = None) -> bool:
    """SignalCrée / SignalCreate(<Nom> [, <Etat initial> [, <Mode> [, <Portée>]]]) -> booléen.

    Initial state ``signalFermé`` (default) or ``signalOuvert``; mode
    ``signalManuel`` (default) or ``signalAutomatique``."""
    state = need_int(initial, "SignalCrée #2")
    automatic = need_int(mode, "SignalCrée #3")
    if state not in (SIGNAL_OPEN, SIGNAL_CLOSED) or automatic not in (SIGNAL_MANUAL, SIGNAL_AUTOMATIC):
        raise_error("PARAMETRE_INVALIDE", f"SignalCrée state={state} mode={automatic}")
    _signals.add(name, _Signal(state == SIGNAL_OPEN, automatic == SIGNAL_AUTOMATIC), "SignalCrée #1")
    return True


def signal_modify(name: object, state: object) -> bool:
    """SignalModifie / SignalModify(<Nom>, <Etat>): ``signalOuvert`` wakes
    the waiters (one only for an automatic signal), ``signalFermé`` closes."""
    signal: _Signal = _signals.get(name, "SignalModifie #1")
    value = need_int(state, "SignalModifie #2")
    if value not in (SIGNAL_OPEN, SIGNAL_CLOSED):
        raise_error("PARAMETRE_INVALIDE", f"SignalModifie state={value}")
    signal.modify(value == SIGNAL_OPEN)
    return True


def signal_wait(name: object, delay: object = None) -> bool:
    """SignalAttend / SignalWait(<Nom> [, <Délai>]) -> booléen: True as
    soon as the signal is open, False when ``<Délai>`` ran out first."""
    signal: _Signal = _signals.get(name, "SignalAttend #1")
    return wait_serving(signal.wait, wait_seconds(delay, "SignalAttend #2"))


def signal_destroy(name: object) -> None:
    """SignalDétruit / SignalDestroy(<Nom>)."""
    _signals.remove(name, "SignalDétruit #1")


# --- semaphores -----------------------------------------------------------------------


@wlangage_function("SémaphoreCrée", failure=False)
def semaphore_create(name: object, size: object = 1, scope: object = None) -> bool:
    """SémaphoreCrée / SemaphoreCreate(<Nom> [, <Nombre d'entrées> [, <Portée>]]) -> booléen.

    At most ``<Nombre d'entrées>`` (default 1) threads between SémaphoreDébut and SémaphoreFin."""
    count = need_int(size, "SémaphoreCrée #2")
    if count < 1:
        raise_error("PARAMETRE_INVALIDE", f"SémaphoreCrée #2={count}")
    _semaphores.add(name, _Semaphore(count), "SémaphoreCrée #1")
    return True


def semaphore_start(name: object, delay: object = None) -> bool:
    """SémaphoreDébut / SemaphoreStart(<Nom> [, <Délai>]) -> booléen:
    True once the thread is in, False when ``<Délai>`` ran out."""
    semaphore: _Semaphore = _semaphores.get(name, "SémaphoreDébut #1")
    return wait_serving(semaphore.acquire, wait_seconds(delay, "SémaphoreDébut #2"))


def semaphore_end(name: object, count: object = 1) -> None:
    """SémaphoreFin / SemaphoreEnd(<Nom> [, <Nombre>]): lets ``<Nombre>``
    entries of this thread go; more than it holds is SYNCHRO_NON_POSSEDEE."""
    semaphore: _Semaphore = _semaphores.get(name, "SémaphoreFin #1")
    number = need_int(count, "SémaphoreFin #2")
    if number < 1 or not semaphore.release(number):
        raise_error("SYNCHRO_NON_POSSEDEE", f"sémaphore {name!r}")


def semaphore_destroy(name: object) -> None:
    """SémaphoreDétruit / SemaphoreDestroy(<Nom>)."""
    _semaphores.remove(name, "SémaphoreDétruit #1")


# --- mutexes --------------------------------------------------------------------------------


@wlangage_function("MutexCrée", failure=False)
def mutex_create(name: object, scope: object = None) -> bool:
    """MutexCrée / MutexCreate(<Nom> [, <Portée>]) -> booléen.  A thread
    may take its mutex again (each MutexDébut needs its MutexFin)."""
    _mutexes.add(name, threading.RLock(), "MutexCrée #1")
    return True


def mutex_start(name: object, delay: object = None) -> bool:
    """MutexDébut / MutexStart(<Nom> [, <Délai>]) -> booléen: True once
    this thread holds the mutex, False when ``<Délai>`` ran out."""
    mutex: Any = _mutexes.get(name, "MutexDébut #1")
    return wait_serving(lambda slice_s: bool(mutex.acquire(timeout=slice_s)), wait_seconds(delay, "MutexDébut #2"))


def mutex_end(name: object) -> None:
    """MutexFin / MutexEnd(<Nom>); a mutex this thread does not hold is SYNCHRO_NON_POSSEDEE."""
    mutex: Any = _mutexes.get(name, "MutexFin #1")
    try:
        mutex.release()
    except RuntimeError:
        raise_error("SYNCHRO_NON_POSSEDEE", f"mutex {name!r}")


def mutex_destroy(name: object) -> None:
    """MutexDétruit / MutexDestroy(<Nom>)."""
    _mutexes.remove(name, "MutexDétruit #1")


# --- critical sections --------------------------------------------------------------


class SectionCritique:
    """The WLangage ``SectionCritique`` type.

    ``UTILISER maSection DANS ... FIN`` ports as ``with ma_section: ...``
    (released however the block ends); ``SectionCritiqueDébut(maSection)``
    / ``SectionCritiqueFin(maSection)`` work on it too.  Re-entrant."""

    __slots__ = ("_lock",)

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> SectionCritique:
        self._lock.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: types.TracebackType | None) -> None:
        self._lock.release()

    def start(self) -> None:
        self._lock.acquire()

    def end(self) -> None:
        try:
            self._lock.release()
        except RuntimeError:
            raise_error("SYNCHRO_NON_POSSEDEE", "section critique")


_sections: dict[str, SectionCritique] = {}
_sections_lock = threading.Lock()
_UNNAMED = ""


def _section(name: object, where: str) -> SectionCritique:
    if isinstance(name, SectionCritique):
        return name
    if name is None:
        name = _UNNAMED
    if not isinstance(name, str):
        bad_type(where, name)
    with _sections_lock:
        return _sections.setdefault(name, SectionCritique())


def critical_section_start(name: object = None) -> None:
    """SectionCritiqueDébut / CriticalSectionStart([<Nom> | <Section critique>]).

    One thread at a time between it and SectionCritiqueFin; without a name
    the program's one unnamed section.  Prefer ``with SectionCritique():``
    (it cannot forget the end)."""
    _section(name, "SectionCritiqueDébut #1").start()


def critical_section_end(name: object = None) -> None:
    """SectionCritiqueFin / CriticalSectionEnd([<Nom> | <Section critique>]);
    a section this thread is not in is SYNCHRO_NON_POSSEDEE."""
    _section(name, "SectionCritiqueFin #1").end()

"""Signals, semaphores, mutexes and critical sections with real threads
(bounded waits; a pause is used only to let a delay run out)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import run_thread, wait_until_inside
from wlsocket import (
    ErreurDetectee,
    ErreurInfo,
    MutexCree,
    MutexDebut,
    MutexDetruit,
    MutexFin,
    SectionCritique,
    SectionCritiqueDebut,
    SectionCritiqueFin,
    SemaphoreCree,
    SemaphoreDebut,
    SemaphoreDetruit,
    SemaphoreFin,
    SignalAttend,
    SignalCree,
    SignalDetruit,
    SignalModifie,
    WLangageError,
    errCode,
    signalAutomatique,
    signalFerme,
    signalManuel,
    signalOuvert,
)


def test_a_semaphore_of_two_never_lets_a_third_thread_in():
    assert SemaphoreCree("sem2", 2)
    inside, most = [0], [0]
    entered: set[threading.Thread] = set()
    lock = threading.Condition()
    release = threading.Event()

    def worker() -> None:
        assert SemaphoreDebut("sem2", 1000)
        with lock:
            inside[0] += 1
            entered.add(threading.current_thread())
            most[0] = max(most[0], inside[0])
            lock.notify_all()
        release.wait(10)
        with lock:
            inside[0] -= 1
        SemaphoreFin("sem2")

    threads = [run_thread(worker) for _ in range(5)]
    try:
        with lock:
            assert lock.wait_for(lambda: inside[0] == 2, 10)
        # the three others are blocked in SémaphoreDébut, not merely late
        with lock:
            waiting = [t for t in threads if t not in entered]
        assert len(waiting) == 3
        for thread in waiting:
            wait_until_inside(thread, "acquire")
        with lock:
            assert inside[0] == 2
    finally:
        release.set()
        for thread in threads:
            thread.join(10)
    assert not any(t.is_alive() for t in threads) and most[0] == 2
    SemaphoreDetruit("sem2")


def test_semaphore_delay_and_misuse():
    assert SemaphoreCree("sem1")
    assert not SemaphoreCree("sem1") and ErreurDetectee and ErreurInfo(errCode) == "SYNCHRO_EXISTANTE"
    assert SemaphoreDebut("sem1")
    taken = []
    other = run_thread(lambda: taken.append(SemaphoreDebut("sem1", 5)))  # 50 ms
    other.join(10)
    assert taken == [False]
    SemaphoreFin("sem1")
    with pytest.raises(WLangageError) as info:
        SemaphoreFin("sem1")  # this thread holds nothing any more
    assert info.value.code == "SYNCHRO_NON_POSSEDEE"
    SemaphoreDetruit("sem1")
    with pytest.raises(WLangageError) as info:
        SemaphoreDebut("sem1")
    assert info.value.code == "SYNCHRO_INEXISTANTE"


def test_signalattend_returns_false_after_its_delay():
    assert SignalCree("sig_delay")
    started = time.monotonic()
    assert SignalAttend("sig_delay", 20) is False  # 200 ms
    assert time.monotonic() - started >= 0.19
    assert SignalAttend("sig_delay", "30 ms") is False
    SignalDetruit("sig_delay")


def test_signalattend_returns_true_as_soon_as_another_thread_opens_it():
    assert SignalCree("sig_open", signalFerme, signalManuel)
    result: list = []
    waiter = run_thread(lambda: result.append((SignalAttend("sig_open", 1000), time.monotonic())))
    wait_until_inside(waiter, "signal_wait")
    opened = time.monotonic()
    SignalModifie("sig_open", signalOuvert)
    waiter.join(10)
    assert result and result[0][0] is True and result[0][1] - opened < 5  # far from its 10 s delay
    assert SignalAttend("sig_open", 0)  # manual: stays open
    SignalModifie("sig_open", signalFerme)
    assert not SignalAttend("sig_open", 1)
    SignalDetruit("sig_open")


def test_an_automatic_signal_lets_one_waiter_through_per_opening():
    assert SignalCree("sig_auto", signalFerme, signalAutomatique)
    passed: list[int] = []
    lock = threading.Lock()

    def waiter(number: int) -> None:
        if SignalAttend("sig_auto", 1000):
            with lock:
                passed.append(number)

    threads = [run_thread(waiter, n) for n in range(3)]
    for thread in threads:
        wait_until_inside(thread, "signal_wait")
    for expected in (1, 2, 3):
        SignalModifie("sig_auto", signalOuvert)
        deadline = time.monotonic() + 10
        while len(passed) < expected and time.monotonic() < deadline:
            time.sleep(0.002)
        assert len(passed) == expected
    for thread in threads:
        thread.join(10)
    assert sorted(passed) == [0, 1, 2]
    SignalDetruit("sig_auto")


def test_mutex_excludes_other_threads_and_is_reentrant():
    assert MutexCree("mx")
    assert MutexDebut("mx") and MutexDebut("mx", 10)  # re-entrant for its holder
    results: list = []
    other = run_thread(lambda: results.append(MutexDebut("mx", 5)))
    other.join(10)
    assert results == [False]
    MutexFin("mx")
    MutexFin("mx")
    other = run_thread(lambda: (results.append(MutexDebut("mx", 500)), MutexFin("mx")))
    other.join(10)
    assert results == [False, True]
    with pytest.raises(WLangageError) as info:
        MutexFin("mx")
    assert info.value.code == "SYNCHRO_NON_POSSEDEE"
    MutexDetruit("mx")


def test_critical_sections_named_unnamed_and_the_type():
    counter = [0]
    section = SectionCritique()

    def add(times: int, use_type: bool) -> None:
        for _ in range(times):
            if use_type:
                with section:  # UTILISER section DANS ... FIN
                    value = counter[0]
                    time.sleep(0)
                    counter[0] = value + 1
            else:
                SectionCritiqueDebut("compteur")
                value = counter[0]
                time.sleep(0)
                counter[0] = value + 1
                SectionCritiqueFin("compteur")

    for use_type in (False, True):
        counter[0] = 0
        threads = [run_thread(add, 300, use_type) for _ in range(4)]
        for thread in threads:
            thread.join(20)
        assert counter[0] == 1200
    SectionCritiqueDebut()
    SectionCritiqueFin()
    SectionCritiqueDebut(section)
    SectionCritiqueFin(section)
    with pytest.raises(WLangageError):
        SectionCritiqueFin("jamais-entree")
    with pytest.raises(RuntimeError), section:
        raise RuntimeError("the block fails")
    blocked = run_thread(lambda: section.start() or section.end())
    blocked.join(10)
    assert not blocked.is_alive(), "a failing UTILISER block must release its section"

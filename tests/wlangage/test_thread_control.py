"""ThreadPause, Temporisation, stop requests, ThreadCourant, ThreadEtat,
ThreadMode, ThreadArrête (cooperative), thread signals, the newer
ThreadExécute syntaxes; real threads, bounded waits."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import wait_until_inside
from wlsocket import (
    ErreurDetectee,
    ErreurInfo,
    Temporisation,
    Thread,
    ThreadArretDemande,
    ThreadArrete,
    ThreadAttend,
    ThreadAttendSignal,
    ThreadCourant,
    ThreadDemandeArret,
    ThreadEnvoieSignal,
    ThreadEtat,
    ThreadExecute,
    ThreadMode,
    ThreadPause,
    ThreadPriorite,
    WLangageError,
    errCode,
    threadEnCours,
    threadInexistant,
    threadNormal,
    threadSectionCritique,
    threadSecurise,
)


@pytest.mark.parametrize("delay, seconds", [(10, 0.10), ("150 ms", 0.15), (0, 0.0)])
def test_threadpause_and_temporisation_pause_in_hundredths(delay, seconds):
    for pause in (ThreadPause, Temporisation):
        started = time.monotonic()
        pause(delay)
        elapsed = time.monotonic() - started
        assert seconds - 0.005 <= elapsed < seconds + 2


def test_threadpause_bad_delay_is_fatal():
    with pytest.raises(WLangageError) as info:
        ThreadPause("bientôt")
    assert info.value.code == "DUREE_INVALIDE"


def test_a_stop_request_is_read_by_the_thread():
    seen = threading.Event()

    def loop() -> None:
        while not ThreadArretDemande():
            ThreadPause(1)
        seen.set()

    ThreadExecute("boucle", threadNormal, loop)
    assert ThreadEtat("boucle") == threadEnCours
    assert ThreadDemandeArret("boucle")
    assert seen.wait(10)
    assert ThreadAttend("boucle", 1000)
    assert ThreadEtat("boucle") == threadInexistant
    assert not ThreadDemandeArret("boucle") and not ThreadArretDemande()


def test_threadarrete_waits_for_a_cooperative_thread():
    def loop() -> None:
        while not ThreadArretDemande():
            ThreadPause(1)

    ThreadExecute("cooperatif", threadNormal, loop)
    assert ThreadArrete("cooperatif", 1000) is True and not ErreurDetectee
    assert ThreadEtat("cooperatif") == threadInexistant


def test_threadarrete_reports_a_thread_that_does_not_stop():
    release = threading.Event()
    handle = ThreadExecute("tetu", threadNormal, lambda: release.wait(10))
    try:
        started = time.monotonic()
        assert ThreadArrete("tetu", 10) is False  # 100 ms
        assert time.monotonic() - started >= 0.09
        assert ErreurDetectee and ErreurInfo(errCode) == "THREAD_NON_ARRETE"
        assert ThreadEtat("tetu") == threadEnCours
    finally:
        release.set()
        assert handle.join(10)
    assert ThreadArrete("tetu") is True  # not running any more


def test_threadcourant_names_the_thread():
    names: list[str] = []
    handle = ThreadExecute("nomme", threadNormal, lambda: names.append(ThreadCourant()))
    assert handle.join(10)
    assert names == ["nomme"] and ThreadCourant() == ""


def test_thread_signals():
    got: list = []

    def waiter() -> None:
        got.append(ThreadAttendSignal(1000))
        got.append(ThreadAttendSignal(5))  # none sent: False after 50 ms

    handle = ThreadExecute("attend_signal", threadNormal, waiter)
    wait_until_inside(handle._thread, "thread_wait_signal")
    assert ThreadEnvoieSignal("attend_signal")
    assert handle.join(10)
    assert got == [True, False]
    assert not ThreadEnvoieSignal("attend_signal")
    with pytest.raises(WLangageError):
        ThreadAttendSignal(1)  # the main thread is not a ThreadExécute thread


def test_newer_threadexecute_syntaxes_and_modes():
    results: list = []
    variable = Thread(lambda a, b: results.append(a + b), 1, 2)
    handle = ThreadExecute(variable)
    assert handle is variable and handle.join(10)
    with pytest.raises(WLangageError) as info:
        ThreadExecute(variable)
    assert info.value.code == "THREAD_EXISTANT"
    handle = ThreadExecute(lambda x: results.append(x * 10), 4)
    assert handle.join(10) and handle.Nom_
    handle = ThreadExecute("securise", threadSecurise, results.append, "s")
    assert handle.join(10)
    ThreadPriorite("securise", 1)
    assert results == [3, 40, "s"]


def test_threadmode_section_critique_runs_threads_one_at_a_time():
    inside, most = [0], [0]
    lock = threading.Lock()

    def work() -> None:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.02)
        with lock:
            inside[0] -= 1

    ThreadMode(threadSectionCritique)
    try:
        handles = [ThreadExecute(f"serie{n}", threadNormal, work) for n in range(4)]
        for handle in handles:
            assert handle.join(10)
    finally:
        ThreadMode(threadNormal)
    assert most[0] == 1
    handles = [ThreadExecute(f"parallele{n}", threadNormal, work) for n in range(4)]
    for handle in handles:
        assert handle.join(10)

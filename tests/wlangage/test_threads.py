"""ThreadExécute, ThreadAttend, Multitâche and the pump hook.

Every thread a test starts is joined (bounded) before the test ends.
"""

from __future__ import annotations

import threading
import time

import pytest

import wlsocket
from wlsocket import WLangageError
from wlsocket.wlangage import threads as t

JOIN = 1000  # hundredths of a second: 10 s, far above what any thread here needs


def fatal(code: str, func, *args) -> None:
    with pytest.raises(WLangageError) as caught:
        func(*args)
    assert caught.value.code == code


@pytest.fixture(autouse=True)
def _no_pump_left():
    yield
    left = list(t.PUMPS)
    t.PUMPS.clear()
    assert not left, "a test left a pump registered"


def test_names_and_modes():
    assert wlsocket.ThreadExécute is wlsocket.ThreadExecute is wlsocket.threadexecute is t.thread_execute
    assert wlsocket.ThreadAttend is wlsocket.ThreadWait is t.thread_wait
    assert wlsocket.Multitâche is wlsocket.Multitache is wlsocket.Multitask is t.multitask
    assert wlsocket.threadNormal == 0
    modes = [wlsocket.threadAttendDémarrage, wlsocket.threadSectionCritique, wlsocket.threadSécurisé,
             wlsocket.threadContexteGlobal]
    assert len(set(modes)) == 4 and 0 not in modes
    assert wlsocket.threadWaitStart == wlsocket.threadAttendDemarrage


def test_thread_runs_the_procedure_with_its_parameters():
    seen = []

    def gestion(canal, count):
        seen.append((threading.current_thread().name, canal, count))
        return canal * count

    handle = t.thread_execute("Serveur_1", t.THREAD_NORMAL, gestion, "ab", 2)
    assert t.thread_wait("Serveur_1", JOIN) is True
    assert seen == [("wl:Serveur_1", "ab", 2)]
    assert handle.result == "abab" and handle.exception is None


def test_a_running_name_cannot_be_reused_until_it_ends():
    release = threading.Event()
    handle = t.thread_execute("Thread1", t.THREAD_NORMAL, release.wait, 10)
    try:
        fatal("THREAD_EXISTANT", t.thread_execute, "Thread1", t.THREAD_NORMAL, print)
        assert t.thread_wait("Thread1", 1) is False  # still running after 10 ms
    finally:
        release.set()
        assert t.thread_wait(handle, JOIN) is True
    again = t.thread_execute("Thread1", t.THREAD_NORMAL, lambda: "second")
    assert t.thread_wait(again, JOIN) and again.result == "second"


def test_names_are_case_sensitive_values():
    release = threading.Event()
    first = t.thread_execute("canal", t.THREAD_NORMAL, release.wait, 10)
    second = t.thread_execute("Canal", t.THREAD_NORMAL, release.wait, 10)
    release.set()
    assert first.join(10) and second.join(10)


def test_misuse_is_fatal():
    fatal("THREAD_NOM_VIDE", t.thread_execute, "", t.THREAD_NORMAL, print)
    fatal("TYPE_PARAMETRE_INVALIDE", t.thread_execute, None, t.THREAD_NORMAL, print)
    fatal("TYPE_PARAMETRE_INVALIDE", t.thread_execute, "x", t.THREAD_NORMAL, "ProcédureAttente")
    fatal("PARAMETRE_INVALIDE", t.thread_execute, "x", 1024, print)
    fatal("TYPE_PARAMETRE_INVALIDE", t.thread_execute, "x", "threadNormal", print)
    fatal("TYPE_PARAMETRE_INVALIDE", t.thread_wait, 12)
    fatal("TYPE_PARAMETRE_INVALIDE", t.thread_wait, "x", [1])
    assert t.thread_wait("never started") is True


def test_parameters_are_passed_by_value():
    table = [1, 2]
    started, go = threading.Event(), threading.Event()

    def worker(values):
        started.set()
        go.wait(10)
        return list(values)

    handle = t.thread_execute("copy", t.THREAD_NORMAL, worker, table)
    assert started.wait(10)
    table.append(3)
    go.set()
    assert t.thread_wait(handle, JOIN) and handle.result == [1, 2]


def test_critical_section_threads_run_one_at_a_time():
    first_in, release_first, second_in = threading.Event(), threading.Event(), threading.Event()

    def first():
        first_in.set()
        release_first.wait(10)

    first_handle = t.thread_execute("A", t.THREAD_CRITICAL_SECTION + t.THREAD_WAIT_START, first)
    assert first_in.wait(10)
    second_handle = t.thread_execute("B", t.THREAD_CRITICAL_SECTION, second_in.set)
    try:
        assert not second_in.wait(0.2), "B entered while A held the critical section"
    finally:
        release_first.set()
        assert first_handle.join(10) and second_handle.join(10)
    assert second_in.is_set()


def test_modes_without_effect_are_accepted():
    handle = t.thread_execute("S", t.THREAD_SECURE + t.THREAD_GLOBAL_CONTEXT, lambda: 42)
    assert t.thread_wait(handle, "10 s") and handle.result == 42


def test_an_exception_ends_the_thread_frees_its_name_and_is_reported(monkeypatch):
    reported = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))

    def boom():
        raise ValueError("in thread")

    handle = t.thread_execute("boom", t.THREAD_NORMAL, boom)
    assert t.thread_wait(handle, JOIN)
    assert isinstance(handle.exception, ValueError) and reported == [handle.exception]
    again = t.thread_execute("boom", t.THREAD_NORMAL, lambda: None)
    assert again.join(10)


def test_the_accept_loop_pattern_of_the_websocket_example():
    # ThreadExécute(Canal, threadNormal, ProcédureGestion, Canal) for each accepted channel
    done = []
    lock = threading.Lock()

    def gestion(canal):
        with lock:
            done.append(canal)

    handles = [t.thread_execute(f"Canal{i}", t.THREAD_NORMAL, gestion, f"Canal{i}") for i in range(5)]
    assert all(t.thread_wait(h, JOIN) for h in handles)
    assert sorted(done) == [f"Canal{i}" for i in range(5)]


# --- Multitâche and the pumps ----------------------------------------------------------


def test_multitask_zero_runs_the_pumps_once_without_pausing():
    calls = []
    t.register_pump(lambda: calls.append(1))
    try:
        start = time.monotonic()
        t.multitask(0)
        t.multitask(-1)
        assert calls == [1, 1]
        assert time.monotonic() - start < 1
    finally:
        t.PUMPS.clear()


def test_multitask_pauses_hundredths_of_a_second_and_pumps_meanwhile():
    calls = []

    def pump():
        calls.append(time.monotonic())

    t.register_pump(pump)
    t.register_pump(pump)  # registered once
    try:
        start = time.monotonic()
        t.multitask(20)  # 0.2 s
        elapsed = time.monotonic() - start
    finally:
        t.unregister_pump(pump)
        t.unregister_pump(pump)  # no error the second time
    assert 0.2 <= elapsed < 2
    assert len(calls) >= 3  # before the pause and during it
    assert calls[0] - start < 0.05


def test_multitask_accepts_a_duration_and_pauses_without_pumps():
    start = time.monotonic()
    t.multitask("50 ms")
    assert 0.05 <= time.monotonic() - start < 2
    fatal("TYPE_PARAMETRE_INVALIDE", t.multitask, [1])
    fatal("DUREE_INVALIDE", t.multitask, "soon")


def test_a_pump_error_propagates_and_a_pump_may_unregister_itself():
    def once():
        t.unregister_pump(once)

    def broken():
        raise RuntimeError("callback failed")

    t.register_pump(once)
    t.multitask(0)
    assert once not in t.PUMPS
    t.register_pump(broken)
    try:
        with pytest.raises(RuntimeError):
            t.multitask(0)
    finally:
        t.unregister_pump(broken)
    fatal("TYPE_PARAMETRE_INVALIDE", t.register_pump, "not callable")

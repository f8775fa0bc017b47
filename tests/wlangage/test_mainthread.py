"""ExécuteThreadPrincipal, <thread principal> procedures and TimerSys: run in
the main thread while it waits in Multitâche, ThreadPause, SignalAttend... or pump()."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import run_thread
from wlsocket import (
    ExecuteThreadPrincipal,
    FinTimerSys,
    Multitache,
    SignalAttend,
    SignalCree,
    SignalDetruit,
    SignalModifie,
    ThreadAttend,
    ThreadExecute,
    ThreadPause,
    TimerSys,
    WLangageError,
    signalOuvert,
    thread_principal,
    threadNormal,
)
from wlsocket.wlangage import pump

MAIN = threading.main_thread()


@pytest.fixture(autouse=True)
def _in_main_thread():
    assert threading.current_thread() is MAIN, "these tests need pytest's main thread"


def _pump_until(done: threading.Event, waiting=lambda: Multitache(1), limit_s: float = 10) -> None:
    deadline = time.monotonic() + limit_s
    while not done.is_set():
        assert time.monotonic() < deadline, "the worker never finished"
        waiting()


@pytest.mark.parametrize("waiting", ["Multitache", "ThreadPause", "pump", "SignalAttend", "ThreadAttend"])
def test_executethreadprincipal_from_a_worker_runs_in_the_main_thread(waiting):
    ran_in: list = []
    done = threading.Event()
    answers: list = []

    def in_main(value: int) -> int:
        ran_in.append(threading.current_thread())
        return value * 2

    def worker() -> None:
        answers.append(ExecuteThreadPrincipal(in_main, 21))
        done.set()

    if waiting == "ThreadAttend":
        handle = ThreadExecute("vers_principal", threadNormal, worker)
        assert ThreadAttend(handle, 1000)  # ThreadAttend serves the queue while it waits
    else:
        if waiting == "SignalAttend":
            assert SignalCree("jamais")
        run_thread(worker)
        step = {
            "Multitache": lambda: Multitache(1),
            "ThreadPause": lambda: ThreadPause(1),
            "pump": lambda: (pump(), time.sleep(0.001)),
            "SignalAttend": lambda: SignalAttend("jamais", 1),
        }[waiting]
        _pump_until(done, step)
        if waiting == "SignalAttend":
            SignalDetruit("jamais")
    assert ran_in == [MAIN] and answers == [42]


def test_the_caller_is_blocked_until_the_main_thread_serves_it():
    done = threading.Event()
    worker = run_thread(lambda: (ExecuteThreadPrincipal(lambda: None), done.set()))
    assert not done.wait(0.2), "ExécuteThreadPrincipal returned before the main thread ran it"
    _pump_until(done)
    worker.join(10)


def test_from_the_main_thread_it_runs_at_once_and_errors_reach_the_caller():
    assert ExecuteThreadPrincipal(lambda a, b: a + b, 1, 2) == 3
    failures: list = []
    done = threading.Event()

    def worker() -> None:
        try:
            ExecuteThreadPrincipal(lambda: 1 / 0)
        except ZeroDivisionError as exc:
            failures.append(exc)
        done.set()

    run_thread(worker)
    _pump_until(done)
    assert len(failures) == 1
    with pytest.raises(WLangageError) as info:  # nobody serves: the bounded form gives up
        run_and_get(lambda: ExecuteThreadPrincipal(lambda: None, timeout_s=0.05))
    assert info.value.code == "THREAD_PRINCIPAL_OCCUPE"


def run_and_get(function):
    box: list = []
    thread = run_thread(lambda: box.append(_capture(function)))
    thread.join(10)
    kind, value = box[0]
    if kind == "error":
        raise value
    return value


def _capture(function):
    try:
        return ("value", function())
    except BaseException as exc:  # handed back to the test thread
        return ("error", exc)


def test_thread_principal_decorator():
    @thread_principal
    def update(label: str) -> str:
        return f"{label} in {threading.current_thread().name}"

    done = threading.Event()
    answers: list = []
    run_thread(lambda: (answers.append(update("maj")), done.set()))
    _pump_until(done)
    assert answers == [f"maj in {MAIN.name}"] and update("direct") == f"direct in {MAIN.name}"


def test_timersys_fires_about_every_period_and_never_after_fintimersys():
    ticks: list[float] = []
    threads: set = set()

    def tick() -> None:
        ticks.append(time.monotonic())
        threads.add(threading.current_thread())

    ident = TimerSys(tick, 5)  # every 50 ms
    started = time.monotonic()
    while time.monotonic() - started < 0.6:
        Multitache(1)
    assert FinTimerSys(ident)
    count = len(ticks)
    stopped_at = time.monotonic()
    while time.monotonic() - stopped_at < 0.3:
        Multitache(1)
    assert len(ticks) == count, "a timer procedure ran after FinTimerSys"
    assert 4 <= count <= 13, count  # about 12 periods of 50 ms in 0.6 s; slower under load
    assert threads == {MAIN}
    assert not FinTimerSys(ident)


def test_timersys_ticks_do_not_pile_up_while_the_main_thread_is_busy():
    ticks: list = []
    ident = TimerSys(lambda: ticks.append(1), "10 ms")
    time.sleep(0.3)  # the main thread does not serve: ticks must not queue up
    pump()
    assert FinTimerSys(ident)
    assert ticks == [1]


def test_timersys_bad_arguments():
    with pytest.raises(WLangageError):
        TimerSys(lambda: None, 0)
    with pytest.raises(WLangageError):
        TimerSys("pas une procédure", 10)


def test_signal_opened_by_a_worker_wakes_the_main_thread_while_it_serves():
    assert SignalCree("reveil")
    worker = run_thread(lambda: (ExecuteThreadPrincipal(lambda: None), SignalModifie("reveil", signalOuvert)))
    assert SignalAttend("reveil", 1000)  # served the worker's call, then woke up
    worker.join(10)
    SignalDetruit("reveil")


def test_pump_serves_the_queue_once_then_runs_each_hook_once(monkeypatch):
    from wlsocket.wlangage import mainthread

    serves: list[int] = []
    real_serve = mainthread.serve

    def counting_serve() -> int:
        serves.append(1)
        return real_serve()

    monkeypatch.setattr(mainthread, "serve", counting_serve)
    ran: list[object] = []

    def hook() -> None:
        ran.append("hook")

    mainthread.register_pump(hook)
    try:
        for n in range(3):
            mainthread._post(lambda n=n: ran.append(n))
        assert pump() == 3
        assert pump() == 0
    finally:
        mainthread.unregister_pump(hook)
    assert len(serves) == 2, "each pump() serves the queue once"
    assert ran == [0, 1, 2, "hook", "hook"]

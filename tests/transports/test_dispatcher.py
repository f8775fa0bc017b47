"""The dispatcher, the one place where WebSocket procedures run: its
guarantees tested on EventSource directly (no network needed to produce
events), then the procedure checks made by the functions that take one."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

import wlsocket
from tests.conftest import LOOPBACK, run_thread
from wlsocket import *  # noqa: F403
from wlsocket import dispatcher
from wlsocket.dispatcher import EventSource, check_procedure, pump, set_delivery

OPEN, MESSAGE, CLOSING, ERROR = SocketOuverture, SocketMessage, SocketFermeture, SocketErreur


@pytest.fixture
def pump_mode():
    set_delivery("pump")
    yield
    set_delivery("connection")
    while pump(0):  # leave no event queued for the next test
        pass


class Log:
    def __init__(self) -> None:
        self.events: list[tuple[int, Any]] = []
        self.threads: list[str] = []

    def __call__(self, event: int, message: Any) -> None:
        self.events.append((event, message))
        self.threads.append(threading.current_thread().name)


def test_event_values_and_names():
    assert (SocketOuverture, SocketMessage, SocketFermeture, SocketErreur) == (1, 2, 3, 4)
    assert SocketOpening is SocketOuverture and SocketClosing is SocketFermeture and SocketError is SocketErreur
    assert wlsocket.socketouverture == 1 and wlsocket.SOCKETFERMETURE == 3


def test_connection_mode_delivers_at_once_in_order_in_the_posting_thread():
    log = Log()
    source = EventSource("s", log)
    source.post(OPEN, "")
    for index in range(100):
        source.post(MESSAGE, str(index))
    source.post(CLOSING, "1000")
    assert log.events == [(OPEN, "")] + [(MESSAGE, str(i)) for i in range(100)] + [(CLOSING, "1000")]
    assert set(log.threads) == {threading.current_thread().name}
    assert source.finished


def test_closing_exactly_once_and_last_messages_only_after_opening():
    log = Log()
    source = EventSource("s", log)
    source.post(MESSAGE, "before opening")  # a transport bug would do this: dropped
    source.post(ERROR, "refused")  # an error may come without opening
    source.post(CLOSING, "1006")
    source.post(CLOSING, "again")
    source.post(MESSAGE, "after closing")
    source.post(ERROR, "after closing")
    assert log.events == [(ERROR, "refused"), (CLOSING, "1006")]


def test_never_two_events_of_one_socket_at_once_even_from_many_threads():
    running, overlaps, seen = [0], [0], []
    lock = threading.Lock()
    go = threading.Barrier(8)

    def procedure(event: int, message: Any) -> None:
        with lock:
            running[0] += 1
            overlaps[0] += running[0] > 1
        seen.append(message)
        sum(range(200))  # a little work, to widen any window
        with lock:
            running[0] -= 1

    source = EventSource("s", procedure)
    source.post(OPEN, "")

    def producer(base: int) -> None:
        go.wait(10)
        for index in range(500):
            source.post(MESSAGE, (base, index))

    threads = [run_thread(producer, base) for base in range(8)]
    for thread in threads:
        thread.join(30)
    source.post(CLOSING, "1000")
    assert overlaps[0] == 0
    assert len(seen) == 1 + 8 * 500 + 1
    for base in range(8):  # each producer's events kept their order
        assert [m[1] for m in seen if isinstance(m, tuple) and m[0] == base] == list(range(500))


def test_a_procedure_posting_to_its_own_socket_does_not_reenter():
    depth, order = [0], []

    def procedure(event: int, message: Any) -> None:
        depth[0] += 1
        assert depth[0] == 1
        order.append(message)
        if message == "first":
            source.post(MESSAGE, "posted from inside")
            order.append("end of first")
        depth[0] -= 1

    source = EventSource("s", procedure)
    source.post(OPEN, "open")
    source.post(MESSAGE, "first")
    assert order == ["open", "first", "end of first", "posted from inside"]


def test_exception_is_logged_recorded_and_later_events_delivered(caplog):
    log = Log()

    def procedure(event: int, message: Any) -> None:
        if message == "boom":
            raise RuntimeError("boom")
        log(event, message)

    source = EventSource("faulty", procedure)
    with caplog.at_level(logging.ERROR, logger="wlsocket"):
        source.post(OPEN, "")
        source.post(MESSAGE, "boom")
        assert ErreurInfo(errCode) == "ECHEC_PROCEDURE"  # this thread ran it
        assert "faulty" in ErreurInfo(errMessage) and "boom" in ErreurInfo(errMessage)
        source.post(MESSAGE, "after")
        source.post(CLOSING, "1000")
    assert log.events == [(OPEN, ""), (MESSAGE, "after"), (CLOSING, "1000")]
    assert [type(error) for error in source.errors] == [RuntimeError]
    assert any(record.name == "wlsocket" and record.exc_info for record in caplog.records)


def test_pump_mode_waits_for_the_program(pump_mode):
    log = Log()
    woken = []
    set_delivery("pump", wakeup=lambda: woken.append(1))
    source = EventSource("p", log)
    producer = run_thread(lambda: [source.post(OPEN, ""), source.post(MESSAGE, "m"), source.post(CLOSING, "1000")])
    producer.join(10)
    assert log.events == [] and woken == [1] and dispatcher.pending() == 3
    assert pump(0, max_events=1) == 1
    assert log.events == [(OPEN, "")]
    assert pump(1000) == 2
    assert log.events == [(OPEN, ""), (MESSAGE, "m"), (CLOSING, "1000")]
    assert set(log.threads) == {threading.current_thread().name}
    assert pump(0) == 0  # nothing left: returns at once


def test_pump_waits_at_most_its_timeout(pump_mode):
    started = threading.Event()
    result = []
    waiter = run_thread(lambda: (started.set(), result.append(pump(5000))))
    started.wait(10)
    EventSource("late", Log()).post(OPEN, "")
    waiter.join(10)
    assert result == [1]


def test_pump_inside_a_procedure_skips_the_running_socket(pump_mode):
    order = []

    def first(event: int, message: Any) -> None:
        order.append(("first", message))
        if message == "m1":
            a.post(MESSAGE, "m2")  # must not be delivered inside this call
            b.post(OPEN, "b0")
            assert pump(0) == 1  # delivers b's event only
            order.append(("first", "after inner pump"))

    def second(event: int, message: Any) -> None:
        order.append(("second", message))

    a, b = EventSource("a", first), EventSource("b", second)
    a.post(OPEN, "m0")
    a.post(MESSAGE, "m1")
    while pump(0):
        pass
    assert order == [("first", "m0"), ("first", "m1"), ("second", "b0"), ("first", "after inner pump"),
                     ("first", "m2")]


def test_pump_reports_a_failing_procedure_in_errorinfo(pump_mode):
    def procedure(event: int, message: Any) -> None:
        raise KeyError("missing")

    EventSource("x", procedure).post(OPEN, "")
    assert pump(0) == 1
    assert ErreurDetectee and ErreurInfo(errCode) == "ECHEC_PROCEDURE"


def test_multitache_runs_the_pump(pump_mode):
    log = Log()
    EventSource("m", log).post(OPEN, "")
    Multitache(0)
    assert log.events == [(OPEN, "")]


def test_set_delivery_rejects_unknown_modes():
    with pytest.raises(WLangageError) as info:
        set_delivery("gui")
    assert info.value.code == "PARAMETRE_INVALIDE"


# --- the procedure itself: PROCEDURE_INVALIDE, fatal, at the call ----------------------------


def two(event, message):
    pass


def with_default(event, message, extra=None):
    pass


def variadic(*arguments):
    pass


class Handler:
    def on_event(self, event, message):
        pass

    def __call__(self, event, message):
        pass


@pytest.mark.parametrize("procedure", [two, with_default, variadic, Handler().on_event, Handler(), print,
                                       lambda n, s: None])
def test_procedures_of_two_parameters_are_accepted(procedure):
    assert check_procedure(procedure) is procedure


def no_parameter():
    pass


def one(event):
    pass


def three(event, message, third):
    pass


def keyword_only(event, *, message):
    pass


@pytest.mark.parametrize("procedure", [None, 42, "ProcRetour", no_parameter, one, three, keyword_only, Handler])
def test_wrong_procedures_are_fatal_at_the_call(procedure, port):
    for call in (
        lambda: SocketConnecte("w", f"ws://{LOOPBACK}:{port}", procedure),
        lambda: (
            WebSocketClientConnecte("w", procedure, LOOPBACK, port)
            if callable(procedure)
            else check_procedure(procedure)
        ),
    ):
        with pytest.raises(WLangageError) as info:
            call()
        assert info.value.code == "PROCEDURE_INVALIDE"
        assert not SocketExiste("w")
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("wlsocket-ws-")]

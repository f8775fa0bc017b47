"""Races: SocketFerme against threads blocked on the same name, names
reused at once, and the registry hammered by 16 threads.

Threads are acted on only once they are really blocked inside the package
(``wait_until_inside`` looks at their stacks); nothing sleeps to synchronise.
"""

from __future__ import annotations

import contextlib
import fcntl
import random
import socket
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import LOOPBACK, wait_until_inside
from tests.hostile.test_tcp_hostile_peers import Baseline
from wlsocket import *  # noqa: F403
from wlsocket.registry import REGISTRY

IO_TIMEOUT_MS = 15_000
#: "Promptly": far below the forever the blocked call would otherwise wait,
#: loose enough for a loaded 2-core machine.
PROMPT_S = 10


class Call:
    """A WLangage call run in its own thread, remembering what it gave."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.result: Any = "not returned"
        self.code = ""
        self.exception: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self.thread.start()

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        try:
            self.result = function(*args)
            self.code = ErreurInfo(errCode)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            self.exception = exc

    def finished(self) -> Call:
        self.thread.join(PROMPT_S)
        assert not self.thread.is_alive(), "the blocked call did not return"
        assert self.exception is None, f"exception from inside the package: {self.exception!r}"
        return self


def connected_pair(port: int) -> str:
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketConnecte("cli", port, LOOPBACK, IO_TIMEOUT_MS)
    assert SocketAttendConnexion("srv", IO_TIMEOUT_MS)
    channel = SocketAccepte("srv")
    assert channel
    return channel


def unread_bytes(sock: socket.socket) -> int:
    return struct.unpack("i", fcntl.ioctl(sock, termios.FIONREAD, b"\0\0\0\0"))[0]


@pytest.mark.parametrize("wait", [True, False], ids=["wait_forever", "long_timeout"])
def test_close_wakes_a_reader_blocked_mid_message(port, wait):
    channel = connected_pair(port)
    SocketChangeModeTransmission("cli", SocketSansMarqueurFin)
    SocketEcrit("cli", "1000\r\nthe start")  # the reader holds a partial message
    reader = Call(SocketLit, channel, wait, 600_000)
    wait_until_inside(reader.thread, "_read_locked")
    SocketFerme(channel)
    reader.finished()
    assert (reader.result, reader.code) == ("", "SOCKET_FERMEE")
    SocketFerme("cli")
    SocketFerme("srv")


def test_close_wakes_every_reader_queued_on_one_name(port):
    channel = connected_pair(port)
    first = Call(SocketLit, channel)
    wait_until_inside(first.thread, "_read_locked")
    queued = [Call(SocketLit, channel) for _ in range(4)]
    for call in queued:
        wait_until_inside(call.thread, "read")
    SocketFerme(channel)
    for call in [first, *queued]:
        call.finished()
        assert call.result == ""
        # Readers queued behind the read lock see the close too.
        assert call.code == "SOCKET_FERMEE"
    SocketFerme("cli")
    SocketFerme("srv")


def test_close_wakes_wait_for_connection_in_several_threads(port):
    assert SocketCrée("srv", port, LOOPBACK)
    waiters = [Call(SocketAttendConnexion, "srv") for _ in range(4)]
    for call in waiters:
        wait_until_inside(call.thread, "wait_readable")
    SocketFerme("srv")
    for call in waiters:
        call.finished()
        assert (call.result, call.code) == (False, "SOCKET_FERMEE")


def test_close_wakes_a_simplified_server_waiting_for_its_first_client(port):
    assert SocketCrée("srv", port, LOOPBACK)
    reader = Call(SocketLit, "srv")
    wait_until_inside(reader.thread, "wait_readable")
    SocketFerme("srv")
    reader.finished()
    assert (reader.result, reader.code) == ("", "SOCKET_FERMEE")


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketSansMarqueurFin])
def test_close_wakes_a_writer_blocked_by_a_peer_that_does_not_read(port, mode):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketChangeModeTransmission("srv", mode)
    peer = socket.create_connection((LOOPBACK, port))
    assert SocketAttendConnexion("srv", IO_TIMEOUT_MS)
    channel = SocketAccepte("srv")
    payload = Buffer(b"w" * (48 * 1024 * 1024))  # far more than the socket buffers hold
    writer = Call(SocketEcrit, channel, payload)
    wait_until_inside(writer.thread, "write")
    deadline = time.monotonic() + PROMPT_S
    while unread_bytes(peer) == 0:  # bytes are flowing: sendall is under way
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert writer.thread.is_alive()
    SocketFerme(channel)
    writer.finished()
    assert (writer.result, writer.code) == (False, "SOCKET_FERMEE")
    peer.close()
    SocketFerme("srv")


def test_a_name_is_reused_at_once_while_the_old_reader_is_still_waking(port):
    channel = connected_pair(port)
    old_reader = Call(SocketLit, "cli")
    wait_until_inside(old_reader.thread, "_read_locked")
    SocketFerme("cli")
    # Reuse the name before the old reader has even been joined.
    assert SocketConnecte("cli", port, LOOPBACK, IO_TIMEOUT_MS)
    assert SocketAttendConnexion("srv", IO_TIMEOUT_MS)
    new_channel = SocketAccepte("srv")
    old_reader.finished()
    assert (old_reader.result, old_reader.code) == ("", "SOCKET_FERMEE")
    # The new socket under the old name works and got nothing of the old one.
    assert SocketEcrit(new_channel, "for the new cli")
    assert SocketLit("cli", False, IO_TIMEOUT_MS) == "for the new cli"
    for _round in range(20):  # close and recreate in a tight loop
        SocketFerme("cli")
        assert not SocketExiste("cli")
        assert SocketConnecte("cli", port, LOOPBACK, IO_TIMEOUT_MS), ErreurInfo()
        assert SocketExiste("cli")
        assert SocketAttendConnexion("srv", IO_TIMEOUT_MS)
        SocketFerme(SocketAccepte("srv"))
    for name in ("cli", channel, new_channel, "srv"):
        SocketFerme(name)


def test_registry_stays_consistent_under_16_threads(port):
    """16 threads create, write to, test and close distinct and shared names
    at once.  Every outcome is a documented one, and the books balance."""
    baseline = Baseline()
    listener = socket.socket()
    listener.bind((LOOPBACK, port))
    listener.listen(4096)
    accepted: list[socket.socket] = []
    stop_accepting = threading.Event()

    def accept_loop() -> None:
        listener.settimeout(0.1)
        while not stop_accepting.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(listener.accept()[0])

    acceptor = threading.Thread(target=accept_loop)
    acceptor.start()
    workers, rounds = 16, 40
    start = threading.Barrier(workers, timeout=PROMPT_S)
    lock = threading.Lock()
    tally = {"shared_created": 0, "shared_closed": 0, "connected": 0}
    problems: list[str] = []

    def expect_fatal(exc: WLangageError, *codes: str) -> None:
        if exc.code not in codes:
            problems.append(f"{exc.code}: {exc}")

    def worker(index: int) -> None:
        rng = random.Random(index)
        start.wait()
        for number in range(rounds):
            own = f"own-{index}-{number}"
            if not SocketConnecte(own, port, LOOPBACK, IO_TIMEOUT_MS):
                problems.append(f"connect {own}: {ErreurInfo()}")
                continue
            with lock:
                tally["connected"] += 1
            if not SocketExiste(own) or not SocketEcrit(own, own):
                problems.append(f"{own} lost: {ErreurInfo()}")
            action = rng.randrange(4)
            try:
                if action == 0 and SocketConnecte("shared", port, LOOPBACK, IO_TIMEOUT_MS):
                    with lock:
                        tally["shared_created"] += 1
                        tally["connected"] += 1
                elif action == 1:
                    SocketFerme("shared")
                    with lock:
                        tally["shared_closed"] += 1
                elif action == 2:
                    if not SocketEcrit("shared", "x") and ErreurInfo(errCode) not in (
                        "SOCKET_FERMEE",
                        "ECHEC_ECRITURE_SOCKET",
                    ):
                        problems.append(f"write shared: {ErreurInfo()}")
                else:
                    SocketExiste("shared")
            except WLangageError as exc:
                expect_fatal(exc, "SOCKET_EXISTANTE", "SOCKET_INEXISTANTE")
            SocketFerme(own)
            if SocketExiste(own):
                problems.append(f"{own} still exists after SocketFerme")

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(90)
        assert not thread.is_alive()
    assert not problems, problems[:5]
    still_open = tally["shared_created"] - tally["shared_closed"]
    assert still_open in (0, 1)
    assert SocketExiste("shared") == (still_open == 1)
    assert REGISTRY.names() == (["shared"] if still_open else [])
    if still_open:
        SocketFerme("shared")
    deadline = time.monotonic() + 60
    while len(accepted) < tally["connected"]:  # every connection reached the listener
        assert time.monotonic() < deadline, f"{len(accepted)} of {tally['connected']} accepted"
        time.sleep(0.01)
    stop_accepting.set()
    acceptor.join(PROMPT_S)
    assert not acceptor.is_alive()
    assert tally["connected"] >= workers * rounds
    for sock in accepted:
        sock.close()
    listener.close()
    baseline.check()


def test_concurrent_socket_ferme_on_one_name_closes_it_once(port):
    channel = connected_pair(port)
    outcomes: list[str] = []
    start = threading.Barrier(8, timeout=PROMPT_S)

    def closer() -> None:
        start.wait()
        try:
            SocketFerme("cli")
            outcomes.append("closed")
        except WLangageError as exc:
            outcomes.append(exc.code)

    pool = [threading.Thread(target=closer) for _ in range(8)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(PROMPT_S)
        assert not thread.is_alive()
    assert sorted(outcomes) == ["SOCKET_INEXISTANTE"] * 7 + ["closed"]
    SocketFerme(channel)
    SocketFerme("srv")


def test_socket_ferme_racing_the_simplified_servers_first_accept(port):
    """Regression: SocketFerme landing after the simplified server accepted
    its first client but before it kept the channel used to leave that
    channel open (a leaked descriptor) with the reader blocked on it.

    The reader is paused, by a trace function, on entering wrap_accepted:
    the connection is accepted, the channel not yet kept."""
    assert SocketCrée("srv", port, LOOPBACK)
    baseline = Baseline()
    inside, go_on = threading.Event(), threading.Event()

    def pause_in_wrap_accepted(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "wrap_accepted":
            inside.set()
            go_on.wait(PROMPT_S)
        return None

    threading.settrace(pause_in_wrap_accepted)
    try:
        reader = Call(SocketLit, "srv")  # waits forever for the first client
    finally:
        threading.settrace(None)  # only the reader's thread is traced
    peer = socket.create_connection((LOOPBACK, port), timeout=PROMPT_S)
    try:
        assert inside.wait(PROMPT_S)
        SocketFerme("srv")
        go_on.set()
        reader.finished()
        assert (reader.result, reader.code) == ("", "SOCKET_FERMEE")
        assert peer.recv(16) == b""  # the accepted connection was closed, not kept
    finally:
        go_on.set()
        peer.close()
    baseline.check(fewer_fds=1)  # the listener's descriptor is gone too


def _line_channel(port: int) -> tuple[socket.socket, str]:
    """A plain peer and the channel reading its CR LF lines (SocketMarqueurFinBuffer)."""
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketChangeModeTransmission("srv", SocketMarqueurFinBuffer, "\r\n")
    peer = socket.create_connection((LOOPBACK, port), timeout=PROMPT_S)
    assert SocketAttendConnexion("srv", IO_TIMEOUT_MS)
    return peer, SocketAccepte("srv")


def test_lines_split_ahead_go_each_to_exactly_one_of_four_readers(port):
    """Lines that arrive many to a segment are split ahead and taken without
    the read lock: four threads reading one channel get every line once,
    each thread in the order sent."""
    peer, channel = _line_channel(port)
    total = 40_000
    got: list[list[int]] = [[] for _ in range(4)]
    start = threading.Barrier(5, timeout=PROMPT_S)

    def reader(mine: list[int]) -> None:
        start.wait()
        while True:
            line = SocketLit(channel, False, IO_TIMEOUT_MS)
            if line == "end" or ErreurDétectée or line == "":
                return
            mine.append(int(line))

    pool = [threading.Thread(target=reader, args=(mine,)) for mine in got]
    for thread in pool:
        thread.start()
    start.wait()
    lines = b"".join(b"%d\r\n" % number for number in range(total))
    peer.sendall(lines + b"end\r\n" * len(pool))
    for thread in pool:
        thread.join(60)
        assert not thread.is_alive()
    assert sorted(number for mine in got for number in mine) == list(range(total))
    assert all(mine == sorted(mine) for mine in got)
    assert sum(1 for mine in got if mine) >= 2  # they did read at once
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")


def test_a_mode_change_racing_a_reader_keeps_every_byte_once_in_order(port):
    """SocketChangeModeTransmission while another thread reads lines split
    ahead: each line is read in the old mode or kept for the new one (here
    the marker LF alone, so a line read after the change ends in CR), never
    both, never lost, in order."""
    rng = random.Random(16)
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # the threads take turns every few lines, not every 5 ms
    try:
        _mode_change_racing_a_reader(port, rng)
    finally:
        sys.setswitchinterval(switching)


def _mode_change_racing_a_reader(port: int, rng: random.Random) -> None:
    for attempt in range(20):
        peer, channel = _line_channel(port)
        lines = b"".join(b"line %d.%d\r\n" % (attempt, number) for number in range(3_000))
        peer.sendall(lines)
        read: list[str] = []
        first = threading.Event()

        def reader() -> None:
            for _ in range(2_000):
                read.append(SocketLit(channel, False, IO_TIMEOUT_MS))  # noqa: B023 - joined in the loop
                first.set()  # noqa: B023

        thread = threading.Thread(target=reader)
        thread.start()
        assert first.wait(PROMPT_S)
        time.sleep(rng.random() / 2000)  # somewhere in the reader's run; any moment is a valid one
        assert SocketChangeModeTransmission(channel, SocketMarqueurFinBuffer, "\n")
        thread.join(PROMPT_S)
        assert not thread.is_alive()
        while len(read) < 3_000:
            read.append(SocketLit(channel, False, IO_TIMEOUT_MS))
        assert not ErreurDétectée, ErreurInfo()
        rebuilt = "".join(line + "\n" if line.endswith("\r") else line + "\r\n" for line in read)
        assert rebuilt.encode() == lines
        peer.close()
        SocketFerme(channel)
        SocketFerme("srv")


def test_a_limit_lowered_under_lines_split_ahead_refuses_them_as_before(port):
    """SocketTailleMaxMessage applies to lines already received: the first
    one over the new limit is refused (MESSAGE_TROP_GRAND) and the connection
    dropped, as when the line arrives after the change."""
    peer, channel = _line_channel(port)
    peer.sendall(b"short\r\nmuch longer line\r\nshort again\r\n")
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "short"
    assert SocketTailleMaxMessage(channel, 10)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "MESSAGE_TROP_GRAND" and "16 > 10" in ErreurInfo()
    assert SocketLit(channel) == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")

"""Hostile peers on 127.0.0.1 against wlsocket TCP servers.

Each test: the documented error, the other clients still served, and no
file descriptor or thread left behind.  Peers are raw Python sockets, so
they can send what no well-behaved WINDEV program would.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest

from tests.conftest import LOOPBACK, open_fds
from wlsocket import *  # noqa: F403

#: Generous: other people run tests on the same 2-core machine.
IO_TIMEOUT_MS = 15_000
JOIN_S = 30


def rss_bytes() -> int:
    """Resident set size of this process, from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


class Baseline:
    """Counts of descriptors and threads taken before a test acts.

    In the full suite a thread or socket left by an earlier test may end
    while this one runs, so the counts must come back to *at most* the
    baseline; a short bounded wait lets threads that were just joined leave
    the interpreter's list."""

    def __init__(self) -> None:
        self.fds = open_fds()
        self.threads = threading.active_count()

    def check(self, fewer_fds: int = 0) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if open_fds() <= self.fds - fewer_fds and threading.active_count() <= self.threads:
                return
            time.sleep(0.05)
        assert open_fds() <= self.fds - fewer_fds, f"file descriptors leaked: {open_fds()} > {self.fds - fewer_fds}"
        assert threading.active_count() <= self.threads, f"threads leaked: {threading.enumerate()}"


def accept_one(server: str) -> str:
    assert SocketAttendConnexion(server, IO_TIMEOUT_MS), ErreurInfo()
    channel = SocketAccepte(server)
    assert channel, ErreurInfo()
    return channel


def raw_peer(port: int) -> socket.socket:
    return socket.create_connection((LOOPBACK, port), timeout=IO_TIMEOUT_MS / 1000)


def server_with_raw_peer(port: int, mode: int | None = None, max_size: int | None = None) -> tuple[socket.socket, str]:
    """A wlsocket server "srv" (in ``mode``, with ``max_size``) and a raw peer
    connected to it; returns the peer and the accepted channel's name."""
    assert SocketCrée("srv", port, LOOPBACK)
    if mode is not None:
        assert SocketChangeModeTransmission("srv", mode)
    if max_size is not None:
        assert SocketTailleMaxMessage("srv", max_size)
    peer = raw_peer(port)
    return peer, accept_one("srv")


def reset_on_close(sock: socket.socket) -> None:
    """SO_LINGER 0: close() sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def read_error(channel: str) -> str:
    """SocketLit on a hostile stream: must fail with "" and give the code."""
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurDétectée
    return ErreurInfo(errCode)


def check_well_behaved_client(port: int, server: str = "srv") -> None:
    """A normal client connecting now is served as usual."""
    assert SocketConnecte("good", port, LOOPBACK, IO_TIMEOUT_MS)
    channel = accept_one(server)
    assert SocketEcrit("good", "still there?")
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "still there?"
    assert SocketEcrit(channel, "yes")
    assert SocketLit("good", False, IO_TIMEOUT_MS) == "yes"
    SocketFerme("good")
    SocketFerme(channel)


def peer_sees_the_connection_closed(peer: socket.socket) -> None:
    """After a framing error wlsocket drops the connection: EOF or reset."""
    peer.settimeout(IO_TIMEOUT_MS / 1000)
    try:
        while peer.recv(65536):
            pass
    except ConnectionResetError:
        pass


GARBAGE_SIZE_LINES = {
    "letters": b"abc\r\n",
    "negative": b"-5\r\n",
    "ten_thousand_digits": b"9" * 10_000 + b"\r\n",
    "sign_plus": b"+5\r\nhello",
    "hex": b"0x10\r\n",
    "nul_bytes": b"\x00\x00\r\n",
    "unicode_digits": "٣".encode() + b"\r\n",
    "only_newlines": b"\r\n" * 5,
}


@pytest.mark.parametrize("line", GARBAGE_SIZE_LINES.values(), ids=GARBAGE_SIZE_LINES.keys())
def test_garbage_size_line_is_an_invalid_frame_and_others_are_served(port, line):
    baseline = Baseline()
    peer, channel = server_with_raw_peer(port)
    peer.sendall(line)
    assert read_error(channel) == "TRAME_INVALIDE"
    peer_sees_the_connection_closed(peer)
    # The stream is lost for good: later reads find the connection closed
    # at once, never hang and never resynchronise on the garbage.
    for _ in range(2):
        assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
        assert ErreurInfo(errCode) == "SOCKET_FERMEE"
    check_well_behaved_client(port)
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


@pytest.mark.parametrize("announced", [5 * 1024**3, 2**63, 10**19 - 1])
def test_size_header_announcing_gigabytes_is_refused_without_allocating(port, announced):
    baseline = Baseline()
    peer, channel = server_with_raw_peer(port)
    rss_before = rss_bytes()
    peer.sendall(b"%d\r\n" % announced + b"x" * 65536)
    assert read_error(channel) == "MESSAGE_TROP_GRAND"
    assert rss_bytes() - rss_before < 200 * 1024 * 1024
    peer_sees_the_connection_closed(peer)
    check_well_behaved_client(port)
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


def test_allowed_huge_size_header_is_not_allocated_up_front(port):
    """With the limit raised to 2 GiB, a peer announcing 2 GiB and sending
    1 MiB before closing costs about 1 MiB, not 2 GiB."""
    baseline = Baseline()
    peer, channel = server_with_raw_peer(port, max_size=2 * 1024**3)
    rss_before = rss_bytes()
    peer.sendall(b"%d\r\n" % (2 * 1024**3) + b"y" * 1024 * 1024)
    peer.close()
    assert read_error(channel) == "SOCKET_FERMEE"
    assert rss_bytes() - rss_before < 200 * 1024 * 1024
    check_well_behaved_client(port)
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


def test_size_header_just_above_the_set_limit_is_refused(port):
    peer, channel = server_with_raw_peer(port, max_size=1000)
    peer.sendall(b"1000\r\n" + b"a" * 1000 + b"1001\r\n" + b"b" * 1001)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "a" * 1000
    assert read_error(channel) == "MESSAGE_TROP_GRAND"
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")


@pytest.mark.parametrize("mode", [SocketMarqueurFin, SocketMarqueurFinBuffer])
def test_end_tag_that_never_comes_is_bounded_by_the_max_message_size(port, mode):
    baseline = Baseline()
    limit = 64 * 1024
    peer, channel = server_with_raw_peer(port, mode, limit)
    peer.sendall(b"ok<EOF>")
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "ok"
    stop = threading.Event()

    def flood() -> None:
        chunk = b"<EO" + b"z" * 4093  # a marker prefix, never the marker
        try:
            while not stop.is_set():
                peer.sendall(chunk)
        except OSError:
            pass  # wlsocket dropped the connection: what we expect

    flooder = threading.Thread(target=flood)
    flooder.start()
    rss_before = rss_bytes()
    assert read_error(channel) == "MESSAGE_TROP_GRAND"
    stop.set()
    flooder.join(JOIN_S)
    assert not flooder.is_alive()
    assert rss_bytes() - rss_before < 100 * 1024 * 1024
    SocketChangeModeTransmission("srv", SocketTailleDébut)
    check_well_behaved_client(port)
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer])
def test_connection_reset_mid_message(port, mode):
    baseline = Baseline()
    peer, channel = server_with_raw_peer(port, mode)
    whole = b"5\r\nfirst" if mode == SocketTailleDébut else b"first<EOF>"
    partial = b"100\r\nonly part" if mode == SocketTailleDébut else b"only part, no marker"
    peer.sendall(whole + partial)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "first"
    reset_on_close(peer)
    peer.close()
    # The partial message is never handed out as if it were whole.
    assert read_error(channel) in ("ECHEC_LECTURE_SOCKET", "SOCKET_FERMEE")
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "SOCKET_FERMEE"
    # Writing to the reset connection fails softly (possibly after a few
    # writes that the kernel still accepts).
    results = [SocketEcrit(channel, "x" * 1024) for _ in range(20)]
    assert results[-1] is False
    assert ErreurInfo(errCode) in ("ECHEC_ECRITURE_SOCKET", "SOCKET_FERMEE")
    SocketChangeModeTransmission("srv", SocketTailleDébut)
    check_well_behaved_client(port)
    SocketFerme(channel)
    SocketFerme("srv")
    baseline.check()


def test_reset_while_a_reader_is_blocked(port):
    peer, channel = server_with_raw_peer(port)
    result = {}

    def blocked_read() -> None:
        result["message"] = SocketLit(channel)  # wait forever
        result["code"] = ErreurInfo(errCode)

    reader = threading.Thread(target=blocked_read)
    reader.start()
    peer.sendall(b"50\r\nhalf")
    reset_on_close(peer)
    peer.close()
    reader.join(JOIN_S)
    assert not reader.is_alive()
    assert result["message"] == ""
    assert result["code"] in ("ECHEC_LECTURE_SOCKET", "SOCKET_FERMEE")
    SocketFerme(channel)
    SocketFerme("srv")


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer, SocketSansMarqueurFin])
def test_half_closed_peer_still_gets_its_answer(port, mode):
    """The peer sends, shuts down its writing side, then reads our answer."""
    baseline = Baseline()
    peer, channel = server_with_raw_peer(port, mode)
    wire = {
        SocketTailleDébut: (b"8\r\nquestion", b"6\r\nanswer"),
        SocketMarqueurFin: (b"question<EOF>", b"answer<EOF>"),
        SocketMarqueurFinBuffer: (b"question<EOF>", b"answer<EOF>"),
        SocketSansMarqueurFin: (b"question", b"answer"),
    }[mode]
    peer.sendall(wire[0])
    peer.shutdown(socket.SHUT_WR)
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "question"
    assert not ErreurDétectée
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == ""
    assert ErreurInfo(errCode) == "SOCKET_FERMEE"
    # Our writing side is still open: the answer reaches the peer.
    assert SocketEcrit(channel, "answer")
    received = b""
    while len(received) < len(wire[1]):
        chunk = peer.recv(65536)
        assert chunk, "connection closed before the answer"
        received += chunk
    assert received == wire[1]
    SocketFerme(channel)
    assert peer.recv(10) == b""  # then a clean FIN
    peer.close()
    SocketFerme("srv")
    baseline.check()


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer])
def test_peer_trickling_one_byte_at_a_time_cannot_hold_a_reader(port, mode):
    """SocketLit's timeout covers the whole message: a byte every 20 ms
    keeps arriving, yet a 300 ms read ends; no byte is lost meanwhile."""
    peer, channel = server_with_raw_peer(port, mode)
    size = 100_000
    if mode == SocketTailleDébut:
        peer.sendall(b"%d\r\n" % size)
    stop = threading.Event()
    sent = []

    def trickle() -> None:
        while not stop.wait(0.02) and len(sent) < size - 1:
            peer.sendall(b"t")
            sent.append(1)

    trickler = threading.Thread(target=trickle)
    trickler.start()
    try:
        for _ in range(3):
            started = time.monotonic()
            assert SocketLit(channel, False, 300) == ""
            assert not ErreurDétectée
            # A per-piece timeout would wait until the whole message came
            # (about 2000 s at this pace); the bound is loose on purpose.
            assert time.monotonic() - started < 20
    finally:
        stop.set()
        trickler.join(JOIN_S)
    assert not trickler.is_alive()
    peer.sendall(b"t" * (size - len(sent)) + (b"" if mode == SocketTailleDébut else b"<EOF>"))
    assert SocketLit(channel, False, IO_TIMEOUT_MS) == "t" * size
    if mode != SocketTailleDébut:
        SocketChangeModeTransmission("srv", SocketTailleDébut)
    check_well_behaved_client(port)
    peer.close()
    SocketFerme(channel)
    SocketFerme("srv")


class EchoServer:
    """A thread-per-channel echo server on the name ``srv``."""

    def __init__(
        self,
        port: int,
        mode: int = SocketTailleDébut,
        create: bool = True,
        expected_codes: tuple[str, ...] = ("SOCKET_FERMEE", "ECHEC_LECTURE_SOCKET", "TRAME_INVALIDE"),
        accept_failures: tuple[str, ...] = (),
    ) -> None:
        """``create=False``: "srv" exists already (a SocketCréeSSL server).
        ``accept_failures``: SocketAccepte errors expected for connections
        the peer already abandoned (counted in ``refused``)."""
        if create:
            assert SocketCrée("srv", port, LOOPBACK)
        assert SocketChangeModeTransmission("srv", mode)
        self.expected_codes = expected_codes
        self.accept_failures = accept_failures
        self.refused = 0
        self.stop = threading.Event()
        self.handlers: list[threading.Thread] = []
        self.errors: list[str] = []
        self.accepted = 0
        self.acceptor = threading.Thread(target=self._accept_loop, name="acceptor")
        self.acceptor.start()

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            if not SocketAttendConnexion("srv", 100):
                continue
            channel = SocketAccepte("srv")
            if not channel:
                if ErreurInfo(errCode) in self.accept_failures:
                    self.refused += 1
                else:
                    self.errors.append(ErreurInfo())
                continue
            self.accepted += 1
            handler = threading.Thread(target=self._serve, args=(channel,))
            self.handlers.append(handler)
            handler.start()

    def _serve(self, channel: str) -> None:
        try:
            while not self.stop.is_set():
                message = SocketLit(channel, False, 200)
                if ErreurDétectée:
                    code = ErreurInfo(errCode)
                    if code not in self.expected_codes:
                        self.errors.append(ErreurInfo())
                    return
                if message != "" and not SocketEcrit(channel, message):
                    return
        finally:
            SocketFerme(channel)

    def close(self) -> None:
        self.stop.set()
        self.acceptor.join(JOIN_S)
        assert not self.acceptor.is_alive()
        for handler in self.handlers:
            handler.join(JOIN_S)
            assert not handler.is_alive()
        SocketFerme("srv")
        assert not self.errors, self.errors


def test_connect_and_drop_loop_while_a_normal_client_is_served(port):
    baseline = Baseline()
    server = EchoServer(port)
    drops = 300
    dropper_done = threading.Event()
    connected = []

    def dropper() -> None:
        for number in range(drops):
            try:
                sock = socket.create_connection((LOOPBACK, port), timeout=IO_TIMEOUT_MS / 1000)
            except OSError:
                continue  # backlog full for a moment: the loop goes on
            connected.append(number)
            kind = number % 3
            if kind == 1:
                reset_on_close(sock)
            elif kind == 2:
                sock.sendall(b"1000\r\nhalf a mess")
            sock.close()
        dropper_done.set()

    thread = threading.Thread(target=dropper)
    thread.start()
    try:
        assert SocketConnecte("good", port, LOOPBACK, IO_TIMEOUT_MS)
        exchanged = 0
        deadline = time.monotonic() + 90
        # Keep talking until every dropped connection went through the server.
        while not dropper_done.is_set() or exchanged < 50 or server.accepted < len(connected) + 1:
            assert time.monotonic() < deadline, f"server accepted {server.accepted} of {len(connected) + 1}"
            message = f"message {exchanged}"
            assert SocketEcrit("good", message)
            assert SocketLit("good", False, IO_TIMEOUT_MS) == message, ErreurInfo()
            exchanged += 1
        SocketFerme("good")
    finally:
        thread.join(JOIN_S)
        server.close()
    assert not thread.is_alive()
    assert len(connected) >= drops // 2  # most connections were made
    assert server.accepted == len(connected) + 1
    baseline.check()

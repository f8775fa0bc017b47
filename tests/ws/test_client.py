"""The WebSocket client against servers written by others (the `websockets`
package, wsproto), on 127.0.0.1: both syntaxes of WebSocketClientConnecte,
SocketConnecte with a ws:// URL, messages of 0 bytes to 16 MiB, subprotocols,
every common close code, limits, closing from any thread, no thread left."""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

import pytest
import trustme
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

import wlsocket
from tests.conftest import LOOPBACK, run_thread, wait_until_inside
from wlsocket import *  # noqa: F403
from wlsocket.api import websocket as ws_api
from wlsocket.dispatcher import set_delivery
from wlsocket.transports.wsclient import Phase

WAIT = 10  # seconds: the bound of every wait in these tests


# --- peers ------------------------------------------------------------------------------


class WsServer:
    """A `websockets` (threading) server on 127.0.0.1; ``close()`` waits for
    every connection handler to end."""

    def __init__(self, handler: Callable[[Any], None], **options: Any) -> None:
        options.setdefault("max_size", None)
        options.setdefault("ping_interval", None)  # its keepalive thread would outlive the test
        self.server = serve(handler, LOOPBACK, 0, **options)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="test-ws-server", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"ws://{LOOPBACK}:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(WAIT)


@contextlib.contextmanager
def ws_server(handler: Callable[[Any], None], **options: Any) -> Iterator[WsServer]:
    server = WsServer(handler, **options)
    try:
        yield server
    finally:
        server.close()


class Seen:
    """What a server handler saw: messages with their type, the close code."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.close_code: int | None = None
        self.subprotocol: str | None = None
        self.done = threading.Event()


def echo_handler(seen: Seen) -> Callable[[Any], None]:
    def handler(conn: Any) -> None:
        seen.subprotocol = conn.subprotocol
        try:
            for message in conn:
                seen.messages.append(message)
                conn.send(message)
        finally:
            seen.close_code = conn.protocol.close_rcvd.code if conn.protocol.close_rcvd else None
            seen.done.set()

    return handler


def watching_handler(seen: Seen, action: Callable[[Any], None]) -> Callable[[Any], None]:
    """Run ``action(conn)``, then wait for the client's close and record its code."""

    def handler(conn: Any) -> None:
        try:
            action(conn)
            for message in conn:
                seen.messages.append(message)
        except ConnectionClosed:
            pass
        finally:
            seen.close_code = conn.protocol.close_rcvd.code if conn.protocol.close_rcvd else None
            seen.done.set()

    return handler


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP server that accepts and never says a word (no handshake answer)."""
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_loop() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = run_thread(accept_loop)
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(WAIT)
        for conn in accepted:
            conn.close()
        listener.close()


# --- the client side ----------------------------------------------------------------


class Recorder:
    """A WLangage procedure (nEvénement, sMessage) that records what it gets,
    checks it is never re-entered, and lets the test wait on it."""

    def __init__(self, on_event: Callable[[int, Any], None] | None = None) -> None:
        self.events: list[tuple[int, Any]] = []
        self.threads: set[str] = set()
        self.on_event = on_event
        self.overlaps = 0
        self._running = False
        self._changed = threading.Condition()

    def __call__(self, event: int, message: Any) -> None:
        if self._running:
            self.overlaps += 1
        self._running = True
        try:
            self.threads.add(threading.current_thread().name)
            if self.on_event is not None:
                self.on_event(event, message)
        finally:
            self._running = False
            with self._changed:
                self.events.append((event, message))
                self._changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], timeout: float = WAIT) -> None:
        with self._changed:
            assert self._changed.wait_for(condition, timeout), f"events so far: {self.kinds()}"

    def wait_closed(self, timeout: float = WAIT) -> None:
        self.wait_for(lambda: SocketFermeture in self.kinds(), timeout)

    def wait_messages(self, count: int) -> list[Any]:
        self.wait_for(lambda: len(self.messages()) >= count)
        return self.messages()

    def kinds(self) -> list[int]:
        return [event for event, _ in self.events]

    def messages(self) -> list[Any]:
        return [message for event, message in self.events if event == SocketMessage]

    def message_of(self, event: int) -> Any:
        return next(message for kind, message in self.events if kind == event)


def connection_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("wlsocket-ws-")]


def join_connection_threads(timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    for thread in connection_threads():
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not connection_threads(), "a connection thread was left behind"


@pytest.fixture(autouse=True)
def no_thread_left():
    """Every test ends with the threads it started with: the package leaves none."""
    before = set(threading.enumerate())
    yield
    join_connection_threads()
    left = [thread.name for thread in set(threading.enumerate()) - before if thread.is_alive()]
    assert not left, f"threads left behind: {left}"


@pytest.fixture
def defaults():
    """Change ws_api defaults for one test; restored afterwards."""
    saved = ws_api.get_defaults()
    yield ws_api.set_defaults
    ws_api.set_defaults(**saved)


def connect_sync(server: WsServer, name: str = "c", **kw: Any) -> None:
    assert WebSocketClientConnecte(name, LOOPBACK, server.port, kw.pop("path", "/"), kw.pop("protocols", ""), 5000)
    assert not ErreurDetectee


# --- synchronous syntax: SocketLit returns one whole message ------------------------------


def test_sync_text_is_a_chaine_and_binary_a_buffer_both_ways():
    seen = Seen()
    with ws_server(echo_handler(seen)) as server:
        connect_sync(server)
        assert SocketEcrit("c", "héllo wörld €")
        assert SocketEcrit("c", Buffer(b"\x00\xff\x80"))
        assert SocketEcrit("c", b"raw bytes")
        first, second, third = SocketLit("c"), SocketLit("c"), SocketLit("c")
        assert type(first) is str and first == "héllo wörld €"
        assert type(second) is Buffer and bytes(second) == b"\x00\xff\x80"
        assert type(third) is Buffer and bytes(third) == b"raw bytes"
        SocketFerme("c")
        assert seen.done.wait(WAIT)
    # what the server received: a str for a chaîne, bytes for a Buffer
    assert seen.messages == ["héllo wörld €", b"\x00\xff\x80", b"raw bytes"]
    assert seen.close_code == 1000


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 1 << 20, 16 << 20])
def test_sync_every_size_crosses_intact(size):
    text = ("abcdefgé€𝄞" * (size // 10 + 1))[:size]
    binary = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    seen = Seen()
    with ws_server(echo_handler(seen)) as server:
        connect_sync(server)
        # one at a time: an echo larger than the TCP buffers must be read
        # before the next write (neither side reads while it writes)
        assert SocketEcrit("c", text)
        got_text = SocketLit("c")
        assert type(got_text) is str and got_text == text
        assert SocketEcrit("c", Buffer(binary))
        got_binary = SocketLit("c")
        assert type(got_binary) is Buffer and bytes(got_binary) == binary
        SocketFerme("c")


def test_sync_timeout_is_not_an_error_and_covers_the_whole_message():
    second_half = threading.Event()

    def fragments() -> Iterator[str]:
        yield "first half, "
        assert second_half.wait(WAIT)
        yield "second half"

    def handler(conn: Any) -> None:
        conn.recv()
        conn.send(fragments())
        conn.recv()
        conn.send(fragments())  # second_half is set by now: sent at once
        conn.recv()  # until the client closes

    with contextlib.suppress(ConnectionClosed), ws_server(handler) as server:
        connect_sync(server)
        assert SocketLit("c", False, 50) == "" and not ErreurDetectee  # nothing sent yet
        SocketEcrit("c", "go")
        # the first fragment arrives, the message is not whole: still a timeout
        assert SocketLit("c", False, 200) == "" and not ErreurDetectee
        second_half.set()
        assert SocketLit("c", False, 5000) == "first half, second half"
        SocketEcrit("c", "go")
        deadline = time.monotonic() + WAIT
        while (message := SocketLit("c", False, 0)) == "":  # a zero timeout still reads what is there
            assert not ErreurDetectee and time.monotonic() < deadline
        assert message == "first half, second half"
        SocketFerme("c")


def test_sync_subprotocol_offered_and_chosen():
    seen = Seen()
    with ws_server(echo_handler(seen), subprotocols=["json"]) as server:
        assert WebSocketClientConnecte("c", LOOPBACK, server.port, "/chat", "chat, json")
        assert SocketClientInfo("c", SocketWebSocketProtocole) == "json"
        assert SocketClientInfo("c", SocketWebSocketChemin) == "/chat"
        assert "sec-websocket-protocol: json" in SocketClientInfo("c", SocketWebSocketEntetes).split("\r\n")
        SocketEcrit("c", "x")
        assert SocketLit("c") == "x"
        SocketFerme("c")
        assert seen.done.wait(WAIT)
    assert seen.subprotocol == "json"


def test_sync_path_and_query_reach_the_server():
    paths: list[str] = []

    def handler(conn: Any) -> None:
        paths.append(conn.request.path)
        with contextlib.suppress(ConnectionClosed):
            conn.recv()

    with ws_server(handler) as server:
        assert WebSocketClientConnecte("c", LOOPBACK, server.port, "room/7?user=ana")
        SocketFerme("c")
        assert WebSocketClientConnecte("d", f"ws://{LOOPBACK}:{server.port}/from/url?x=1")
        SocketFerme("d")
    assert paths == ["/room/7?user=ana", "/from/url?x=1"]


CLOSE_CODES = [(1000, "bye"), (1001, "going away"), (1003, ""), (1008, "policy"), (1011, "oops"), (3000, ""),
               (4999, "app")]


@pytest.mark.parametrize("code, reason", CLOSE_CODES)
def test_server_close_codes_reach_both_syntaxes(code, reason):
    def handler(conn: Any) -> None:
        conn.send("last words")
        conn.close(code, reason)

    with ws_server(handler) as server:
        connect_sync(server)
        assert SocketLit("c") == "last words"
        assert SocketLit("c") == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
        assert str(code) in ErreurInfo(errMessage) and reason in ErreurInfo(errMessage)
        assert SocketLit("c", False, 100) == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
        assert not SocketEcrit("c", "too late") and ErreurInfo(errCode) == "SOCKET_FERMEE"
        assert SocketExiste("c")  # the name stays until SocketFerme
        SocketFerme("c")

        recorder = Recorder()
        assert SocketConnecte("a", server.url, recorder)
        recorder.wait_closed()
        assert recorder.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
        assert recorder.message_of(SocketFermeture) == (f"{code} {reason}" if reason else str(code))
        SocketFerme("a")


def test_sync_close_from_another_thread_wakes_a_blocked_read():
    seen = Seen()
    with ws_server(watching_handler(seen, lambda conn: None)) as server:
        connect_sync(server)
        result: list[Any] = []
        reader = run_thread(lambda: result.append((SocketLit("c"), ErreurInfo(errCode))))
        wait_until_inside(reader, "_wait_readable")
        started = time.monotonic()
        SocketFerme("c")
        reader.join(WAIT)
        assert time.monotonic() - started < 5
        assert result == [("", "SOCKET_FERMEE")]
        assert seen.done.wait(WAIT)
    assert seen.close_code == 1000  # a real close handshake, not a dropped TCP


# --- asynchronous: the procedure gets SocketOuverture, SocketMessage..., SocketFermeture --------


def test_socketconnecte_ws_url_doc_example():
    """The browser example: write from SocketOuverture, receive, close."""
    seen = Seen()

    def on_event(event: int, message: Any) -> None:
        if event == SocketOuverture:
            SocketEcrit("client", "Texte du message envoyé depuis le navigateur.")

    recorder = Recorder(on_event)
    with ws_server(echo_handler(seen)) as server:
        assert SocketConnecte("client", f"ws://{LOOPBACK}:{server.port}", recorder)
        assert SocketExiste("client")
        assert recorder.wait_messages(1) == ["Texte du message envoyé depuis le navigateur."]
        SocketFerme("client")
        recorder.wait_closed()
        assert seen.done.wait(WAIT)
    assert recorder.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert recorder.message_of(SocketFermeture) == "1000"
    assert recorder.overlaps == 0
    assert seen.close_code == 1000


@pytest.mark.parametrize("size", [0, 65536, 1 << 20, 16 << 20])
def test_async_sizes_and_types(size):
    text = ("ü" * size)[:size]
    binary = bytes(size)
    seen = Seen()

    def on_event(event: int, message: Any) -> None:
        if event == SocketOuverture:
            SocketEcrit("a", text)
        elif event == SocketMessage and type(message) is str:
            SocketEcrit("a", Buffer(binary))  # after the echo of the first (see above)

    recorder = Recorder(on_event)
    with ws_server(echo_handler(seen)) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        got_text, got_binary = recorder.wait_messages(2)
        assert type(got_text) is str and got_text == text
        assert type(got_binary) is Buffer and bytes(got_binary) == binary
        SocketFerme("a")
        recorder.wait_closed()


def test_async_events_keep_their_order_and_never_overlap():
    count = 2000

    def handler(conn: Any) -> None:
        for index in range(count):
            conn.send(str(index) if index % 2 else str(index).encode())
        with contextlib.suppress(ConnectionClosed):
            conn.recv()

    recorder = Recorder()
    with ws_server(handler) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        messages = recorder.wait_messages(count)
        SocketFerme("a")
        recorder.wait_closed()
    assert [str(message) for message in messages] == [str(index) for index in range(count)]
    assert [type(message) for message in messages[:2]] == [Buffer, str]
    assert recorder.kinds()[0] == SocketOuverture and recorder.kinds()[-1] == SocketFermeture
    assert recorder.kinds().count(SocketFermeture) == 1
    assert recorder.overlaps == 0
    assert recorder.threads == {"wlsocket-ws-a"}


def test_procedure_may_write_close_and_reconnect_the_same_name():
    """SocketEcrit, SocketFerme and SocketConnecte on its own name, from the
    procedure, without deadlock; the second connection is a new one."""
    seen = Seen()
    second = Recorder(lambda event, message: SocketEcrit("same", "second hello") if event == SocketOuverture else None)
    url: list[str] = []

    def on_event(event: int, message: Any) -> None:
        if event == SocketOuverture:
            SocketEcrit("same", "first hello")
        elif event == SocketMessage:
            SocketFerme("same")  # from inside its own procedure
        elif event == SocketFermeture:
            assert not SocketExiste("same")
            assert SocketConnecte("same", url[0], second)

    first = Recorder(on_event)
    with ws_server(echo_handler(seen)) as server:
        url.append(server.url)
        assert SocketConnecte("same", server.url, first)
        first.wait_closed()
        assert second.wait_messages(1) == ["second hello"]
        SocketFerme("same")
        second.wait_closed()
    assert first.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert second.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert not [error for recorder in (first, second) for error in recorder.events if error[0] == SocketErreur]


def test_exception_in_procedure_is_logged_and_later_events_still_come(caplog):
    def handler(conn: Any) -> None:
        for word in ("one", "two", "three"):
            conn.send(word)
        with contextlib.suppress(ConnectionClosed):
            conn.recv()

    def on_event(event: int, message: Any) -> None:
        if message == "one":
            raise ValueError("bug in the procedure")
        if message == "two":
            SocketLit("a")  # a fatal WLangage error inside a procedure: same treatment

    recorder = Recorder(on_event)
    other = Recorder()
    with caplog.at_level(logging.ERROR, logger="wlsocket"), ws_server(handler) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        WebSocketClientConnecte("b", other, LOOPBACK, server.port)
        assert recorder.wait_messages(3) == ["one", "two", "three"]
        assert other.wait_messages(3) == ["one", "two", "three"]
        transport = wlsocket.REGISTRY.get("a")
        SocketFerme("a")
        SocketFerme("b")
        recorder.wait_closed()
        other.wait_closed()
    errors = transport._source.errors
    assert [type(error).__name__ for error in errors] == ["ValueError", "WLangageError"]
    assert errors[1].code == "FONCTION_INTERDITE"
    logged = [record for record in caplog.records if record.name == "wlsocket"]
    assert len(logged) == 2 and "bug in the procedure" in str(logged[0].exc_info[1])


def test_async_close_from_another_thread_is_prompt_and_clean():
    seen = Seen()
    recorder = Recorder()
    with ws_server(watching_handler(seen, lambda conn: None)) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        recorder.wait_for(lambda: SocketOuverture in recorder.kinds())
        closer = run_thread(lambda: SocketFerme("a"))
        started = time.monotonic()
        closer.join(WAIT)
        assert not closer.is_alive() and time.monotonic() - started < 5
        recorder.wait_closed()
        assert seen.done.wait(WAIT)
    assert seen.close_code == 1000
    assert recorder.kinds() == [SocketOuverture, SocketFermeture]


def test_procedures_close_each_others_socket():
    """A procedure closes another socket, whose procedure closes the first
    one back from its own connection thread: neither waits for the other."""
    seen = Seen()

    def left_events(event: int, message: Any) -> None:
        if event == SocketMessage:
            SocketFerme("right")  # from left's thread

    def right_events(event: int, message: Any) -> None:
        if event == SocketFermeture:
            SocketFerme("left")  # from right's thread, while left may be closing right

    left, right = Recorder(left_events), Recorder(right_events)
    with ws_server(echo_handler(seen)) as server:
        WebSocketClientConnecte("left", left, LOOPBACK, server.port)
        WebSocketClientConnecte("right", right, LOOPBACK, server.port)
        left.wait_for(lambda: SocketOuverture in left.kinds())
        right.wait_for(lambda: SocketOuverture in right.kinds())
        SocketEcrit("left", "go")
        left.wait_closed()
        right.wait_closed()
    assert left.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert right.kinds() == [SocketOuverture, SocketFermeture]
    assert not SocketExiste("left") and not SocketExiste("right")


def pump_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the event never came"
        wlsocket.dispatcher.pump(100)


def test_pump_delivers_in_the_thread_that_calls_it():
    seen = Seen()
    recorder = Recorder()
    woken = threading.Event()
    set_delivery("pump", wakeup=woken.set)
    try:
        with ws_server(echo_handler(seen)) as server:
            assert SocketConnecte("p", server.url, recorder)
            assert woken.wait(WAIT)
            assert recorder.events == []  # nothing runs until the program pumps
            pump_until(lambda: SocketOuverture in recorder.kinds())
            SocketEcrit("p", "pumped")
            deadline = time.monotonic() + WAIT
            while not recorder.messages():
                assert time.monotonic() < deadline
                Multitache(1)  # WLangage's Multitâche runs the pump too
            SocketFerme("p")
            pump_until(lambda: SocketFermeture in recorder.kinds())
    finally:
        set_delivery("connection")
    assert recorder.messages() == ["pumped"]
    assert recorder.kinds() == [SocketOuverture, SocketMessage, SocketFermeture]
    assert recorder.threads == {threading.current_thread().name}


def test_socketlit_is_forbidden_on_an_asynchronous_socket():
    with silent_listener() as port:
        recorder = Recorder()
        WebSocketClientConnecte("a", recorder, LOOPBACK, port)
        with pytest.raises(WLangageError) as info:
            SocketLit("a")
        assert info.value.code == "FONCTION_INTERDITE"
        # before SocketOuverture a write fails, non-fatally
        assert not SocketEcrit("a", "early") and ErreurInfo(errCode) == "ECHEC_ECRITURE_SOCKET"
        SocketFerme("a")
        recorder.wait_closed()
    assert recorder.kinds() == [SocketFermeture]  # closed by the program: no SocketErreur


def test_change_mode_has_no_effect_and_client_info_gives_the_server():
    seen = Seen()
    with ws_server(echo_handler(seen)) as server:
        connect_sync(server)
        assert SocketChangeModeTransmission("c", SocketMarqueurFin)
        assert SocketClientInfo("c", SocketAdresse) == LOOPBACK
        assert SocketClientInfo("c", SocketPort) == str(server.port)
        SocketEcrit("c", "still whole")
        assert SocketLit("c") == "still whole"
        SocketFerme("c")


# --- limits and bad data from the server ---------------------------------------------------


def test_oversized_message_closes_with_1009():
    seen = Seen()
    with ws_server(watching_handler(seen, lambda conn: conn.send("x" * 2000))) as server:
        connect_sync(server)
        assert SocketTailleMaxMessage("c", 1000)
        assert SocketLit("c") == "" and ErreurInfo(errCode) == "MESSAGE_TROP_GRAND"
        assert SocketLit("c") == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
        assert seen.done.wait(WAIT)
        assert seen.close_code == 1009
        SocketFerme("c")

        seen2, recorder = Seen(), Recorder()
        saved = ws_api.set_defaults(max_message_size=1000)
        try:
            with ws_server(watching_handler(seen2, lambda conn: conn.send(b"y" * 1001))) as server2:
                SocketConnecte("a", server2.url, recorder)
                recorder.wait_closed()
                SocketFerme("a")
        finally:
            ws_api.set_defaults(**saved)
    assert recorder.kinds() == [SocketOuverture, SocketErreur, SocketFermeture]
    assert "1000" in recorder.message_of(SocketErreur)  # the limit, in words
    assert recorder.message_of(SocketFermeture) == "1009"
    assert seen2.close_code == 1009


@pytest.mark.parametrize(
    "payload",
    [
        [b"\xff\xfe not utf-8"],
        [b"ends with a truncated sequence \xe2\x82"],  # websocket-client lets this one through
        [b"caf", b"\xc3", b"\xa9 ok", b" then \xed\xa0\x80"],  # a surrogate in the last fragment
        [b"fragmented and truncated \xf0\x9f", b"\x98"],
    ],
)
def test_invalid_utf8_closes_with_1007(payload):
    def send_bad(conn: Any) -> None:
        conn.send(payload[0] if len(payload) == 1 else iter(payload), text=True)

    seen, recorder = Seen(), Recorder()
    with ws_server(watching_handler(seen, send_bad)) as server:
        connect_sync(server)
        assert SocketLit("c") == "" and ErreurInfo(errCode) == "TRAME_INVALIDE"
        assert "UTF-8" in ErreurInfo(errMessage)
        assert seen.done.wait(WAIT)
        assert seen.close_code == 1007
        SocketFerme("c")
        SocketConnecte("a", server.url, recorder)
        recorder.wait_closed()
        SocketFerme("a")
    assert recorder.kinds() == [SocketOuverture, SocketErreur, SocketFermeture]
    assert recorder.message_of(SocketFermeture) == "1007"


def test_valid_utf8_split_across_fragments_is_accepted():
    pieces = [b"caf", b"\xc3", b"\xa9 ", b"\xf0\x9f", b"\x98", b"\x80"]
    with ws_server(watching_handler(Seen(), lambda conn: conn.send(iter(pieces), text=True))) as server:
        connect_sync(server)
        assert SocketLit("c") == "café 😀"
        SocketFerme("c")


# --- failures to connect ------------------------------------------------------------------------


def test_server_refusing_the_handshake_with_403():
    def refuse(conn: Any, request: Any) -> Any:
        return conn.respond(HTTPStatus.FORBIDDEN, "Forbidden\n")

    with ws_server(lambda conn: None, process_request=refuse) as server:
        assert WebSocketClientConnecte("c", LOOPBACK, server.port) is False
        assert ErreurInfo(errCode) == "ECHEC_WEBSOCKET" and "403" in ErreurInfo(errMessage)
        assert not SocketExiste("c")
        recorder = Recorder()
        assert SocketConnecte("a", server.url, recorder)
        recorder.wait_closed()
        SocketFerme("a")
    assert recorder.kinds() == [SocketErreur, SocketFermeture]
    assert "403" in recorder.message_of(SocketErreur)
    assert recorder.message_of(SocketFermeture) == "1006"


def test_server_never_answering_the_handshake_is_bounded(defaults):
    with silent_listener() as port:
        started = time.monotonic()
        assert WebSocketClientConnecte("c", LOOPBACK, port, "/", "", 300) is False
        assert time.monotonic() - started < 5
        assert ErreurInfo(errCode) == "ECHEC_CONNEXION_SOCKET" and "300 ms" in ErreurInfo(errMessage)
        defaults(connect_timeout=300)
        recorder = Recorder()
        started = time.monotonic()
        assert SocketConnecte("a", f"ws://{LOOPBACK}:{port}", recorder)
        recorder.wait_closed()
        assert time.monotonic() - started < 5
        SocketFerme("a")
    assert recorder.kinds() == [SocketErreur, SocketFermeture]


def test_closing_while_the_handshake_is_pending():
    with silent_listener() as port:
        recorder = Recorder()
        assert SocketConnecte("a", f"ws://{LOOPBACK}:{port}", recorder)
        started = time.monotonic()
        SocketFerme("a")
        assert time.monotonic() - started < 5
        recorder.wait_closed()
    assert recorder.kinds() == [SocketFermeture]


# --- keepalive ------------------------------------------------------------------------------


class WsprotoServer:
    """A one-connection WebSocket server written with wsproto that counts
    the pings it receives and answers them, or stays silent."""

    def __init__(self, answer_pings: bool) -> None:
        self.answer_pings = answer_pings
        self.pings = 0
        self.close_code: int | None = None
        self.changed = threading.Condition()
        self.listener = socket.socket()
        self.listener.bind((LOOPBACK, 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = run_thread(self._serve)

    def _serve(self) -> None:
        from wsproto import ConnectionType, WSConnection
        from wsproto.events import AcceptConnection, CloseConnection, Ping, Request

        self.listener.settimeout(WAIT)
        try:
            conn = self.listener.accept()[0]
        except OSError:
            return
        conn.settimeout(0.05)
        protocol = WSConnection(ConnectionType.SERVER)
        with conn:
            while not self.stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                protocol.receive_data(data or None)
                for event in protocol.events():
                    if isinstance(event, Request):
                        conn.sendall(protocol.send(AcceptConnection()))
                    elif isinstance(event, Ping):
                        with self.changed:
                            self.pings += 1
                            self.changed.notify_all()
                        if self.answer_pings:
                            conn.sendall(protocol.send(event.response()))
                    elif isinstance(event, CloseConnection):
                        self.close_code = event.code
                        if data:  # a close frame, not the end of the stream
                            conn.sendall(protocol.send(event.response()))
                        return
                if not data:
                    return

    def wait_pings(self, count: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.pings >= count, WAIT), f"{self.pings} pings"

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(WAIT)


@contextlib.contextmanager
def wsproto_server(answer_pings: bool) -> Iterator[WsprotoServer]:
    server = WsprotoServer(answer_pings)
    try:
        yield server
    finally:
        server.close()


def test_keepalive_set_on_an_open_connection_pings_and_keeps_it():
    recorder = Recorder()
    with wsproto_server(answer_pings=True) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        recorder.wait_for(lambda: SocketOuverture in recorder.kinds())
        assert WebSocketIntervallePing("a", 100)  # the reader is already waiting
        server.wait_pings(3)
        assert wlsocket.REGISTRY.get("a").phase is Phase.OPEN
        SocketFerme("a")
        recorder.wait_closed()
    assert recorder.kinds() == [SocketOuverture, SocketFermeture]
    assert server.close_code == 1000


def test_keepalive_ends_a_connection_whose_server_never_answers():
    recorder = Recorder()
    with wsproto_server(answer_pings=False) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        WebSocketIntervallePing("a", "100 ms")
        recorder.wait_closed()
        SocketFerme("a")
    assert recorder.kinds() == [SocketOuverture, SocketErreur, SocketFermeture]
    assert "keepalive" in recorder.message_of(SocketErreur)
    assert recorder.message_of(SocketFermeture) == "1006"


def test_keepalive_in_the_synchronous_syntax_runs_while_socketlit_waits():
    with wsproto_server(answer_pings=False) as server:
        assert WebSocketClientConnecte("c", LOOPBACK, server.port)
        WebSocketIntervallePing("c", 100)
        assert SocketLit("c", False, 5000) == ""
        assert ErreurInfo(errCode) == "ECHEC_LECTURE_SOCKET" and "keepalive" in ErreurInfo(errMessage)
        server.wait_pings(1)
        assert server.pings == 1  # one ping, unanswered: no second one
        SocketFerme("c")


# --- wss:// ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority():
    return trustme.CA()


@contextlib.contextmanager
def wss_server(authority: trustme.CA, seen: Seen) -> Iterator[WsServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(LOOPBACK).configure_cert(context)
    with ws_server(echo_handler(seen), ssl=context) as server:
        yield server


def test_wss_with_a_trusted_authority_both_syntaxes(authority, tmp_path, defaults):
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    seen = Seen()
    with wss_server(authority, seen) as server:
        assert WebSocketClientConnecteSSL("s", LOOPBACK, server.port, ca_file=str(ca_file))
        SocketEcrit("s", "secret")
        assert SocketLit("s") == "secret"
        SocketFerme("s")

        client_context = ssl.create_default_context()
        authority.configure_trust(client_context)
        defaults(ssl_context=client_context)
        recorder = Recorder(lambda event, message: SocketEcrit("a", "over tls") if event == SocketOuverture else None)
        assert SocketConnecte("a", f"wss://{LOOPBACK}:{server.port}/", recorder)
        assert recorder.wait_messages(1) == ["over tls"]
        SocketFerme("a")
        recorder.wait_closed()


def test_wss_with_an_untrusted_certificate_fails_clearly(authority):
    seen = Seen()
    with wss_server(authority, seen) as server:
        assert WebSocketClientConnecteSSL("s", LOOPBACK, server.port) is False
        assert ErreurInfo(errCode) == "CERTIFICAT_INVALIDE"
        recorder = Recorder()
        assert SocketConnecte("a", f"wss://{LOOPBACK}:{server.port}", recorder)
        recorder.wait_closed()
        SocketFerme("a")
    assert recorder.kinds() == [SocketErreur, SocketFermeture]
    assert "certificate" in recorder.message_of(SocketErreur).lower()


def test_an_internal_bug_still_ends_with_socketerreur_then_socketfermeture(caplog):
    """Whatever goes wrong inside the connection thread, the procedure hears
    SocketErreur then SocketFermeture and the thread ends (no silent death)."""
    recorder = Recorder()
    with caplog.at_level(logging.ERROR, logger="wlsocket"), ws_server(echo_handler(Seen())) as server:
        WebSocketClientConnecte("a", recorder, LOOPBACK, server.port)
        recorder.wait_for(lambda: SocketOuverture in recorder.kinds())
        transport = wlsocket.REGISTRY.get("a")

        def broken() -> None:
            raise RuntimeError("a bug in the frame layer")

        transport._protocol.next_event = broken  # the next frame meets the bug
        SocketEcrit("a", "wake the reader")
        recorder.wait_closed()
        SocketFerme("a")
    assert recorder.kinds() == [SocketOuverture, SocketErreur, SocketFermeture]
    assert "a bug in the frame layer" in recorder.message_of(SocketErreur)
    assert any("connection thread of a failed" in record.getMessage() for record in caplog.records)


def test_set_defaults_checks_its_values_and_returns_the_previous_ones(defaults):
    previous = defaults(connect_timeout="2 s", close_timeout=0, ping_interval=0, max_message_size=1000)
    assert previous["connect_timeout"] == 30_000 and previous["max_message_size"] == 64 * 1024 * 1024
    assert ws_api.get_defaults()["connect_timeout"] == 2000
    for bad in ({"connect_timeout": 0}, {"close_timeout": -1}, {"max_message_size": -5},
                {"ssl_context": "not a context"}, {"retries": 3}):
        with pytest.raises(WLangageError) as info:
            defaults(**bad)
        assert info.value.code == "PARAMETRE_INVALIDE"

"""One scenario per row of docs/errors.md for the WebSocket client: bad
input in both syntaxes gives the documented error (fatal at the call,
False/"" + ErreurInfo, or SocketErreur then SocketFermeture to the
procedure, with ErreurInfo describing it while the procedure runs), and
never a hang or a thread left behind."""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
from collections.abc import Callable
from typing import Any

import pytest
import trustme

import wlsocket
from tests.conftest import LOOPBACK, free_port, relative_to_tests
from tests.core.test_errors_table import rows as error_rows
from tests.ws.test_client import (  # noqa: F401 - no_thread_left is autouse: no thread left behind
    Recorder,
    WsServer,
    join_connection_threads,
    no_thread_left,
    silent_listener,
    ws_server,
)
from wlsocket import *  # noqa: F403
from wlsocket.api import websocket as ws_api
from wlsocket.errors import MESSAGES


def table_rows() -> list[tuple[str, str, str]]:
    """The rows of docs/errors.md checked by this file: (function, code, kind)."""
    here = relative_to_tests(__file__)
    return [(function, code, kind) for function, code, kind, _, file in error_rows() if file == here]


# A scenario opens what it needs on the ExitStack and returns the action.
Scenario = Callable[[contextlib.ExitStack], Callable[[], Any]]
SCENARIOS: dict[tuple[str, str], Scenario] = {}


def scenario(function: str, code: str) -> Callable[[Scenario], Scenario]:
    def register(make: Scenario) -> Scenario:
        SCENARIOS[(function, code)] = make
        return make

    return register


def echo_server(stack: contextlib.ExitStack, **options: Any) -> WsServer:
    def echo(conn: Any) -> None:
        with contextlib.suppress(Exception):
            for message in conn:
                conn.send(message)

    return stack.enter_context(ws_server(echo, **options))


def sending_server(stack: contextlib.ExitStack, action: Callable[[Any], None]) -> WsServer:
    def handler(conn: Any) -> None:
        with contextlib.suppress(Exception):
            action(conn)
            for _ in conn:
                pass

    return stack.enter_context(ws_server(handler))


def refusing_server(stack: contextlib.ExitStack) -> WsServer:
    from http import HTTPStatus

    return stack.enter_context(
        ws_server(lambda conn: None, process_request=lambda conn, request: conn.respond(HTTPStatus.FORBIDDEN, "no\n"))
    )


def plain_tcp_server(stack: contextlib.ExitStack) -> int:
    """Accepts, reads, answers garbage: not a TLS server."""
    listener = stack.enter_context(socket.socket())
    listener.bind((LOOPBACK, 0))
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    stack.callback(thread.join, 10)
    stack.callback(stop.set)
    return listener.getsockname()[1]


def tls_server(stack: contextlib.ExitStack) -> WsServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert(LOOPBACK).configure_cert(context)  # an authority nobody trusts
    return echo_server(stack, ssl=context)


def events_of(connect: Callable[[Recorder], Any], name: str = "w") -> Callable[[], Recorder]:
    """The action of an asynchronous scenario: connect, wait for the end, close."""

    def action() -> Recorder:
        codes: list[str] = []
        recorder = Recorder(lambda event, message: codes.append(ErreurInfo(errCode)) if event == SocketErreur else None)
        assert connect(recorder) is True
        recorder.wait_closed()
        SocketFerme(name)
        recorder.error_codes = codes  # type: ignore[attr-defined]
        return recorder

    return action


# --- SocketConnecte with a ws:// URL (events) ---------------------------------------------------


@scenario("SocketConnecte (ws://)", "PROCEDURE_INVALIDE")
def _(stack):
    return lambda: SocketConnecte("w", f"ws://{LOOPBACK}:{free_port()}", "ProcRetour")


@scenario("SocketConnecte (ws://)", "URL_INVALIDE")
def _(stack):
    return events_of(lambda proc: SocketConnecte("w", "ws://[::1:80/", proc))


@scenario("SocketConnecte (ws://)", "SOCKET_ADRESSE_INCONNUE")
def _(stack):
    return events_of(lambda proc: SocketConnecte("w", "ws://no-such-host.invalid:80/", proc))


@scenario("SocketConnecte (ws://)", "ECHEC_CONNEXION_SOCKET")
def _(stack):
    return events_of(lambda proc: SocketConnecte("w", f"ws://{LOOPBACK}:{free_port()}/", proc))


@scenario("SocketConnecte (ws://)", "ECHEC_WEBSOCKET")
def _(stack):
    server = refusing_server(stack)
    return events_of(lambda proc: SocketConnecte("w", server.url, proc))


@scenario("SocketConnecte (ws://)", "CERTIFICAT_INVALIDE")
def _(stack):
    server = tls_server(stack)
    return events_of(lambda proc: SocketConnecte("w", f"wss://{LOOPBACK}:{server.port}", proc))


@scenario("SocketConnecte (ws://)", "TRAME_INVALIDE")
def _(stack):
    server = sending_server(stack, lambda conn: conn.send(b"\xc3\x28 invalid", text=True))
    return events_of(lambda proc: SocketConnecte("w", server.url, proc))


@scenario("SocketConnecte (ws://)", "MESSAGE_TROP_GRAND")
def _(stack):
    server = sending_server(stack, lambda conn: conn.send(b"x" * 5000))
    saved = ws_api.set_defaults(max_message_size=4096)
    stack.callback(lambda: ws_api.set_defaults(**saved))
    return events_of(lambda proc: SocketConnecte("w", server.url, proc))


@scenario("SocketConnecte (ws://)", "ECHEC_PROCEDURE")
def _(stack):
    server = echo_server(stack)

    def action() -> bool:
        done = threading.Event()
        seen: list[str] = []

        def procedure(event: int, message: Any) -> None:
            if event == SocketOuverture:
                raise ZeroDivisionError("the procedure's own bug")
            seen.append(ErreurInfo(errCode))  # the next event starts with a clean error state
            done.set()

        wlsocket.dispatcher.set_delivery("pump")
        try:
            SocketConnecte("w", server.url, procedure)
            assert wlsocket.dispatcher.pump(10_000) == 1  # SocketOuverture: the procedure raises
            result = ErreurDetectee == True  # noqa: E712 - recorded in the pumping thread
            code = ErreurInfo(errCode)
            SocketFerme("w")
            assert wlsocket.dispatcher.pump(10_000) == 1 and done.is_set()  # SocketFermeture
        finally:
            wlsocket.dispatcher.set_delivery("connection")
        assert seen == [""]
        return result and code == "ECHEC_PROCEDURE"

    return action


# --- WebSocketClientConnecte(SSL): both syntaxes --------------------------------------------------


@scenario("WebSocketClientConnecte", "SOCKET_EXISTANTE")
def _(stack):
    server = echo_server(stack)
    assert WebSocketClientConnecte("w", LOOPBACK, server.port)
    return lambda: WebSocketClientConnecte("w", LOOPBACK, server.port)


scenario("WebSocketClientConnecte", "NOM_SOCKET_VIDE")(lambda stack: lambda: WebSocketClientConnecte("", LOOPBACK, 80))
scenario("WebSocketClientConnecte", "NUM_PORT_INVALIDE")(
    lambda stack: lambda: WebSocketClientConnecte("w", LOOPBACK, 70000)
)


@scenario("WebSocketClientConnecte", "PARAMETRE_INVALIDE")
def _(stack):
    def action() -> None:
        for arguments in [("",), (LOOPBACK, 80, "/a path"), (LOOPBACK, 80, "/", "bad protocol"),
                          (LOOPBACK, 80, "/", "", 1000, "extra"), ("wss://127.0.0.1/",), (42,)]:
            with pytest.raises(WLangageError) as info:
                WebSocketClientConnecte("w", *arguments)
            assert info.value.code == "PARAMETRE_INVALIDE", arguments
        WebSocketClientConnecte("w")

    return action


@scenario("WebSocketClientConnecte", "PROCEDURE_INVALIDE")
def _(stack):
    return lambda: WebSocketClientConnecte("w", lambda event: None, LOOPBACK, free_port())


scenario("WebSocketClientConnecte", "URL_INVALIDE")(
    lambda stack: lambda: WebSocketClientConnecte("w", f"ws://{LOOPBACK}:99999/")
)
scenario("WebSocketClientConnecte", "SOCKET_ADRESSE_INCONNUE")(
    lambda stack: lambda: WebSocketClientConnecte("w", "no-such-host.invalid")
)
scenario("WebSocketClientConnecte", "ECHEC_CONNEXION_SOCKET")(
    lambda stack: lambda: WebSocketClientConnecte("w", LOOPBACK, free_port())
)


@scenario("WebSocketClientConnecte", "ECHEC_WEBSOCKET")
def _(stack):
    server = refusing_server(stack)
    return lambda: WebSocketClientConnecte("w", LOOPBACK, server.port)


@scenario("WebSocketClientConnecte (procedure)", "ECHEC_CONNEXION_SOCKET")
def _(stack):
    port = stack.enter_context(silent_listener())
    return events_of(lambda proc: WebSocketClientConnecte("w", proc, LOOPBACK, port, "/", "", 200))


@scenario("WebSocketClientConnecteSSL", "CERTIFICAT_INVALIDE")
def _(stack):
    server = tls_server(stack)
    return lambda: WebSocketClientConnecteSSL("w", LOOPBACK, server.port)


@scenario("WebSocketClientConnecteSSL", "ECHEC_SSL")
def _(stack):
    port = plain_tcp_server(stack)
    return lambda: WebSocketClientConnecteSSL("w", LOOPBACK, port, "/", "", 0, 2000)


@scenario("WebSocketClientConnecteSSL (procedure)", "CERTIFICAT_INVALIDE")
def _(stack):
    server = tls_server(stack)
    return events_of(lambda proc: WebSocketClientConnecteSSL("w", proc, LOOPBACK, server.port))


# --- reading and writing on a WebSocket client socket ---------------------------------------------


def sync_client(stack: contextlib.ExitStack, server: WsServer) -> None:
    assert WebSocketClientConnecte("w", LOOPBACK, server.port)


@scenario("SocketLit (WebSocket)", "TRAME_INVALIDE")
def _(stack):
    def send_bad_frame(conn: Any) -> None:
        conn.socket.sendall(b"\x83\x00")  # a reserved opcode, straight on the wire

    sync_client(stack, sending_server(stack, send_bad_frame))
    return lambda: SocketLit("w")


@scenario("SocketLit (WebSocket)", "MESSAGE_TROP_GRAND")
def _(stack):
    sync_client(stack, sending_server(stack, lambda conn: conn.send("y" * 100)))
    SocketTailleMaxMessage("w", 99)
    return lambda: SocketLit("w")


@scenario("SocketLit (WebSocket)", "SOCKET_FERMEE")
def _(stack):
    sync_client(stack, sending_server(stack, lambda conn: conn.close(1001, "maintenance")))
    return lambda: SocketLit("w")


@scenario("SocketLit (WebSocket)", "ECHEC_LECTURE_SOCKET")
def _(stack):
    port = stack.enter_context(silent_websocket_server())
    assert WebSocketClientConnecte("w", LOOPBACK, port)
    WebSocketIntervallePing("w", 100)
    return lambda: SocketLit("w")


@scenario("SocketLit (WebSocket)", "FONCTION_INTERDITE")
def _(stack):
    port = stack.enter_context(silent_listener())
    WebSocketClientConnecte("w", Recorder(), LOOPBACK, port)
    return lambda: SocketLit("w")


@scenario("SocketEcrit (WebSocket)", "ECHEC_ECRITURE_SOCKET")
def _(stack):
    port = stack.enter_context(silent_listener())
    WebSocketClientConnecte("w", Recorder(), LOOPBACK, port)
    return lambda: SocketEcrit("w", "before SocketOuverture")


@scenario("SocketEcrit (WebSocket)", "PARAMETRE_INVALIDE")
def _(stack):
    sync_client(stack, echo_server(stack))
    return lambda: SocketEcrit("w", "lone surrogate \udc80")


@scenario("WebSocketIntervallePing", "PARAMETRE_INVALIDE")
def _(stack):
    sync_client(stack, echo_server(stack))
    return lambda: WebSocketIntervallePing("w", -5)


@scenario("WebSocketIntervallePing", "FONCTION_INTERDITE")
def _(stack):
    SocketCree("w", free_port(), LOOPBACK)
    return lambda: WebSocketIntervallePing("w", 1000)


@contextlib.contextmanager
def silent_websocket_server():
    """Completes the handshake (websocket-client's own server-side answer is
    not available, so the answer is built by hand from the key), then never
    answers anything, pings included."""
    import base64
    import hashlib

    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(1)
    held: list[socket.socket] = []

    def serve() -> None:
        listener.settimeout(10)
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        held.append(conn)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        key = re.search(rb"Sec-WebSocket-Key: *(\S+)", request, re.I).group(1)
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(10)
        for conn in held:
            conn.close()
        listener.close()


# --- the table, row by row ------------------------------------------------------------------------

FAILURE_VALUE = {"False": False, '""': ""}


def prefix(code: str) -> str:
    """The fixed start of the English message of ``code``."""
    return MESSAGES[code][1].split("{0}")[0]


@pytest.mark.parametrize("function, code, kind", table_rows())
def test_error_table_row(function, code, kind):
    make = SCENARIOS.get((function, code))
    assert make is not None, f"no scenario for {function} / {code}"
    with contextlib.ExitStack() as stack:
        action = make(stack)
        if kind == "fatal":
            with pytest.raises(WLangageError) as info:
                action()
            assert info.value.code == code
        elif kind == "non-fatal (SocketErreur)":
            recorder = action()
            kinds = recorder.kinds()
            assert kinds[-2:] == [SocketErreur, SocketFermeture] and kinds.count(SocketErreur) == 1
            assert recorder.error_codes == [code]
            assert recorder.message_of(SocketErreur).startswith(prefix(code))
        elif kind == "non-fatal (ErreurInfo)":
            assert action() is True
        else:
            result = action()
            expected = FAILURE_VALUE[re.search(r"\((.*)\)", kind).group(1)]
            assert result == expected and type(result) is type(expected)
            assert ErreurDetectee and ErreurInfo(errCode) == code
            assert ErreurInfo(errMessage).startswith(prefix(code))
            assert function.split()[0] in ErreurInfo()
        for name in ("w",):
            if SocketExiste(name):
                SocketFerme(name)
    join_connection_threads()


def test_every_scenario_is_in_the_table():
    assert set(SCENARIOS) == {(function, code) for function, code, _ in table_rows()}

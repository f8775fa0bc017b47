"""The SocketWebSocket mode against real clients written by others, on 127.0.0.1.

The server is always written with wlsocket functions (tests/peers/ws_echo_server.py
or inline, WINDEV style); the clients are the `websockets` package,
websocket-client, Node's `ws`, headless Chromium, over ws:// and wss://.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest
import websocket as websocket_client  # the websocket-client package
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

import wlsocket
from tests.conftest import TESTS, free_port, require_peer, run_thread, wait_until_inside
from tests.peers import raw_ws
from tests.peers.ws_echo_server import EchoServer
from wlsocket import (
    Buffer,
    ErreurDetectee,
    ErreurInfo,
    SocketAccepte,
    SocketAttendConnexion,
    SocketChangeModeTransmission,
    SocketClientInfo,
    SocketCree,
    SocketEcrit,
    SocketExiste,
    SocketFerme,
    SocketLit,
    SocketTailleMaxMessage,
    SocketWebSocket,
    SocketWebSocketChemin,
    SocketWebSocketEntete,
    SocketWebSocketEntetes,
    SocketWebSocketOrigine,
    SocketWebSocketProtocole,
    WLangageError,
    errCode,
)

NODE_DIR = TESTS / "node"


@pytest.fixture
def echo(port):
    with EchoServer(port) as server:
        yield server
    assert not any(thread.is_alive() for thread in server.channels), "a channel thread is still running"


def url(port: int, path: str = "/") -> str:
    return f"ws://127.0.0.1:{port}{path}"


class Channel:
    """A one-client server in a thread: SocketCrée, SocketAccepte, then
    ``body(canal)`` in the accepting thread (WINDEV style)."""

    def __init__(self, port: int, body, option=None) -> None:
        self.port, self.body, self.option = port, body, option
        self.result: dict = {}
        #: set by a body (result["step"].set()) to tell the test it got somewhere
        self.step = self.result["step"] = threading.Event()
        self.error: list[BaseException] = []
        assert SocketCree("srv", port, "127.0.0.1")
        self.thread = run_thread(self._run)

    def _run(self) -> None:
        try:
            assert SocketAttendConnexion("srv", 10_000)
            canal = SocketAccepte("srv")
            SocketChangeModeTransmission(canal, SocketWebSocket, self.option)
            self.body(canal, self.result)
            if SocketExiste(canal):
                SocketFerme(canal)
        except BaseException as exc:  # reported by join()
            self.error.append(exc)

    def join(self, timeout: float = 20) -> dict:
        self.thread.join(timeout)
        SocketFerme("srv")
        assert not self.thread.is_alive(), "the server thread is stuck"
        if self.error:
            raise self.error[0]
        return self.result


# --- the websockets package ---------------------------------------------------------


def test_websockets_client_text_binary_empty_unicode_and_large(echo, port):
    with connect(url(echo.port), open_timeout=10, max_size=None) as ws:
        messages = ["hello", "", "héllo wörld ✓ 中文 😀", b"", b"\x00\x01\xfe\xff", "x" * 300_000, os.urandom(1 << 20)]
        for message in messages:
            ws.send(message)
            back = ws.recv(timeout=10)
            assert type(back) is type(message) and back == message


def test_text_arrives_as_str_and_binary_as_buffer(port):
    def body(canal, result):
        result["text"] = SocketLit(canal)
        result["binary"] = SocketLit(canal)
        SocketEcrit(canal, "réponse")
        SocketEcrit(canal, Buffer(b"\x00\xff"))
        SocketEcrit(canal, 42)  # a number goes as text, as a chaîne would

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        ws.send("café")
        ws.send(b"\x80\x81")
        assert ws.recv(timeout=10) == "réponse"
        assert ws.recv(timeout=10) == b"\x00\xff"
        assert ws.recv(timeout=10) == "42"
    result = server.join()
    assert type(result["text"]) is str and result["text"] == "café"
    assert type(result["binary"]) is Buffer and bytes(result["binary"]) == b"\x80\x81"


def test_fragmented_message_is_read_whole(port):
    def body(canal, result):
        result["message"] = SocketLit(canal)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        ws.send(iter(["un ", "deux ", "trois"]))  # three frames, one message
    assert server.join()["message"] == "un deux trois"


def test_handshake_data_through_socketclientinfo_and_header_function(port):
    def body(canal, result):
        result["path"] = SocketClientInfo(canal, SocketWebSocketChemin)
        result["protocol"] = SocketClientInfo(canal, SocketWebSocketProtocole)
        result["origin"] = SocketClientInfo(canal, SocketWebSocketOrigine)
        result["headers"] = SocketClientInfo(canal, SocketWebSocketEntetes)
        result["cookie"] = SocketWebSocketEntete(canal, "cookie")
        result["auth"] = SocketWebSocketEntete(canal, "Authorization")
        result["absent"] = SocketWebSocketEntete(canal, "X-Not-Sent")
        result["address"] = SocketClientInfo(canal, wlsocket.SocketAdresse)
        SocketEcrit(canal, "ok")

    server = Channel(port, body, {"subprotocols": ["xml", "json"]})
    headers = {"Cookie": "session=abc; lang=fr", "Authorization": "Bearer t0k3n", "Origin": "http://app.example"}
    with connect(url(port, "/chat/salon?user=zoé"), subprotocols=["json", "xml"], additional_headers=headers,
                 open_timeout=10) as ws:
        assert ws.subprotocol == "xml"  # the server's preference wins among what the client offers
        assert ws.recv(timeout=10) == "ok"
    result = server.join()
    assert result["path"] == "/chat/salon?user=zo%C3%A9"
    assert result["protocol"] == "xml"
    assert result["origin"] == "http://app.example"
    assert result["cookie"] == "session=abc; lang=fr"
    assert result["auth"] == "Bearer t0k3n"
    assert result["absent"] == ""
    assert result["address"] == "127.0.0.1"
    lines = result["headers"].split("\r\n")
    assert "Cookie: session=abc; lang=fr" in lines and "Authorization: Bearer t0k3n" in lines
    assert any(line.lower().startswith("sec-websocket-key: ") for line in lines)


def test_subprotocol_defaults_to_the_clients_first_and_none_when_not_spoken(port):
    # No list: the server answers the client's first proposal.
    with EchoServer(port), connect(url(port), subprotocols=["json", "xml"], open_timeout=10) as ws:
        assert ws.subprotocol == "json"
    other = free_port()
    with (
        EchoServer(other, options={"subprotocols": ["mqtt"]}, name="ws-echo-2"),
        connect(url(other), subprotocols=["json"], open_timeout=10) as ws,
    ):
        assert ws.subprotocol is None  # RFC 6455: no header when none is agreed


def test_handshake_data_after_a_refused_handshake_is_empty_with_echec_websocket(port):
    def body(canal, result):
        result["header"] = SocketWebSocketEntete(canal, "Origin"), ErreurInfo(errCode)
        result["path"] = SocketClientInfo(canal, SocketWebSocketChemin), ErreurInfo(errCode)
        result["read"] = SocketLit(canal), ErreurInfo(errCode)

    server = Channel(port, body)
    with raw_ws.connect_raw(port) as sock:
        sock.sendall(raw_ws.request(version="12"))
        assert raw_ws.read_response(sock)[0] == 426
    result = server.join()
    assert result["header"] == ("", "ECHEC_WEBSOCKET")
    assert result["path"] == ("", "ECHEC_WEBSOCKET")
    assert result["read"] == ("", "ECHEC_WEBSOCKET")


def test_mode_set_on_the_listener_is_inherited_by_channels(port):
    with EchoServer(port, options="json", on_listener=True) as server:
        for _ in range(3):
            with connect(url(port), subprotocols=["json"], open_timeout=10) as ws:
                ws.send("hérité")
                assert ws.recv(timeout=10) == "hérité"
                assert ws.subprotocol == "json"
    assert len(server.channels) == 3


def test_simplified_server_in_websocket_mode(port):
    """SocketLit/SocketEcrit straight on the SocketCrée name (one client)."""
    result = {}

    def serve():
        result["message"] = SocketLit("simple")
        SocketEcrit("simple", "vu : " + result["message"])

    assert SocketCree("simple", port, "127.0.0.1")
    assert SocketChangeModeTransmission("simple", SocketWebSocket)
    thread = run_thread(serve)
    with connect(url(port), open_timeout=10) as ws:
        ws.send("simple")
        assert ws.recv(timeout=10) == "vu : simple"
    thread.join(10)
    SocketFerme("simple")
    assert result["message"] == "simple"


def test_socketferme_closes_with_1000(port):
    def body(canal, result):
        SocketEcrit(canal, "au revoir")
        SocketFerme(canal)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        assert ws.recv(timeout=10) == "au revoir"
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
    assert closed.value.sent is not None and closed.value.sent.code == 1000  # a complete close handshake
    server.join()


def test_client_close_gives_empty_read_with_socket_fermee(port):
    def body(canal, result):
        result["first"] = SocketLit(canal)
        result["after"] = SocketLit(canal)
        result["error"] = bool(ErreurDetectee), ErreurInfo(errCode), ErreurInfo()
        result["write_after_close"] = SocketEcrit(canal, "trop tard"), ErreurInfo(errCode)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        ws.send("dernier")
        ws.close(code=4001, reason="fini")
    result = server.join()
    assert result["first"] == "dernier"
    assert result["after"] == ""
    detected, code, text = result["error"]
    assert detected and code == "SOCKET_FERMEE" and "4001" in text
    assert result["write_after_close"] == (False, "SOCKET_FERMEE")


def test_message_above_the_limit_closes_with_1009(port):
    def body(canal, result):
        result["small"] = SocketLit(canal)
        result["big"] = SocketLit(canal)
        result["error"] = ErreurInfo(errCode)

    server = Channel(port, body, {"max_message_size": 1000})
    with connect(url(port), open_timeout=10, compression=None) as ws:
        ws.send("a" * 1000)
        ws.send("b" * 1001)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    result = server.join()
    assert result["small"] == "a" * 1000 and result["big"] == "" and result["error"] == "MESSAGE_TROP_GRAND"


def test_sockettaillemaxmessage_applies_to_a_websocket_channel_and_counts_utf8_bytes(port):
    def body(canal, result):
        assert SocketTailleMaxMessage(canal, 10)
        result["fits"] = SocketLit(canal)  # 5 characters, 10 bytes
        result["too_big"] = SocketLit(canal)  # 6 characters, 12 bytes
        result["error"] = ErreurInfo(errCode)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10, compression=None) as ws:
        ws.send("ééééé")
        ws.send("éééééé")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 1009
    result = server.join()
    assert result["fits"] == "ééééé" and result["too_big"] == "" and result["error"] == "MESSAGE_TROP_GRAND"


def test_compressed_bomb_is_stopped_by_the_limit_without_inflating_it(port):
    """permessage-deflate: 40 MiB of zeros compress to ~40 KiB; the server must
    close with 1009 past its limit, not inflate the whole message first."""
    def body(canal, result):
        result["message"] = SocketLit(canal)
        result["error"] = ErreurInfo(errCode)

    server = Channel(port, body, {"max_message_size": 1 << 20})
    with connect(url(port), open_timeout=10, max_size=None) as ws:  # the client offers deflate
        assert "permessage-deflate" in (ws.response.headers.get("Sec-WebSocket-Extensions") or "")
        ws.send(bytes(40 << 20))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=20)
    assert closed.value.rcvd.code == 1009
    assert server.join()["error"] == "MESSAGE_TROP_GRAND"


def test_compression_can_be_turned_off(port):
    with EchoServer(port, options={"compression": False}), connect(url(port), open_timeout=10) as ws:
        assert ws.response.headers.get("Sec-WebSocket-Extensions") is None
        ws.send("pas de compression")
        assert ws.recv(timeout=10) == "pas de compression"


def test_timeout_read_returns_empty_without_error_and_keeps_partial_message(port):
    def body(canal, result):
        result["nothing"] = SocketLit(canal, False, 200), bool(ErreurDetectee)
        result["step"].set()
        result["message"] = SocketLit(canal, False, 10_000)

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws:
        assert server.step.wait(10)  # the short read has timed out
        ws.send(iter(["moitié ", "et fin"]))
    result = server.join()
    assert result["nothing"] == ("", False)
    assert result["message"] == "moitié et fin"


def test_reader_keeps_reading_while_a_writer_is_blocked_and_pongs_follow(port):
    """Two threads on one channel: a writer stuck in sendall (the client stops
    reading in the middle of a 64 MiB frame) holds the send lock; the reader
    must still read, and the pong it owes goes out right after that frame."""
    big = bytes(64 << 20)  # far more than the socket buffers hold
    client_sent, server_read, client_done = threading.Event(), threading.Event(), threading.Event()

    def body(canal, result):
        writer = run_thread(lambda: result.setdefault("written", SocketEcrit(canal, big)))
        result["writer"] = writer
        result["step"].set()
        assert client_sent.wait(20)
        result["read"] = SocketLit(canal, False, 15_000)
        result["writer_blocked_meanwhile"] = writer.is_alive()
        server_read.set()
        writer.join(60)
        assert client_done.wait(30)  # SocketFerme would flush the pong: keep the channel open

    server = Channel(port, body)
    sock, rest = raw_ws.open_websocket(port)
    with sock:
        frames = raw_ws.FrameReader(sock, rest)
        assert server.step.wait(10)
        frames.fill(10)  # the big frame has begun: its writer is in sendall, holding the send lock
        sock.sendall(raw_ws.frame(0x9, b"es-tu la ?") + raw_ws.frame(0x1, "lu malgré l'écrivain bloqué".encode()))
        client_sent.set()
        assert server_read.wait(20), "the reader waited for the blocked writer"
        opcode, payload = frames.next()  # now drain the big frame...
        assert opcode == 0x2 and len(payload) == len(big)
        assert frames.next() == (0xA, b"es-tu la ?")  # ...and the pong queued behind it
        client_done.set()
        sock.sendall(raw_ws.frame(0x8, b"\x03\xe8"))
        assert frames.next()[0] == 0x8
    result = server.join(60)
    assert result["read"] == "lu malgré l'écrivain bloqué"
    assert result["writer_blocked_meanwhile"]
    assert result["written"] is True


def test_socketferme_from_another_thread_wakes_a_blocked_reader(port):
    def body(canal, result):
        reader_result = []
        reader = run_thread(lambda: reader_result.append((SocketLit(canal), ErreurInfo(errCode))))
        wait_until_inside(reader, "_read_message")
        started = time.monotonic()
        SocketFerme(canal)
        reader.join(5)
        result["elapsed"] = time.monotonic() - started
        result["reader"] = reader_result

    server = Channel(port, body)
    with connect(url(port), open_timeout=10) as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    result = server.join()
    assert closed.value.rcvd.code == 1000
    assert result["reader"] == [("", "SOCKET_FERMEE")]
    assert result["elapsed"] < 10  # not stuck (CLOSE_TIMEOUT_S is 2 s)


def test_mode_errors(port):
    assert SocketCree("srv", port, "127.0.0.1")
    with pytest.raises(WLangageError) as bad:
        SocketChangeModeTransmission("srv", SocketWebSocket, {"subprotocol": "json"})
    assert bad.value.code == "PARAMETRE_INVALIDE"
    with pytest.raises(WLangageError) as bad:
        SocketChangeModeTransmission("srv", SocketWebSocket, {"max_message_size": -1})
    assert bad.value.code == "PARAMETRE_INVALIDE"
    with pytest.raises(WLangageError) as bad:
        SocketChangeModeTransmission("srv", SocketWebSocket, 12)
    assert bad.value.code == "PARAMETRE_INVALIDE"
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        assert SocketAttendConnexion("srv", 5000)
        canal = SocketAccepte("srv")
        assert SocketChangeModeTransmission(canal, SocketWebSocket)
        assert SocketChangeModeTransmission(canal, SocketWebSocket, "json")  # options replaced before the handshake
        with pytest.raises(WLangageError) as bad:
            SocketChangeModeTransmission(canal, wlsocket.SocketTailleDebut)
        assert bad.value.code == "FONCTION_INTERDITE"
        with pytest.raises(WLangageError) as bad:
            SocketWebSocketEntete("srv", "Origin")
        assert bad.value.code == "FONCTION_INTERDITE"
        SocketFerme(canal)
    SocketFerme("srv")
    assert wlsocket.SocketCreeUDP("udp", free_port(), "127.0.0.1")
    with pytest.raises(WLangageError) as bad:
        SocketChangeModeTransmission("udp", SocketWebSocket)
    assert bad.value.code == "SOCKET_UDP_FONCTION_INTERDITE"
    SocketFerme("udp")


# --- websocket-client ------------------------------------------------------------------


def test_websocket_client_package(echo):
    ws = websocket_client.create_connection(url(echo.port, "/wc"), timeout=10, subprotocols=["json"])
    try:
        ws.send("depuis websocket-client")
        assert ws.recv() == "depuis websocket-client"
        ws.send_binary(b"\x00\x10\x20")
        opcode, data = ws.recv_data()
        assert opcode == websocket_client.ABNF.OPCODE_BINARY and data == b"\x00\x10\x20"
        ws.ping(b"hop")
        opcode, frame = ws.recv_data_frame(control_frame=True)
        assert opcode == websocket_client.ABNF.OPCODE_PONG and frame.data == b"hop"
    finally:
        ws.close()


# --- Node.js ws --------------------------------------------------------------------------


def _node_ws_available() -> bool:
    node = shutil.which("node")
    return node is not None and (NODE_DIR / "node_modules" / "ws").is_dir()


def test_node_ws_client(echo):
    require_peer(_node_ws_available(), "node with tests/node/node_modules/ws (npm install in tests/node)")
    done = subprocess.run(
        ["node", str(NODE_DIR / "wsserver_client.js"), url(echo.port, "/node")],
        capture_output=True, text=True, timeout=60, cwd=NODE_DIR,
    )  # fmt: skip
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert events[0]["event"] == "open" and events[0]["protocol"] == "json"
    assert "permessage-deflate" in events[0]["extensions"]
    assert {"event": "text", "data": "héllo from node"} in events
    assert {"event": "binary", "hex": "000102ff"} in events
    assert {"event": "pong", "data": "are you there"} in events
    assert events[-1] == {"event": "close", "code": 1000}


# --- headless Chromium -----------------------------------------------------------------------


def test_headless_chromium(port):
    from tests.peers.chromium import ChromiumPage

    with ChromiumPage() as page:
        server = EchoServer(port, options={"subprotocols": ["json"], "origins": [page.origin]}).start()
        try:
            reports = page.run(
                """
                const ws = new WebSocket("ws://127.0.0.1:PORT/navigateur", ["json"]);
                ws.onopen = () => ws.send(JSON.stringify({message: "Texte envoyé depuis le navigateur ✓"}));
                ws.onmessage = (event) => {
                  document.body.append(event.data);
                  report("ANSWER " + ws.protocol + " " + ws.extensions.split(";")[0] + " " + event.data);
                  ws.close(1000);
                };
                ws.onclose = (event) => report("CLOSE " + event.code + " " + event.wasClean);
                ws.onerror = () => report("ERROR");
                """.replace("PORT", str(port)),
                expect=2,
            )
        finally:
            server.stop()
    assert reports[:2] == [
        'ANSWER json permessage-deflate {"message":"Texte envoyé depuis le navigateur ✓"}',
        "CLOSE 1000 true",
    ], page.stderr


def test_headless_chromium_from_a_disallowed_origin_is_refused(port):
    from tests.peers.chromium import ChromiumPage

    with ChromiumPage() as page:
        server = EchoServer(port, options={"origins": ["https://app.example"]}).start()
        try:
            reports = page.run(
                """
                const ws = new WebSocket("ws://127.0.0.1:PORT");
                ws.onopen = () => report("OPEN");
                ws.onclose = (event) => report("CLOSE " + event.code);
                """.replace("PORT", str(port)),
            )
        finally:
            server.stop()
        outcomes = list(server.outcomes)
    assert reports == ["CLOSE 1006"], page.stderr
    assert outcomes and outcomes[0][0] == "ECHEC_WEBSOCKET" and "403" in outcomes[0][1]


# --- wss:// --------------------------------------------------------------------------------


def test_wss_with_a_trustme_certificate(port, tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_cert = ca.issue_cert("127.0.0.1", "localhost")
    pem = tmp_path / "server.pem"
    server_cert.private_key_and_cert_chain_pem.write_to_path(str(pem))
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))

    def create(nom, port):
        return wlsocket.SocketCreeSSL(nom, port, str(pem), 0, "127.0.0.1")

    with EchoServer(port, options={"subprotocols": ["json"]}, create=create) as server:
        with connect(f"wss://127.0.0.1:{port}/secure", ssl=client_context, subprotocols=["json"],
                     open_timeout=10, max_size=None) as ws:
            assert ws.subprotocol == "json"
            for message in ["chiffré", os.urandom(300_000), "fin"]:
                ws.send(message)
                assert ws.recv(timeout=10) == message
        ws2 = websocket_client.create_connection(
            f"wss://127.0.0.1:{port}/", timeout=10, sslopt={"ca_certs": str(ca_pem)}
        )
        try:
            ws2.send("websocket-client sur TLS")
            assert ws2.recv() == "websocket-client sur TLS"
        finally:
            ws2.close()
    assert len(server.channels) == 2

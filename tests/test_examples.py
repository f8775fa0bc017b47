"""The ported documentation examples of "Gestion des WebSockets", run against real clients.

Each test starts the example in this process on a free loopback port, talks
to it with a client written by others (the `websockets` package,
websocket-client, headless Chromium) and asserts the bytes exchanged.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: The message the browser-side procedure of the documentation sends.
MESSAGE = "Texte du message envoyé depuis le navigateur."
#: The JSON answer of the WINDEV server: its multi-line chaîne joins lines with RC (CR LF).
JSON_ANSWER = '{ "status" : "ok",\r\n"reponse": "' + MESSAGE + '" }'


def script_env() -> dict[str, str]:
    """The environment for running an example as a script: this checkout's package first."""
    paths = [str(EXAMPLES.parent)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def load_example(name: str) -> ModuleType:
    """Import examples/<name>.py as a module (the examples are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def join_new_threads():
    """Join, at the end of the test, every thread the test started (bounded)."""
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        thread.join(10)
        assert not thread.is_alive(), f"thread {thread.name} still running"


@pytest.fixture
def faithful_server(port, join_new_threads):
    example = load_example("gestion_websockets_serveur")
    assert example.pServeurSocketEcoute(port, "127.0.0.1") is True
    yield port
    example.pServeurArrete()


def test_faithful_server_answers_the_websockets_client(faithful_server):
    from websockets.sync.client import connect

    with connect(
        f"ws://127.0.0.1:{faithful_server}", subprotocols=["json"], open_timeout=5, close_timeout=1
    ) as client:
        assert client.subprotocol == "json"
        client.send(MESSAGE)
        assert client.recv(timeout=5) == JSON_ANSWER
        # A second message on the same connection gets its own answer.
        client.send("deuxième")
        assert client.recv(timeout=5) == JSON_ANSWER.replace(MESSAGE, "deuxième")


def test_faithful_server_answers_websocket_client_bytes(faithful_server):
    import websocket

    client = websocket.create_connection(f"ws://127.0.0.1:{faithful_server}", subprotocols=["json"], timeout=5)
    try:
        client.send(MESSAGE)
        opcode, payload = client.recv_data()
        assert opcode == websocket.ABNF.OPCODE_TEXT
        assert payload == JSON_ANSWER.encode("utf-8")
        # 200 bytes: the answer needs the 16-bit length form (code 126).
        long_message = "x" * 200
        client.send(long_message)
        opcode, payload = client.recv_data()
        assert payload == JSON_ANSWER.replace(MESSAGE, long_message).encode("utf-8")
    finally:
        client.shutdown()


def test_faithful_server_without_subprotocol_still_answers_json(faithful_server):
    """No Sec-WebSocket-Protocol: sProtocol keeps its initial "JSON"."""
    import websocket

    client = websocket.create_connection(f"ws://127.0.0.1:{faithful_server}", timeout=5)
    try:
        assert client.getsubprotocol() is None
        client.send("Bonjour")
        assert client.recv() == JSON_ANSWER.replace(MESSAGE, "Bonjour")
    finally:
        client.shutdown()


def test_faithful_server_handshake_on_the_wire(faithful_server):
    """The raw handshake answer: Sec-WebSocket-Accept computed as RFC 6455 says."""
    import socket

    key = "dGhlIHNhbXBsZSBub25jZQ=="  # the RFC 6455 example key
    request = (
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xml\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", faithful_server), timeout=5) as raw:
        raw.sendall(request.encode("ascii"))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = raw.recv(4096)
            assert chunk, "server closed during the handshake"
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 101 ")
        assert b"\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in answer
        assert answer.endswith(b"\r\nSec-WebSocket-Protocol: xml\r\n\r\n")
        # A masked text frame "hi" (mask 01 02 03 04); "xml" selects the XML answer.
        raw.sendall(bytes([0x81, 0x82, 1, 2, 3, 4, ord("h") ^ 1, ord("i") ^ 2]))
        expected_payload = b'<XML status="ok">\r\nhi\r\n</XML>'
        expected = bytes([0x81, len(expected_payload)]) + expected_payload
        received = b""
        while len(received) < len(expected):
            chunk = raw.recv(4096)
            assert chunk, "server closed before answering"
            received += chunk
        assert received == expected


# --- headless Chromium ---------------------------------------------------------------

#: The browser side of the documentation's example, as a page script (``report`` comes from tests/peers/chromium.py).
PAGE_SCRIPT = """
const ws = new WebSocket("ws://127.0.0.1:%(port)d", ["json"]);
ws.onopen = () => ws.send(%(message)s);
ws.onmessage = (event) => {
  const answer = document.createElement("div");
  answer.id = "answer";
  answer.textContent = event.data;
  document.body.appendChild(answer);
  report("ANSWER:" + document.getElementById("answer").textContent);  // what the page shows
  ws.close();
};
ws.onerror = () => report("ERROR");
"""


def chromium_answer(port: int) -> str:
    """Run the page in headless Chromium against ws://127.0.0.1:port; return what it shows."""
    import json

    from tests.peers.chromium import ChromiumPage

    with ChromiumPage() as page:
        reports = page.run(PAGE_SCRIPT % {"port": port, "message": json.dumps(MESSAGE)}, expect=1)
        assert reports, f"the page never reported; Chromium said:\n{page.stderr}"
    return reports[0]


def test_faithful_server_answers_headless_chromium(faithful_server):
    shown = chromium_answer(faithful_server)
    assert shown == "ANSWER:" + JSON_ANSWER


# --- the same server with the SocketWebSocket mode -------------------------------------


@pytest.fixture
def modern_server(port, join_new_threads):
    example = load_example("gestion_websockets_serveur_moderne")
    assert example.pServeurSocketEcoute(port, "127.0.0.1") is True
    yield port
    assert example.pServeurArrete() is True


def test_modern_server_answers_the_websockets_client(modern_server):
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{modern_server}", subprotocols=["json"], open_timeout=5) as client:
        assert client.subprotocol == "json"
        client.send(MESSAGE)
        assert client.recv(timeout=5) == JSON_ANSWER


def test_modern_server_is_right_where_the_original_is_not(modern_server):
    """A fragmented 200,000-character message (64-bit length answer) and a ping: all per RFC 6455."""
    from websockets.sync.client import connect

    big = "é" * 100_000 + "x" * 100_000
    with connect(f"ws://127.0.0.1:{modern_server}", subprotocols=["xml"], open_timeout=5, max_size=None) as client:
        assert client.subprotocol == "xml"
        client.send([big[:70_000], big[70_000:150_000], big[150_000:]])  # three fragments
        assert client.recv(timeout=20) == '<XML status="ok">\r\n' + big + "\r\n</XML>"
        assert client.ping(b"ping?").wait(5)
        client.send("")  # an empty message is a message, not the end
        assert client.recv(timeout=5) == '<XML status="ok">\r\n\r\n</XML>'


def test_modern_server_answers_websocket_client_without_subprotocol(modern_server):
    import websocket

    client = websocket.create_connection(f"ws://127.0.0.1:{modern_server}", timeout=5)
    try:
        assert client.getsubprotocol() is None
        client.send(MESSAGE)
        opcode, payload = client.recv_data()
        assert (opcode, payload) == (websocket.ABNF.OPCODE_TEXT, JSON_ANSWER.encode("utf-8"))
    finally:
        client.close(timeout=5)


def test_modern_server_answers_headless_chromium(modern_server):
    assert chromium_answer(modern_server) == "ANSWER:" + JSON_ANSWER


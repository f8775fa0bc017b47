"""The ported documentation examples of "Gestion des WebSockets", run against real clients.

Each test starts the example in this process on a free loopback port, talks
to it with a client written by others (the `websockets` package,
websocket-client, headless Chromium) and asserts the bytes exchanged.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from tests.examples.conftest import EXAMPLES, load_example, script_env

#: The message the browser-side procedure of the documentation sends.
MESSAGE = "Texte du message envoyé depuis le navigateur."
#: The JSON answer of the WINDEV server: its multi-line chaîne joins lines with RC (CR LF).
JSON_ANSWER = '{ "status" : "ok",\r\n"reponse": "' + MESSAGE + '" }'


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


# --- the browser-side procedure, ported, as the client ----------------------------------


@pytest.fixture
def info_lines():
    """What Info() shows during the test, and an Event per expected line."""
    from wlsocket.wlangage.console import set_info_sink

    lines: list[str] = []
    changed = threading.Condition()

    def sink(text: str) -> None:
        with changed:
            lines.append(text)
            changed.notify_all()

    def wait_for(predicate, timeout: float = 15) -> bool:
        with changed:
            return changed.wait_for(lambda: predicate(lines), timeout)

    set_info_sink(sink)
    yield lines, wait_for
    set_info_sink(None)


@pytest.mark.parametrize("server", ["faithful_server", "modern_server"])
def test_ported_client_procedure_exchanges_with_the_server(server, request, info_lines):
    port = request.getfixturevalue(server)
    lines, wait_for = info_lines
    client = load_example("gestion_websockets_client")
    assert client.pConnexion("127.0.0.1", port) is True
    # ProcRetour showed the answer, then the main code its own Info, then the closing.
    assert wait_for(lambda shown: "\r\nFermeture de la socket" in shown)
    assert lines[0] == "\r\nRéception du message : " + JSON_ANSWER
    assert lines[1] == "fermeture socket..."
    assert lines[-1] == "\r\nFermeture de la socket"


# --- the demo, the README's first command ---------------------------------------------------


def run_demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=script_env(),
    )


def test_demo_prints_the_message_and_the_json_answer():
    result = run_demo()
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"client -> server:  {MESSAGE}" in out
    answer_at = out.index("Réception du message : ")
    assert '{ "status" : "ok",' in out[answer_at:]
    assert f'"reponse": "{MESSAGE}" }}' in out[answer_at:]
    assert "Sec-WebSocket-Key:" in out  # the server's view of the handshake


@pytest.mark.timeout(300)
def test_demo_all_runs_every_other_example():
    result = run_demo("--all")
    assert result.returncode == 0, result.stdout + result.stderr
    for script in load_example("demo").OTHER_EXAMPLES:
        assert f"=== examples/{script} ===" in result.stdout


# --- WebSocketClientConnecte, both syntaxes, against an echo server of the websockets package ----


@pytest.fixture
def websockets_echo_server(port):
    from websockets.sync.server import serve

    def echo(connection) -> None:
        for message in connection:
            connection.send(message)

    server = serve(echo, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    thread.join(10)


def test_websocketclientconnecte_synchronous_echo(websockets_echo_server, info_lines):
    lines, _ = info_lines
    example = load_example("websocketclientconnecte")
    assert example.pEchoSynchrone("127.0.0.1", websockets_echo_server, "Bonjour é") == "Bonjour é"
    assert lines == ["Bonjour é"]


def test_websocketclientconnecte_asynchronous_echo(websockets_echo_server, info_lines):
    lines, wait_for = info_lines
    example = load_example("websocketclientconnecte")
    shown = example.pEchoAsynchrone("127.0.0.1", websockets_echo_server, "Bonjour (asynchrone)")
    assert shown[0] == "Bonjour (asynchrone)"
    assert wait_for(lambda current: any(line.startswith("Fermeture") for line in current))
    assert lines[0] == "Bonjour (asynchrone)"


@pytest.mark.parametrize("script", ["websocketclientconnecte.py", "gestion_websockets_serveur_moderne.py"])
def test_websocket_example_runs_as_a_script(script):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=60, env=script_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr

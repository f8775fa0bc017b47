"""``wlsocket envoie`` / ``send`` against plain-socket servers: the bytes
the server receives are the framing written by hand; the replies printed
are the server's, decoded."""

from __future__ import annotations

import hashlib
import os
import re
import ssl
import threading

import pytest
import trustme
from websockets.sync.server import serve as websockets_serve

from .tool import MIB16, MODES, PlainServer, events, frame, run


def _answers(mode: str, reply: bytes, marker: bytes = b"<EOF>"):
    """A server answering each whole message it received with ``reply``."""
    def answer(received: bytes) -> bytes:
        if mode == "taille":
            count, data = 0, received
            while (match := re.match(rb"(\d+)\r\n", data)) and len(data) >= match.end() + int(match.group(1)):
                data = data[match.end() + int(match.group(1)) :]
                count += 1
        elif mode == "brut":
            count = 1 if received else 0
        else:
            count = received.count(marker)
        return frame(mode, reply, marker) * count

    return answer


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_sends_the_framed_bytes_and_prints_the_replies(mode):
    with PlainServer(_answers(mode, b"OK")) as server:
        done = run("envoie", "127.0.0.1", str(server.port), "Bonjour", "--mode", mode, "--attend", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.done.wait(20)
        assert bytes(server.received[0]) == frame(mode, b"Bonjour")
    found = events(done.stdout)
    sent = [e for e in found if e["event"] == "message" and e["direction"] == "sent"]
    replies = [e for e in found if e.get("direction") == "received" and e["event"] in ("message", "chunk")]
    assert [e["text"] for e in sent] == ["Bonjour"]
    assert [e["text"] for e in replies] == ["OK"]
    summary = found[-1]
    assert summary["event"] == "summary"
    assert summary["directions"]["sent"] == {"messages": 1, "bytes": 7, "errors": 0}
    assert summary["directions"]["received"] == {"messages": 1, "bytes": 2, "errors": 0}


def test_several_messages_in_end_tag_mode_with_another_marker_and_utf8():
    with PlainServer(_answers("marqueur-buffer", b"ok", b"\n")) as server:
        done = run("send", "127.0.0.1", str(server.port), "un", "deux", "été", "--mode", "end-tag-buffer",
                   "--marker", "\\n", "--encoding", "utf-8", "--wait", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.done.wait(20)
        assert bytes(server.received[0]) == "un\ndeux\nété\n".encode()
    texts = [e["text"] for e in events(done.stdout) if e["event"] == "message" and e["direction"] == "received"]
    assert texts == ["ok", "ok", "ok"]


def test_a_16_mib_file_is_sent_as_one_message(tmp_path):
    payload = os.urandom(MIB16)
    path = tmp_path / "big.bin"
    path.write_bytes(payload)
    with PlainServer(_answers("taille", b"got it")) as server:
        done = run("envoie", "127.0.0.1", str(server.port), f"@{path}", "--attend", "--delai", "30000", "--json")
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert server.done.wait(20)
        assert bytes(server.received[0]) == b"16777216\r\n" + payload
    sent = next(e for e in events(done.stdout) if e["event"] == "message" and e["direction"] == "sent")
    assert sent["size"] == MIB16 and sent["sha256"] == hashlib.sha256(payload).hexdigest()


def test_a_server_answering_in_another_mode_is_named_and_fails():
    with PlainServer(lambda received: b"OK<EOF>" if received else b"") as server:
        done = run("envoie", "127.0.0.1", str(server.port), "Bonjour", "--json")
    assert done.returncode == 1
    warning = next(e for e in events(done.stdout) if e["event"] == "warning")
    assert warning["expected"] == "taille" and warning["looks_like"] == "marqueur"
    assert "SocketTailleDébut" in warning["message"]


def test_attend_without_a_reply_fails_after_the_delay():
    with PlainServer(lambda received: b"") as server:
        done = run("envoie", "127.0.0.1", str(server.port), "Bonjour", "--attend", "--delai", "300")
    assert done.returncode == 1
    assert "no reply in time" in done.stdout


def test_refused_connection_is_reported_without_a_traceback():
    with PlainServer() as server:
        port = server.port
    done = run("envoie", "127.0.0.1", str(port), "x")
    assert done.returncode == 1
    assert "cannot connect" in done.stdout and "Traceback" not in done.stderr


def test_tls_client_sends_over_tls(tmp_path):
    authority = trustme.CA()
    ca = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with PlainServer(_answers("taille", b"bienvenue"), tls=context) as server:
        done = run("envoie", "127.0.0.1", str(server.port), "secret", "--tls", "--ca", str(ca), "--attend",
                   "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.done.wait(20)
        assert bytes(server.received[0]) == b"6\r\nsecret"
    assert any(e.get("text") == "bienvenue" for e in events(done.stdout))


def test_tls_client_refuses_an_untrusted_server(tmp_path):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with PlainServer(tls=context) as server:
        done = run("envoie", "127.0.0.1", str(server.port), "x", "--tls", "--ca", str(other))
        assert server.done.wait(20)
    assert done.returncode == 1 and "cannot connect" in done.stdout
    assert server.handshake_errors and server.received == [bytearray()]


def test_websocket_mode_against_the_websockets_library():
    received: list[object] = []

    def handler(connection) -> None:
        for message in connection:
            received.append(message)
            connection.send(message)

    with websockets_serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        try:
            done = run("envoie", "127.0.0.1", str(port), "salut", "déjà vu", "--mode", "websocket", "--attend",
                       "--json")
        finally:
            server.shutdown()
            thread.join(20)
    assert done.returncode == 0, done.stdout + done.stderr
    assert received == ["salut", "déjà vu"]  # text messages, in UTF-8 whatever --encodage says
    replies = [e for e in events(done.stdout) if e["event"] == "message" and e["direction"] == "received"]
    assert [(r["text"], r["type"]) for r in replies] == [("salut", "text"), ("déjà vu", "text")]

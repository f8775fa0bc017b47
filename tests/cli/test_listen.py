"""``wlsocket ecoute`` / ``listen``: a plain-socket client talks to it in
every mode; what it prints and what it sends back are checked."""

from __future__ import annotations

import hashlib
import os
import pty
import signal
import socket
import ssl
import subprocess

import pytest
import trustme

from tests.peers.raw_ws import FrameReader, open_websocket
from tests.peers.raw_ws import frame as ws_frame

from .tool import MIB16, MODES, ROOT, Tool, command, connect, frame, free_port, recv_exactly


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_prints_every_message_and_echoes_it_framed(mode):
    port = free_port()
    tool = Tool("ecoute", str(port), "--mode", mode, "--echo")
    try:
        assert tool.wait_ready()["mode"] == mode
        messages = [b"Bonjour", b"\x00\x01binary\xff", "é à ç".encode("cp1252")]
        with connect(port) as client:
            for message in messages:
                client.sendall(frame(mode, message))
                received = tool.wait_event("message" if mode != "brut" else "chunk", direction="received")
                assert bytes.fromhex(received["hex"]) == message
                assert received["size"] == len(message)
                assert recv_exactly(client, len(frame(mode, message))) == frame(mode, message)
                tool.wait_event("message", direction="sent")
        status, _ = tool.interrupt()
        assert status == 0
        summary = tool.summary()
        size = sum(len(m) for m in messages)
        assert summary["received"] == {"messages": 3, "bytes": size, "errors": 0}
        assert summary["sent"] == {"messages": 3, "bytes": size, "errors": 0}
    finally:
        tool.close()


def test_reponse_answers_each_message_with_the_text_in_the_mode():
    port = free_port()
    tool = Tool("listen", str(port), "--mode", "marqueur-buffer", "--marqueur", "\\r\\n", "--reply", "OK")
    try:
        tool.wait_ready()
        with connect(port) as client:
            client.sendall(b"one\r\ntwo\r\n")  # two messages in one segment
            assert recv_exactly(client, 8) == b"OK\r\nOK\r\n"
        texts = [tool.wait_event("message", direction="received")["text"] for _ in range(2)]
        assert texts == ["one", "two"]
    finally:
        tool.close()


def test_a_16_mib_message_is_received_whole_and_echoed_byte_for_byte():
    port = free_port()
    tool = Tool("ecoute", str(port), "--echo")
    payload = os.urandom(MIB16)
    try:
        tool.wait_ready()
        with connect(port) as client:
            client.sendall(frame("taille", payload))
            header = recv_exactly(client, len(b"16777216\r\n"))
            assert header == b"16777216\r\n"
            assert recv_exactly(client, MIB16) == payload
        received = tool.wait_event("message", direction="received")
        assert received["size"] == MIB16 and received["truncated"] is True
        assert received["sha256"] == hashlib.sha256(payload).hexdigest()
        assert len(bytes.fromhex(received["hex"])) == 256  # a preview, not 16 MiB on the terminal
    finally:
        tool.close()


@pytest.mark.parametrize(
    ("mode", "sent", "looks_like"),
    [
        ("taille", b"Hello<EOF>", "marqueur"),
        ("taille", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "tls"),
        ("marqueur", b"5\r\nHello", "taille"),
        ("taille", b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", "websocket"),
    ],
)
def test_a_peer_in_another_mode_is_flagged_with_the_mode_it_looks_like(mode, sent, looks_like):
    port = free_port()
    tool = Tool("ecoute", str(port), "--mode", mode)
    try:
        tool.wait_ready()
        with connect(port) as client:
            client.sendall(sent)
            warning = tool.wait_event("warning", direction="received")
        assert warning["expected"] == mode
        assert warning["looks_like"] == looks_like, warning
        assert looks_like in warning["message"]
    finally:
        tool.close()


def test_tls_listener_decodes_and_answers_over_tls(tmp_path):
    authority = trustme.CA()
    server_cert = authority.issue_cert("127.0.0.1")
    pem = tmp_path / "server.pem"
    server_cert.private_key_and_cert_chain_pem.write_to_path(str(pem))
    port = free_port()
    tool = Tool("ecoute", str(port), "--tls", str(pem), "--echo")
    try:
        assert tool.wait_ready()["tls"] is True
        context = ssl.create_default_context()
        authority.configure_trust(context)
        with connect(port) as raw, context.wrap_socket(raw, server_hostname="127.0.0.1") as client:
            client.sendall(frame("taille", b"secret"))
            assert recv_exactly(client, 9) == b"6\r\nsecret"
        assert tool.wait_event("message", direction="received")["text"] == "secret"
    finally:
        tool.close()


def test_websocket_mode_prints_text_and_binary_messages():
    port = free_port()
    tool = Tool("ecoute", str(port), "--mode", "websocket", "--echo")
    try:
        tool.wait_ready()
        sock, rest = open_websocket(port)
        with sock:
            reader = FrameReader(sock, rest)
            sock.sendall(ws_frame(1, "salut é".encode()))
            assert reader.next() == (1, "salut é".encode())
            sock.sendall(ws_frame(2, b"\x00\xff"))
            assert reader.next() == (2, b"\x00\xff")
        text = tool.wait_event("message", direction="received")
        assert text["text"] == "salut é" and text["type"] == "text"  # UTF-8, as RFC 6455 says
        binary = tool.wait_event("message", direction="received")
        assert binary["hex"] == "00ff" and binary["type"] == "binary"
    finally:
        tool.close()


def test_websocket_reponse_is_a_utf8_text_message():
    port = free_port()
    tool = Tool("ecoute", str(port), "--mode", "websocket", "--reponse", "déjà reçu")
    try:
        tool.wait_ready()
        sock, rest = open_websocket(port)
        with sock:
            sock.sendall(ws_frame(2, b"\x01"))
            assert FrameReader(sock, rest).next() == (1, "déjà reçu".encode())
        assert tool.wait_event("message", direction="sent")["text"] == "déjà reçu"
    finally:
        tool.close()


def test_text_output_has_colours_on_a_terminal_only():
    port = free_port()
    piped = Tool("ecoute", str(port), json_output=False)
    try:
        line = piped.wait_line(lambda text: "listening" in text)
        assert "\x1b[" not in line
    finally:
        piped.close()

    main_fd, child_fd = pty.openpty()
    port = free_port()
    process = subprocess.Popen(command("ecoute", str(port)), cwd=ROOT, stdout=child_fd, stderr=child_fd)
    os.close(child_fd)
    try:
        seen = b""
        while b"listening" not in seen:
            import select

            ready, _, _ = select.select([main_fd], [], [], 20)
            assert ready, seen
            seen += os.read(main_fd, 4096)
        assert b"\x1b[" in seen
    finally:
        process.kill()
        process.wait(20)
        os.close(main_fd)


def test_port_in_use_is_reported_without_a_traceback():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        tool = Tool("ecoute", str(port))
        try:
            warning = tool.wait_event("warning")
            assert "cannot listen" in warning["message"]
            assert tool.process.wait(20) == 1
            assert "Traceback" not in (tool.process.stderr.read() if tool.process.stderr else "")
        finally:
            tool.close()


@pytest.mark.parametrize(("signal_number", "ignored"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_ctrl_c_in_a_background_job_and_kill_end_with_the_summary(signal_number, ignored):
    port = free_port()
    tool = Tool("ecoute", str(port), sigint_ignored=ignored)
    try:
        tool.wait_ready()
        with connect(port) as client:
            client.sendall(frame("taille", b"abc"))
            tool.wait_event("message", direction="received")
        status, _ = tool.interrupt(signal_number)
    finally:
        tool.close()
    assert status == 0
    assert tool.summary() == {"received": {"messages": 1, "bytes": 3, "errors": 0}}

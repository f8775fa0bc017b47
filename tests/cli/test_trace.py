"""``wlsocket trace``: a plain-socket client talks to a plain-socket server
through the relay; the bytes are compared on both ends and the decoded
output is checked, for every mode, with a 16 MiB message, a client in the
wrong mode, a journal and its replay, and Ctrl+C."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import threading

import pytest
from websockets.sync.server import serve as websockets_serve

from tests.peers.raw_ws import FrameReader, open_websocket
from tests.peers.raw_ws import frame as ws_frame

from .tool import MIB16, MODES, PlainServer, Tool, connect, events, frame, free_port, recv_exactly, run


def _relay(server_port: int, *extra: str) -> tuple[Tool, int]:
    port = free_port()
    tool = Tool("trace", str(port), "127.0.0.1", str(server_port), *extra)
    tool.wait_ready()
    return tool, port


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_forwards_bytes_unchanged_and_prints_both_directions(mode):
    messages = [b"Bonjour", b"\x00\xffbin\r\n", b"x" * 3000]
    with PlainServer() as server:  # a byte echo, blind to the framing
        tool, port = _relay(server.port, "--mode", mode, "--apercu", "4096")
        try:
            with connect(port) as client:
                for message in messages:
                    client.sendall(frame(mode, message))
                    assert recv_exactly(client, len(frame(mode, message))) == frame(mode, message)
                    if mode != "brut":
                        up = tool.wait_event("message", direction="client->server")
                        down = tool.wait_event("message", direction="server->client")
                        assert bytes.fromhex(up["hex"]) == message == bytes.fromhex(down["hex"])
                client.shutdown(socket.SHUT_WR)
                assert client.recv(10) == b""  # the half-close went through to the server and back
            tool.wait_line(lambda line: '"#1 ' in line and ' closed"' in line)
            status, _ = tool.interrupt()
        finally:
            tool.close()
        wire = b"".join(frame(mode, m) for m in messages)
        assert bytes(server.received[0]) == wire
    assert status == 0
    summary = tool.summary()
    assert summary["client->server"]["bytes"] == summary["server->client"]["bytes"]
    assert summary["client->server"]["errors"] == 0
    if mode != "brut":
        assert summary["client->server"]["messages"] == 3
        assert summary["client->server"]["bytes"] == sum(len(m) for m in messages)
    else:  # chunks as they came: every byte, however cut
        assert summary["client->server"]["bytes"] == len(wire)


def test_a_16_mib_message_crosses_unchanged_and_is_printed_once():
    payload = os.urandom(MIB16)
    with PlainServer() as server:
        tool, port = _relay(server.port)
        try:
            with connect(port) as client:
                client.sendall(frame("taille", payload))
                assert recv_exactly(client, len(payload) + 10) == frame("taille", payload)
            up = tool.wait_event("message", direction="client->server")
            down = tool.wait_event("message", direction="server->client")
            progress = [tool.wait_event("progress", direction="client->server") for _ in range(3)]
        finally:
            tool.close()
    assert [p["total"] for p in progress] == [MIB16] * 3  # every 4 MiB, the size announced known
    assert all(p["received"] >= (i + 1) * 4 * 1024 * 1024 for i, p in enumerate(progress))
    digest = hashlib.sha256(payload).hexdigest()
    assert up["size"] == down["size"] == MIB16 and up["sha256"] == down["sha256"] == digest


@pytest.mark.parametrize(
    ("mode", "sent", "looks_like", "said"),
    [
        ("taille", b"Hello<EOF>", "marqueur", "SocketTailleDébut"),
        ("websocket", b"5\r\nHello", "taille", "not a WebSocket opening handshake"),
    ],
)
def test_a_client_in_another_mode_is_named_and_still_forwarded(mode, sent, looks_like, said):
    with PlainServer() as server:
        tool, port = _relay(server.port, "--mode", mode)
        try:
            with connect(port) as client:
                client.sendall(sent)
                assert recv_exactly(client, len(sent)) == sent
                warning = tool.wait_event("warning", direction="client->server")
                chunk = tool.wait_event("chunk", direction="client->server")
        finally:
            tool.close()
    assert warning["expected"] == mode and warning["looks_like"] == looks_like and said in warning["message"]
    assert bytes.fromhex(chunk["hex"]) == sent


def test_a_server_unreachable_is_reported_and_the_client_closed():
    with PlainServer() as gone:
        dead_port = gone.port
    tool, port = _relay(dead_port)
    try:
        with connect(port) as client:
            assert client.recv(10) == b""
        warning = tool.wait_event("warning")
        assert "cannot reach the server" in warning["message"]
    finally:
        tool.close()


def test_journal_replayed_gives_the_server_the_same_bytes(tmp_path):
    journal = tmp_path / "conversation.jsonl"
    answer = {b"1\r\na": b"2\r\nOK", b"1\r\na3\r\nbcd": b"2\r\nOK4\r\nDONE"}
    with PlainServer(lambda received: answer.get(received, b"")) as server:
        tool, port = _relay(server.port, "--journal", str(journal))
        try:
            with connect(port) as client:
                client.sendall(b"1\r\na")
                assert recv_exactly(client, 5) == b"2\r\nOK"
                client.sendall(b"3\r\nbcd")
                assert recv_exactly(client, 7) == b"4\r\nDONE"
            server.wait_ended(1)
            tool.interrupt()
        finally:
            tool.close()
        original = bytes(server.received[0])
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        assert records[0]["journal"] == "wlsocket-trace" and records[0]["mode"] == "taille"

        done = run("rejoue", str(journal), "--json")  # to the server recorded in the journal
        assert done.returncode == 0, done.stdout + done.stderr
        server.wait_ended(2)
        assert len(server.received) == 2
        assert bytes(server.received[1]) == original == b"1\r\na3\r\nbcd"
    found = events(done.stdout)
    assert any(e["event"] == "info" and e.get("same") is True for e in found)
    texts = [e["text"] for e in found if e["event"] == "message"]
    assert texts == ["a", "OK", "bcd", "DONE"]


def test_replay_against_a_server_that_answers_otherwise_says_where_it_differs(tmp_path):
    journal = tmp_path / "j.jsonl"
    journal.write_text(
        '{"journal": "wlsocket-trace", "version": 1, "mode": "taille", "marker": "<EOF>", "server": "x:1"}\n'
        '{"t": 0, "connection": 1, "direction": "client->server", "data": "MQ0KYQ=="}\n'
        '{"t": 0.1, "connection": 1, "direction": "server->client", "data": "Mg0KT0s="}\n'
    )
    with PlainServer(lambda received: b"2\r\nKO") as server:
        done = run("replay", str(journal), "127.0.0.1", str(server.port), "--delai", "2000", "--json")
    assert done.returncode == 1
    warning = next(e for e in events(done.stdout) if e["event"] == "warning")
    assert warning["offset"] == 3 and "differs" in warning["message"]


@pytest.mark.parametrize(
    ("content", "where"),
    [("", ":1:1: empty"), ("{not json\n", ":1:2: not JSON"), ('{"a": 1}\n', ":1:1: not a wlsocket trace journal"),
     ('{"journal": "wlsocket-trace"}\n{"t": 0, "connection": 1, "direction": "up", "data": ""}\n', ":2:1: bad")],
)
def test_replay_of_a_file_that_is_not_a_journal_names_file_and_line(tmp_path, content, where):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    done = run("rejoue", str(path), "127.0.0.1", "9")
    assert done.returncode == 2
    assert f"{path}{where}" in done.stdout and "Traceback" not in done.stderr


def test_ctrl_c_prints_the_summary_per_direction_in_text():
    with PlainServer() as server:
        port = free_port()
        tool = Tool("trace", str(port), "127.0.0.1", str(server.port), "--mode", "marqueur", json_output=False)
        try:
            tool.wait_line(lambda line: "relaying" in line)
            with connect(port) as client:
                client.sendall(b"ping<EOF>")
                assert recv_exactly(client, 9) == b"ping<EOF>"
                tool.wait_line(lambda line: "server->client" in line and '"ping"' in line)
                status, rest = tool.interrupt()
        finally:
            tool.close()
    assert status == 0
    summary = rest[rest.index("summary:") :]  # after the connection's last lines
    assert sorted(summary[1:]) == [
        "  client->server: messages 1, bytes 4, errors 0",
        "  server->client: messages 1, bytes 4, errors 0",
    ]


def _websockets_echo():
    """The websockets library as the server: a real peer, echoing."""
    def handler(connection) -> None:
        for message in connection:
            connection.send(message)

    server = websockets_serve(handler, "127.0.0.1", 0, compression=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_websocket_mode_shows_the_handshake_and_every_frame_unmasked():
    server, thread = _websockets_echo()
    try:
        tool, port = _relay(server.socket.getsockname()[1], "--mode", "websocket")
        try:
            sock, rest = open_websocket(port, "/chat")
            with sock:
                reader = FrameReader(sock, rest)
                sock.sendall(ws_frame(1, "salut é".encode()))
                assert reader.next() == (1, "salut é".encode())
                big = os.urandom(70_000)
                sock.sendall(ws_frame(2, big))
                assert reader.next() == (2, big)
                sock.sendall(ws_frame(8, struct.pack("!H", 1000)))
                assert reader.next()[0] == 8
            request = tool.wait_event("handshake", direction="client->server")
            answer = tool.wait_event("handshake", direction="server->client")
            assert request["line"] == "GET /chat HTTP/1.1" and answer["line"].startswith("HTTP/1.1 101")
            up = [tool.wait_event("frame", direction="client->server") for _ in range(3)]
            down = [tool.wait_event("frame", direction="server->client") for _ in range(3)]
        finally:
            tool.close()
    finally:
        server.shutdown()
        thread.join(20)
    assert [f["opcode"] for f in up] == [f["opcode"] for f in down] == ["text", "binary", "close"]
    assert up[0]["text"] == "salut é" and up[0]["masked"] is True
    assert down[0]["masked"] is False and down[1]["size"] == 70_000
    assert up[1]["sha256"] == down[1]["sha256"] == hashlib.sha256(big).hexdigest()
    assert up[2]["close_code"] == 1000


def test_websocket_journal_replayed_gives_the_same_frames(tmp_path):
    journal = tmp_path / "ws.jsonl"
    server_port = free_port()
    server = Tool("ecoute", str(server_port), "--mode", "websocket", "--echo")
    try:
        server.wait_ready()
        tool, port = _relay(server_port, "--mode", "websocket", "--journal", str(journal))
        try:
            sock, rest = open_websocket(port, "/echo")
            with sock:
                reader = FrameReader(sock, rest)
                sock.sendall(ws_frame(1, b"hello"))
                assert reader.next() == (1, b"hello")
                sock.sendall(ws_frame(8, struct.pack("!H", 1000)))
                assert reader.next()[0] == 8
                assert reader.until_eof() == b""
            tool.wait_line(lambda line: '"#1 ' in line and ' closed"' in line)
            tool.interrupt()
        finally:
            tool.close()
        done = run("rejoue", str(journal), "--json")
    finally:
        server.close()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    found = events(done.stdout)
    assert any(e["event"] == "info" and e.get("same") is True for e in found)
    assert [e["opcode"] for e in found if e["event"] == "frame"] == ["text", "text", "close", "close"]
    assert [e["line"] for e in found if e["event"] == "handshake"][0] == "GET /echo HTTP/1.1"


def test_several_clients_at_once_keep_their_own_bytes_and_numbers():
    with PlainServer() as server:
        tool, port = _relay(server.port, "--mode", "marqueur-buffer")
        try:
            clients = [connect(port) for _ in range(3)]
            try:
                for round_number in range(20):  # interleaved: each client in turn
                    for index, client in enumerate(clients):
                        client.sendall(f"c{index}-{round_number}<EOF>".encode())
                for index, client in enumerate(clients):
                    wire = b"".join(f"c{index}-{n}<EOF>".encode() for n in range(20))
                    assert recv_exactly(client, len(wire)) == wire
            finally:
                for client in clients:
                    client.close()
            server.wait_ended(3)
            status, _ = tool.interrupt()
        finally:
            tool.close()
    assert status == 0
    assert sorted(bytes(r) for r in server.received) == sorted(
        b"".join(f"c{index}-{n}<EOF>".encode() for n in range(20)) for index in range(3)
    )
    found = [json.loads(line) for line in tool.seen if line.startswith('{"event": "message"')]
    by_peer: dict[str, list[str]] = {}
    for event in found:
        if event["direction"] == "client->server":
            by_peer.setdefault(event["peer"], []).append(event["text"])
    assert sorted(by_peer.values()) == [[f"c{index}-{n}" for n in range(20)] for index in range(3)]
    assert tool.summary()["client->server"]["messages"] == 60


def test_silencieux_prints_no_message_but_counts_them_and_still_warns():
    with PlainServer() as server:
        tool, port = _relay(server.port, "--silencieux")
        try:
            with connect(port) as client:
                client.sendall(frame("taille", b"quiet please"))
                assert recv_exactly(client, 16) == frame("taille", b"quiet please")
            with connect(port) as client:
                client.sendall(b"Hello<EOF>")
                assert recv_exactly(client, 10) == b"Hello<EOF>"
                tool.wait_event("warning", direction="client->server")
            server.wait_ended(2)
            status, _ = tool.interrupt()
        finally:
            tool.close()
    assert status == 0
    assert not [line for line in tool.seen if '"event": "message"' in line or '"event": "chunk"' in line]
    assert tool.summary()["client->server"] == {"messages": 2, "bytes": 22, "errors": 1}

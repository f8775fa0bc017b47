"""Bad input to the chat example: each has its documented outcome and the
server goes on (docs/webdev-websocket-server.md, "Bad input")."""

from __future__ import annotations

import signal

import pytest

from tests.webdev.helpers import ChatClient, ServerProcess


@pytest.fixture
def server():
    with ServerProcess("examples/webdev_chat.py", "--path", "/WW_Chat", "--max-message", "4096") as process:
        process.wait_listening()
        yield process
        assert process.signal(signal.SIGTERM) == 0
        assert not any("Traceback" in line for line in process.stderr), "".join(process.stderr)


@pytest.mark.parametrize("message", ["pas du json", b"\x00\x01binary", "42", "[1, 2]"],
                         ids=["text", "binary", "number", "array"])
def test_a_message_that_is_no_json_object_gets_an_error_event_and_the_client_stays(server, message):
    with ChatClient(server.port) as ana:
        ana.send(message)
        assert ana.recv() == {"event": "error", "reason": "a JSON object with an action is expected"}
        assert ana.register("Ana")["you"]["name"] == "Ana"


@pytest.mark.parametrize("message", ['{"action": ', b'{"action": "register", '], ids=["text", "binary"])
def test_text_that_starts_like_json_but_is_not_is_reported_and_the_client_stays(server, message):
    with ChatClient(server.port) as ana:
        ana.send(message)
        line = server.wait_line("JSON_INVALIDE")
        assert "examples/webdev_chat.py:" in line and "(in ReceptionMessage, context " in line
        assert ana.register("Ana")["you"]["name"] == "Ana"   # same connection, same context, still served


def test_a_binary_frame_holding_json_is_read_as_json(server):
    with ChatClient(server.port) as ana:
        ana.send(b'{"action": "register", "name": "Bin"}')
        assert ana.recv_event("members")["you"]["name"] == "Bin"


def test_an_oversize_frame_closes_that_client_with_1009_and_the_others_go_on(server):
    with ChatClient(server.port) as ana, ChatClient(server.port) as big:
        ana.register("Ana")
        big.register("Big")
        ana.recv_event("joined")
        big.send("x" * 5000)
        assert big.close_code() == 1009
        assert ana.recv_event("left")["member"]["name"] == "Big"
        ana.send({"action": "text", "text": "still here"})
        assert ana.recv_event("text")["text"] == "still here"


def test_a_wrong_path_is_closed_with_1008(server):
    with ChatClient(server.port, "/Other") as lost:
        assert lost.close_code() == 1008
    with ChatClient(server.port) as ana:
        assert ana.register("Ana")["members"] == []

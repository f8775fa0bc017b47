"""vMessage is a Variant, as in WEBDEV: real `websockets` clients send text
and binary frames to tests/webdev/fixtures/variant_messages.py, which says
how it received each (docs/webdev-websocket-server.md, "Messages in")."""

from __future__ import annotations

import json
import signal

import pytest

from tests.webdev.helpers import WAIT, ChatClient, ServerProcess

PROJECT = "tests/webdev/fixtures/variant_messages.py"


@pytest.fixture
def server():
    with ServerProcess(PROJECT, "--path", "/WW_Chat") as process:
        process.wait_listening()
        yield process
        assert process.signal(signal.SIGTERM) == 0
        assert not any("Traceback" in line for line in process.stderr), "".join(process.stderr)


def test_a_text_json_message_converts_to_a_json(server):
    text = '{"action": "register", "n": [10, 20]}'
    with ChatClient(server.port) as client:
        client.send(text)
        assert client.recv() == {"variant": True, "kind": "chaîne", "action": "register", "second": 20, "text": text}


def test_a_text_message_compares_as_a_chaine(server):
    with ChatClient(server.port) as client:
        client.send("ping")
        assert client.recv() == {"variant": True, "kind": "chaîne", "answer": "pong"}
        client.send("Ping")  # = is exact: not the same chaîne
        assert client.recv() == {"variant": True, "kind": "chaîne", "notObject": "Ping"}


def test_a_binary_frame_is_a_buffer_and_goes_back_as_one(server):
    raw = bytes([0xFF, 0x00, 0x01]) + "été".encode()
    with ChatClient(server.port) as client:
        client.send(raw)
        assert client.recv() == {"variant": True, "kind": "Buffer", "size": len(raw), "first": 0xFF}
        echoed = client.ws.recv(timeout=WAIT)
        assert isinstance(echoed, bytes) and echoed == raw  # a binary frame, byte for byte


def test_a_binary_frame_holding_json_converts_to_a_json(server):
    raw = json.dumps({"action": "bin", "n": [1, 2]}).encode()
    with ChatClient(server.port) as client:
        client.send(raw)
        assert client.recv() == {"variant": True, "kind": "Buffer", "size": len(raw), "first": ord("{"),
                                 "action": "bin"}
        assert client.ws.recv(timeout=WAIT) == raw


@pytest.mark.parametrize("text, value", [("pas du json", "pas du json"), ("42", 42), ("[1, 2]", [1, 2])],
                         ids=["words", "number", "array"])
def test_text_that_is_no_json_object_is_the_json_value_wlangage_assigns(server, text, value):
    with ChatClient(server.port) as client:
        client.send(text)
        assert client.recv() == {"variant": True, "kind": "chaîne", "notObject": value}


def test_text_that_starts_like_json_but_is_not_is_fatal_and_the_client_stays(server):
    with ChatClient(server.port) as client:
        client.send('{"action": ')
        line = server.wait_line("JSON_INVALIDE")
        assert f"{PROJECT}:" in line and "(in ReceptionMessage, context " in line
        client.send("ping")  # same connection, same context, still served
        assert client.recv()["answer"] == "pong"

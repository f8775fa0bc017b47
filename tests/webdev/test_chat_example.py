"""examples/webdev_chat.py with three `websockets` clients on 127.0.0.1."""

from __future__ import annotations

import signal

import pytest

from tests.webdev.helpers import ChatClient, ServerProcess, running_server


def test_three_clients_register_type_talk_leave_and_the_server_stops():
    with running_server() as server:
        port = server.settings.port
        ana, bob, cyd = ChatClient(port), ChatClient(port), ChatClient(port)
        try:
            first = ana.register("Ana")
            assert first["members"] == [] and first["you"]["name"] == "Ana"
            second = bob.register("Bob")
            assert [m["name"] for m in second["members"]] == ["Ana"]
            assert ana.recv_event("joined")["member"]["name"] == "Bob"
            third = cyd.register("Cyd")
            assert sorted(m["name"] for m in third["members"]) == ["Ana", "Bob"]
            assert ana.recv_event("joined")["member"]["name"] == "Cyd"
            assert bob.recv_event("joined")["member"]["name"] == "Cyd"

            bob.send({"action": "typing"})
            assert ana.recv()["event"] == "typing"
            assert cyd.recv() == {"event": "typing", "member": second["you"]}

            bob.send({"action": "text", "text": "salut"})
            bob.send({"action": "text", "text": "ça va ?"})
            for member in (ana, bob, cyd):  # everyone, the sender too, in order, counted in its own context
                one, two = member.recv_event("text"), member.recv_event("text")
                assert (one["text"], one["received"], one["member"]["name"]) == ("salut", 1, "Bob")
                assert (two["text"], two["received"]) == ("ça va ?", 2)

            bob.close()
            for member in (ana, cyd):
                assert member.recv_event("left")["member"] == second["you"]
            assert [client.Note["name"] for client in server.local.list_clients()] == ["Ana", "Cyd"]
        finally:
            for member in (ana, bob, cyd):
                member.close()


def test_a_client_must_register_first():
    with running_server() as server, ChatClient(server.settings.port) as anonymous:
        anonymous.send({"action": "text", "text": "hello?"})
        assert anonymous.recv() == {"event": "error", "reason": "register first"}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_ctrl_c_sends_shutdown_closes_with_1001_and_exits_0(signum):
    with ServerProcess("examples/webdev_chat.py", "--path", "/WW_Chat") as server:
        server.wait_listening()
        with ChatClient(server.port) as ana, ChatClient(server.port) as bob:
            ana.register("Ana")
            bob.register("Bob")
            ana.recv_event("joined")
            assert server.signal(signum) == 0
            for member in (ana, bob):
                assert member.recv_event("shutdown") == {"event": "shutdown"}
                # Then perhaps the other's "left" (its Deconnexion runs as it is closed), then 1001.
                assert member.close_code() == 1001

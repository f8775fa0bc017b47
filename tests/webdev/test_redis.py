"""Two server processes as one through Redis (--redis), on two ports."""

from __future__ import annotations

import signal
import time

from websockets.sync.client import connect

from tests.webdev.helpers import WAIT, ChatClient, ServerProcess, redis_server, url
from wlsocket.webdev.redis_bridge import ALIVE_TTL_MS, HEARTBEAT_S

#: Documented bound (docs/webdev-websocket-server.md): a killed process's
#: clients leave the others' lists within ALIVE_TTL_MS.
KILL_BOUND_S = ALIVE_TTL_MS / 1000


def names(members):
    return sorted(member["name"] for member in members)


def test_two_processes_share_members_texts_and_a_killed_process_leaves_the_list():
    with redis_server() as redis_url:
        arguments = ("--path", "/WW_Chat", "--redis", redis_url)
        with ServerProcess("examples/webdev_chat.py", *arguments) as one, \
                ServerProcess("examples/webdev_chat.py", *arguments) as two:
            one.wait_listening()
            two.wait_listening()
            with ChatClient(one.port) as ana, ChatClient(two.port) as bob, ChatClient(one.port) as cyd:
                assert ana.register("Ana")["members"] == []
                assert names(bob.register("Bob")["members"]) == ["Ana"]          # Ana is on the other process
                assert ana.recv_event("joined")["member"]["name"] == "Bob"       # Envoie across processes
                assert names(cyd.register("Cyd")["members"]) == ["Ana", "Bob"]
                assert bob.recv_event("joined")["member"]["name"] == "Cyd"

                bob.send({"action": "text", "text": "de l'autre côté"})           # WebSocketExécute across processes
                for member in (ana, cyd, bob):
                    line = member.recv_event("text")
                    assert (line["text"], line["member"]["name"], line["received"]) == ("de l'autre côté", "Bob", 1)

                two.process.kill()                                                # SIGKILL: no Deconnexion, no cleanup
                two.process.wait(WAIT)
                killed = time.monotonic()
                assert bob.close_code() is None                                   # no close frame: just gone
                while True:
                    asked = time.monotonic() - killed   # the server lists the members after this moment
                    with ChatClient(one.port) as probe:
                        members = names(probe.register("Probe")["members"])
                    if "Bob" not in members:
                        break
                    # A list made more than the bound after the kill must not show Bob (a small margin
                    # for the time between the renewal before the kill and the kill).
                    assert asked < KILL_BOUND_S + HEARTBEAT_S / 2, f"Bob still listed {asked:.1f} s after SIGKILL"
                    time.sleep(HEARTBEAT_S / 10)  # a poll of the list, bounded just above
                assert members == ["Ana", "Cyd"]

                cyd.send({"action": "text", "text": "encore là"})                 # the survivor goes on
                assert ana.recv_event("text")["text"] == "encore là"
            assert one.signal(signal.SIGTERM) == 0


def test_note_binary_messages_and_execute_reach_a_client_of_the_other_process():
    project = "tests/webdev/fixtures/contexts_project.py"
    with redis_server() as redis_url:
        arguments = (project, "--redis", redis_url)
        with ServerProcess(*arguments) as one, ServerProcess(*arguments) as two:
            one.wait_listening()
            two.wait_listening()
            with connect(url(one.port, "/"), open_timeout=WAIT) as here, \
                    connect(url(two.port, "/"), open_timeout=WAIT) as there:
                assert here.recv(timeout=WAIT).startswith("hello ")
                assert there.recv(timeout=WAIT).startswith("hello ")
                there.send("set là-bas")
                assert there.recv(timeout=WAIT) == "ok"
                here.send("note-others noté")                 # Note of a client of the other process
                assert here.recv(timeout=WAIT) == "ok"
                # Its own process sees it (here's Note is ""), once the pub/sub message has
                # arrived there: it travels beside there's WebSocket, so poll, bounded.
                deadline = time.monotonic() + WAIT
                while True:
                    there.send("notes")
                    notes = there.recv(timeout=WAIT)
                    if notes == ",noté" or time.monotonic() > deadline:
                        break
                assert notes == ",noté"
                here.send("binary-others é")                   # a Buffer stays a binary message
                assert here.recv(timeout=WAIT) == "ok"
                assert there.recv(timeout=WAIT) == b"\x00\xff" + "é".encode()
                here.send("exec x")                            # runs in there's context, with its globals
                assert there.recv(timeout=WAIT) == "from  (x, 3, True) in là-bas"
            for server in (one, two):
                assert server.signal(signal.SIGTERM) == 0

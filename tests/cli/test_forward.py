"""The forwarding loop of ``wlsocket trace`` on its own, in this process:
real TCP connections on 127.0.0.1, with ``select.poll`` and with the
``selectors`` fallback used where poll is missing (Windows): bytes cross
unchanged both ways, a slow reader holds only its own direction, what is
shown keeps the order of reading, and half-closes are passed on."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from wlsocket.cli import forward
from wlsocket.cli.forward import Shown, forward_both


def _pair(listener: socket.socket) -> tuple[socket.socket, socket.socket]:
    outer = socket.create_connection(listener.getsockname(), timeout=30)
    inner, _ = listener.accept()
    return outer, inner


@pytest.fixture(params=["poll", "selectors"])
def poller(request, monkeypatch):
    if request.param == "selectors":
        monkeypatch.setattr(forward, "_poller", lambda: contextlib.closing(forward._SelectorPoll()))
    return request.param


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        more = sock.recv(size - len(data))
        assert more, "the relay ended early"
        data += more
    return bytes(data)


def test_both_directions_cross_unchanged_in_order_and_end(poller):
    shown: list[Shown] = []
    big = bytes(range(256)) * 65536  # 16 MiB: more than the sockets buffer, so sends are partial
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client, relay_client = _pair(listener)
        relay_server, server = _pair(listener)
        with client, relay_client, relay_server, server:
            relay = threading.Thread(
                target=forward_both, args=(relay_client, relay_server, ("c->s", "s->c"), shown.extend), daemon=True
            )
            relay.start()
            client.sendall(b"hello")
            assert _recv_exactly(server, 5) == b"hello"
            server.sendall(b"answer")
            assert _recv_exactly(client, 6) == b"answer"
            sender = threading.Thread(target=client.sendall, args=(big,), daemon=True)
            sender.start()  # the server reads only after the client is done: the relay holds the rest
            server.sendall(b"meanwhile")  # the other direction is not held up
            assert _recv_exactly(client, 9) == b"meanwhile"
            assert _recv_exactly(server, len(big)) == big
            sender.join(30)
            client.shutdown(socket.SHUT_WR)
            assert server.recv(1) == b""  # the half-close went on
            server.sendall(b"last")
            assert _recv_exactly(client, 4) == b"last"
            server.shutdown(socket.SHUT_WR)
            assert client.recv(1) == b""
            relay.join(30)
            assert not relay.is_alive()
    up = b"".join(item.data for item in shown if item.direction == "c->s")
    down = b"".join(item.data for item in shown if item.direction == "s->c")
    assert up == b"hello" + big and down == b"answermeanwhilelast"
    assert [item.direction for item in shown if item.end] == ["c->s", "s->c"]
    first = [item.data[:6] for item in shown if item.data][:2]
    assert first == [b"hello", b"answer"]
    assert not any(item.error for item in shown)


def test_a_target_gone_is_shown_as_an_error_and_the_other_side_ends(poller):
    shown: list[Shown] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client, relay_client = _pair(listener)
        relay_server, server = _pair(listener)
        with client, relay_client, relay_server:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            server.close()  # a reset: forwarding to it fails
            relay = threading.Thread(
                target=forward_both, args=(relay_client, relay_server, ("c->s", "s->c"), shown.extend), daemon=True
            )
            relay.start()
            assert client.recv(1) == b""  # the server's end (a reset) is passed on as an end
            client.sendall(b"x" * 10)
            relay.join(30)
            assert not relay.is_alive()
    assert sorted(item.direction for item in shown if item.end) == ["c->s", "s->c"]
    assert [item.direction for item in shown if item.error] == ["c->s"]
    assert "could not forward 10 bytes" in next(item.error for item in shown if item.error)

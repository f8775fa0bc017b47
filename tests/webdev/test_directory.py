"""The Note of a client is stored by value; a gone client keeps its last Note."""

from __future__ import annotations

import pytest

from wlsocket import JSON, Buffer, Variant
from wlsocket.webdev.connection import Connection
from wlsocket.webdev.directory import LocalDirectory


@pytest.fixture
def directory_and_connection():
    directory = LocalDirectory(lambda connection, name, parameters: None)
    connection = Connection("p-1", "no-such-channel", "127.0.0.1", 1024, lambda _: None)
    directory.add(connection)
    yield directory, connection
    connection.outbox.close()


@pytest.mark.parametrize("make", [lambda: JSON('{"name": "Ana", "tags": [1]}'), lambda: Variant({"name": "Ana"}),
                                  lambda: {"name": "Ana", "tags": [1]}, lambda: [1, [2]]])
def test_the_note_is_a_copy(directory_and_connection, make):
    directory, _ = directory_and_connection
    value = make()
    directory.set_note("p-1", value)
    before = str(directory.get_note("p-1"))
    if isinstance(value, list):
        value[1].append(3)
    else:
        value["name"] = "Bob"
    assert str(directory.get_note("p-1")) == before
    assert type(directory.get_note("p-1")) is type(value)


def test_a_gone_client_keeps_its_last_note_and_unknown_ones_read_empty(directory_and_connection):
    directory, connection = directory_and_connection
    directory.set_note("p-1", Buffer(b"\x00"))
    directory.remove(connection)
    assert directory.get_note("p-1") == Buffer(b"\x00")
    assert directory.get_note("p-404") == ""
    directory.send("p-1", "dropped: it has gone")  # never an error
    assert directory.list_clients() == []

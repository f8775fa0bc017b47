"""The JSON and Variant types: members created on assignment, 1-based arrays,
the properties, parsing and writing, and JSON on the wire (TCP and WebSocket)."""

from __future__ import annotations

import json
import socket
import threading

import pytest
import websocket as websocket_client  # the websocket-client package

from tests.conftest import LOOPBACK, run_thread
from wlsocket import (
    JSON,
    Buffer,
    JSONValide,
    JSONVersVariant,
    SocketAccepte,
    SocketAttendConnexion,
    SocketChangeModeTransmission,
    SocketCree,
    SocketEcrit,
    SocketFerme,
    SocketLit,
    SocketSansMarqueurFin,
    SocketWebSocket,
    TypeVar,
    Variant,
    VariantVersJSON,
    WLangageError,
    wlBooleen,
    wlChaine,
    wlEntier,
    wlJSON,
    wlNull,
    wlTableau,
)


def test_members_are_created_on_assignment_at_any_depth():
    # j est un JSON ; j.data.nom = "Ada" ; j.data.age = 36
    j = JSON()
    j.data.nom = "Ada"
    j.data.age = 36
    j.actif = True
    assert json.loads(str(j)) == {"data": {"nom": "Ada", "age": 36}, "actif": True}
    assert j.data.nom == "Ada" and j.data.age == 36 and j.actif == True  # noqa: E712 (WLangage comparison)
    assert j.data.nom.Existe_ and j.data.Exist_
    assert not j.inconnu.Existe_ and not j.data.inconnu.Existe_
    assert str(j).count("inconnu") == 0, "reading an absent member must not create it"


def test_arrays_are_one_based_and_grow_on_assignment():
    j = JSON()
    j.liste[1] = "a"
    j.liste[3] = "c"
    assert json.loads(str(j)) == {"liste": ["a", None, "c"]}
    assert j.liste[1] == "a" and j.liste[3] == "c"
    assert j.liste.Occurrence_ == 3 == j.liste.Count_
    j.liste[2] = {"x": 1}
    assert j.liste[2].x == 1
    j.points[1].x = 5  # a member of an element that does not exist yet
    assert json.loads(str(j))["points"] == [{"x": 5}]
    with pytest.raises(WLangageError) as info:
        j.liste[0]
    assert info.value.code == "INDICE_INVALIDE"
    with pytest.raises(WLangageError):
        j.liste[4]
    assert [element.Nom_ for element in j.liste] == [1, 2, 3]


def test_parse_and_write():
    text = '{"type": "chat", "data": {"de": "Zoé", "n": [1, 2.5, null, false]}}'
    j = JSON(text)
    assert j.type == "chat" and j.data.de == "Zoé"
    assert j.data.n[2] == 2.5 and not j.data.n[3].Valeur_ and j.data.n[4] == False  # noqa: E712
    assert json.loads(j.FormatJSON_) == json.loads(text) and json.loads(str(j)) == json.loads(text)
    assert JSON(Buffer(text.encode("utf-8"))).data.de == "Zoé"
    j.FormatJSON_ = '{"autre": 1}'
    assert j.autre == 1 and not j.type.Existe_
    # A chaîne that is not JSON is a string value; a broken object is fatal.
    assert JSON("bonjour").Valeur_ == "bonjour"
    assert JSON("12").Valeur_ == 12
    with pytest.raises(WLangageError) as info:
        JSON('{"a": 1,,}')
    assert info.value.code == "JSON_INVALIDE" and "line 1" in info.value.detail
    assert JSONValide('{"a": [1]}') and not JSONValide("{a:1}")


def test_members_named_like_properties_or_not_identifiers():
    j = JSON('{"Existe_": 1, "nb-clients": 2, "Occurrence": 3}')
    assert j["Existe_"] == 1 and j["nb-clients"] == 2
    assert j.Occurrence == 3 and j.Occurrence_ == 3  # member, then property
    j["clé avec espace"] = "ok"
    assert json.loads(str(j))["clé avec espace"] == "ok"


def test_iteration_gives_members_with_their_names():
    j = JSON('{"a": 1, "b": {"c": 2}}')
    assert [(member.Nom_, member.Valeur_) for member in j] == [("a", 1), ("b", {"c": 2})]


def test_a_scalar_member_cannot_hold_members():
    j = JSON()
    j.nom = "Ada"
    with pytest.raises(WLangageError) as info:
        j.nom.prenom = "x"
    assert info.value.code == "JSON_NON_OBJET"
    j.liste = [1]
    with pytest.raises(WLangageError):
        j.liste.x = 1
    with pytest.raises(WLangageError):
        j.t = object()  # no JSON form


def test_types_and_variant():
    j = JSON('{"s": "x", "n": 1, "b": true, "z": null, "l": [], "o": {}}')
    assert [TypeVar(j.s), TypeVar(j.n), TypeVar(j.b), TypeVar(j.z), TypeVar(j.l), TypeVar(j.o)] == [
        wlChaine, wlEntier, wlBooleen, wlNull, wlTableau, wlJSON]
    v = JSONVersVariant('{"type": "message", "texte": "salut"}')
    assert isinstance(v, Variant) and v.type == "message" and v.texte.Type_ == wlChaine
    assert Variant("{pas du json}").Valeur_ == "{pas du json}"  # a chaîne stays a chaîne
    assert Variant().Nul_ and not v.Null_
    v.ajout.x = 1
    assert json.loads(VariantVersJSON(v)) == {"type": "message", "texte": "salut", "ajout": {"x": 1}}
    with pytest.raises(WLangageError):
        JSONVersVariant("pas du json")


def test_assignment_copies():
    source = JSON('{"a": {"b": 1}}')
    copy = JSON()
    copy.x = source.a
    copy.x.b = 2
    assert source.a.b == 1


def _tcp_pair(port):
    assert SocketCree("srv", port, LOOPBACK)
    peer = socket.create_connection((LOOPBACK, port), timeout=5)
    assert SocketAttendConnexion("srv", 5000)
    channel = SocketAccepte("srv")
    assert channel
    return peer, channel


def test_socketecrit_sends_the_json_text_over_tcp(port):
    peer, channel = _tcp_pair(port)
    try:
        assert SocketChangeModeTransmission(channel, SocketSansMarqueurFin)
        j = JSON()
        j.type = "bonjour"
        j.data.nom = "Ada"
        assert SocketEcrit(channel, j)
        received = b""
        while received.count(b"}") < 2:
            chunk = peer.recv(4096)
            assert chunk, "the connection ended before the JSON text"
            received += chunk
        assert json.loads(received) == {"type": "bonjour", "data": {"nom": "Ada"}}
        # and read back: the peer's JSON text parsed by JSON()
        peer.sendall(b'{"ok": true}')
        answer = JSON(SocketLit(channel, False, 5000))
        assert answer.ok == True  # noqa: E712
    finally:
        peer.close()
        SocketFerme(channel)
        SocketFerme("srv")


def test_socketecrit_sends_json_and_variant_as_websocket_text(port):
    assert SocketCree("srv", port, LOOPBACK)
    assert SocketChangeModeTransmission("srv", SocketWebSocket)
    got: dict = {}
    accepted = threading.Event()

    def serve() -> None:
        if SocketAttendConnexion("srv", 5000):
            channel = SocketAccepte("srv")
            got["channel"] = channel
            accepted.set()
            message = JSONVersVariant(SocketLit(channel, False, 5000))
            reply = JSON()
            reply.echo = message.texte
            reply.n[1] = 1
            SocketEcrit(channel, reply)
            v = Variant()
            v.fin = True
            SocketEcrit(channel, v)

    server = run_thread(serve)
    client = websocket_client.create_connection(f"ws://{LOOPBACK}:{port}/", timeout=5)
    try:
        client.send(json.dumps({"texte": "salut"}))
        opcode, data = client.recv_data()
        assert opcode == websocket_client.ABNF.OPCODE_TEXT
        assert json.loads(data) == {"echo": "salut", "n": [1]}
        assert json.loads(client.recv()) == {"fin": True}
    finally:
        server.join(10)
        if accepted.is_set():
            SocketFerme(got["channel"])  # the server closes first: the client's close does not wait
        client.close()
        SocketFerme("srv")
        assert not server.is_alive()

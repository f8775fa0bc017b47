"""A Variant keeps the type of what it holds and converts as that value:
a chaîne holding JSON text becomes a json when a json is made from it, a
Buffer stays a Buffer (compared, converted and sent as one)."""

from __future__ import annotations

import socket

import pytest

from tests.wlangage.test_json import _tcp_pair
from wlsocket import (
    JSON,
    Buffer,
    SocketChangeModeTransmission,
    SocketEcrit,
    SocketFerme,
    SocketSansMarqueurFin,
    TypeVar,
    Variant,
    WLangageError,
    wlBuffer,
    wlChaine,
)


def test_a_json_made_from_a_variant_holding_json_text_parses_it():
    # jMessage est un JSON = vMessage
    vMessage = Variant('{"action": "register", "name": "Ada", "n": [1, 2]}')
    jMessage = JSON(vMessage)
    assert jMessage.action == "register" and jMessage.name == "Ada"
    assert jMessage.n[2] == 2 and jMessage.n.Occurrence_ == 2
    assert vMessage.Valeur_ == '{"action": "register", "name": "Ada", "n": [1, 2]}'  # the Variant is unchanged


def test_formatjson_accepts_the_chaine_a_variant_holds():
    j = JSON()
    j.FormatJSON_ = Variant('{"a": [1]}')
    assert j.a[1] == 1


def test_a_json_made_from_a_variant_holding_a_buffer_reads_it_as_utf8_json():
    jMessage = JSON(Variant(Buffer('{"texte": "été"}'.encode())))
    assert jMessage.texte == "été"


def test_a_variant_holding_other_text_gives_a_json_string_and_bad_json_is_fatal():
    assert JSON(Variant("pas du json")).Valeur_ == "pas du json"  # as JSON("pas du json")
    assert JSON(Variant("42")).Valeur_ == 42
    with pytest.raises(WLangageError) as caught:
        JSON(Variant('{"action": '))
    assert caught.value.code == "JSON_INVALIDE"


def test_a_json_made_from_a_variant_holding_data_copies_the_data():
    v = Variant()
    v.a.b = "x"
    j = JSON(v)
    j.a.b = "y"
    assert j.a.b == "y" and v.a.b == "x"


def test_a_variant_holding_a_chaine_behaves_as_that_chaine():
    v = Variant("bonjour")
    assert str(v) == "bonjour" and f"{v}" == "bonjour"
    assert v == "bonjour" and v != "bonsoir" and v != "Bonjour"
    assert v.Type_ == wlChaine and TypeVar(v) == wlChaine
    assert v + " Ada" == "bonjour Ada"
    assert Buffer(v) == b"bonjour"


def test_a_variant_holding_a_buffer_stays_a_buffer():
    raw = b"\x00\x01\xff binaire"
    v = Variant(Buffer(raw))
    assert isinstance(v.Valeur_, Buffer) and v.Valeur_ == raw
    assert v.Type_ == wlBuffer and TypeVar(v) == wlBuffer
    assert v == Buffer(raw) and v == raw and v != Buffer(b"autre")
    assert Buffer(v) == raw and bytes(Buffer(v)) == raw
    assert str(v) == str(Buffer(raw))  # its characters, as a Buffer shows in a chaîne
    assert Variant(bytearray(raw)).Valeur_ == raw and isinstance(Variant(bytearray(raw)).Valeur_, Buffer)
    assert Variant(v) == raw  # a Variant of a Variant keeps the Buffer


def test_a_buffer_assigned_to_a_variant_member_stays_a_buffer_and_writes_as_its_characters():
    v = Variant()
    v.data = Buffer(b"abc")
    assert isinstance(v.Valeur_["data"], Buffer)
    assert v.FormatJSON_ == '{"data":"abc"}' and str(v) == '{"data":"abc"}'
    j = JSON()
    j.data = Buffer(b"abc")  # a json holds JSON data: the Buffer's characters
    assert j.Valeur_ == {"data": "abc"}


def test_socketecrit_sends_the_buffer_a_variant_holds(port):
    peer, channel = _tcp_pair(port)
    try:
        assert SocketChangeModeTransmission(channel, SocketSansMarqueurFin)
        raw = bytes(range(256))
        assert SocketEcrit(channel, Variant(Buffer(raw)))
        assert peer.recv(len(raw), socket.MSG_WAITALL) == raw  # bounded by the peer's 5 s timeout
    finally:
        peer.close()
        SocketFerme(channel)
        SocketFerme("srv")

"""Values crossing server processes keep their type (wlsocket.webdev.wire)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wlsocket import JSON, Buffer, DonneUUID, Variant, WLangageError
from wlsocket.webdev import wire


@pytest.mark.parametrize("value", [
    "", "chaîne", 0, -7, 2.5, True, None, Buffer(b"\x00\xff"), Decimal("1.10"),
    [1, "a", [Buffer(b"x")]], {"id": "u", "nested": {"$b": "not a buffer"}, "n": [1, 2]},
])
def test_a_value_comes_back_the_same(value):
    back = wire.loads(wire.dumps(value))
    assert back == value and type(back) is type(value)


def test_a_tuple_comes_back_as_a_list_and_an_object_is_refused():
    assert wire.loads(wire.dumps((1, 2))) == [1, 2]
    with pytest.raises(WLangageError) as error:
        wire.dumps(object())
    assert error.value.code == "TYPE_PARAMETRE_INVALIDE"


def test_a_json_or_a_variant_comes_back_with_its_members():
    member = JSON()
    member.id = DonneUUID()
    member.name = "Ana"
    back = wire.loads(wire.dumps([member, Variant(5)]))
    assert type(back[0]) is JSON and back[0].name == "Ana" and str(back[0]) == str(member)
    assert type(back[1]) is Variant and back[1].Valeur_ == 5


@pytest.mark.parametrize("held", ["texte", Buffer(b"\x00\xff"), {"a": [1, Buffer(b"x")]}],
                         ids=["chaine", "buffer", "data"])
def test_a_variant_comes_back_holding_the_same_type(held):
    back = wire.loads(wire.dumps(Variant(held)))
    assert type(back) is Variant and back == held and type(back.Valeur_) is type(Variant(held).Valeur_)
    if isinstance(held, dict):
        assert type(back.Valeur_["a"][1]) is Buffer  # plain Python data: 0-based

"""Values crossing server processes keep their type (wlsocket.webdev.wire)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wlsocket import Buffer, WLangageError
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

"""The one rule for WLangage properties: ``x..Propriété`` is ``x.Propriété_``
under each of its spellings, on every type that has the property."""

from __future__ import annotations

import pytest

import wlsocket
from wlsocket.wlangage.properties import PROPERTIES, property_names


@pytest.mark.parametrize("french, english", sorted(PROPERTIES, key=lambda key: key[0]))
def test_every_type_has_every_spelling(french, english):
    names = property_names(french, english)
    assert names[0] == french + "_" and all(name.endswith("_") for name in names)
    for type_name in PROPERTIES[(french, english)]:
        kind = getattr(wlsocket, type_name)
        properties = {getattr(kind, name) for name in names}
        assert len(properties) == 1 and isinstance(next(iter(properties)), property), (type_name, names)


def test_a_json_member_never_collides_with_a_property():
    j = wlsocket.JSON('{"Occurrence": 7, "Existe": false}')
    assert j.Occurrence == 7 and j.Occurrence_ == 2 and j.Existe_ is True and j.Existe == False  # noqa: E712

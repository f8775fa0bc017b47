"""copy.copy and copy.deepcopy of a JSON or Variant: an independent value
(WLangage copies on assignment), detached from the tree it came from."""

from __future__ import annotations

import copy

import pytest

from wlsocket import JSON, Variant


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
def test_a_copy_of_a_json_is_independent_at_every_depth(copier):
    original = JSON('{"a": {"b": [1, {"c": "x"}]}, "s": "texte"}')
    duplicate = copier(original)
    assert type(duplicate) is JSON and duplicate == original
    duplicate.a.b[1] = 9
    duplicate.a.b[2].c = "y"
    duplicate.nouveau = True
    assert original.FormatJSON_ == '{"a":{"b":[1,{"c":"x"}]},"s":"texte"}'
    assert duplicate.FormatJSON_ == '{"a":{"b":[9,{"c":"y"}]},"s":"texte","nouveau":true}'


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
def test_a_copy_of_a_member_is_detached_from_its_parent(copier):
    original = JSON('{"a": {"b": 1}}')
    member = copier(original.a)
    member.b = 2
    assert original.a.b == 1 and member.b == 2 and member.Nom_ == "a"
    absent = copier(original.manquant)
    assert not absent.Existe_
    absent.x = 1  # assigning in the copy of an absent member creates it in the copy only
    assert absent.x == 1 and not original.manquant.Existe_


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
def test_a_copy_of_a_variant_keeps_its_type_and_what_it_holds(copier):
    v = Variant()
    v.data[1] = "x"
    duplicate = copier(v)
    assert type(duplicate) is Variant and duplicate == v
    duplicate.data[2] = "y"
    assert v.FormatJSON_ == '{"data":["x"]}'
    assert copier(Variant()).Nul_


def test_deepcopy_of_a_structure_holding_json_values_keeps_shared_ones_shared():
    shared = JSON('{"n": 1}')
    duplicate = copy.deepcopy({"x": shared, "y": shared, "leaf": shared.n})
    assert duplicate["x"] is duplicate["y"] and duplicate["x"] is not shared
    duplicate["x"].n = 2
    assert shared.n == 1 and duplicate["leaf"] == 1 and duplicate["leaf"].Nom_ == "n"

"""Tableau and the array functions: 1-based indices, -1 for "not found",
plain Python lists accepted, queues and stacks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from wlsocket import (
    Ajoute,
    Defile,
    Depile,
    Dimension,
    Empile,
    Enfile,
    Insere,
    Supprime,
    SupprimeTout,
    Tableau,
    TableauAjoute,
    TableauCherche,
    TableauInsere,
    TableauOccurrence,
    TableauSupprime,
    TableauTrie,
    WLangageError,
    tcDichotomique,
    tcLineaire,
    tcLineaireDernier,
    tcLineairePrecedent,
    tcLineaireSuivant,
    ttAleatoire,
    ttCroissant,
    ttDecroissant,
)


def test_tableau_indexing_is_one_based():
    t = Tableau(["a", "b", "c"])
    assert t[1] == "a" and t[3] == "c" and t.Occurrence_ == 3 == t.Count_ == len(t)
    t[2] = "B"
    assert list(t) == ["a", "B", "c"]
    del t[1]
    assert list(t) == ["B", "c"]
    for bad in (0, 3, -1):
        with pytest.raises(WLangageError) as info:
            t[bad]
        assert info.value.code == "INDICE_INVALIDE"
    with pytest.raises(WLangageError):
        t[1:2]
    assert Tableau(size=3, fill=0) == [0, 0, 0] and Tableau().Vide_ and not t.Empty_


@pytest.mark.parametrize("kind", [Tableau, list])
def test_functions_take_tableau_and_plain_lists(kind):
    t = kind()
    assert TableauAjoute(t, "x") == 1 and Ajoute(t, "z") == 2
    assert TableauInsere(t, 2, "y") == 2 and Insere(t, 4, "fin") == 4
    assert list(t) == ["x", "y", "z", "fin"] and TableauOccurrence(t) == 4 == Dimension(t)
    TableauSupprime(t, 4)
    Supprime(t, 1)
    assert list(t) == ["y", "z"]
    with pytest.raises(WLangageError):
        TableauSupprime(t, 3)
    with pytest.raises(WLangageError):
        TableauInsere(t, 0, "no")
    assert Dimension(t, 4) == 4 and list(t) == ["y", "z", None, None]
    assert Dimension(t, 1) == 1 and list(t) == ["y"]
    SupprimeTout(t)
    assert len(t) == 0


def test_tableaucherche_is_one_based_and_minus_one_when_absent():
    t = Tableau([5, 7, 5, 9])
    assert TableauCherche(t, tcLineaire, 5) == 1
    assert TableauCherche(t, tcLineaire, 9) == 4
    assert TableauCherche(t, tcLineaire, 42) == -1
    assert TableauCherche(t, tcLineaireDernier, 5) == 3
    assert TableauCherche(t, tcLineaireSuivant, 5, 1) == 3
    assert TableauCherche(t, tcLineairePrecedent, 5, 3) == 1
    assert TableauCherche(t, tcLineaire, 5, 2) == 3  # from <indice de début>
    assert TableauCherche([], tcLineaire, 1) == -1
    assert TableauCherche([1, 3, 3, 8, 10], tcDichotomique, 3) == 2
    assert TableauCherche([1, 3, 3, 8, 10], tcDichotomique, 4) == -1


@dataclass
class Client:
    nom: str
    canal: str


def test_tableaucherche_and_tableautrie_on_structures():
    clients = Tableau([Client("zoé", "c1"), Client("ada", "c2")])
    assert TableauCherche(clients, tcLineaire, "canal", "c2") == 2
    assert TableauCherche(clients, tcLineaire, "canal", "c9") == -1
    TableauTrie(clients, ttCroissant, "nom")
    assert [c.nom for c in clients] == ["ada", "zoé"]
    TableauTrie(clients, ttCroissant, "-nom")
    assert [c.nom for c in clients] == ["zoé", "ada"]
    dicts = [{"id": 2}, {"id": 1}]
    TableauTrie(dicts, ttCroissant, "id")
    assert TableauCherche(dicts, tcLineaire, "id", 2) == 2


def test_tableautrie_modes():
    t = Tableau([3, 1, 2])
    TableauTrie(t)
    assert t == [1, 2, 3]
    TableauTrie(t, ttDecroissant)
    assert t == [3, 2, 1]
    TableauTrie(t, ttAleatoire)
    assert sorted(t) == [1, 2, 3]
    with pytest.raises(WLangageError):
        TableauTrie([1, "a"])


def test_queues_and_stacks():
    queue: list = []
    Enfile(queue, 1)
    Enfile(queue, 2)
    assert Defile(queue) == 1 and Defile(queue) == 2 and Defile(queue) is None
    stack = Tableau()
    Empile(stack, "a")
    Empile(stack, "b")
    assert Depile(stack) == "b" and Depile(stack) == "a" and Depile(stack) is None


def test_not_an_array_is_fatal():
    with pytest.raises(WLangageError) as info:
        TableauAjoute("abc", 1)
    assert info.value.code == "TYPE_PARAMETRE_INVALIDE"

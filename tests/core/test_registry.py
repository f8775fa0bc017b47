"""wlsocket.registry: the table of named sockets.

The registry itself is a data structure, so most tests give it small
stand-in transports that only record their ``close``; the names the facade
hands out (case, channel names, reuse after SocketFerme) are checked with
real sockets on 127.0.0.1.
"""

from __future__ import annotations

import re
import threading

import pytest

from tests.conftest import LOOPBACK
from wlsocket import *  # noqa: F403
from wlsocket import WLangageError
from wlsocket.registry import REGISTRY, Registry, check_name

JOIN_S = 10


class Held:
    """A stand-in transport: what the registry uses of one (a name, close)."""

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.name = ""
        self.closes = 0

    def close(self) -> None:
        self.closes += 1


def fatal_code(call, *args) -> str:
    with pytest.raises(WLangageError) as raised:
        call(*args)
    return raised.value.code


def run_together(count: int, target) -> list:
    """Run ``target(i)`` in ``count`` threads released at once; their results (or exceptions)."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def body(i: int) -> None:
        start.wait(JOIN_S)
        try:
            results[i] = target(i)
        except Exception as exc:  # kept to be asserted on
            results[i] = exc

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_S)
    assert not any(thread.is_alive() for thread in threads), "a registry call never returned"
    return results


# --- names ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [None, 0, 1.5, b"sock", ["sock"], True])
def test_a_name_that_is_not_a_chaine_is_fatal(name):
    assert fatal_code(check_name, name) == "NOM_SOCKET_INVALIDE"
    registry = Registry()
    assert fatal_code(registry.check_free, name) == "NOM_SOCKET_INVALIDE"
    assert fatal_code(registry.get, name) == "NOM_SOCKET_INVALIDE"
    assert fatal_code(registry.pop, name) == "NOM_SOCKET_INVALIDE"
    assert registry.exists(name) is False  # SocketExiste answers, it does not raise


def test_the_empty_name_is_fatal_but_any_other_string_is_a_name():
    assert fatal_code(check_name, "") == "NOM_SOCKET_VIDE"
    registry = Registry()
    assert fatal_code(registry.check_free, "") == "NOM_SOCKET_VIDE"
    for name in (" ", "é", "a b", "\x00", "x" * 10_000, "名前"):
        assert check_name(name) == name
        transport = Held()
        registry.add(name, transport)
        assert transport.name == name and registry.get(name) is transport
    assert len(registry.names()) == 6


def test_names_are_case_sensitive():
    registry = Registry()
    lower, upper = Held("lower"), Held("upper")
    registry.add("sock", lower)
    registry.add("SOCK", upper)
    assert registry.get("sock") is lower and registry.get("SOCK") is upper
    assert not registry.exists("Sock")
    assert fatal_code(registry.get, "Sock") == "SOCKET_INEXISTANTE"
    assert sorted(registry.names()) == ["SOCK", "sock"]


def test_facade_names_are_case_sensitive_with_real_sockets(port):
    assert SocketCrée("Serveur", port, LOOPBACK)
    try:
        assert SocketExiste("Serveur")
        assert not SocketExiste("serveur") and not SocketExiste("SERVEUR")
        with pytest.raises(WLangageError) as raised:
            SocketFerme("serveur")
        assert raised.value.code == "SOCKET_INEXISTANTE"
        assert SocketExiste("Serveur")
    finally:
        SocketFerme("Serveur")
    assert not SocketExiste("Serveur")


# --- adding, finding, removing ------------------------------------------------


def test_a_taken_name_is_refused_before_and_after_opening():
    registry = Registry()
    first, second = Held(), Held()
    registry.add("sock", first)
    assert fatal_code(registry.check_free, "sock") == "SOCKET_EXISTANTE"
    assert fatal_code(registry.add, "sock", second) == "SOCKET_EXISTANTE"
    # The loser was opened already: the registry closes it, the winner stays.
    assert second.closes == 1 and first.closes == 0
    assert registry.get("sock") is first
    assert registry.check_free("other") == "other"


def test_get_and_pop_of_an_unknown_name_are_fatal():
    registry = Registry()
    assert fatal_code(registry.get, "nobody") == "SOCKET_INEXISTANTE"
    assert fatal_code(registry.pop, "nobody") == "SOCKET_INEXISTANTE"


def test_pop_forgets_the_name_without_closing_and_the_name_is_free_again():
    registry = Registry()
    old = Held()
    registry.add("sock", old)
    assert registry.pop("sock") is old
    assert old.closes == 0  # closing is the caller's job (SocketFerme)
    assert not registry.exists("sock") and registry.names() == []
    assert fatal_code(registry.pop, "sock") == "SOCKET_INEXISTANTE"
    new = Held()
    registry.add("sock", new)
    assert registry.get("sock") is new


def test_remove_if_forgets_only_the_transport_it_was_given():
    registry = Registry()
    old, new = Held(), Held()
    registry.add("sock", old)
    registry.pop("sock")
    registry.add("sock", new)
    registry.remove_if("sock", old)  # a late cleanup of the old socket
    assert registry.get("sock") is new
    registry.remove_if("sock", new)
    assert not registry.exists("sock")
    registry.remove_if("never", new)  # nothing to forget: no error


def test_replace_swaps_the_transport_behind_a_name():
    registry = Registry()
    tcp, websocket = Held("tcp"), Held("websocket")
    registry.add("chan", tcp)
    registry.replace("chan", tcp, websocket)
    assert registry.get("chan") is websocket and websocket.name == "chan"
    assert tcp.closes == 0 and websocket.closes == 0


def test_replace_after_the_name_was_closed_closes_the_newcomer():
    registry = Registry()
    tcp, websocket, other = Held(), Held(), Held()
    registry.add("chan", tcp)
    registry.pop("chan")
    assert fatal_code(registry.replace, "chan", tcp, websocket) == "SOCKET_INEXISTANTE"
    assert websocket.closes == 1 and not registry.exists("chan")
    registry.add("chan", other)  # the name now belongs to someone else
    late = Held()
    assert fatal_code(registry.replace, "chan", tcp, late) == "SOCKET_INEXISTANTE"
    assert late.closes == 1 and registry.get("chan") is other


def test_names_is_a_snapshot():
    registry = Registry()
    registry.add("a", Held())
    names = registry.names()
    registry.add("b", Held())
    names.append("c")
    assert names == ["a", "c"] and sorted(registry.names()) == ["a", "b"]


# --- channel names --------------------------------------------------------------


def test_channel_names_are_16_hex_characters_and_distinct():
    registry = Registry()
    transports = [Held() for _ in range(2000)]
    names = [registry.add_unique(transport) for transport in transports]
    assert all(re.fullmatch(r"[0-9a-f]{16}", name) for name in names)
    assert len(set(names)) == 2000
    for name, transport in zip(names, transports, strict=True):
        assert registry.get(name) is transport and transport.name == name


def test_socketaccepte_registers_each_channel_under_its_own_name(port):
    assert SocketCrée("srv", port, LOOPBACK)
    channels = []
    try:
        for index in range(3):
            assert SocketConnecte(f"cli{index}", port, LOOPBACK, 5000)
            assert SocketAttendConnexion("srv", 5000)
            channels.append(SocketAccepte("srv"))
        assert len(set(channels)) == 3
        assert all(re.fullmatch(r"[0-9a-f]{16}", channel) and SocketExiste(channel) for channel in channels)
        assert sorted(REGISTRY.names()) == sorted(["srv", "cli0", "cli1", "cli2", *channels])
        # Each channel talks to its own client.
        for index in range(3):
            assert SocketEcrit(f"cli{index}", f"from {index}")
        assert [SocketLit(channel, Vrai, 5000) for channel in channels] == ["from 0", "from 1", "from 2"]
    finally:
        for name in [*channels, "cli0", "cli1", "cli2", "srv"]:
            if SocketExiste(name):
                SocketFerme(name)
    assert REGISTRY.names() == []


# --- threads ----------------------------------------------------------------------


def test_one_name_added_by_16_threads_at_once_has_exactly_one_owner():
    registry = Registry()
    transports = [Held(str(i)) for i in range(16)]
    results = run_together(16, lambda i: registry.add("shared", transports[i]))
    winners = [i for i, result in enumerate(results) if result is None]
    assert len(winners) == 1
    losers = [result for result in results if result is not None]
    assert all(isinstance(exc, WLangageError) and exc.code == "SOCKET_EXISTANTE" for exc in losers)
    owner = registry.get("shared")
    assert owner is transports[winners[0]] and owner.closes == 0
    assert sum(transport.closes for transport in transports) == 15


def test_16_threads_adding_and_popping_their_own_names_leave_the_table_consistent():
    registry = Registry()
    rounds = 300

    def churn(i: int) -> int:
        kept = 0
        for r in range(rounds):
            name = f"t{i}-{r}"
            transport = Held()
            registry.add(name, transport)
            assert registry.get(name) is transport
            if r % 3:
                assert registry.pop(name) is transport
            else:
                kept += 1
        return kept

    results = run_together(16, churn)
    assert all(isinstance(result, int) for result in results), results
    expected = {f"t{i}-{r}" for i in range(16) for r in range(rounds) if r % 3 == 0}
    assert set(registry.names()) == expected and sum(results) == len(expected)


def test_channel_names_from_16_threads_at_once_are_all_distinct():
    registry = Registry()
    results = run_together(16, lambda i: [registry.add_unique(Held()) for _ in range(200)])
    names = [name for batch in results for name in batch]
    assert len(names) == len(set(names)) == 3200 == len(registry.names())


def test_pop_of_one_name_from_8_threads_returns_it_to_exactly_one():
    registry = Registry()
    transport = Held()
    registry.add("sock", transport)
    results = run_together(8, lambda i: registry.pop("sock"))
    assert results.count(transport) == 1
    assert all(isinstance(r, WLangageError) and r.code == "SOCKET_INEXISTANTE" for r in results if r is not transport)


# --- close_all ----------------------------------------------------------------------


def test_close_all_closes_every_socket_once_and_empties_the_table():
    registry = Registry()
    transports = [Held() for _ in range(10)]
    for index, transport in enumerate(transports):
        registry.add(f"s{index}", transport)
    registry.add_unique(channel := Held())
    registry.close_all()
    assert registry.names() == []
    assert all(transport.closes == 1 for transport in [*transports, channel])
    registry.close_all()  # nothing left: closes nothing twice
    assert all(transport.closes == 1 for transport in transports)


def test_close_all_closes_outside_the_lock():
    """A transport's close may use the registry (a channel forgetting its
    name, say): close_all must not hold the lock while closing."""
    registry = Registry()

    class Forgetful(Held):
        def close(self) -> None:
            super().close()
            registry.remove_if(self.name, self)
            registry.add_unique(Held())  # would deadlock under the lock

    for index in range(3):
        registry.add(f"s{index}", Forgetful())
    done = threading.Thread(target=registry.close_all, daemon=True)
    done.start()
    done.join(JOIN_S)
    assert not done.is_alive(), "close_all deadlocked on a transport that uses the registry"
    assert len(registry.names()) == 3 and all(not name.startswith("s") for name in registry.names())


def test_close_all_with_real_sockets_releases_them(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketConnecte("cli", port, LOOPBACK, 5000)
    assert SocketAttendConnexion("srv", 5000)
    channel = SocketAccepte("srv")
    REGISTRY.close_all()
    assert REGISTRY.names() == [] and not SocketExiste(channel)
    # The port is free again: a new server can listen on it at once.
    assert SocketCrée("srv", port, LOOPBACK)
    SocketFerme("srv")

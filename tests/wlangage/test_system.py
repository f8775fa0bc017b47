"""DonneUUID, DonneGUID, NetAdresseIP, SysEnvironnement, Hasard."""

from __future__ import annotations

import re
import socket
import threading
import uuid

import pytest

from wlsocket import (
    DonneGUID,
    DonneUUID,
    Hasard,
    InitHasard,
    NetAdresseIP,
    NetNomMachine,
    ReseauUtilisateur,
    SysEnvironnement,
    WLangageError,
    guidBrut,
    guidFormate,
)


def test_uuid_and_guid_forms_and_uniqueness():
    values = {DonneUUID() for _ in range(1000)}
    assert len(values) == 1000
    sample = next(iter(values))
    assert uuid.UUID(sample).version == 4 and sample == sample.lower() and len(sample) == 36
    assert re.fullmatch(r"[0-9A-F]{32}", DonneGUID()) and re.fullmatch(r"[0-9A-F]{32}", DonneGUID(guidBrut))
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", DonneGUID(guidFormate))
    with pytest.raises(WLangageError):
        DonneGUID(7)


def test_uuid_from_many_threads_never_repeats():
    seen: list[str] = []
    lock = threading.Lock()

    def make() -> None:
        mine = [DonneUUID() for _ in range(200)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 800 == len(set(seen))


def test_netadresseip_is_an_address_a_socket_can_bind():
    address = NetAdresseIP()
    socket.inet_aton(address)
    with socket.socket() as probe:
        probe.bind((address, 0))  # an address of this computer
    assert NetAdresseIP("localhost") == "127.0.0.1"
    assert NetAdresseIP("no-such-host.invalid") == ""
    assert NetNomMachine() == socket.gethostname()
    assert isinstance(ReseauUtilisateur(), str)


def test_sysenvironnement(monkeypatch):
    monkeypatch.setenv("WLSOCKET_TEST_VAR", "valeur")
    assert SysEnvironnement("WLSOCKET_TEST_VAR") == "valeur"
    assert SysEnvironnement("WLSOCKET_NOT_SET_VAR") == ""
    assert "WLSOCKET_TEST_VAR=valeur" in SysEnvironnement().split("\r\n")


def test_hasard_bounds_and_seed():
    draws = {Hasard(6) for _ in range(2000)}
    assert draws == {1, 2, 3, 4, 5, 6}
    assert {Hasard(3, 5) for _ in range(500)} == {3, 4, 5} == {Hasard(5, 3) for _ in range(500)}
    assert 0 <= Hasard() < 1 and Hasard(0) == 0 and {Hasard(-2) for _ in range(200)} == {-2, -1}
    InitHasard(42)
    first = [Hasard(1000) for _ in range(5)]
    InitHasard(42)
    assert [Hasard(1000) for _ in range(5)] == first

"""Every TCP function of the core, with real sockets on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

import wlsocket
from tests.conftest import LOOPBACK, open_fds, wait_until_inside
from wlsocket import *  # noqa: F403
from wlsocket import Buffer


def server_and_client(port: int, mode=None, marker=None) -> str:
    """SocketCrée + SocketConnecte + SocketAccepte; returns the channel name."""
    assert SocketCrée("srv", port, LOOPBACK)
    if mode is not None:
        assert SocketChangeModeTransmission("srv", mode, *(() if marker is None else (marker,)))
    assert SocketConnecte("cli", port, LOOPBACK, 5000)
    if mode is not None:
        assert SocketChangeModeTransmission("cli", mode, *(() if marker is None else (marker,)))
    assert SocketAttendConnexion("srv", 5000)
    channel = SocketAccepte("srv")
    assert len(channel) == 16 and SocketExiste(channel)
    return channel


def close_all(*names: str) -> None:
    for name in names:
        SocketFerme(name)


def test_exchange_both_directions(port):
    channel = server_and_client(port)
    assert SocketEcrit("cli", "question")
    assert SocketLit(channel) == "question"
    assert SocketEcrit(channel, "réponse")
    assert SocketLit("cli") == "réponse"
    close_all("cli", channel, "srv")


def test_the_three_spellings_are_one_function(port):
    assert SocketCrée is SocketCree is SocketCreate
    assert wlsocket.socketcree is SocketCreate
    assert wlsocket.SOCKETCRÉE is SocketCreate
    assert wlsocket.sOcKeTlIt is SocketRead
    assert "socketcree" not in wlsocket.__all__
    assert {"SocketCrée", "SocketCree", "SocketCreate"} <= set(wlsocket.__all__)
    assert SocketMarqueurFin == SocketEndTag == 0 and SocketTailleDebut == 1
    with pytest.raises(AttributeError):
        _ = wlsocket.SocketNExistePas


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer])
def test_accepted_channel_inherits_mode_and_marker(port, mode):
    channel = server_and_client(port, mode, "#END#")
    for text in ("one", "two"):
        SocketEcrit("cli", text)
        assert SocketLit(channel) == text
    SocketEcrit(channel, "back")
    assert SocketLit("cli") == "back"
    close_all("cli", channel, "srv")


def test_raw_mode_read_returns_what_arrived_up_to_max_bytes(port):
    channel = server_and_client(port, SocketSansMarqueurFin)
    SocketEcrit("cli", "abcdefghij")
    first = SocketLit(channel, True, 1000, 4)
    assert first == "abcd"
    assert SocketLit(channel, True, 1000, 100) == "efghij"
    close_all("cli", channel, "srv")


def test_several_messages_in_one_segment_and_one_message_in_many(port):
    assert SocketCrée("srv", port, LOOPBACK)
    with socket.create_connection((LOOPBACK, port)) as peer:
        assert SocketAttendConnexion("srv", 5000)
        channel = SocketAccepte("srv")
        peer.sendall(b"3\r\nabc5\r\nhello0\r\n2\r\nok")
        assert [SocketLit(channel) for _ in range(4)] == ["abc", "hello", "", "ok"]
        assert not ErreurDétectée
        frame = b"11\r\nHello World"
        sender = threading.Thread(target=lambda: [peer.sendall(frame[i : i + 1]) for i in range(len(frame))])
        sender.start()
        assert SocketLit(channel, False, 10_000) == "Hello World"
        sender.join(10)
        close_all(channel, "srv")


@pytest.mark.parametrize("encoding", ["ansi", "utf-8"])
def test_64_kib_messages_queued_whole_are_the_same_chaine_in_both_encodings(port, encoding):
    """ASCII, accented and mixed 64 KiB payloads, each queued whole before
    SocketLit (one 68 KiB read takes it and its size line; an ASCII one is
    decoded from that chunk, which tests/codecs checks): the chaîne sent."""
    wlsocket.set_string_encoding(encoding)
    try:
        assert SocketCrée("srv", port, LOOPBACK)
        with socket.create_connection((LOOPBACK, port)) as peer:
            assert SocketAttendConnexion("srv", 5000)
            channel = SocketAccepte("srv")
            accented = "é" * (65536 if encoding == "ansi" else 32768)
            for text in ("x" * 65536, accented, "a" * 65535 + "é"):
                payload = text.encode("cp1252" if encoding == "ansi" else "utf-8")
                peer.sendall(b"%d\r\n%b" % (len(payload), payload))  # queued whole before the read
                assert SocketLit(channel) == text
            assert not ErreurDétectée
            close_all(channel, "srv")
    finally:
        wlsocket.set_string_encoding("ansi")


def test_end_tag_buffer_keeps_leftover_end_tag_drops_it(port):
    channel = server_and_client(port, SocketMarqueurFinBuffer, "\r\n")
    SocketChangeModeTransmission("cli", SocketSansMarqueurFin)
    SocketEcrit("cli", "a\r\nb\r\nc\r\n")
    assert [SocketLit(channel) for _ in range(3)] == ["a", "b", "c"]
    SocketChangeModeTransmission(channel, SocketMarqueurFin, "\r\n")
    SocketEcrit("cli", "x\r\ny\r\n")
    assert SocketLit(channel) == "x"
    assert ErreurDétectée  # the rest of the segment was dropped, as WINDEV does
    assert ErreurInfo(errCode) == "SOCKET_LIT_MARQUEUR_FIN"
    close_all("cli", channel, "srv")


def test_mode_change_keeps_unread_bytes(port):
    channel = server_and_client(port)
    SocketChangeModeTransmission("cli", SocketSansMarqueurFin)
    SocketEcrit("cli", "2\r\nokrest")
    assert SocketLit(channel) == "ok"
    SocketChangeModeTransmission(channel, SocketMarqueurFinBuffer)
    SocketEcrit("cli", "<EOF>")
    assert SocketLit(channel) == "rest"
    close_all("cli", channel, "srv")


def test_mode_change_waits_for_a_read_in_progress(port):
    """The documented choice: a SocketLit blocked in another thread ends in
    the old mode before SocketChangeModeTransmission takes effect."""
    channel = server_and_client(port)
    read: list[str] = []
    changed: list[bool] = []
    reader = threading.Thread(target=lambda: read.append(SocketLit(channel)))
    reader.start()
    wait_until_inside(reader, "_read_locked")
    changer = threading.Thread(target=lambda: changed.append(SocketChangeModeTransmission(channel, SocketMarqueurFin)))
    changer.start()
    try:
        wait_until_inside(changer, "set_mode")
        assert changer.is_alive() and not changed  # held by the read in progress
        SocketEcrit("cli", "first")  # size-prefixed: 5\r\nfirst
    finally:
        reader.join(10)
        changer.join(10)
    assert read == ["first"] and changed == [True]
    assert SocketChangeModeTransmission("cli", SocketMarqueurFin)
    SocketEcrit("cli", "second")
    assert SocketLit(channel, False, 5000) == "second"
    close_all("cli", channel, "srv")


@pytest.mark.parametrize("mode", [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer])
def test_16_mib_message_crosses_intact(port, mode):
    channel = server_and_client(port, mode)
    payload = Buffer(os.urandom(16 * 1024 * 1024).replace(b"<EOF>", b"<eof>"))
    writer = threading.Thread(target=SocketEcrit, args=("cli", payload))
    writer.start()
    received = SocketLit(channel, False, 60_000)
    writer.join(60)
    assert len(received) == len(payload)
    assert Buffer(received) == payload
    close_all("cli", channel, "srv")


def test_read_timeout_is_not_an_error_and_covers_the_whole_message(port):
    assert SocketCrée("srv", port, LOOPBACK)
    with socket.create_connection((LOOPBACK, port)) as peer:
        SocketAttendConnexion("srv", 5000)
        channel = SocketAccepte("srv")
        start = time.monotonic()
        assert SocketLit(channel, False, 200) == ""
        assert not ErreurDétectée
        assert 0.15 < time.monotonic() - start < 5
        # A peer trickling a message: the timeout ends the read, nothing is lost.
        peer.sendall(b"10\r\nabc")
        assert SocketLit(channel, False, "200 ms") == ""
        assert not ErreurDétectée
        peer.sendall(b"defghij")
        assert SocketLit(channel, False, "2 s") == "abcdefghij"
        close_all(channel, "srv")


def test_wait_for_connection_times_out_and_refuse_closes(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketAttendConnexion("srv", 100) is False
    assert not ErreurDétectée
    assert SocketAccepte("srv") == ""
    assert ErreurInfo(errCode) == "AUCUNE_DEMANDE_CONNEXION"
    with socket.create_connection((LOOPBACK, port)) as peer:
        peer.settimeout(5)
        assert SocketAttendConnexion("srv", 5000)
        assert SocketRefuse("srv") is True
        assert peer.recv(10) == b""
    SocketFerme("srv")


def test_client_info_gives_peer_address_and_port(port):
    channel = server_and_client(port)
    assert SocketClientInfo(channel, SocketAdresse) == LOOPBACK
    assert SocketClientInfo("cli", SocketPort) == str(port)
    client_port = int(SocketClientInfo(channel, SocketPort))
    assert 0 < client_port < 65536 and client_port != port
    close_all("cli", channel, "srv")


def test_simplified_server_reads_and_writes_on_the_server_name(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketClientInfo("srv", SocketAdresse) == "0"
    assert SocketConnecte("cli", port, LOOPBACK)
    SocketEcrit("cli", "ping")
    assert SocketLit("srv", False, 5000) == "ping"
    SocketEcrit("srv", "pong")
    assert SocketLit("cli") == "pong"
    assert SocketClientInfo("srv", SocketAdresse) == LOOPBACK
    close_all("cli", "srv")


def test_simplified_server_read_timeout_includes_waiting_for_the_client(port):
    """The timeout bounds the whole SocketLit: a client arriving late does
    not start a second full timeout for its message."""
    assert SocketCrée("srv", port, LOOPBACK)
    late_client = threading.Timer(1.0, lambda: SocketConnecte("cli", port, LOOPBACK))
    late_client.start()
    started = time.monotonic()
    try:
        assert SocketLit("srv", False, 1500) == ""  # the client never writes
        elapsed = time.monotonic() - started
    finally:
        late_client.join(10)
    assert not ErreurDétectée  # a timeout is not an error
    assert SocketExiste("cli")
    assert 1.4 < elapsed < 2.3, elapsed  # not 1.0 + 1.5 s
    close_all("cli", "srv")


def test_message_size_limit_is_at_least_one_byte(port):
    channel = server_and_client(port)
    with pytest.raises(wlsocket.WLangageError) as raised:
        SocketTailleMaxMessage(channel, 0)
    assert raised.value.code == "PARAMETRE_INVALIDE"
    assert SocketTailleMaxMessage(channel, 1)
    SocketEcrit("cli", "a")
    assert SocketLit(channel, False, 5000) == "a"
    close_all("cli", channel, "srv")


def test_connect_timeout_of_zero_means_the_default(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketConnecte("cli", port, LOOPBACK, 0)  # not "fail within 0 ms"
    assert SocketConnecte("cli2", port, LOOPBACK, -5)
    close_all("cli", "cli2", "srv")


def test_negative_read_timeout_counts_as_its_opposite(port):
    channel = server_and_client(port)
    started = time.monotonic()
    assert SocketLit(channel, False, -300) == ""
    assert time.monotonic() - started >= 0.29  # waited, did not return at once
    assert not ErreurDétectée
    SocketEcrit("cli", "là")
    assert SocketLit(channel, False, -5000) == "là"
    close_all("cli", channel, "srv")


def test_peer_closing_gives_empty_read_with_error(port):
    channel = server_and_client(port)
    SocketEcrit("cli", "last")
    SocketFerme("cli")
    assert SocketLit(channel) == "last"
    assert not ErreurDétectée
    assert SocketLit(channel) == ""
    assert ErreurDétectée and ErreurInfo(errCode) == "SOCKET_FERMEE"
    assert SocketExiste(channel)  # exists until SocketFerme, as in WLangage
    close_all(channel, "srv")


def test_peer_closing_mid_message(port):
    assert SocketCrée("srv", port, LOOPBACK)
    peer = socket.create_connection((LOOPBACK, port))
    SocketAttendConnexion("srv", 5000)
    channel = SocketAccepte("srv")
    peer.sendall(b"100\r\nonly a part")
    peer.close()
    assert SocketLit(channel) == ""
    assert ErreurInfo(errCode) == "SOCKET_FERMEE"
    assert "11 bytes" in ErreurInfo(errMessage)
    close_all(channel, "srv")


def test_write_to_a_vanished_peer_is_non_fatal(port):
    channel = server_and_client(port)
    SocketFerme("cli")
    results = [SocketEcrit(channel, "x" * 65536) for _ in range(50)]
    assert results[-1] is False
    assert ErreurInfo(errCode) in ("ECHEC_ECRITURE_SOCKET", "SOCKET_FERMEE")
    close_all(channel, "srv")


def test_eight_threads_writing_on_one_channel_lose_nothing(port):
    channel = server_and_client(port)
    per_thread, threads = 10_000, 8

    def writer(index: int) -> None:
        for number in range(per_thread):
            assert SocketEcrit("cli", f"{index}:{number}")

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    seen = [[] for _ in range(threads)]
    for _ in range(per_thread * threads):
        message = SocketLit(channel, False, 30_000)
        index, number = message.split(":")
        seen[int(index)].append(int(number))
    for worker in workers:
        worker.join(30)
    assert all(numbers == list(range(per_thread)) for numbers in seen)
    close_all("cli", channel, "srv")


def test_socket_ferme_from_another_thread_wakes_blocked_calls(port):
    channel = server_and_client(port)
    results = {}

    def blocked_read():
        results["read"] = SocketLit(channel)
        results["read_error"] = ErreurInfo(errCode)

    def blocked_wait():
        results["wait"] = SocketAttendConnexion("srv")

    threads = [threading.Thread(target=blocked_read), threading.Thread(target=blocked_wait)]
    for thread in threads:
        thread.start()
    for thread, where in zip(threads, ("_read_locked", "wait_readable"), strict=True):
        wait_until_inside(thread, where)
    SocketFerme(channel)
    SocketFerme("srv")
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive()
    assert results["read"] == "" and results["read_error"] == "SOCKET_FERMEE"
    assert results["wait"] is False
    # The name is free again at once.
    assert SocketCrée("srv", port, LOOPBACK)
    close_all("cli", "srv")


def test_closing_everything_returns_fds_and_threads_to_baseline(port):
    fds, threads = open_fds(), threading.active_count()
    for _round in range(3):
        channel = server_and_client(port)
        SocketEcrit("cli", "x")
        assert SocketLit(channel) == "x"
        close_all("cli", channel, "srv")
    assert open_fds() == fds
    assert threading.active_count() == threads


def test_connect_failures_are_non_fatal(port):
    assert SocketConnecte("cli", port, LOOPBACK, 2000) is False  # nobody listens
    assert ErreurInfo(errCode) == "ECHEC_CONNEXION_SOCKET"
    assert not SocketExiste("cli")
    assert SocketConnecte("cli", port, "host.invalid", 2000) is False
    assert ErreurInfo(errCode) == "SOCKET_ADRESSE_INCONNUE"
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketCrée("srv2", port, LOOPBACK) is False  # port in use
    assert ErreurInfo(errCode) == "ECHEC_CREATION_SOCKET"
    SocketFerme("srv")


def test_error_state_is_per_thread_and_cleared_by_the_next_call(port):
    assert SocketConnecte("cli", port, LOOPBACK, 1000) is False
    other = {}
    thread = threading.Thread(target=lambda: other.update(detected=bool(ErreurDétectée), info=ErreurInfo()))
    thread.start()
    thread.join(5)
    assert other == {"detected": False, "info": ""}
    assert ErreurDétectée and "SocketConnecte" in ErreurInfo()
    assert SocketExiste("nothing") is False
    assert SocketCrée("srv", port, LOOPBACK)
    assert not ErreurDétectée and ErreurInfo() == ""
    SocketFerme("srv")


def test_socket_lit_and_ecrit_report_as_every_facade_function(port):
    """SocketLit and SocketEcrit handle the error model themselves (no
    decorator): the same fatal errors, failure values and per-thread ErreurInfo."""
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketConnecte("cli", port, LOOPBACK)
    assert SocketAttendConnexion("srv", 5000)
    channel = SocketAccepte("srv")
    assert SocketEcrit("cli", "héllo") and SocketEcrit("cli", "ascii") and SocketEcrit("cli", Buffer(b"\x81"))
    assert (SocketLit(channel), SocketLit(channel), SocketLit(channel)) == ("héllo", "ascii", "\x81")
    for call, code in (
        (lambda: SocketLit("unknown"), "SOCKET_INEXISTANTE"),
        (lambda: SocketEcrit("unknown", "x"), "SOCKET_INEXISTANTE"),
        (lambda: SocketEcrit("", "x"), "NOM_SOCKET_VIDE"),
        (lambda: SocketLit(7), "NOM_SOCKET_INVALIDE"),
        (lambda: SocketEcrit("cli", object()), "TYPE_MESSAGE_INVALIDE"),
        (lambda: SocketLit(channel, "maybe"), "PARAMETRE_INVALIDE"),
    ):
        with pytest.raises(WLangageError) as fatal:
            call()
        assert fatal.value.code == code
    SocketFerme("cli")
    assert SocketLit(channel) == ""
    assert ErreurDétectée and ErreurInfo(errCode) == "SOCKET_FERMEE" and "SocketLit" in ErreurInfo()
    other = {}
    thread = threading.Thread(target=lambda: other.update(detected=bool(ErreurDétectée), info=ErreurInfo()))
    thread.start()
    thread.join(5)
    assert other == {"detected": False, "info": ""}
    assert SocketEcrit(channel, "first write after the peer left") is True  # the kernel takes it
    assert not ErreurDétectée and ErreurInfo() == ""
    deadline = time.monotonic() + 5
    while SocketEcrit(channel, "x") and time.monotonic() < deadline:  # the peer's reset comes back
        pass
    assert ErreurDétectée and ErreurInfo(errCode) == "ECHEC_ECRITURE_SOCKET" and "SocketEcrit" in ErreurInfo()
    SocketFerme(channel)
    SocketFerme("srv")


def test_messages_in_french_and_english(port):
    wlsocket.set_language("fr")
    with pytest.raises(WLangageError, match="n'existe pas"):
        SocketLit("inconnue")
    wlsocket.set_language("en")
    with pytest.raises(WLangageError, match="does not exist"):
        SocketLit("inconnue")


def test_durations_are_accepted_as_text(port):
    assert SocketCrée("srv", port, LOOPBACK)
    assert SocketAttendConnexion("srv", "100 ms") is False
    with pytest.raises(WLangageError) as info:
        SocketAttendConnexion("srv", "soon")
    assert info.value.code == "DUREE_INVALIDE"
    SocketFerme("srv")

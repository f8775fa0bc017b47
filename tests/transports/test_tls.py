"""SocketCréeSSL / SocketConnecteSSL with real TLS on 127.0.0.1.

Certificates are made in the test run by ``trustme``.  A TLS client's
SocketConnecteSSL waits for the handshake, and a server channel shakes
hands on its first read or write, so the two sides of a test run in two
threads (``Worker``).
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import socket
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import trustme

import wlsocket
from tests.conftest import LOOPBACK, open_fds, wait_until_inside
from wlsocket import *  # noqa: F403
from wlsocket import Buffer
from wlsocket.transports import tls_context

# --- helpers ----------------------------------------------------------------------


class Worker(threading.Thread):
    """Runs ``target`` in a thread; ``result()`` joins (bounded) and gives its
    value together with the ErreurInfo of that thread, or re-raises."""

    def __init__(self, target: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._target_fn = target
        self.value: Any = None
        self.error_code = ""
        self.error_text = ""
        self.exception: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.value = self._target_fn()
            self.error_code = ErreurInfo(errCode)
            self.error_text = ErreurInfo()
        except BaseException as exc:  # reported by result()
            self.exception = exc

    def result(self, timeout: float = 20) -> Any:
        self.join(timeout)
        assert not self.is_alive(), "worker thread hung"
        if self.exception is not None:
            raise self.exception
        return self.value


def write_pem(path: Path, *blobs) -> str:
    path.write_bytes(b"".join(blob.bytes() for blob in blobs))
    return str(path)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA and the certificates the tests need, as PEM files."""
    folder = tmp_path_factory.mktemp("pki")
    ca = trustme.CA()
    now = datetime.datetime.now(datetime.timezone.utc)
    server = ca.issue_cert("127.0.0.1", "localhost", common_name="wlsocket test server")
    client = ca.issue_cert("client.example", common_name="wlsocket test client")
    expired = ca.issue_cert(
        "127.0.0.1", not_before=now - datetime.timedelta(days=10), not_after=now - datetime.timedelta(days=1)
    )
    other_host = ca.issue_cert("other.example")
    stranger_ca = trustme.CA()
    stranger = stranger_ca.issue_cert("127.0.0.1")
    pems = {}
    for label, leaf in (("server", server), ("client", client), ("expired", expired),
                        ("other_host", other_host), ("stranger", stranger)):
        pems[label] = write_pem(folder / f"{label}.pem", leaf.private_key_pem, *leaf.cert_chain_pems)
    return SimpleNamespace(
        folder=folder,
        ca=ca,
        ca_file=write_pem(folder / "ca.pem", ca.cert_pem),
        server_leaf=server,
        client_leaf=client,
        **pems,
    )


def ssl_server(port: int, certificate: str, options: int = 0, **kwargs) -> None:
    assert SocketCréeSSL("srv", port, certificate, options, LOOPBACK, **kwargs), ErreurInfo()


def accept_one(listener: str = "srv") -> str:
    assert SocketAttendConnexion(listener, 5000)
    channel = SocketAccepte(listener)
    assert channel, ErreurInfo()
    return channel


def server_channel_read() -> Worker:
    """A thread that accepts one channel and reads its first message."""

    def serve():
        channel = accept_one()
        return channel, SocketLit(channel, False, 10_000)

    return Worker(serve)


def connect_and_fail(port: int, *args, expect_code: str, **kwargs) -> str:
    """SocketConnecteSSL must give False + ErreurInfo ``expect_code``; returns the message."""
    started = time.monotonic()
    assert SocketConnecteSSL("cli", port, LOOPBACK, *args, **kwargs) is False
    assert time.monotonic() - started < 15, "the failure took too long"
    assert ErreurDétectée
    assert ErreurInfo(errCode) == expect_code, ErreurInfo()
    message = ErreurInfo(errMessage)
    assert not SocketExiste("cli")
    return message


def failed_channel(server: Worker) -> tuple[str, str, str]:
    """Join a ``server_channel_read`` worker that must fail: (code, message, channel)."""
    channel, message = server.result()
    assert message == ""
    return server.error_code, server.error_text, channel


# --- exchanges ---------------------------------------------------------------------

MODES = [SocketTailleDébut, SocketMarqueurFin, SocketMarqueurFinBuffer, SocketSansMarqueurFin]


@pytest.mark.parametrize("mode", MODES, ids=["size", "endtag", "endtag-buffer", "raw"])
def test_server_and_client_exchange_in_every_mode(port, pki, mode):
    ssl_server(port, pki.server)
    assert SocketChangeModeTransmission("srv", mode, "#FIN#")
    all_bytes = Buffer(bytes(range(256)))
    messages = ["bonjour", "élève à l'œuvre", all_bytes if mode != SocketMarqueurFin else "x" * 5000]

    def echo_server():
        channel = accept_one()
        seen = []
        for _ in messages:
            message = SocketLit(channel, False, 10_000)
            seen.append(message)
            assert SocketEcrit(channel, "re:" + message)
        return channel, seen

    server = Worker(echo_server)
    protocols = ProtocoleTLS1_2 + ProtocoleTLS1_3
    assert SocketConnecteSSL("cli", port, LOOPBACK, protocols, 5000, ca_file=pki.ca_file), ErreurInfo()
    assert SocketChangeModeTransmission("cli", mode, "#FIN#")
    answers = []
    for message in messages:  # one at a time: the raw mode has no framing
        assert SocketEcrit("cli", message)
        answers.append(SocketLit("cli", False, 10_000))
    channel, seen = server.result()
    assert [Buffer(m) for m in seen] == [Buffer(m) for m in messages]
    assert [Buffer(a) for a in answers] == [Buffer("re:") + m for m in messages]
    SocketFerme("cli")
    assert SocketLit(channel, False, 5000) == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
    SocketFerme(channel)
    SocketFerme("srv")


def test_tls_connect_timeout_of_zero_means_the_default(port, pki):
    ssl_server(port, pki.server)
    server = server_channel_read()
    assert SocketConnecteSSL("cli", port, LOOPBACK, ProtocoleTLS1_2, 0, ca_file=pki.ca_file), ErreurInfo()
    assert SocketEcrit("cli", "zéro")
    channel, received = server.result()
    assert received == "zéro"
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


def test_one_mebibyte_message_crosses_tls_intact(port, pki):
    ssl_server(port, pki.server)
    payload = Buffer(bytes(range(256)) * 4096)
    server = server_channel_read()
    assert SocketConnecteSSL("cli", port, LOOPBACK, ca_file=pki.ca_file), ErreurInfo()
    assert SocketEcrit("cli", payload)
    channel, received = server.result()
    assert Buffer(received) == payload
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


def test_simplified_server_on_the_ssl_socket_itself(port, pki):
    ssl_server(port, pki.server)
    server = Worker(lambda: (SocketLit("srv", False, 10_000), SocketEcrit("srv", "vu")))
    assert SocketConnecteSSL("cli", port, "localhost", ca_file=pki.ca_file), ErreurInfo()
    assert SocketEcrit("cli", "simple")
    assert server.result() == ("simple", True)
    assert SocketLit("cli", False, 5000) == "vu"
    assert SocketClientInfo("srv", SocketAdresse) == LOOPBACK
    SocketFerme("cli")
    SocketFerme("srv")


def test_plain_python_ssl_client_talks_to_the_server(port, pki):
    ssl_server(port, pki.server)
    server = Worker(lambda: (lambda ch: (ch, SocketLit(ch, False, 10_000), SocketEcrit(ch, "ok")))(accept_one()))
    context = ssl.create_default_context(cafile=pki.ca_file)
    with (
        socket.create_connection((LOOPBACK, port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls_sock,
    ):
        tls_sock.sendall(b"11\r\nHello World")
        channel, message, written = server.result()
        assert (message, written) == ("Hello World", True)
        assert tls_sock.recv(100) == b"2\r\nok"
        assert SocketClientInfo(channel, SocketPort) == str(tls_sock.getsockname()[1])
    SocketFerme(channel)
    SocketFerme("srv")


def test_plain_python_ssl_server_talks_to_the_client(port, pki):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    pki.server_leaf.configure_cert(context)
    with socket.create_server((LOOPBACK, port)) as listener:

        def serve():
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True) as tls_conn:
                tls_conn.settimeout(10)
                data = tls_conn.recv(100)
                tls_conn.sendall(b"3\r\nabc")
                return data, tls_conn.version()

        server = Worker(serve)
        assert SocketConnecteSSL("cli", port, LOOPBACK, ca_file=pki.ca_file), ErreurInfo()
        assert SocketEcrit("cli", "question")
        assert SocketLit("cli", False, 5000) == "abc"
        data, version = server.result()
    assert data == b"8\r\nquestion"
    assert version == "TLSv1.2"  # the reference's default tops at TLS 1.2
    SocketFerme("cli")


# --- certificates by name and thumbprint ------------------------------------------------


@pytest.fixture
def certificate_folder(tmp_path, pki):
    """A folder with the server certificate (key in a sibling .key file) and
    a decoy; the program's setting is restored afterwards."""
    pem = tmp_path / "serveur.crt"
    pem.write_bytes(b"".join(blob.bytes() for blob in pki.server_leaf.cert_chain_pems))
    pki.server_leaf.private_key_pem.write_to_path(str(tmp_path / "serveur.key"))
    shutil.copy(pki.client, tmp_path / "a-client.pem")
    (tmp_path / "notes.pem").write_text("not a certificate")
    before = SocketDossierCertificats()
    yield tmp_path
    SocketDossierCertificats("")
    if before:
        SocketDossierCertificats(before)


def thumbprint(leaf) -> str:
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())
    return hashlib.sha1(der).hexdigest()


def serve_and_check(port, pki) -> None:
    """The server named "srv" presents the server certificate to a client."""
    server = server_channel_read()
    assert SocketConnecteSSL("cli", port, LOOPBACK, ca_file=pki.ca_file), ErreurInfo()
    assert SocketEcrit("cli", "ping")
    channel, message = server.result()
    assert message == "ping"
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


def test_certificate_found_by_name_in_the_folder(port, pki, certificate_folder):
    assert SocketDossierCertificats(str(certificate_folder)) == str(certificate_folder)
    assert SocketCréeSSL("srv", port, "WLSOCKET Test Server", NomCertificat, LOOPBACK), ErreurInfo()
    serve_and_check(port, pki)


def test_certificate_found_by_thumbprint_as_copied_from_windows(port, pki, certificate_folder):
    SocketDossierCertificats(str(certificate_folder))
    digest = thumbprint(pki.server_leaf)
    windows_style = "\u200e" + " ".join(digest[i : i + 2] for i in range(0, 40, 2))
    assert SocketCréeSSL("srv", port, windows_style, HashCertificat + ProtocoleTLS1_2, LOOPBACK), ErreurInfo()
    serve_and_check(port, pki)


def test_certificate_folder_from_the_environment(port, pki, certificate_folder, monkeypatch):
    monkeypatch.setenv("WLSOCKET_CERT_DIR", str(certificate_folder))
    assert SocketDossierCertificats() == str(certificate_folder)
    assert SocketCreateSSL("srv", port, thumbprint(pki.server_leaf).upper(), CertificateHash, LOOPBACK), ErreurInfo()
    serve_and_check(port, pki)


@pytest.mark.parametrize(
    "identifier, option, expected",
    [
        ("00" * 20, HashCertificat, "no certificate with the thumbprint"),
        ("12 34", HashCertificat, "not a SHA-1 thumbprint"),
        ("Nobody", NomCertificat, "no certificate with the name"),
    ],
)
def test_certificate_not_in_the_folder(port, certificate_folder, identifier, option, expected):
    SocketDossierCertificats(str(certificate_folder))
    assert SocketCréeSSL("srv", port, identifier, option, LOOPBACK) is False
    assert ErreurInfo(errCode) == "CERTIFICAT_INTROUVABLE"
    assert expected in ErreurInfo(errMessage)
    assert not SocketExiste("srv")


def test_certificate_lookup_without_a_folder(port, monkeypatch):
    monkeypatch.delenv("WLSOCKET_CERT_DIR", raising=False)
    SocketDossierCertificats("")
    assert SocketCréeSSL("srv", port, "wlsocket test server", NomCertificat, LOOPBACK) is False
    assert ErreurInfo(errCode) == "CERTIFICAT_INTROUVABLE"
    assert "WLSOCKET_CERT_DIR" in ErreurInfo(errMessage)


# --- client certificates ------------------------------------------------------------------


def test_client_certificate_reaches_a_python_server(port, pki):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    pki.server_leaf.configure_cert(context)
    pki.ca.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    with socket.create_server((LOOPBACK, port)) as listener:

        def serve():
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True) as tls_conn:
                return dict(pair[0] for pair in tls_conn.getpeercert()["subject"])

        server = Worker(serve)
        assert SocketConnecteSSL("cli", port, LOOPBACK, 0, 5000, pki.client, ca_file=pki.ca_file), ErreurInfo()
        assert server.result()["commonName"] == "wlsocket test client"
    SocketFerme("cli")


def test_client_certificate_by_name_required_by_a_wlsocket_server(port, pki, certificate_folder):
    SocketDossierCertificats(str(certificate_folder))
    ssl_server(port, pki.server, client_ca_file=pki.ca_file)
    server = server_channel_read()
    assert SocketConnecteSSL(
        "cli", port, LOOPBACK, NomCertificat, 5000, "wlsocket test client", ca_file=pki.ca_file
    ), ErreurInfo()
    assert SocketEcrit("cli", "signed")
    channel, message = server.result()
    assert message == "signed"
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


# --- failures users meet ------------------------------------------------------------------


# Each case: how the server and the client are set up, then what each side says.
HANDSHAKE_FAILURES = {
    "untrusted": dict(server_cert="stranger", client_code="CERTIFICAT_INVALIDE", client_says="not trusted",
                      server_code="CERTIFICAT_INVALIDE", server_says="rejected the certificate we showed"),
    "system-trust-store-by-default": dict(trust_ca=False, client_code="CERTIFICAT_INVALIDE", client_says="not trusted",
                                          server_code="CERTIFICAT_INVALIDE", server_says="rejected the certificate"),
    "expired": dict(server_cert="expired", client_code="CERTIFICAT_INVALIDE", client_says="has expired",
                    server_code="CERTIFICAT_INVALIDE", server_says="CERTIFICATE_EXPIRED"),
    "host-mismatch": dict(server_cert="other_host", client_code="CERTIFICAT_INVALIDE",
                          client_says="host name mismatch: IP address mismatch, "
                                      "certificate is not valid for '127.0.0.1'",
                          server_code="CERTIFICAT_INVALIDE", server_says="rejected the certificate we showed"),
    "no-common-version": dict(server_options=ProtocoleTLS1_2, client_options=ProtocoleTLS1_3,
                              client_code="ECHEC_SSL", client_says="no TLS version in common",
                              server_code="ECHEC_SSL", server_says="no TLS version in common"),
    "client-certificate-missing": dict(require_client_cert=True, client_code="ECHEC_SSL",
                                       client_says="refused the handshake (it may require a client certificate)",
                                       server_code="CERTIFICAT_INVALIDE",
                                       server_says="showed no certificate, and this server requires one"),
    "client-certificate-unknown-authority": dict(require_client_cert=True, client_cert="stranger",
                                                 client_code="CERTIFICAT_INVALIDE",
                                                 client_says="rejected the certificate we showed",
                                                 server_code="CERTIFICAT_INVALIDE", server_says="not trusted"),
}


@pytest.mark.parametrize("case", HANDSHAKE_FAILURES)
def test_handshake_failures_are_named_on_both_sides(port, pki, case):
    setup = dict(server_cert="server", server_options=0, client_options=0, trust_ca=True,
                 require_client_cert=False, client_cert=None)
    setup.update(HANDSHAKE_FAILURES[case])
    server_extras = {"client_ca_file": pki.ca_file} if setup["require_client_cert"] else {}
    ssl_server(port, getattr(pki, setup["server_cert"]), setup["server_options"], **server_extras)
    server = server_channel_read()
    client_cert = getattr(pki, setup["client_cert"]) if setup["client_cert"] else None
    message = connect_and_fail(
        port, setup["client_options"], 5000, client_cert, expect_code=setup["client_code"],
        **({"ca_file": pki.ca_file} if setup["trust_ca"] else {}),
    )
    assert setup["client_says"] in message
    code, text, channel = failed_channel(server)
    assert (code, setup["server_says"] in text) == (setup["server_code"], True), text
    SocketFerme(channel)
    SocketFerme("srv")


def test_tls13_refused_client_certificate_shows_on_the_first_read(port, pki):
    """In TLS 1.3 the server judges the client certificate after the client
    has finished: SocketConnecteSSL succeeds, the first SocketLit fails."""
    ssl_server(port, pki.server, ProtocoleTLS1_3, client_ca_file=pki.ca_file)
    server = server_channel_read()
    assert SocketConnecteSSL("cli", port, LOOPBACK, ProtocoleTLS1_3, 5000, pki.stranger, ca_file=pki.ca_file)
    assert SocketLit("cli", False, 5000) == ""
    assert ErreurInfo(errCode) == "ECHEC_LECTURE_SOCKET" and "UNKNOWN_CA" in ErreurInfo(errMessage)
    code, text, channel = failed_channel(server)
    assert code == "CERTIFICAT_INVALIDE" and "not trusted" in text
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


def test_verification_can_be_turned_off_for_one_socket(port, pki):
    ssl_server(port, pki.stranger)
    server = server_channel_read()
    assert SocketConnecteSSL("cli", port, LOOPBACK, verify=False), ErreurInfo()
    assert SocketEcrit("cli", "legacy")
    channel, message = server.result()
    assert message == "legacy"
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


def test_tls_client_against_a_wlsocket_plain_server(port, pki):
    """The plain server reads the ClientHello as a size line, closes: the
    client learns it quickly, the server reports TRAME_INVALIDE."""
    assert SocketCrée("srv", port, LOOPBACK)
    server = server_channel_read()
    assert "closed the connection during the TLS handshake" in connect_and_fail(
        port, expect_code="ECHEC_SSL", ca_file=pki.ca_file
    )
    channel, message = server.result()
    assert message == "" and server.error_code == "TRAME_INVALIDE"
    SocketFerme(channel)
    SocketFerme("srv")


def test_tls_client_against_a_server_answering_plain_text(port, pki):
    with socket.create_server((LOOPBACK, port)) as listener:

        def serve():
            conn, _ = listener.accept()
            with conn:
                conn.sendall(b"220 welcome, plain text here\r\n")
                conn.settimeout(10)
                conn.recv(1000)

        server = Worker(serve)
        assert "does not speak TLS" in connect_and_fail(port, expect_code="ECHEC_SSL", ca_file=pki.ca_file)
        server.result()


def test_tls_client_against_a_silent_server_is_bounded_by_its_timeout(port, pki):
    assert SocketCrée("srv", port, LOOPBACK)  # listens; never accepts nor answers
    started = time.monotonic()
    message = connect_and_fail(port, ProtocoleTLS1_2, 300, expect_code="ECHEC_SSL", ca_file=pki.ca_file)
    assert "within 300 ms" in message
    assert time.monotonic() - started < 3
    SocketFerme("srv")


def test_plain_client_against_the_tls_server(port, pki):
    ssl_server(port, pki.server)
    server = server_channel_read()
    assert SocketConnecte("cli", port, LOOPBACK, 5000)
    assert SocketEcrit("cli", "hello in clear")
    code, text, channel = failed_channel(server)
    assert code == "ECHEC_SSL" and "does not speak TLS" in text
    # The plain client is not left hanging either: the server dropped it.
    assert SocketLit("cli", False, 5000) == "" and ErreurInfo(errCode) == "SOCKET_FERMEE"
    assert SocketLit(channel) == "" and ErreurInfo(errCode) == "ECHEC_SSL"  # the failure stays
    for name in ("cli", channel, "srv"):
        SocketFerme(name)


@pytest.mark.parametrize("protocol, named", [(ProtocoleSSL2, "ProtocoleSSL2"), (ProtocoleSSL3, "ProtocoleSSL3")])
def test_ssl2_and_ssl3_are_refused_clearly(port, pki, protocol, named):
    assert SocketCréeSSL("srv", port, pki.server, protocol + ProtocoleTLS1_2, LOOPBACK) is False
    assert ErreurInfo(errCode) == "PROTOCOLE_SSL_OBSOLETE" and named in ErreurInfo(errMessage)
    assert not SocketExiste("srv")
    connect_and_fail(port, protocol, expect_code="PROTOCOLE_SSL_OBSOLETE")
    wlsocket.set_language("fr")
    assert SocketConnecteSSL("cli", port, LOOPBACK, ProtocolSSL3) is False
    assert "obsolète" in ErreurInfo(errMessage)


#: True on OpenSSL 3 at its usual security level (the case wlsocket clamps).
OPENSSL_REFUSES_OLD_TLS = not tls_context.legacy_versions_usable(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))


def old_tls_client_context(version: ssl.TLSVersion) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with pytest.warns(DeprecationWarning):
        context.minimum_version = version
        context.maximum_version = version
    return context


def python_client_handshake(port: int, context: ssl.SSLContext) -> str:
    """The TLS version a Python client negotiates with the server, or the error."""
    server = Worker(lambda: (lambda ch: (SocketLit(ch, False, 5000), SocketFerme(ch)))(accept_one()))
    try:
        with socket.create_connection((LOOPBACK, port), timeout=10) as raw, context.wrap_socket(raw) as tls_sock:
            return tls_sock.version() or ""
    except ssl.SSLError as exc:
        return f"refused: {exc.reason}"
    finally:
        server.result()


def test_default_protocols_clamped_to_what_openssl_allows(port, pki):
    """Default TLS1 + TLS1_1 + TLS1_2: at this OpenSSL's security level 1.0
    and 1.1 are clamped away; the top stays TLS 1.2 as the reference says."""
    ssl_server(port, pki.server)
    old = python_client_handshake(port, old_tls_client_context(ssl.TLSVersion.TLSv1_1))
    assert old.startswith("refused") if OPENSSL_REFUSES_OLD_TLS else old == "TLSv1.1"
    modern = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    modern.load_verify_locations(pki.ca_file)
    modern.check_hostname = False
    assert python_client_handshake(port, modern) == "TLSv1.2"
    modern.minimum_version = ssl.TLSVersion.TLSv1_3
    assert python_client_handshake(port, modern).startswith("refused")
    SocketFerme("srv")


def test_tls1_alone_needs_legacy_tls(port, pki):
    if not OPENSSL_REFUSES_OLD_TLS:
        pytest.skip("this OpenSSL allows TLS 1.0 without lowering the security level")
    assert SocketCréeSSL("srv", port, pki.server, ProtocoleTLS1, LOOPBACK) is False
    assert ErreurInfo(errCode) == "ECHEC_SSL" and "legacy_tls=True" in ErreurInfo(errMessage)
    ssl_server(port, pki.server, ProtocoleTLS1, legacy_tls=True)
    assert python_client_handshake(port, old_tls_client_context(ssl.TLSVersion.TLSv1)) == "TLSv1"
    SocketFerme("srv")


def test_missing_and_unreadable_certificate_files(port, pki, tmp_path):
    cases = [
        (str(tmp_path / "absent.pem"), "CERTIFICAT_INTROUVABLE", "file not found"),
        (str(tmp_path), "CERTIFICAT_INVALIDE", "cannot read"),
        (write_text(tmp_path / "garbage.pem", "garbage"), "CERTIFICAT_INVALIDE", "no PEM certificate"),
        (write_pem(tmp_path / "nokey.pem", *pki.server_leaf.cert_chain_pems), "CERTIFICAT_INVALIDE", "no private key"),
        (
            write_pem(tmp_path / "mismatch.pem", pki.client_leaf.private_key_pem, *pki.server_leaf.cert_chain_pems),
            "CERTIFICAT_INVALIDE",
            "does not match",
        ),
    ]
    for path, code, words in cases:
        assert SocketCréeSSL("srv", port, path, 0, LOOPBACK) is False, path
        assert ErreurInfo(errCode) == code and words in ErreurInfo(errMessage), ErreurInfo()
        assert not SocketExiste("srv")
    connect_and_fail(port, 0, 1000, str(tmp_path / "absent.pem"), expect_code="CERTIFICAT_INTROUVABLE")
    connect_and_fail(port, expect_code="CERTIFICAT_INTROUVABLE", ca_file=str(tmp_path / "absent-ca.pem"))
    # Nothing was left listening.
    with socket.socket() as probe:
        probe.bind((LOOPBACK, port))


def write_text(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def test_bad_options_are_programming_errors(port, pki):
    for options in (1 << 12, -1, "TLS", NomCertificat + HashCertificat):
        with pytest.raises(WLangageError) as caught:
            SocketCréeSSL("srv", port, pki.server, options, LOOPBACK)
        assert caught.value.code == "PARAMETRE_INVALIDE"
    with pytest.raises(WLangageError):
        SocketConnecteSSL("cli", port, LOOPBACK, 0, 1000, None, ca_file=42)


# --- the handshake never blocks the accept loop ---------------------------------------------


def test_silent_client_does_not_block_others_and_times_out(port, pki):
    ssl_server(port, pki.server, handshake_timeout=400)
    silent = socket.create_connection((LOOPBACK, port))  # connects, never says hello
    try:
        silent_channel = accept_one()
        assert SocketLit(silent_channel, False, 50) == "" and not ErreurDétectée  # a timeout, no error
        server = server_channel_read()  # the next client is accepted and served
        assert SocketConnecteSSL("cli", port, LOOPBACK, ca_file=pki.ca_file), ErreurInfo()
        assert SocketEcrit("cli", "served")
        channel, message = server.result()
        assert message == "served"
        started = time.monotonic()
        assert SocketLit(silent_channel, False, 5000) == ""
        assert ErreurInfo(errCode) == "ECHEC_SSL" and "within 400 ms" in ErreurInfo(errMessage)
        assert time.monotonic() - started < 2
    finally:
        silent.close()
    for name in ("cli", channel, silent_channel, "srv"):
        SocketFerme(name)


def test_socket_close_ends_a_read_blocked_in_the_handshake(port, pki):
    ssl_server(port, pki.server)
    silent = socket.create_connection((LOOPBACK, port))
    channel = accept_one()
    reader = Worker(lambda: SocketLit(channel))
    wait_until_inside(reader, "handshake")
    started = time.monotonic()
    SocketFerme(channel)
    assert reader.result(5) == "" and reader.error_code == "SOCKET_FERMEE"
    assert time.monotonic() - started < 3
    silent.close()
    SocketFerme("srv")


# --- leaks and names -----------------------------------------------------------------------


def test_no_descriptor_or_thread_left_after_socket_close(port, pki):
    def round_trip():
        ssl_server(port, pki.server)
        server = server_channel_read()
        assert SocketConnecteSSL("cli", port, LOOPBACK, ca_file=pki.ca_file)
        assert SocketEcrit("cli", "x")
        channel, _ = server.result()
        SocketFerme("cli")
        failing = server_channel_read()  # and a handshake that fails on both sides
        assert SocketConnecteSSL("cli", port, LOOPBACK) is False
        for name in (channel, failed_channel(failing)[2], "srv"):
            SocketFerme(name)

    round_trip()  # warm caches (contexts, imports) before counting
    fds, threads = open_fds(), threading.active_count()
    for _ in range(3):
        round_trip()
    assert open_fds() == fds
    assert threading.active_count() == threads


def test_names_and_constants():
    assert SocketCréeSSL is SocketCreeSSL is SocketCreateSSL
    assert SocketConnecteSSL is SocketConnectSSL
    assert wlsocket.socketconnectessl is SocketConnectSSL
    assert SocketDossierCertificats is SocketCertificateFolder
    constants = [ProtocoleSSL2, ProtocoleSSL3, ProtocoleTLS1, ProtocoleTLS1_1, ProtocoleTLS1_2, ProtocoleTLS1_3,
                 NomCertificat, HashCertificat]
    assert constants == [ProtocolSSL2, ProtocolSSL3, ProtocolTLS1, ProtocolTLS1_1, ProtocolTLS1_2, ProtocolTLS1_3,
                         CertificateName, CertificateHash]
    # Distinct bits, so that WLangage code can add them.
    assert sum(constants) == sum(set(constants)) and all(c & (c - 1) == 0 for c in constants)

"""The ported documentation examples that use UDP and TLS sockets (section 7 of the reference)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

from tests.examples.conftest import EXAMPLES, connected_peer, load_example, read_exactly, script_env


def udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_socketcreeudp_success_then_error_branch():
    example = load_example("socketcreeudp")
    port = udp_port()
    assert example.pCréeUDP("Serveur", port) is True
    try:
        assert example.pCréeUDP("Serveur2", port) is False  # the port is taken: the error branch
        assert "Address already in use" in example.ErreurInfo(example.errMessage)
        assert not example.SocketExiste("Serveur2")
    finally:
        example.SocketFerme("Serveur")


def test_socketlit_udp_lists_each_datagram_with_its_sender():
    example = load_example("socketlit_udp")
    port = udp_port()
    assert example.SocketCréeUDP("Réception", port, "127.0.0.1")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.bind(("127.0.0.1", 0))
            for text in (b"un", b"deux \xe9", b"trois"):
                sender.sendto(text, ("127.0.0.1", port))
            table: list[str] = []
            example.pLitDatagrammes("Réception", table, 3)
            sender_port = sender.getsockname()[1]
    finally:
        example.SocketFerme("Réception")
    assert table == [f"{text}\t127.0.0.1\t{sender_port}" for text in ("un", "deux é", "trois")]


def test_socketecrit_tcp_and_udp_bytes():
    example = load_example("socketecrit")
    with connected_peer(example, "Client") as peer:
        assert example.pEcritTCP("Client") is True
        assert read_exactly(peer, 15) == b"11\r\nhello world"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        own_port = udp_port()
        assert example.SocketCréeUDP("UDP", own_port, "127.0.0.1")
        try:
            assert example.pEcritUDP("UDP", "Bonjour é", "127.0.0.1", receiver.getsockname()[1]) is True
            assert receiver.recvfrom(65535) == (b"Bonjour \xe9", ("127.0.0.1", own_port))
        finally:
            example.SocketFerme("UDP")


def test_socketcreessl_by_thumbprint_and_socketconnectessl(tmp_path, port):
    import trustme

    server = load_example("socketcreessl")
    client = load_example("socketconnectessl")
    authority = trustme.CA()
    authority.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "serveur.pem"))
    trusted = tmp_path.parent / f"{tmp_path.name}-ca.txt"
    authority.cert_pem.write_to_path(str(trusted))
    sys.path.insert(0, str(EXAMPLES))
    try:
        from _certificat_local import thumbprint
    finally:
        sys.path.remove(str(EXAMPLES))
    # Spaces and lower case, as a thumbprint copied from Windows' certificate dialog.
    digits = thumbprint(tmp_path / "serveur.pem").lower()
    empreinte = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    server.SocketDossierCertificats(str(tmp_path))
    try:
        assert server.pServeurSSL(empreinte, port) is True
        served: list[str] = []
        thread = threading.Thread(target=lambda: served.append(server.pServeurSSLRépond()))
        thread.start()
        answer = client.pClientSSL(port, "127.0.0.1", "Bonjour en TLS", str(trusted))
        thread.join(20)
    finally:
        server.SocketDossierCertificats("")
        trusted.unlink()
    assert served == ["Bonjour en TLS"]
    assert answer == "Reçu en SSL : Bonjour en TLS"


def test_socketcreessl_wrong_thumbprint_is_the_error_branch(tmp_path, port):
    server = load_example("socketcreessl")
    server.SocketDossierCertificats(str(tmp_path))
    try:
        assert server.pServeurSSL("00" * 20, port) is False
        assert server.ErreurInfo(server.errCode) != 0
        assert not server.SocketExiste("ServeurSSL")
    finally:
        server.SocketDossierCertificats("")


@pytest.mark.parametrize("script", ["socketcreeudp.py", "socketlit_udp.py", "socketecrit.py", "socketcreessl.py"])
def test_example_runs_as_a_script(script):
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=60, env=script_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr

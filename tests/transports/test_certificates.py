"""Finding a certificate by name or thumbprint (transports/certificates.py),
read with cryptography's x509, on certificates made here by trustme."""

from __future__ import annotations

import hashlib
import ssl
import sys

import pytest
import trustme

from wlsocket import (
    ErreurInfo,
    HashCertificat,
    NomCertificat,
    SocketCréeSSL,
    SocketDossierCertificats,
    SocketFerme,
    errCode,
    errMessage,
)
from wlsocket.transports import certificates

LOOPBACK = "127.0.0.1"


@pytest.fixture
def folder(tmp_path):
    """A certificate folder: one server certificate with an accented CN,
    and a file that only looks like a certificate."""
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", common_name="Société Générale Test")
    leaf.private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "server.pem"))
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    previous = certificates._folder[0]
    SocketDossierCertificats(str(tmp_path))
    yield tmp_path, leaf
    certificates.set_certificate_folder(previous)


def leaf_der(leaf: trustme.LeafCert) -> bytes:
    return ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode("ascii"))


def test_subject_and_thumbprint_of_a_real_certificate(folder):
    _, leaf = folder
    der = leaf_der(leaf)
    assert certificates.subject_common_name(der) == "Société Générale Test"
    assert certificates.thumbprint(der) == hashlib.sha1(der).hexdigest().upper()


def test_not_a_certificate_has_no_subject_nor_thumbprint():
    assert certificates.subject_common_name(b"\x30\x03\x02\x01\x00") is None
    assert certificates.thumbprint(b"not DER at all") is None


def test_accented_name_found_case_ignored(folder, port):
    path, _ = folder
    found = certificates.find_certificate("SOCIÉTÉ GÉNÉRALE TEST", NomCertificat)
    assert found == str(path / "server.pem")  # the broken file before it was skipped
    assert SocketCréeSSL("srv", port, "société générale test", NomCertificat, LOOPBACK), ErreurInfo()
    SocketFerme("srv")


def test_thumbprint_found(folder, port):
    _, leaf = folder
    digest = hashlib.sha1(leaf_der(leaf)).hexdigest()
    assert SocketCréeSSL("srv", port, digest, HashCertificat, LOOPBACK), ErreurInfo()
    SocketFerme("srv")


def test_without_cryptography_a_lookup_says_what_to_install(folder, port, monkeypatch):
    path, _ = folder
    monkeypatch.setitem(sys.modules, "cryptography", None)  # "import cryptography" now fails
    assert SocketCréeSSL("srv", port, "Société Générale Test", NomCertificat, LOOPBACK) is False
    assert ErreurInfo(errCode) == "CERTIFICAT_INTROUVABLE"
    assert "cryptography" in ErreurInfo(errMessage) and "wlsocket[certificates]" in ErreurInfo(errMessage)
    assert SocketCréeSSL("srv", port, "00" * 20, HashCertificat, LOOPBACK) is False
    assert ErreurInfo(errCode) == "CERTIFICAT_INTROUVABLE"
    # A PEM file given by its path needs no lookup, hence no cryptography.
    assert SocketCréeSSL("srv", port, str(path / "server.pem"), 0, LOOPBACK), ErreurInfo()
    SocketFerme("srv")

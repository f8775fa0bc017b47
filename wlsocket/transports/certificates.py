"""Finding a certificate: the certificate folder, and a lookup by subject
common name (NomCertificat) or SHA-1 thumbprint (HashCertificat).

Python has no Windows certificate store, so SocketCréeSSL and
SocketConnecteSSL look certificates up in a folder of PEM files.  The
certificates are read with the ``cryptography`` package's x509 parser.

Chosen: ``cryptography`` is an optional extra (``pip install
"wlsocket[certificates]"``), imported only by a lookup: it is a large
compiled package that only NomCertificat and HashCertificat need (a PEM
file given by its path, the common case, does not).  Without it a lookup
fails with the non-fatal CERTIFICAT_INTROUVABLE, whose message names the
package and the command that installs it.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from types import ModuleType

from ..errors import SocketFailure
from .io import os_reason

__all__ = [
    "CERTIFICATE_FOLDER_ENV",
    "CERTIFICATE_NAME",
    "CERTIFICATE_HASH",
    "MISSING_CRYPTOGRAPHY",
    "set_certificate_folder",
    "certificate_folder",
    "normalize_thumbprint",
    "subject_common_name",
    "thumbprint",
    "find_certificate",
]

#: Environment variable naming the certificate folder when the program set none.
CERTIFICATE_FOLDER_ENV = "WLSOCKET_CERT_DIR"
# The option flags of SocketCréeSSL / SocketConnecteSSL that ask for a lookup.
CERTIFICATE_NAME = 0x100
CERTIFICATE_HASH = 0x200
_SUFFIXES = (".pem", ".crt", ".cer")
#: ErreurInfo's detail when the optional ``cryptography`` package is missing.
MISSING_CRYPTOGRAPHY = (
    "finding a certificate by name or thumbprint needs the 'cryptography' package: "
    'pip install "wlsocket[certificates]"'
)

_folder: list[str | None] = [None]


def set_certificate_folder(folder: str | None) -> None:
    _folder[0] = folder or None


def certificate_folder() -> str:
    """The folder set by the program, else $WLSOCKET_CERT_DIR, else ""."""
    return _folder[0] or os.environ.get(CERTIFICATE_FOLDER_ENV, "")


def _x509() -> ModuleType:
    """The ``cryptography.x509`` module, or CERTIFICAT_INTROUVABLE saying how
    to install it."""
    try:
        # Imported here, not at the top: an optional extra (see the module docstring).
        from cryptography import x509
    except ImportError:
        raise SocketFailure("CERTIFICAT_INTROUVABLE", MISSING_CRYPTOGRAPHY) from None
    return x509


def subject_common_name(der: bytes) -> str | None:
    """The subject CN of a DER certificate (the last one if there are
    several, as the most specific); None when it has none or is not a
    certificate."""
    x509 = _x509()
    try:
        names = x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    except ValueError:
        return None
    if not names:
        return None
    value = names[-1].value
    return value if isinstance(value, str) else value.decode("latin-1")


def thumbprint(der: bytes) -> str | None:
    """The SHA-1 thumbprint of a DER certificate as 40 upper-case hex digits
    (what Windows shows), None when it is not a certificate."""
    x509 = _x509()
    try:
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    # Imported with x509: the same optional package.
    from cryptography.hazmat.primitives import hashes

    return str(certificate.fingerprint(hashes.SHA1()).hex().upper())


def normalize_thumbprint(text: str) -> str | None:
    """40 upper-case hex digits, or None.  Spaces, colons and the invisible
    marks that Windows' certificate manager copies are allowed."""
    cleaned = "".join(c for c in text if c not in " \t:\u200e\u200f\ufeff").upper()
    if len(cleaned) == 40 and all(c in "0123456789ABCDEF" for c in cleaned):
        return cleaned
    return None


def _first_certificate_der(pem_text: str) -> bytes | None:
    begin = pem_text.find("-----BEGIN CERTIFICATE-----")
    end_tag = "-----END CERTIFICATE-----"
    end = pem_text.find(end_tag, begin)
    if begin < 0 or end < 0:
        return None
    try:
        return ssl.PEM_cert_to_DER_cert(pem_text[begin : end + len(end_tag)])
    except ValueError:
        return None


def find_certificate(identifier: str, identification: int) -> str:
    """The PEM file of the certificate named ``identifier`` (subject CN, case
    ignored) or with this SHA-1 thumbprint, in the certificate folder.

    Files ``*.pem``, ``*.crt``, ``*.cer`` directly in the folder are read, in
    name order; the first match wins.  Not found: CERTIFICAT_INTROUVABLE.
    """
    by_hash = identification == CERTIFICATE_HASH
    wanted = normalize_thumbprint(identifier) if by_hash else identifier.strip().casefold()
    if not wanted:
        reason = "is not a SHA-1 thumbprint (40 hex digits)" if by_hash else "is not a certificate name"
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"{identifier!r} {reason}")
    folder = certificate_folder()
    if not folder:
        raise SocketFailure(
            "CERTIFICAT_INTROUVABLE",
            f"{identifier!r}: no certificate folder (call SocketDossierCertificats or set {CERTIFICATE_FOLDER_ENV})",
        )
    try:
        files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the folder name
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"certificate folder {folder!r}: {os_reason(exc)}") from None
    for path in files:
        try:
            der = _first_certificate_der(path.read_text("ascii", "replace"))
        except OSError:
            continue  # an unreadable file is not the one asked for
        if der is None:
            continue
        if by_hash:
            if thumbprint(der) == wanted:
                return str(path)
        elif (subject_common_name(der) or "").casefold() == wanted:
            return str(path)
    kind = "thumbprint" if by_hash else "name"
    raise SocketFailure("CERTIFICAT_INTROUVABLE", f"no certificate with the {kind} {identifier!r} in {folder}")

"""TLS contexts from WLangage options: protocol flags, the certificate and
key a socket shows, the authorities it trusts.

Decisions made here (see docs/secure-and-udp.md):

* Protocol constants are bit flags; the versions asked form a range
  ``minimum..maximum`` (``ssl`` has no way to skip a version in between).
* OpenSSL 3 at security level 1 or more cannot negotiate TLS 1.0 or 1.1.
  wlsocket never lowers the security level on its own: the minimum is
  clamped to TLS 1.2, and a socket that asks *only* for 1.0/1.1 fails
  with a message saying so, unless the program passes ``legacy_tls=True``
  for that socket (security level 0 for it alone).
* SSL 2 and SSL 3 are refused: no safe stack offers them.
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
import warnings
from pathlib import Path

from ..errors import SocketFailure, raise_error
from .certificates import CERTIFICATE_HASH, CERTIFICATE_NAME, find_certificate

__all__ = [
    "PROTOCOL_SSL2",
    "PROTOCOL_SSL3",
    "PROTOCOL_TLS1",
    "PROTOCOL_TLS1_1",
    "PROTOCOL_TLS1_2",
    "PROTOCOL_TLS1_3",
    "CERTIFICATE_NAME",
    "CERTIFICATE_HASH",
    "DEFAULT_PROTOCOLS",
    "split_options",
    "legacy_versions_usable",
    "client_context",
    "server_context",
]

# Bit flags; the reference does not give WINDEV's values, so these are ours.
PROTOCOL_SSL2 = 0x01
PROTOCOL_SSL3 = 0x02
PROTOCOL_TLS1 = 0x04
PROTOCOL_TLS1_1 = 0x08
PROTOCOL_TLS1_2 = 0x10
PROTOCOL_TLS1_3 = 0x20
#: What SocketConnecteSSL offers when no protocol is given (the reference's default).
DEFAULT_PROTOCOLS = PROTOCOL_TLS1 | PROTOCOL_TLS1_1 | PROTOCOL_TLS1_2

_PROTOCOL_BITS = PROTOCOL_SSL2 | PROTOCOL_SSL3 | PROTOCOL_TLS1 | PROTOCOL_TLS1_1 | PROTOCOL_TLS1_2 | PROTOCOL_TLS1_3
_OPTION_BITS = _PROTOCOL_BITS | CERTIFICATE_NAME | CERTIFICATE_HASH
# (flag, ssl version, readable name), lowest first.
_VERSIONS = [
    (PROTOCOL_TLS1, ssl.TLSVersion.TLSv1, "TLS 1.0"),
    (PROTOCOL_TLS1_1, ssl.TLSVersion.TLSv1_1, "TLS 1.1"),
    (PROTOCOL_TLS1_2, ssl.TLSVersion.TLSv1_2, "TLS 1.2"),
    (PROTOCOL_TLS1_3, ssl.TLSVersion.TLSv1_3, "TLS 1.3"),
]


def split_options(options: object, what: str = "options") -> tuple[int, int]:
    """(protocol flags, certificate identification flag) of a WLangage option value.

    A value that is not a combination of the constants is the fatal
    PARAMETRE_INVALIDE (a programming mistake).
    """
    if options is None:
        options = 0
    if isinstance(options, bool) or not isinstance(options, int) or options < 0 or options & ~_OPTION_BITS:
        raise_error("PARAMETRE_INVALIDE", f"{what}={options!r}")
    identification = options & (CERTIFICATE_NAME | CERTIFICATE_HASH)
    if identification == CERTIFICATE_NAME | CERTIFICATE_HASH:
        raise_error("PARAMETRE_INVALIDE", f"{what}: NomCertificat and HashCertificat together")
    return options & _PROTOCOL_BITS, identification


def legacy_versions_usable(context: ssl.SSLContext) -> bool:
    """Whether ``context`` can negotiate TLS 1.0/1.1 (OpenSSL 3 refuses them
    at security level 1 and above)."""
    return context.security_level == 0 or (ssl.OPENSSL_VERSION_INFO < (3,) and context.security_level <= 1)


def _set_versions(context: ssl.SSLContext, protocols: int, legacy_tls: bool) -> None:
    """Apply the asked range of versions to ``context`` or fail clearly."""
    if protocols & (PROTOCOL_SSL2 | PROTOCOL_SSL3):
        names = ((PROTOCOL_SSL2, "ProtocoleSSL2"), (PROTOCOL_SSL3, "ProtocoleSSL3"))
        asked = " and ".join(name for flag, name in names if protocols & flag)
        raise SocketFailure("PROTOCOLE_SSL_OBSOLETE", asked)
    protocols = protocols or DEFAULT_PROTOCOLS
    asked_versions = [(version, label) for flag, version, label in _VERSIONS if protocols & flag]
    low, high = asked_versions[0], asked_versions[-1]
    if legacy_tls:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    if low[0] < ssl.TLSVersion.TLSv1_2 and not legacy_versions_usable(context):
        if high[0] < ssl.TLSVersion.TLSv1_2:
            raise SocketFailure(
                "ECHEC_SSL",
                f"{' and '.join(label for _, label in asked_versions)} disabled by the local OpenSSL "
                f"(security level {context.security_level}); pass legacy_tls=True to allow them for this socket",
            )
        low = (ssl.TLSVersion.TLSv1_2, "TLS 1.2")  # clamp: never lower the security level unasked
    with warnings.catch_warnings():
        # ssl warns on TLSv1/TLSv1_1; reached only with legacy_tls=True.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = low[0]
        context.maximum_version = high[0]


def _no_password() -> bytes:
    return b""  # never let OpenSSL prompt on the terminal


def _load_certificate(context: ssl.SSLContext, path: str) -> None:
    """Load a PEM certificate (with its chain) and its private key, from the
    same file or from ``<same name>.key`` beside it."""
    try:
        text = Path(path).read_text("ascii", "replace")
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the path, no file can have that name
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"file not found: {path!r}") from None
    except OSError as exc:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"cannot read {path}: {exc.strerror or exc}") from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"{path} holds no PEM certificate")
    key_path = None
    if "PRIVATE KEY-----" not in text:
        sibling = Path(path).with_suffix(".key")
        if not sibling.is_file():
            raise SocketFailure(
                "CERTIFICAT_INVALIDE", f"{path} holds no private key (add it to the file, or as {sibling.name})"
            )
        key_path = str(sibling)
        text = sibling.read_text("ascii", "replace")
    if "ENCRYPTED" in text:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"the private key of {path} is password-protected (not supported)")
    try:
        context.load_cert_chain(path, key_path, password=_no_password)
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            reason = f"the private key does not match the certificate in {path}"
            raise SocketFailure("CERTIFICAT_INVALIDE", reason) from None
        raise SocketFailure("CERTIFICAT_INVALIDE", f"{path}: {exc.reason or exc}") from None
    except OSError as exc:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"cannot read {path}: {exc.strerror or exc}") from None


def _certificate_path(certificate: object, identification: int) -> str:
    if not isinstance(certificate, (str, os.PathLike)) or not str(certificate):
        raise_error("PARAMETRE_INVALIDE", f"certificate={certificate!r}")
    return find_certificate(str(certificate), identification) if identification else str(certificate)


def _load_trust(context: ssl.SSLContext, ca_file: object, what: str = "ca_file") -> None:
    if not isinstance(ca_file, (str, os.PathLike)):
            raise_error("PARAMETRE_INVALIDE", f"{what}={ca_file!r}")
    try:
        context.load_verify_locations(cafile=os.fspath(ca_file))
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the path
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"CA file not found: {ca_file}") from None
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SocketFailure("CERTIFICAT_INVALIDE", f"CA file {ca_file}: {reason}") from None


def server_context(
    certificate: object,
    identification: int,
    protocols: int,
    client_ca_file: object = None,
    legacy_tls: bool = False,
) -> ssl.SSLContext:
    """The context of a SocketCréeSSL server; asks clients for a certificate
    signed by ``client_ca_file`` when it is given."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    _set_versions(context, protocols, legacy_tls)
    _load_certificate(context, _certificate_path(certificate, identification))
    if client_ca_file is not None:
        _load_trust(context, client_ca_file, "client_ca_file")
        context.verify_mode = ssl.CERT_REQUIRED
    context.sslsocket_class = _WakeableSSLSocket
    return context


_client_contexts: dict[tuple[object, ...], ssl.SSLContext] = {}
_client_contexts_lock = threading.Lock()


def client_context(
    protocols: int = 0,
    client_certificate: object = None,
    identification: int = 0,
    ca_file: object = None,
    verify: bool = True,
    legacy_tls: bool = False,
) -> ssl.SSLContext:
    """The context of a TLS client socket (SocketConnecteSSL, and wss://).

    ``ca_file`` given: only that CA file is trusted; otherwise the system's
    trust store.  ``verify=False`` checks neither the chain nor the host
    name.  Contexts without a client certificate are cached (loading the
    system store costs tens of milliseconds).
    """
    if ca_file is not None and not isinstance(ca_file, (str, os.PathLike)):
            raise_error("PARAMETRE_INVALIDE", f"ca_file={ca_file!r}")
    key = None
    if client_certificate in (None, ""):
        try:
            stamp = os.stat(ca_file).st_mtime_ns if ca_file is not None else None
        except (OSError, ValueError):  # missing, or a NUL in the name: _load_trust reports it
            stamp = None
        key = (protocols, None if ca_file is None else os.fspath(ca_file), stamp, bool(verify), bool(legacy_tls))
        with _client_contexts_lock:
            cached = _client_contexts.get(key)
        if cached is not None:
            return cached
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    _set_versions(context, protocols, legacy_tls)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif ca_file is not None:
        _load_trust(context, ca_file)
    else:
        context.load_default_certs()
    if client_certificate not in (None, ""):
        _load_certificate(context, _certificate_path(client_certificate, identification))
    context.sslsocket_class = _WakeableSSLSocket
    if key is not None:
        with _client_contexts_lock:
            _client_contexts[key] = context
    return context


class _WakeableSSLSocket(ssl.SSLSocket):
    """``SSLSocket.shutdown`` drops the TLS object, which races with a thread
    still reading it; shutting down the descriptor alone wakes that thread
    safely (it sees an error or EOF)."""

    def shutdown(self, how: int) -> None:
        socket.socket.shutdown(self, how)

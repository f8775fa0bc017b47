"""Secure sockets: SocketCréeSSL, SocketConnecteSSL, their constants and
the certificate folder (a wlsocket extension).  Details and choices:
docs/secure-and-udp.md."""

from __future__ import annotations

import os
from typing import Any

from ..errors import raise_error, wlangage_function
from ..registry import REGISTRY
from ..transports import certificates, tls, tls_context
from ..transports.tcp import open_listener
from .args import (
    DEFAULT_CONNECT_TIMEOUT_MS,
    LOCAL_HOST,
    check_address,
    check_bool,
    check_connect_timeout,
    check_port,
    check_timeout,
)

# The WLangage constants (values are wlsocket's: the reference gives none).
PROTOCOL_SSL2 = tls_context.PROTOCOL_SSL2
PROTOCOL_SSL3 = tls_context.PROTOCOL_SSL3
PROTOCOL_TLS1 = tls_context.PROTOCOL_TLS1
PROTOCOL_TLS1_1 = tls_context.PROTOCOL_TLS1_1
PROTOCOL_TLS1_2 = tls_context.PROTOCOL_TLS1_2
PROTOCOL_TLS1_3 = tls_context.PROTOCOL_TLS1_3
CERTIFICATE_NAME = tls_context.CERTIFICATE_NAME
CERTIFICATE_HASH = tls_context.CERTIFICATE_HASH


def _handshake_timeout(value: Any) -> int:
    timeout_ms = check_timeout(value, "handshake_timeout")
    if timeout_ms <= 0:
        raise_error("PARAMETRE_INVALIDE", f"handshake_timeout={value!r}")
    return timeout_ms


@wlangage_function("SocketCréeSSL", failure=False)
def socket_create_ssl(
    name: str,
    port: Any,
    certificate: Any,
    options: Any = 0,
    address: str | None = None,
    *,
    client_ca_file: Any = None,
    handshake_timeout: Any = tls.TLS_HANDSHAKE_TIMEOUT_MS,
    legacy_tls: bool = False,
) -> bool:
    """SocketCréeSSL(<nom>, <port>, <certificat> [, <options> [, <adresse>]]) -> booléen

    A listening TLS socket, used afterwards exactly like a SocketCrée socket
    (SocketAttendConnexion, SocketAccepte, SocketLit, SocketEcrit, every
    transmission mode; the simplified server too).

    Differs: Python has no Windows certificate store, so ``certificate`` is
    the path of a PEM file holding the certificate (and its chain) and its
    private key (or the key in ``<same name>.key``); with NomCertificat it
    is a subject common name, with HashCertificat a SHA-1 thumbprint
    (spaces allowed, any case), both looked up in the folder set with
    SocketDossierCertificats.  ``options`` adds the ProtocoleTLS* flags;
    without any, TLS 1.0 to 1.2 as for SocketConnecteSSL (1.0 and 1.1 only
    where the local OpenSSL allows them).  Each accepted channel does its
    handshake on its first read or write, within ``handshake_timeout``
    (default 10 s), so accepting never waits for a slow client.

    Keyword-only additions: ``client_ca_file`` requires every
    client to show a certificate signed by that CA file;
    ``legacy_tls=True`` lowers the OpenSSL security level of this socket
    so that TLS 1.0/1.1 can be negotiated.

    Fatal: the usual name and port errors, options that are not a
    combination of the constants.  Non-fatal (False + ErreurInfo):
    CERTIFICAT_INTROUVABLE (no such file, name or thumbprint; or a lookup
    by name or thumbprint without the optional ``cryptography`` package,
    ``pip install "wlsocket[certificates]"``),
    CERTIFICAT_INVALIDE (unreadable, not PEM, no or wrong private key),
    PROTOCOLE_SSL_OBSOLETE (SSL 2 or 3 asked), ECHEC_SSL, and the
    SocketCrée errors (port in use...).
    """
    name = REGISTRY.check_free(name)
    port = check_port(port)
    protocols, identification = tls_context.split_options(options)
    legacy = check_bool(legacy_tls, "legacy_tls")
    timeout_ms = _handshake_timeout(handshake_timeout)
    context = tls_context.server_context(certificate, identification, protocols, client_ca_file, legacy)
    sock = open_listener(port, check_address(address, None))
    REGISTRY.add(name, tls.TLSListenerTransport(sock, context, timeout_ms))
    return True


@wlangage_function("SocketConnecteSSL", failure=False)
def socket_connect_ssl(
    name: str,
    port: Any,
    address: Any = None,
    options: Any = 0,
    timeout: Any = DEFAULT_CONNECT_TIMEOUT_MS,
    client_certificate: Any = None,
    *,
    ca_file: Any = None,
    verify: bool = True,
    legacy_tls: bool = False,
) -> bool:
    """SocketConnecteSSL(<nom>, <port>, <adresse> [, <options> [, <délai ms> [, <certificat client>]]]) -> booléen

    Connects a TLS client; the socket is then used like a SocketConnecte
    socket (mode SocketTailleDébut).  ``options``: ProtocoleTLS1,
    ProtocoleTLS1_1, ProtocoleTLS1_2, ProtocoleTLS1_3 combined; default
    TLS1 + TLS1_1 + TLS1_2 as the reference says.  ``timeout`` (default 30 s,
    also for 0 or less) covers the connection and the handshake.  The server's certificate is
    verified against the system's trust store, host name included.

    Differs: the local OpenSSL refuses TLS 1.0 and 1.1 at its default
    security level, so the lowest version offered is clamped to TLS 1.2; a
    request for 1.0/1.1 alone fails unless ``legacy_tls=True``.
    ProtocoleSSL2/SSL3 give PROTOCOLE_SSL_OBSOLETE.  ``client_certificate``
    is a PEM file (certificate and key), or with NomCertificat /
    HashCertificat in ``options`` a name or thumbprint in the certificate
    folder.  ``address`` may be omitted (this computer).

    Keyword-only additions, for tests and legacy servers:
    ``ca_file`` trusts that CA file (and only it) instead of the system
    store; ``verify=False`` checks neither the certificate nor the host.

    Non-fatal (False + ErreurInfo naming the cause): CERTIFICAT_INVALIDE
    (untrusted, expired, wrong host, or our client certificate refused),
    ECHEC_SSL (not a TLS server, no common TLS version, no answer in time),
    CERTIFICAT_INTROUVABLE, PROTOCOLE_SSL_OBSOLETE, and the SocketConnecte
    errors.
    """
    name = REGISTRY.check_free(name)
    port = check_port(port)
    host = check_address(address, LOCAL_HOST)
    protocols, identification = tls_context.split_options(options)
    timeout_ms = check_connect_timeout(timeout)
    context = tls_context.client_context(
        protocols,
        client_certificate,
        identification,
        ca_file,
        check_bool(verify, "verify"),
        check_bool(legacy_tls, "legacy_tls"),
    )
    REGISTRY.add(name, tls.connect_tls(host, port, timeout_ms, context))
    return True


def socket_certificate_folder(folder: str | None = None) -> str:
    """wlsocket extension: SocketDossierCertificats([<dossier>]) -> chaîne

    Sets the folder where NomCertificat / HashCertificat look certificates
    up (PEM files ``*.pem``, ``*.crt``, ``*.cer``, each holding a
    certificate and its key, or the key in ``<same name>.key``), and
    returns the folder in effect.  Without argument it only returns it;
    with "" it forgets the program's choice.  When the program sets none,
    the environment variable WLSOCKET_CERT_DIR is used.
    """
    if folder is not None:
        if not isinstance(folder, (str, os.PathLike)):
            raise_error("PARAMETRE_INVALIDE", f"folder={folder!r}")
        certificates.set_certificate_folder(str(os.fspath(folder)))
    return certificates.certificate_folder()

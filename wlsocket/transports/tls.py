"""TLS: contexts from WLangage options, certificates, and TLS stream transports.

A TLS stream is a :class:`~wlsocket.transports.tcp.StreamTransport` over an
``ssl.SSLSocket``; only the handshake and the decrypted-but-unread bytes
differ.  Decisions made here (see docs/secure-and-udp.md):

* Protocol constants are bit flags; the versions asked form a range
  ``minimum..maximum`` (``ssl`` has no way to skip a version in between).
* OpenSSL 3 at security level 1 or more cannot negotiate TLS 1.0 or 1.1.
  wlsocket never lowers the security level on its own: the minimum is
  clamped to TLS 1.2, and a socket that asks *only* for 1.0/1.1 fails
  with a message saying so, unless the program passes ``legacy_tls=True``
  for that socket (security level 0 for it alone).
* SSL 2 and SSL 3 are refused: no safe stack offers them.
* A server channel does its handshake lazily, on its first read or write,
  so SocketAccepte and the accept loop never wait for a slow client.  The
  handshake is bounded by :data:`TLS_HANDSHAKE_TIMEOUT_MS` counted from
  its first attempt; a SocketLit with a shorter timeout returns "" (no
  error) and the handshake goes on at the next call.
* A peer that closes without a TLS close_notify is a plain end of stream
  (``SOCKET_FERMEE``), as Python's own ``ssl`` treats it.
"""

from __future__ import annotations

import hashlib
import os
import socket
import ssl
import threading
import time
import warnings
from pathlib import Path
from typing import Optional

from .. import codecs
from ..errors import SocketFailure
from .base import Message, Payload
from .io import (
    IO_ERRORS,
    NEVER,
    Deadline,
    closed_failure,
    io_failure,
    locked,
    tls_failure,
    wait_readable,
    wait_writable,
)
from .tcp import ListenerTransport, StreamTransport, open_connection

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
    "TLS_HANDSHAKE_TIMEOUT_MS",
    "CERTIFICATE_FOLDER_ENV",
    "set_certificate_folder",
    "certificate_folder",
    "find_certificate",
    "split_options",
    "client_context",
    "server_context",
    "connect_tls",
    "TLSStreamTransport",
    "TLSListenerTransport",
]

# Bit flags; the reference does not give WINDEV's values, so these are ours.
PROTOCOL_SSL2 = 0x01
PROTOCOL_SSL3 = 0x02
PROTOCOL_TLS1 = 0x04
PROTOCOL_TLS1_1 = 0x08
PROTOCOL_TLS1_2 = 0x10
PROTOCOL_TLS1_3 = 0x20
CERTIFICATE_NAME = 0x100
CERTIFICATE_HASH = 0x200
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

#: Longest time a server channel's handshake may take, from its first attempt.
TLS_HANDSHAKE_TIMEOUT_MS = 10_000
#: Environment variable naming the certificate folder when the program set none.
CERTIFICATE_FOLDER_ENV = "WLSOCKET_CERT_DIR"


# --- options ------------------------------------------------------------------


def split_options(options: object, what: str = "options") -> tuple[int, int]:
    """(protocol flags, certificate identification flag) of a WLangage option value.

    A value that is not a combination of the constants is the fatal
    PARAMETRE_INVALIDE (a programming mistake).
    """
    from ..errors import raise_error

    if options is None:
        options = 0
    if isinstance(options, bool) or not isinstance(options, int) or options < 0 or options & ~_OPTION_BITS:
        raise_error("PARAMETRE_INVALIDE", f"{what}={options!r}")
    identification = options & (CERTIFICATE_NAME | CERTIFICATE_HASH)
    if identification == CERTIFICATE_NAME | CERTIFICATE_HASH:
        raise_error("PARAMETRE_INVALIDE", f"{what}: NomCertificat and HashCertificat together")
    return options & _PROTOCOL_BITS, identification


def _legacy_versions_usable(context: ssl.SSLContext) -> bool:
    """OpenSSL 3 refuses TLS 1.0/1.1 at security level 1 and above."""
    return context.security_level == 0 or (ssl.OPENSSL_VERSION_INFO < (3,) and context.security_level <= 1)


def _set_versions(context: ssl.SSLContext, protocols: int, legacy_tls: bool) -> None:
    """Apply the asked range of versions to ``context`` or fail clearly."""
    if protocols & (PROTOCOL_SSL2 | PROTOCOL_SSL3):
        asked = " and ".join(n for f, n in ((PROTOCOL_SSL2, "ProtocoleSSL2"), (PROTOCOL_SSL3, "ProtocoleSSL3")) if protocols & f)
        raise SocketFailure("PROTOCOLE_SSL_OBSOLETE", asked)
    protocols = protocols or DEFAULT_PROTOCOLS
    asked_versions = [(version, label) for flag, version, label in _VERSIONS if protocols & flag]
    low, high = asked_versions[0], asked_versions[-1]
    if legacy_tls:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    if low[0] < ssl.TLSVersion.TLSv1_2 and not _legacy_versions_usable(context):
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


# --- certificates -------------------------------------------------------------

_folder: list[Optional[str]] = [None]


def set_certificate_folder(folder: Optional[str]) -> None:
    _folder[0] = folder or None


def certificate_folder() -> str:
    """The folder set by the program, else $WLSOCKET_CERT_DIR, else ""."""
    return _folder[0] or os.environ.get(CERTIFICATE_FOLDER_ENV, "")


def _der_item(der: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER item at ``pos``."""
    tag, length = der[pos], der[pos + 1]
    pos += 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(der[pos : pos + size], "big")
        pos += size
    return tag, pos, pos + length


_STRING_DECODERS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be"}
_OID_COMMON_NAME = b"\x55\x04\x03"


def subject_common_name(der: bytes) -> Optional[str]:
    """The subject CN of a DER certificate (the stdlib has no public parser)."""
    try:
        _, pos, _ = _der_item(der, 0)  # Certificate
        _, pos, _ = _der_item(der, pos)  # tbsCertificate
        if der[pos] == 0xA0:  # explicit version
            pos = _der_item(der, pos)[2]
        for _ in range(4):  # serial, signature, issuer, validity
            pos = _der_item(der, pos)[2]
        _, pos, subject_end = _der_item(der, pos)
        found = None
        while pos < subject_end:
            _, rdn, pos = _der_item(der, pos)  # SET
            _, attribute, _ = _der_item(der, rdn)  # SEQUENCE
            _, oid_start, oid_end = _der_item(der, attribute)
            if der[oid_start:oid_end] == _OID_COMMON_NAME:
                tag, start, end = _der_item(der, oid_end)
                found = der[start:end].decode(_STRING_DECODERS.get(tag, "latin-1"), "replace")
        return found
    except (IndexError, ValueError):
        return None


def normalize_thumbprint(text: str) -> Optional[str]:
    """40 upper-case hex digits, or None.  Spaces, colons and the invisible
    marks that Windows' certificate manager copies are allowed."""
    cleaned = "".join(c for c in text if c not in " \t:\u200e\u200f\ufeff").upper()
    if len(cleaned) == 40 and all(c in "0123456789ABCDEF" for c in cleaned):
        return cleaned
    return None


def _first_certificate_der(pem_text: str) -> Optional[bytes]:
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
        files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer") and p.is_file())
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the folder name
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"certificate folder {folder!r}: {getattr(exc, 'strerror', None) or exc}") from None
    for path in files:
        try:
            der = _first_certificate_der(path.read_text("ascii", "replace"))
        except OSError:
            continue  # an unreadable file is not the one asked for
        if der is None:
            continue
        if by_hash:
            if hashlib.sha1(der).hexdigest().upper() == wanted:
                return str(path)
        elif (subject_common_name(der) or "").casefold() == wanted:
            return str(path)
    kind = "thumbprint" if by_hash else "name"
    raise SocketFailure("CERTIFICAT_INTROUVABLE", f"no certificate with the {kind} {identifier!r} in {folder}")


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
            raise SocketFailure("CERTIFICAT_INVALIDE", f"the private key does not match the certificate in {path}") from None
        raise SocketFailure("CERTIFICAT_INVALIDE", f"{path}: {exc.reason or exc}") from None
    except OSError as exc:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"cannot read {path}: {exc.strerror or exc}") from None


def _certificate_path(certificate: object, identification: int) -> str:
    from ..errors import raise_error

    if not isinstance(certificate, (str, os.PathLike)) or not str(certificate):
        raise_error("PARAMETRE_INVALIDE", f"certificate={certificate!r}")
    return find_certificate(str(certificate), identification) if identification else str(certificate)


def _load_trust(context: ssl.SSLContext, ca_file: object, what: str = "ca_file") -> None:
    if not isinstance(ca_file, (str, os.PathLike)):
        from ..errors import raise_error

        raise_error("PARAMETRE_INVALIDE", f"{what}={ca_file!r}")
    try:
        context.load_verify_locations(cafile=os.fspath(ca_file))  # type: ignore[arg-type]
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the path
        raise SocketFailure("CERTIFICAT_INTROUVABLE", f"CA file not found: {ca_file}") from None
    except (ssl.SSLError, OSError) as exc:
        raise SocketFailure("CERTIFICAT_INVALIDE", f"CA file {ca_file}: {getattr(exc, 'reason', None) or exc}") from None


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


_client_contexts: dict[tuple, ssl.SSLContext] = {}
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
        from ..errors import raise_error

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


# --- sockets --------------------------------------------------------------------


class _WakeableSSLSocket(ssl.SSLSocket):
    """``SSLSocket.shutdown`` drops the TLS object, which races with a thread
    still reading it; shutting down the descriptor alone wakes that thread
    safely (it sees an error or EOF)."""

    def shutdown(self, how: int) -> None:
        socket.socket.shutdown(self, how)


def handshake(sock: ssl.SSLSocket, deadline: Deadline) -> bool:
    """Drive the handshake until done (True) or ``deadline`` (False; it can
    be resumed).  Raises ssl/OS errors."""
    sock.setblocking(False)
    try:
        while True:
            try:
                sock.do_handshake()
                return True
            except ssl.SSLWantReadError:
                wait = wait_readable
            except ssl.SSLWantWriteError:
                wait = wait_writable
            remaining = deadline.remaining()
            if remaining == 0.0:
                return False
            wait(sock, remaining)
    finally:
        try:
            sock.setblocking(True)
        except OSError:
            pass


class TLSStreamTransport(StreamTransport):
    """A connected TLS stream; a server channel shakes hands on first use."""

    _sock: ssl.SSLSocket

    def __init__(
        self,
        sock: ssl.SSLSocket,
        mode: int = codecs.SIZE_PREFIX,
        marker: bytes = codecs.DEFAULT_MARKER,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE,
        handshake_timeout_ms: int = TLS_HANDSHAKE_TIMEOUT_MS,
        handshake_done: bool = True,
    ) -> None:
        super().__init__(sock, mode, marker, max_size)
        self.handshake_timeout_ms = handshake_timeout_ms
        self._handshake_done = handshake_done
        self._handshake_lock = threading.Lock()
        self._handshake_deadline: Deadline | None = None
        self._handshake_error: tuple[str, object] | None = None

    def _finish_handshake(self, deadline: Deadline | None) -> bool:
        """Complete the server handshake; False when the caller's own
        ``deadline`` comes first (the handshake resumes on the next call)."""
        with locked(self._handshake_lock, deadline or NEVER) as held:
            if not held:
                return False
            if self._handshake_done:
                return True
            self._check_open()
            if self._handshake_error is not None:
                raise SocketFailure(*self._handshake_error)
            if self._handshake_deadline is None:
                self._handshake_deadline = Deadline.after_ms(self.handshake_timeout_ms)
            limit = self._handshake_deadline if deadline is None else deadline.earliest(self._handshake_deadline)
            try:
                done = handshake(self._sock, limit)
                if not done and self._handshake_deadline.expired():
                    raise socket.timeout()
            except IO_ERRORS as exc:
                if self._closed:
                    raise closed_failure() from None
                failure = tls_failure(exc, f"client {self._peer[0]}:{self._peer[1]}", self.handshake_timeout_ms)
                self._handshake_error = (failure.code, failure.detail)
                self._abort()
                raise failure from None
            self._handshake_done = done
            return done

    def _read_locked(self, deadline: Deadline | None, max_bytes: int) -> bytes | bytearray | None:
        if not self._handshake_done and not self._finish_handshake(deadline):
            return None
        return super()._read_locked(deadline, max_bytes)

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        if not self._handshake_done and address is None and port is None:
            self._finish_handshake(None)
        super().write(payload, address, port)

    def detach(self) -> tuple[socket.socket, bytes]:
        """Hand over an established TLS socket (the handshake is finished first)."""
        if not self._handshake_done:
            self._finish_handshake(None)
        return super().detach()

    def _in_flight_locks(self) -> tuple[threading.Lock, ...]:
        # A handshake may be running in another thread: the shutdown wakes it.
        return (self._handshake_lock, *super()._in_flight_locks())


class TLSListenerTransport(ListenerTransport):
    """A SocketCréeSSL socket: a TCP listener whose channels speak TLS."""

    def __init__(
        self, sock: socket.socket, context: ssl.SSLContext, handshake_timeout_ms: int = TLS_HANDSHAKE_TIMEOUT_MS
    ) -> None:
        super().__init__(sock)
        self.context = context
        self.handshake_timeout_ms = handshake_timeout_ms

    def wrap_accepted(self, conn: socket.socket) -> TLSStreamTransport:
        try:
            tls_sock = self.context.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        except IO_ERRORS as exc:
            conn.close()
            raise io_failure("ECHEC_CONNEXION_SOCKET", exc) from None
        return TLSStreamTransport(
            tls_sock, self.mode, self.marker, self.max_size, self.handshake_timeout_ms, handshake_done=False
        )


def connect_tls(host: str, port: int, timeout_ms: int, context: ssl.SSLContext) -> TLSStreamTransport:
    """A TCP connection and its TLS handshake, both within ``timeout_ms``."""
    deadline = Deadline.after_ms(max(1, timeout_ms))
    raw = open_connection(host, port, timeout_ms)
    try:
        tls_sock = context.wrap_socket(raw, server_hostname=host, do_handshake_on_connect=False)
    except IO_ERRORS as exc:
        raw.close()
        raise tls_failure(exc, f"{host}:{port}", timeout_ms) from None
    try:
        if not handshake(tls_sock, deadline):
            raise socket.timeout()
    except IO_ERRORS as exc:
        tls_sock.close()
        raise tls_failure(exc, f"{host}:{port}", timeout_ms) from None
    return TLSStreamTransport(tls_sock)

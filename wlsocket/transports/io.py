"""The I/O toolkit of the transports: deadlines, waiting, draining, locks
with a deadline, and the one place that maps OS and TLS exceptions to the
WLangage error codes.

Every transport waits, drains and translates errors through this module;
none calls ``select.poll()`` or rounds a timeout to milliseconds itself.

* :class:`Deadline`: a moment on the monotonic clock, or never.
* :func:`wait_readable` / :func:`wait_writable` / :func:`wait_ready`: one
  wait on a socket that counts the bytes a TLS layer decrypted and nobody
  read yet (``SSLSocket.pending()``), which ``poll`` cannot see.
  :class:`Waiter` is the same for a loop that waits on one socket many
  times (its ``poll`` object is made once).
* :class:`IdleParking`: a blocking ``recv`` that has waited
  :data:`~wlsocket.transports.parking.PARK_AFTER_S` for nothing gives up
  (``SO_RCVTIMEO``), so that its reader goes on waiting in the parking lot;
  a busy reader pays nothing for it.
* :func:`drain_until_eof`: read and discard until the peer ends the stream.
* :class:`locked`: ``with locked(lock, deadline) as held:``.
* :func:`in_flight_done`: wait for the I/O in progress before releasing a
  descriptor.
* :data:`IO_ERRORS`, :func:`io_failure`, :func:`address_failure`,
  :func:`closed_failure`, :func:`tls_failure`: what a socket operation
  raises, and the non-fatal :class:`~wlsocket.errors.SocketFailure` each
  exception becomes.
"""

from __future__ import annotations

import contextlib
import math
import select
import selectors
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Protocol

from ..errors import SocketFailure
from . import parking

__all__ = [
    "IO_ERRORS",
    "CLOSE_GRACE_S",
    "Deadline",
    "NEVER",
    "poll_ms",
    "tls_buffered",
    "wait_readable",
    "wait_writable",
    "wait_ready",
    "Waiter",
    "IdleParking",
    "drain_until_eof",
    "locked",
    "in_flight_done",
    "os_reason",
    "closed_failure",
    "io_failure",
    "address_failure",
    "ADDRESS_ERRORS",
    "tls_failure",
    "POLL_IN",
    "POLL_OUT",
    "POLL_BROKEN",
    "Poller",
    "SelectorPoller",
    "poller",
]

#: What a socket operation raises: ``OSError`` (``ssl.SSLError`` and
#: ``socket.timeout`` included), and ``ValueError`` from a socket closed
#: under the caller (descriptor -1) or a closed ``SSLSocket``.
IO_ERRORS = (OSError, ValueError)

#: How long closing waits for a read, write or handshake in progress to
#: leave the socket before releasing its descriptor anyway.
CLOSE_GRACE_S = 2.0

_READ = select.POLLIN
_WRITE = select.POLLOUT
#: Receive size of drain_until_eof (under glibc's mmap threshold, see tcp.py).
_DRAIN_SIZE = 64 * 1024


# --- deadlines ------------------------------------------------------------------------------


class Deadline:
    """A moment on ``time.monotonic()``'s clock (``at``), or never (``at`` None).

    Made once when an operation starts, so that every wait inside it
    (a lock, then the socket, then the socket again) shares one budget.
    """

    __slots__ = ("at",)

    def __init__(self, at: float | None) -> None:
        self.at = at

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """``seconds`` from now (a negative value: now); None: never."""
        return cls(None if seconds is None else time.monotonic() + max(0.0, seconds))

    @classmethod
    def after_ms(cls, milliseconds: int | None) -> Deadline:
        """``milliseconds`` from now (WLangage timeouts are in ms); None: never."""
        if milliseconds is None:
            return cls(None)
        # no max(): this runs on every timed SocketLit, and the builtin call costs
        return cls(time.monotonic() + (milliseconds if milliseconds > 0 else 0) / 1000)

    def remaining(self) -> float | None:
        """Seconds left, never negative; None when there is no deadline."""
        at = self.at
        if at is None:
            return None
        left = at - time.monotonic()
        return left if left > 0 else 0.0

    def remaining_ms(self) -> int | None:
        """:meth:`remaining` in whole milliseconds, rounded up (a WLangage
        timeout passed on to the next call); None when there is no deadline."""
        return poll_ms(self.remaining())

    def expired(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def earliest(self, other: Deadline) -> Deadline:
        """The sooner of the two (never only if both are never)."""
        if other.at is None:
            return self
        if self.at is None or other.at < self.at:
            return other
        return self

    def __repr__(self) -> str:
        return "Deadline(never)" if self.at is None else f"Deadline(in {self.at - time.monotonic():.3f} s)"


#: The deadline of a wait without a timeout.
NEVER = Deadline(None)


def poll_ms(timeout_s: float | None) -> int | None:
    """A timeout for ``poll()``: milliseconds rounded up (a wait never ends
    before its time), 0 for a past one, None (forever) for None."""
    if timeout_s is None:
        return None
    return math.ceil(timeout_s * 1000) if timeout_s > 0 else 0


# --- waiting on a socket --------------------------------------------------------------------


def tls_buffered(sock: socket.socket) -> bool:
    """True when a TLS layer holds bytes it decrypted and nobody read yet
    (``poll`` cannot see them); always False for a plain socket."""
    if type(sock) is socket.socket or not isinstance(sock, ssl.SSLSocket):
        return False
    try:
        return sock.pending() > 0
    except IO_ERRORS:
        return True  # let the read report what happened


def _flags(poller: select.poll, timeout_s: float | None) -> int:
    """The events ``poll`` found, or POLLIN|POLLOUT when ``poll`` itself failed
    (a socket closed under us): the next operation reports what happened."""
    try:
        found = poller.poll(poll_ms(timeout_s))
    except IO_ERRORS:
        return _READ | _WRITE
    return found[0][1] if found else 0


def _poll_once(sock: socket.socket, events: int, timeout_s: float | None) -> int:
    """One wait for ``events`` on ``sock``: the events found (see :func:`_flags`)."""
    poller = select.poll()
    try:
        poller.register(sock, events)
    except IO_ERRORS:
        return _READ | _WRITE
    return _flags(poller, timeout_s)


def wait_ready(sock: socket.socket, timeout_s: float | None, write: bool = False) -> tuple[bool, bool]:
    """(readable, writable) within ``timeout_s`` seconds (None: forever).

    Readable means a read will not block: data, TLS bytes already decrypted,
    the end of the stream or an error (the read then reports it).  Writable
    is only asked when ``write`` is true.  When TLS holds decrypted bytes
    the answer is (True, False) at once, without asking the system: read
    them first.
    """
    if tls_buffered(sock):
        return True, False
    flags = _poll_once(sock, _READ | (_WRITE if write else 0), timeout_s)
    return bool(flags & ~_WRITE), bool(flags & _WRITE) and write


def wait_readable(sock: socket.socket, timeout_s: float | None) -> bool:
    """True when a read on ``sock`` will not block (see :func:`wait_ready`)
    within ``timeout_s`` seconds (None: forever); False on timeout."""
    # wait_ready without its tuple: this one is on every timed SocketLit
    if type(sock) is not socket.socket and tls_buffered(sock):
        return True
    return bool(_poll_once(sock, _READ, timeout_s))


def wait_writable(sock: socket.socket, timeout_s: float | None) -> bool:
    """True when a write on ``sock`` will not block (or will fail at once:
    an error or a hang-up counts) within ``timeout_s``; False on timeout."""
    return bool(_poll_once(sock, _WRITE, timeout_s))


class Waiter:
    """:func:`wait_readable` and :func:`wait_writable` for one socket waited
    on again and again (an I/O loop): the ``poll`` object is made once.

    With ``park``, a wait for reading that lasts past
    :data:`~wlsocket.transports.parking.PARK_AFTER_S` goes on in the
    parking lot (see :mod:`~wlsocket.transports.parking`: thousands of idle
    readers woken at once must not all want the GIL at once); whoever
    closes the socket then calls :meth:`unpark` first.

    Use it only while the socket is open: after ``close()`` its descriptor
    number may name another socket.
    """

    __slots__ = ("_sock", "_poller", "_events", "_park_fd")

    def __init__(self, sock: socket.socket, park: bool = False) -> None:
        self._sock = sock
        self._poller: select.poll | None = None
        self._events = 0
        self._park_fd = sock.fileno() if park and parking.AVAILABLE else -1

    def _wait(self, events: int, timeout_s: float | None) -> int:
        poller = self._poller
        try:
            if poller is None:
                poller = self._poller = select.poll()
                poller.register(self._sock, events)
            elif events != self._events:
                poller.modify(self._sock, events)
        except IO_ERRORS:
            return _READ | _WRITE
        self._events = events
        return _flags(poller, timeout_s)

    def _wait_readable(self, timeout_s: float | None) -> bool:
        if self._park_fd < 0 or (timeout_s is not None and timeout_s <= parking.PARK_AFTER_S):
            return bool(self._wait(_READ, timeout_s))
        started = time.monotonic()
        if self._wait(_READ, parking.PARK_AFTER_S):
            return True
        left = None if timeout_s is None else max(0.0, timeout_s - (time.monotonic() - started))
        try:
            return parking.park(self._park_fd, left)
        except (OSError, RuntimeError):  # no lot to be had (descriptors or threads used up): wait here
            self._park_fd = -1
            return bool(self._wait(_READ, left))

    def readable(self, timeout_s: float | None) -> bool:
        return tls_buffered(self._sock) or self._wait_readable(timeout_s)

    def writable(self, timeout_s: float | None) -> bool:
        return bool(self._wait(_WRITE, timeout_s))

    def ready(self, timeout_s: float | None, write: bool = False) -> tuple[bool, bool]:
        """As :func:`wait_ready`."""
        if tls_buffered(self._sock):
            return True, False
        if not write:
            return self._wait_readable(timeout_s), False
        flags = self._wait(_READ | _WRITE, timeout_s)
        return bool(flags & ~_WRITE), bool(flags & _WRITE)

    def unpark(self) -> None:
        """Release this socket's reader from the parking lot (before closing it)."""
        if self._park_fd >= 0:
            parking.unpark(self._park_fd)


class IdleParking:
    """Parking for a reader that blocks in ``recv`` itself (no wait first).

    The socket's receive timeout (``SO_RCVTIMEO``) is set to
    :data:`~wlsocket.transports.parking.PARK_AFTER_S`: a blocking ``recv``
    with nothing to read for that long raises ``BlockingIOError``, and the
    reader then calls :meth:`park`, which returns once the socket is
    readable (or :meth:`unpark` ran).  The busy path stays one system call
    per read, with no ``poll`` before it.  Only a plain socket on Linux
    (:data:`~wlsocket.transports.parking.AVAILABLE`): a TLS socket would
    see the timeout as an error of its own; elsewhere :attr:`active` is
    False and nothing changes.  The socket's Python timeout stays None.
    """

    __slots__ = ("_fd", "_sock")

    # struct timeval; a platform whose timeval differs refuses it, and then
    # its readers simply do not park (setsockopt fails, ``active`` is False).
    _TIMEVAL = struct.pack("@ll", *divmod(int(parking.PARK_AFTER_S * 1_000_000), 1_000_000))
    _NO_TIMEVAL = struct.pack("@ll", 0, 0)

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._fd = -1
        if parking.AVAILABLE and type(sock) is socket.socket:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, self._TIMEVAL)
                self._fd = sock.fileno()
            except IO_ERRORS:
                pass

    @property
    def active(self) -> bool:
        return self._fd >= 0

    def park(self) -> None:
        """Wait in the parking lot until the socket is readable; when no lot
        can be made (descriptors or threads used up), go back to endless
        blocking reads instead (:meth:`stop`): the caller reads again."""
        if self._fd >= 0:
            try:
                parking.park(self._fd, None)
            except (OSError, RuntimeError):
                self.stop()

    def unpark(self) -> None:
        """Release a parked reader (call it after ``shutdown``, before ``close``)."""
        if self._fd >= 0:
            parking.unpark(self._fd)

    def stop(self) -> None:
        """Give the socket back its endless blocking reads (it goes to another transport)."""
        if self._fd >= 0:
            self._fd = -1
            with contextlib.suppress(*IO_ERRORS):
                self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, self._NO_TIMEVAL)


def drain_until_eof(sock: socket.socket, deadline: Deadline) -> bool:
    """Read and discard until the peer ends the stream (True), or until
    ``deadline`` or an error (False).  Closing after it never resets a
    connection whose last bytes are still unread by us."""
    waiter = Waiter(sock)
    while True:
        remaining = deadline.remaining()
        if remaining == 0.0 or not waiter.readable(remaining):
            return False
        try:
            if not sock.recv(_DRAIN_SIZE):
                return True
        except IO_ERRORS:
            return False


# --- locks ----------------------------------------------------------------------------------


class locked:  # noqa: N801 - a context manager, named as one reads it: "with locked(...)"
    """``with locked(lock, deadline) as held:`` holds ``lock`` if it could be
    taken before ``deadline`` (``held`` True) and releases it on leaving;
    ``held`` False means the time ran out and the lock is not held.

    A class, not a generator: it sits on every timed SocketLit.
    """

    __slots__ = ("_lock", "_deadline", "_held")

    def __init__(self, lock: threading.Lock, deadline: Deadline = NEVER) -> None:
        self._lock = lock
        self._deadline = deadline
        self._held = False

    def __enter__(self) -> bool:
        remaining = self._deadline.remaining()
        self._held = self._lock.acquire(timeout=-1 if remaining is None else remaining)
        return self._held

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._held:
            self._held = False
            self._lock.release()


@contextmanager
def in_flight_done(*locks: threading.Lock) -> Iterator[None]:
    """Hold ``locks`` once the I/O holding them has left (each waited for at
    most :data:`CLOSE_GRACE_S`; the socket was shut down first, so it leaves
    at once).  Closing a descriptor under a thread still using it would let
    the number be reused by another socket under that thread."""
    got = [lock.acquire(timeout=CLOSE_GRACE_S) for lock in locks]
    try:
        yield
    finally:
        for lock, held in zip(reversed(locks), reversed(got), strict=True):
            if held:
                lock.release()


# --- exceptions -> WLangage error codes -----------------------------------------------------


def os_reason(exc: BaseException) -> str:
    """The words of an OS error for ErreurInfo ("Connection refused")."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def closed_failure(detail: str = "SocketFerme") -> SocketFailure:
    """SOCKET_FERMEE: this socket was closed (by SocketFerme, or ``detail``)."""
    return SocketFailure("SOCKET_FERMEE", detail)


def io_failure(code: str, exc: BaseException, closed: bool = False, where: str = "") -> SocketFailure:
    """The non-fatal error for ``exc``, raised by a read, write, accept...

    ``closed`` (SocketFerme ran meanwhile, so the exception is only its
    consequence) gives SOCKET_FERMEE; otherwise ``code``
    (ECHEC_LECTURE_SOCKET, ECHEC_ECRITURE_SOCKET...) with the system's words,
    after ``where`` ("host:port") when given.
    """
    if closed:
        return closed_failure()
    reason = os_reason(exc)
    return SocketFailure(code, f"{where}: {reason}" if where else reason)


def address_failure(host: str, exc: BaseException) -> SocketFailure:
    """SOCKET_ADRESSE_INCONNUE: ``host`` did not resolve (``socket.gaierror``;
    ``UnicodeError`` when IDNA refuses it as a name, "a..b" or a label over 63)."""
    return SocketFailure("SOCKET_ADRESSE_INCONNUE", f"{host} ({os_reason(exc)})")


#: Errors while resolving a host name (see :func:`address_failure`).
ADDRESS_ERRORS = (socket.gaierror, UnicodeError)

# OpenSSL verification codes of an untrusted chain.
_UNTRUSTED = {2, 18, 19, 20, 21, 27}
_NOT_TLS = {"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "HTTPS_PROXY_REQUEST", "PACKET_LENGTH_TOO_LONG",
            "RECORD_LENGTH_MISMATCH", "UNKNOWN_PROTOCOL"}
_VERSION_REFUSED = {"UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION", "NO_PROTOCOLS_AVAILABLE",
                    "VERSION_TOO_LOW", "VERSION_TOO_HIGH", "TLSV1_ALERT_INAPPROPRIATE_FALLBACK"}
_CERTIFICATE_REJECTED = {"TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE", "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
                         "SSLV3_ALERT_CERTIFICATE_EXPIRED", "SSLV3_ALERT_CERTIFICATE_REVOKED",
                         "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE", "TLSV1_ALERT_ACCESS_DENIED",
                         "TLSV1_ALERT_DECRYPT_ERROR"}
_HANDSHAKE_REFUSED = {"SSLV3_ALERT_HANDSHAKE_FAILURE", "NO_SHARED_CIPHER"}


def _verification_reason(exc: ssl.SSLCertVerificationError) -> str:
    code = exc.verify_code
    detail = (exc.verify_message or "").rstrip(".")
    if code == 10:
        return "the peer's certificate has expired"
    if code == 9:
        return "the peer's certificate is not valid yet"
    if code in _UNTRUSTED:
        return (f"the peer's certificate is not trusted ({detail}); "
                "trust its authority with ca_file=..., or verify=False for tests")
    if code in (62, 64):  # host name, IP address
        return f"host name mismatch: {detail}"
    return f"the peer's certificate was refused ({detail})"


def tls_failure(exc: BaseException, peer: str, timeout_ms: int | None = None) -> SocketFailure:
    """A clear, non-fatal error for what went wrong in a TLS handshake with
    ``peer`` (CERTIFICAT_INVALIDE or ECHEC_SSL, naming the cause)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SocketFailure("CERTIFICAT_INVALIDE", _verification_reason(exc))
    if isinstance(exc, TimeoutError):
        return SocketFailure("ECHEC_SSL", f"no TLS handshake with {peer} within {timeout_ms} ms (is it a TLS peer?)")
    if isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return SocketFailure(
            "ECHEC_SSL", f"{peer} closed the connection during the TLS handshake (not a TLS peer, or it refused us)"
        )
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or ""
        if reason in _NOT_TLS:
            return SocketFailure("ECHEC_SSL", f"{peer} does not speak TLS (plain TCP?) [{reason}]")
        if reason in _VERSION_REFUSED:
            return SocketFailure("ECHEC_SSL", f"{peer} and this socket have no TLS version in common [{reason}]")
        if reason == "PEER_DID_NOT_RETURN_A_CERTIFICATE":
            return SocketFailure("CERTIFICAT_INVALIDE", f"{peer} showed no certificate, and this server requires one")
        if reason == "TLSV13_ALERT_CERTIFICATE_REQUIRED":
            return SocketFailure("CERTIFICAT_INVALIDE", f"{peer} requires a client certificate [{reason}]")
        if reason in _CERTIFICATE_REJECTED:
            return SocketFailure("CERTIFICAT_INVALIDE", f"{peer} rejected the certificate we showed [{reason}]")
        if reason in _HANDSHAKE_REFUSED:
            return SocketFailure(
                "ECHEC_SSL", f"{peer} refused the handshake (it may require a client certificate) [{reason}]"
            )
        return SocketFailure("ECHEC_SSL", f"{peer}: {reason or exc}")
    if isinstance(exc, ConnectionError):
        return SocketFailure("ECHEC_SSL", f"{peer} dropped the connection during the TLS handshake")
    return SocketFailure("ECHEC_SSL", f"{peer}: {os_reason(exc)}")


# --- several sockets at once ---------------------------------------------------

POLL_IN = getattr(select, "POLLIN", 1)
POLL_OUT = getattr(select, "POLLOUT", 4)
#: Reported whatever was asked: the next recv or send says what happened.
POLL_BROKEN = getattr(select, "POLLHUP", 16) | getattr(select, "POLLERR", 8)


class Poller(Protocol):
    """What :func:`poller` gives: ``select.poll``'s calls, masks of POLL_IN / POLL_OUT."""

    def register(self, fd: int, eventmask: int) -> None: ...

    def modify(self, fd: int, eventmask: int) -> None: ...

    def unregister(self, fd: int) -> None: ...

    def poll(self, timeout: float | None = None) -> list[tuple[int, int]]: ...


class SelectorPoller:
    """``select.poll``'s calls over :mod:`selectors`, where poll is missing."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()

    @staticmethod
    def _events(mask: int) -> int:
        return (selectors.EVENT_READ if mask & POLL_IN else 0) | (selectors.EVENT_WRITE if mask & POLL_OUT else 0)

    def register(self, fd: int, eventmask: int) -> None:
        self._selector.register(fd, self._events(eventmask))

    def modify(self, fd: int, eventmask: int) -> None:
        self._selector.modify(fd, self._events(eventmask))

    def unregister(self, fd: int) -> None:
        self._selector.unregister(fd)

    def poll(self, timeout: float | None = None) -> list[tuple[int, int]]:
        seconds = None if timeout is None else timeout / 1000
        found = []
        for key, ready in self._selector.select(seconds):
            mask = (POLL_IN if ready & selectors.EVENT_READ else 0) | (POLL_OUT if ready & selectors.EVENT_WRITE else 0)
            found.append((key.fd, mask))
        return found

    def close(self) -> None:
        self._selector.close()


def poller() -> contextlib.AbstractContextManager[Poller]:
    """A poll object for several sockets (an I/O loop over both legs of a relay)."""
    if hasattr(select, "poll"):
        return contextlib.nullcontext(select.poll())
    return contextlib.closing(SelectorPoller())

"""TCP: a connected stream (client or accepted channel) and a listener.

The stream owns one socket, a read lock and a write lock (a reader never
blocks a writer), and a decoder of its transmission mode.  The socket stays
in blocking mode; a read with a timeout first polls, so the timeout covers
the whole message, not each piece.  Closing from another thread shuts the
socket down first, which wakes any thread blocked in it, then waits for
those threads to leave before the descriptor is released (so its number
cannot be reused under them).  A blocking read that waits long for
nothing goes on in the parking lot (``io.IdleParking``): thousands of idle
channels whose peers vanish at once do not all want the GIL at once.
"""

from __future__ import annotations

import socket
import threading

from .. import codecs
from ..errors import MessageWithError, SocketFailure, raise_error
from ..values import to_bytes
from .base import SOCKET_ADDRESS, ChannelUpgrade, Message, Payload, SocketTransport, Transport
from .io import (
    ADDRESS_ERRORS,
    IO_ERRORS,
    Deadline,
    IdleParking,
    address_failure,
    closed_failure,
    os_reason,
    tls_buffered,
    wait_readable,
)

__all__ = ["StreamTransport", "ListenerTransport", "bind_socket", "open_listener", "open_connection"]

# A 64 KiB payload and its size line in one recv (64 KiB exactly took two
# reads and a join: 0.87 -> 1.0 of the str reference, docs/benchmarks.md),
# and still under glibc's mmap threshold: recv() buffers come from the heap,
# not from a fresh mapping (a 256 KiB one cost ~10 us per small read).
_RECV_SIZE = 68 * 1024
_MAX_RECV_SIZE = 4 * 1024 * 1024
#: Payloads above this are sent after their header, not copied behind it.
_SPLIT_WRITE = 16 * 1024


def _peer(sock: socket.socket) -> tuple[str, str]:
    try:
        host, port = sock.getpeername()[:2]
        return str(host), str(port)
    except OSError:
        return "0", ""


class StreamTransport(SocketTransport):
    """A connected TCP (or TLS) socket framed by a WINDEV transmission mode.
    An idle blocking read parks (``io.IdleParking``: plain sockets, Linux)."""

    def __init__(
        self,
        sock: socket.socket,
        mode: int = codecs.SIZE_PREFIX,
        marker: bytes = codecs.DEFAULT_MARKER,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        super().__init__(sock)
        self.mode = mode
        self.marker = marker
        self._decoder = codecs.make_decoder(mode, marker, max_size, text=True)  # ASCII lines decoded whole
        self._eof = False
        self._framing_failed = False
        self._peer = _peer(sock)
        self._parking = IdleParking(sock)

    # -- reading ---------------------------------------------------------------

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        decoder = self._decoder
        ready = decoder.ready
        if ready is not None:
            # A message split ahead (SocketMarqueurFinBuffer) is taken without
            # the lock, which would cost more than the rest of the call:
            # next() of the decoder's iterator is one C call, so two threads
            # never get the same one, and a mode change (under the lock)
            # keeps exactly those not taken (codecs._Buffered.ready).
            taken = next(ready, None)
            if taken is not None:
                if len(taken) <= decoder.max_size and not self._closed:
                    return taken
                self._give_back(taken, decoder, wait, timeout_ms)  # the general path reports it
        # acquire/release rather than "with" or io.locked(): half the cost
        # (measured: locked() added 0.5 us to a 14 us timed SocketLit)
        lock = self._read_lock
        if wait:
            lock.acquire()
            try:
                return self._read_locked(self._decoder, None, max_bytes)
            finally:
                lock.release()
        deadline = Deadline.after_ms(timeout_ms)  # waiting for the lock counts too
        if not lock.acquire(timeout=max(0, timeout_ms) / 1000):
            return None
        try:
            return self._read_locked(self._decoder, deadline, max_bytes)
        finally:
            lock.release()

    def _give_back(self, taken: bytes | str, decoder: codecs.Decoder, wait: bool, timeout_ms: int) -> None:
        """Put back, under the lock, a message taken without it that cannot
        be returned (over a limit lowered since it was split, or the socket
        closed): the general path then gives the error it always gave.
        When the lock is not had in time (another thread holds it, waiting
        for bytes) or the mode changed meanwhile, the error is given here,
        and the message dropped with the connection."""
        lock = self._read_lock
        if lock.acquire(True, -1 if wait else max(0, timeout_ms) / 1000):
            try:
                if self._decoder is decoder:
                    decoder.unread(taken)
                    return
            finally:
                lock.release()
        if self._closed:
            raise closed_failure()
        self._framing_failed = True
        self._abort()
        raise SocketFailure("MESSAGE_TROP_GRAND", f"{len(taken)} > {decoder.max_size} bytes")

    def _read_locked(self, decoder: codecs.Decoder, deadline: Deadline | None, max_bytes: int) -> Message | None:
        while True:
            if self._closed:  # inline, not _check_open(): once per piece received
                raise closed_failure()
            try:
                message = decoder.next_message(max_bytes)
            except codecs.FramingError as exc:
                # Reported once; the stream cannot be resynchronised, so the
                # reads after it find the connection closed, as at the end.
                if self._framing_failed:
                    raise closed_failure("dropped after an invalid message") from None
                self._framing_failed = True
                self._abort()
                raise SocketFailure(exc.code, exc.detail) from None
            if message is not None:
                if decoder.dropped:
                    raise MessageWithError(message, "SOCKET_LIT_MARQUEUR_FIN", f"{decoder.dropped} bytes")
                return message
            if self._eof:
                if decoder.in_message():
                    raise closed_failure(
                        f"the peer closed in the middle of a message, {decoder.buffered()} bytes incomplete"
                    )
                raise closed_failure("closed by the peer")
            if deadline is not None:
                remaining = deadline.remaining()
                # Time up: only bytes already here (decrypted by TLS) are read.
                if (remaining == 0.0 and not tls_buffered(self._sock)) or not wait_readable(self._sock, remaining):
                    return None
            wanted = decoder.bytes_wanted()
            view = decoder.receive_view() if wanted else None  # a large message is received in place
            try:
                if view is None:
                    chunk = self._sock.recv(_RECV_SIZE if wanted <= _RECV_SIZE else min(wanted, _MAX_RECV_SIZE))
                else:
                    with view:
                        count = self._sock.recv_into(view)
            except BlockingIOError:  # IdleParking's receive timeout: nothing came for a while
                if deadline is None:
                    self._parking.park()
                continue
            except IO_ERRORS as exc:
                self._eof = True
                raise self._io_failure("ECHEC_LECTURE_SOCKET", exc) from None
            if view is not None:
                if count:
                    decoder.received(count)
                else:
                    self._eof = True
            elif chunk:
                message = decoder.message_in(chunk)  # a whole frame in one recv skips the buffer
                if message is not None and not self._closed:
                    return message
            else:
                self._eof = True

    # -- writing ---------------------------------------------------------------

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        if address is not None or port is not None:
            raise_error("PARAMETRE_INVALIDE", "address and port are for UDP sockets")
        mode = self.mode
        if payload.__class__ is str and mode == codecs.SIZE_PREFIX and len(payload) <= _SPLIT_WRITE:
            text: str = payload
            if text.isascii():  # the same bytes in both string encodings: one format, one encode
                self._send(f"{len(text)}\r\n{text}".encode())
                return
        data = payload if isinstance(payload, bytes) else to_bytes(payload)  # a Buffer is sent as is
        parts: tuple[bytes, ...]
        if len(data) > _SPLIT_WRITE and mode != codecs.NO_END_TAG:
            parts = (b"%d\r\n" % len(data), data) if mode == codecs.SIZE_PREFIX else (data, self.marker)
        elif mode == codecs.SIZE_PREFIX:  # codecs.frame() inlined for the default mode
            parts = (b"%d\r\n%b" % (len(data), data),)
        else:
            parts = (codecs.frame(mode, data, self.marker),)
        if len(parts) == 1:
            self._send(parts[0])
            return
        with self._write_lock:
            if self._closed:
                raise closed_failure()
            try:
                self._send_parts(parts)
            except IO_ERRORS as exc:
                raise self._io_failure("ECHEC_ECRITURE_SOCKET", exc) from None

    def _send(self, frame: bytes) -> None:
        """One frame, under the write lock (acquire/release: half the cost of ``with``)."""
        lock = self._write_lock
        lock.acquire()
        try:
            if self._closed:
                raise closed_failure()
            self._sock.sendall(frame)
        except IO_ERRORS as exc:
            raise self._io_failure("ECHEC_ECRITURE_SOCKET", exc) from None
        finally:
            lock.release()

    def _send_parts(self, parts: tuple[bytes, ...]) -> None:
        """Header and payload in one system call, without joining them."""
        sock = self._sock
        if type(sock) is not socket.socket:  # an SSLSocket has no sendmsg
            for part in parts:
                sock.sendall(part)
            return
        sent = sock.sendmsg(parts)
        for part in parts:  # a blocking socket rarely sends less: finish by hand
            if sent >= len(part):
                sent -= len(part)
                continue
            sock.sendall(memoryview(part)[sent:])
            sent = 0

    # -- settings --------------------------------------------------------------

    def set_mode(self, mode: int, marker: bytes | None) -> None:
        """Change the framing; bytes already received but not read are kept."""
        with self._read_lock:
            held = self._decoder.pending()
            self.mode = mode
            self.marker = marker or codecs.DEFAULT_MARKER
            self._decoder = codecs.make_decoder(mode, self.marker, self._decoder.max_size, text=True)
            if held:
                self._decoder.feed(held)

    def set_max_message_size(self, size: int) -> None:
        self._decoder.max_size = size

    @property
    def max_message_size(self) -> int:
        return self._decoder.max_size

    def client_info(self, info_type: int) -> str:
        return self._peer[0] if info_type == SOCKET_ADDRESS else self._peer[1]

    def detach(self) -> tuple[socket.socket, bytes]:
        """Hand the socket and the unread bytes to another transport."""
        with self._read_lock, self._write_lock:
            self._closed = True
            self._parking.stop()
            return self._sock, self._decoder.pending()

    def upgrade_to_websocket(self, upgrade: ChannelUpgrade) -> Transport:
        return upgrade(self)

    # -- closing ---------------------------------------------------------------

    def _shut_down(self) -> None:
        super()._shut_down()
        # The shutdown itself wakes a parked reader (epoll reports it); this
        # covers a shutdown that failed, before the descriptor is closed.
        self._parking.unpark()

    def _abort(self) -> None:
        """Drop the connection after a framing error (the stream is lost)."""
        self._eof = True
        self._shut_down()


class ListenerTransport(SocketTransport):
    """A listening socket: SocketAttendConnexion, SocketAccepte, SocketRefuse.

    Used directly with SocketLit/SocketEcrit it is the WLangage "simplified
    server": the first connection is accepted on the first use and serves
    every later read and write on this name.
    """

    def __init__(
        self,
        sock: socket.socket,
        mode: int = codecs.SIZE_PREFIX,
        marker: bytes = codecs.DEFAULT_MARKER,
        max_size: int = codecs.DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        super().__init__(sock)
        sock.setblocking(False)
        self.mode = mode
        self.marker = marker
        self.max_size = max_size
        self._channel: Transport | None = None
        self._channel_lock = threading.Lock()
        #: Turns each accepted channel into another transport (the SocketWebSocket
        #: mode set on this listener); None keeps channels as accepted.
        self.channel_upgrade: ChannelUpgrade | None = None

    def wait_for_connection(self, timeout_ms: int) -> bool:
        self._check_open()
        ready = wait_readable(self._sock, None if timeout_ms <= 0 else timeout_ms / 1000)
        self._check_open()
        return ready

    def _accept_socket(self) -> socket.socket:
        try:
            conn, _ = self._sock.accept()
        except BlockingIOError:
            raise SocketFailure("AUCUNE_DEMANDE_CONNEXION", self.name) from None
        except IO_ERRORS as exc:
            raise self._io_failure("ECHEC_CONNEXION_SOCKET", exc) from None
        conn.setblocking(True)
        if conn.family in (socket.AF_INET, socket.AF_INET6):
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def wrap_accepted(self, conn: socket.socket) -> Transport:
        """Make the channel transport for an accepted socket (TLS overrides)."""
        return StreamTransport(conn, self.mode, self.marker, self.max_size)

    def accept(self) -> Transport:
        channel = self.wrap_accepted(self._accept_socket())
        upgrade = self.channel_upgrade
        return channel if upgrade is None else upgrade(channel)

    def upgrade_to_websocket(self, upgrade: ChannelUpgrade) -> Transport:
        """Upgrade the channels accepted from now on (and the simplified
        server's channel if it exists already); this listener stays."""
        self.channel_upgrade = upgrade
        if self._channel is not None:
            self._channel = upgrade(self._channel)
        return self

    def deny(self) -> None:
        self._accept_socket().close()

    def set_mode(self, mode: int, marker: bytes | None) -> None:
        self.channel_upgrade = None
        self.mode = mode
        self.marker = marker or codecs.DEFAULT_MARKER
        if self._channel is not None:
            self._channel.set_mode(mode, marker)

    def set_max_message_size(self, size: int) -> None:
        self.max_size = size
        if self._channel is not None:
            self._channel.set_max_message_size(size)

    @property
    def max_message_size(self) -> int:
        return self.max_size

    # -- simplified server -------------------------------------------------------

    def _first_channel(self, timeout_ms: int | None) -> Transport | None:
        with self._channel_lock:
            if self._channel is None:
                if not self.wait_for_connection(0 if timeout_ms is None else max(1, timeout_ms)):
                    return None
                self._channel = self.accept()
                if self._closed:  # SocketFerme ran during the accept and could not see this channel
                    self._channel.close()
                    raise closed_failure()
            return self._channel

    def read(self, wait: bool, timeout_ms: int, max_bytes: int) -> Message | None:
        if wait:
            channel = self._first_channel(None)
            assert channel is not None
            return channel.read(True, timeout_ms, max_bytes)
        deadline = Deadline.after_ms(timeout_ms)
        channel = self._first_channel(timeout_ms)
        if channel is None:
            return None
        # One timeout for the whole call: waiting for the client used part of it.
        return channel.read(False, deadline.remaining_ms() or 0, max_bytes)

    def write(self, payload: Payload, address: str | None = None, port: int | None = None) -> None:
        channel = self._first_channel(None)
        assert channel is not None
        channel.write(payload, address, port)

    def client_info(self, info_type: int) -> str:
        channel = self._channel
        if channel is None:
            return "0" if info_type == SOCKET_ADDRESS else ""
        return channel.client_info(info_type)

    def _in_flight_locks(self) -> tuple[threading.Lock, ...]:
        return ()  # a wait or an accept in progress wakes with SOCKET_FERMEE

    def _shut_down(self) -> None:
        if self._channel is not None:
            self._channel.close()
        super()._shut_down()


def bind_socket(port: int, address: str | None, kind: int) -> socket.socket:
    """A socket of ``kind`` bound to ``address:port`` (every interface by
    default), listening if it is a stream socket."""
    host = address or "0.0.0.0"
    try:
        infos = socket.getaddrinfo(host, port, type=kind, flags=socket.AI_PASSIVE)
    except ADDRESS_ERRORS as exc:
        raise address_failure(host, exc) from None
    family, kind, proto, _, sockaddr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if kind == socket.SOCK_STREAM:
            # As WINDEV does.  Not for UDP: on Linux it would let two sockets
            # share a port and split the datagrams between them.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        if kind == socket.SOCK_STREAM:
            sock.listen(socket.SOMAXCONN)
    except OSError as exc:
        sock.close()
        raise SocketFailure("ECHEC_CREATION_SOCKET", f"{host}:{port}: {os_reason(exc)}") from None
    return sock


def open_listener(port: int, address: str | None) -> socket.socket:
    """A bound, listening TCP socket (SO_REUSEADDR set, as WINDEV does)."""
    return bind_socket(port, address, socket.SOCK_STREAM)


def open_connection(host: str, port: int, timeout_ms: int) -> socket.socket:
    """A connected TCP socket with TCP_NODELAY, in blocking mode."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except ADDRESS_ERRORS as exc:
        raise address_failure(host, exc) from None
    reason = "no address"
    deadline = Deadline.after_ms(max(1, timeout_ms))
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(max(0.001, deadline.remaining() or 0.0))
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            reason = f"{host}:{port} did not answer within {timeout_ms} ms"
            continue
        except OSError as exc:
            sock.close()
            reason = f"{host}:{port}: {os_reason(exc)}"
            continue
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise SocketFailure("ECHEC_CONNEXION_SOCKET", reason)

"""Framing of the four WINDEV transmission modes, without any I/O.

Each mode has an encoder (``frame(payload) -> bytes``) and a decoder object
fed with whatever the network gave (``feed(data)``) that hands back whole
messages (``next_message()`` returns ``None`` until one is complete).  The
transports own the sockets; these classes only count bytes, so they can be
tested and fuzzed alone.

Wire formats (reference section 4):

=========================  ===========================================
mode                       bytes for the payload ``Hello``
=========================  ===========================================
SocketTailleDébut (1)      ``5\\r\\nHello``  (ASCII decimal byte count)
SocketMarqueurFin (0)      ``Hello<EOF>``  (marker, default ``<EOF>``)
SocketMarqueurFinBuffer(2) ``Hello<EOF>``  (leftover kept for next read)
SocketSansMarqueurFin (3)  ``Hello``       (raw: a read returns what came)
=========================  ===========================================

Errors are :class:`FramingError` with a WLangage error code:
``TRAME_INVALIDE`` (a size line that is not a non-negative decimal number),
``MESSAGE_TROP_GRAND`` (above the decoder's ``max_size``; nothing that large
is ever allocated) and, in mode 0 only, ``SOCKET_LIT_MARQUEUR_FIN`` is not
raised but reported through :attr:`EndTagDecoder.dropped`.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import length_hint
from typing import Protocol, cast

__all__ = [
    "END_TAG",
    "SIZE_PREFIX",
    "END_TAG_BUFFER",
    "NO_END_TAG",
    "MODES",
    "DEFAULT_MARKER",
    "DEFAULT_MAX_MESSAGE_SIZE",
    "FramingError",
    "SizePrefixDecoder",
    "EndTagDecoder",
    "RawDecoder",
    "Decoder",
    "frame",
    "make_decoder",
]

END_TAG = 0  # SocketMarqueurFin
SIZE_PREFIX = 1  # SocketTailleDébut (default)
END_TAG_BUFFER = 2  # SocketMarqueurFinBuffer
NO_END_TAG = 3  # SocketSansMarqueurFin
MODES = (END_TAG, SIZE_PREFIX, END_TAG_BUFFER, NO_END_TAG)

DEFAULT_MARKER = b"<EOF>"
#: Largest message a decoder accepts unless told otherwise (64 MiB).
DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024
# Longest size line we wait for: 20 digits already exceeds any real size.
_MAX_SIZE_LINE = 24
_COMPACT_AT = 64 * 1024
_COPY_ONCE_AT = 2048
# A size-prefixed payload still missing this much is received in place, in
# a buffer of its announced size.  Up to _GATHER_MAX only: a peer that just
# announces a size makes us allocate no more than the kernel's own receive
# buffer of one connection may hold (6 MiB by default on Linux).
_GATHER_AT = 16 * 1024
_GATHER_MAX = 4 * 1024 * 1024
# From this size a text decoder decodes a whole ASCII frame from its chunk;
# below it there is little copy to save (the facade decodes small ones).
_TEXT_AT = 2048


class FramingError(Exception):
    """The peer sent bytes that this mode cannot decode."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(code, detail)


class _Buffered:
    """A byte buffer read from the front without moving memory each time."""

    #: Bytes dropped after the last message (mode 0 only; always 0 elsewhere).
    dropped = 0

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._buf = bytearray()
        self._pos = 0
        #: Messages split ahead, in order (SocketMarqueurFinBuffer; always
        #: None elsewhere): an iterator, so that taking one is the single C
        #: call ``next(ready, None)`` and two threads never get the same
        #: message.  A reader may take one itself, even without its lock,
        #: when it is within ``max_size`` (else :meth:`unread` it): that is
        #: what ``next_message`` would answer.  :meth:`pending` takes the
        #: rest in one ``list()`` call, so a message is either taken by such
        #: a reader or kept, never both.
        self.ready: Iterator[bytes | str] | None = None

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        if self._pos and self._pos >= len(self._buf) >> 1 and self._pos >= _COMPACT_AT:
            del self._buf[: self._pos]
            self._pos = 0
        self._buf += data

    def _take(self, end: int, skip: int = 0) -> bytes:
        """Bytes from the read position to ``end``; then skip ``skip`` more."""
        if end - self._pos < _COPY_ONCE_AT:
            data = bytes(self._buf[self._pos : end])
        else:  # a bytearray slice would be a second copy
            with memoryview(self._buf) as view:
                data = bytes(view[self._pos : end])
        self._pos = end + skip
        if self._pos == len(self._buf):
            self._buf.clear()
            self._pos = 0
        return data

    def buffered(self) -> int:
        """How many bytes are held, not yet returned."""
        return len(self._buf) - self._pos

    def message_in(self, chunk: bytes) -> bytes | bytearray | str | None:
        """Feed ``chunk``; a decoder that can tell at once returns the
        message it completes (None: call ``next_message``)."""
        self.feed(chunk)
        return None

    def receive_view(self) -> memoryview | None:
        """Where received bytes may be written directly; None: use :meth:`feed`."""
        return None

    def received(self, count: int) -> None:
        """``count`` bytes were written into :meth:`receive_view` (never
        called for a decoder whose view is always None)."""
        raise NotImplementedError

    def unread(self, message: bytes | str) -> None:
        """Give back a message taken from :attr:`ready` (never called for a
        decoder whose ``ready`` is always None)."""
        raise NotImplementedError

    def pending(self) -> bytes:
        """Everything held; the decoder is left empty (used on a mode change)."""
        data = bytes(self._buf[self._pos :])
        self._buf.clear()
        self._pos = 0
        return data


class SizePrefixDecoder(_Buffered):
    """SocketTailleDébut: ``<decimal byte count>\\r\\n<payload>``.

    A bare ``\\n`` ends the size line too (the WINDEV runtime reads a text
    line and drops a trailing CR).  Spaces around the number are allowed.

    A large payload still missing (16 KiB or more, up to 4 MiB) is received
    straight into a ``bytearray`` of its size (:meth:`receive_view` /
    :meth:`received`), which is then the message: no copy in between.  A
    payload of 2 KiB or more that a chunk begins is kept as that chunk
    itself: when a little more completes it, the chunks are joined once
    whole (one copy, where the buffer took two or three: in, grown, out);
    when much is missing, the chunk's part goes straight to the start of
    the payload's own buffer (one copy, not two: no byte buffer between).

    With ``text=True``, a whole frame of 2 KiB or more that one chunk holds,
    ASCII, comes out of :meth:`message_in` as a ``str`` decoded from the
    chunk itself (the same chaîne in both string encodings), saving the
    copy of its payload that a ``bytes`` slice would make.
    """

    def __init__(self, max_size: int = DEFAULT_MAX_MESSAGE_SIZE, text: bool = False) -> None:
        super().__init__(max_size)
        self._text = text
        self._size: int | None = None
        self._payload_start = 0
        self._gather: bytearray | None = None  # the large payload being received
        self._gathered = 0
        # A frame kept as received (size line included, _head bytes of it),
        # _pieced bytes so far, of a payload of _announced bytes; _size is set
        # (the size line read) by next_message, as for a buffered frame.
        self._pieces: list[bytes | memoryview] | None = None
        self._pieced = self._head = self._announced = 0

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        if self._gather is not None:
            count = min(len(data), len(self._gather) - self._gathered)
            self._gather[self._gathered : self._gathered + count] = data[:count]
            self._gathered += count
            data = data[count:]
            if not data:
                return
        elif self._pieces is not None:
            missing = self._announced + self._head - self._pieced
            if missing:
                piece = data if len(data) <= missing and data.__class__ is bytes else bytes(data[:missing])
                self._pieces.append(piece)
                self._pieced += len(piece)
                data = data[len(piece) :]
                if not data:
                    return
        super().feed(data)

    def message_in(self, chunk: bytes) -> bytes | bytearray | str | None:
        """``feed(chunk)`` then ``next_message()``, for the common case in one
        step: when nothing is held and ``chunk`` is exactly one whole frame,
        its payload is returned without passing through the buffer (a chunk
        that begins a large one is kept as is, see the class).  Any other
        chunk is fed, and None returned (call :meth:`next_message`)."""
        if self._pieces is not None:
            self.feed(chunk)
            whole = self._size is not None and self._pieced == self._head + self._size
            return self.next_message() if whole else None
        if not self._buf and self._gather is None and self._size is None:
            nl = chunk.find(b"\n", 0, _MAX_SIZE_LINE)
            if nl > 0:
                line = chunk[:nl].strip()
                if line.isdigit():
                    start = nl + 1
                    size = int(line)
                    end = start + size
                    if size <= self.max_size:
                        if end == len(chunk):
                            if self._text and size >= _TEXT_AT:
                                try:  # decoded from the chunk itself: no copy of the payload first
                                    return str(memoryview(chunk)[start:], "ascii")
                                except UnicodeDecodeError:
                                    pass
                            return chunk[start:]
                        missing = end - len(chunk)
                        if (
                            missing > 0
                            and size >= _COPY_ONCE_AT
                            and (missing < _GATHER_AT or size <= _GATHER_MAX)
                            and chunk.__class__ is bytes
                        ):
                            self._pieces, self._pieced = [memoryview(chunk)], len(chunk)
                            self._head, self._announced = start, size
                            return None
        self.feed(chunk)
        return None

    def receive_view(self) -> memoryview | None:
        """Where the next received bytes may go directly (None: use feed)."""
        if self._gather is None:
            return None
        return memoryview(self._gather)[self._gathered :]

    def received(self, count: int) -> None:
        """``count`` bytes were written into the last :meth:`receive_view`."""
        self._gathered += count

    def next_message(self, max_bytes: int = 0) -> bytes | bytearray | None:
        if self._pieces is not None:
            if self._size is None:  # the size line, read now as from the buffer
                if self._announced > self.max_size:
                    raise FramingError("MESSAGE_TROP_GRAND", f"{self._announced} > {self.max_size} bytes")
                self._size = self._announced
            missing = self._head + self._size - self._pieced
            if missing > 0:
                if missing >= _GATHER_AT and self._size <= _GATHER_MAX:
                    self._gather_pieces()
                return None
            self._pieces[0] = self._pieces[0][self._head :]
            whole = b"".join(self._pieces)
            self._pieces, self._pieced, self._head, self._size = None, 0, 0, None
            return whole
        if self._gather is not None:
            if self._gathered < len(self._gather):
                return None
            message = self._gather
            self._gather, self._gathered, self._size = None, 0, None
            return message
        buf = self._buf
        if not buf:  # nothing held: no message can be whole (a size 0 one never waits)
            return None
        pos = self._pos
        size = self._size
        if size is None:
            nl = buf.find(b"\n", pos, pos + _MAX_SIZE_LINE)
            if nl < 0:
                if len(buf) - pos >= _MAX_SIZE_LINE:
                    raise FramingError("TRAME_INVALIDE", "size line too long")
                return None
            line = buf[pos:nl].strip()
            if not line.isdigit():
                raise FramingError("TRAME_INVALIDE", f"size line {bytes(line[:_MAX_SIZE_LINE])!r}")
            size = int(line)
            if size > self.max_size:
                raise FramingError("MESSAGE_TROP_GRAND", f"{size} > {self.max_size} bytes")
            self._size = size
            self._pos = pos = nl + 1
        end = pos + size
        if len(buf) < end:
            if end - len(buf) >= _GATHER_AT and size <= _GATHER_MAX:
                self._gathered = len(buf) - pos
                self._gather = bytearray(size)
                self._gather[: self._gathered] = memoryview(buf)[pos:]
                buf.clear()
                self._pos = 0
            return None
        self._size = None
        return self._take(end)

    def _gather_pieces(self) -> None:
        """The pieces of a large payload copied to the start of the buffer
        its remaining bytes are then received into (receive_view)."""
        assert self._pieces is not None and self._size is not None
        self._gather = gather = bytearray(self._size)
        self._pieces[0] = self._pieces[0][self._head :]
        at = 0
        for piece in self._pieces:
            gather[at : at + len(piece)] = piece
            at += len(piece)
        self._gathered = at
        self._pieces, self._pieced, self._head = None, 0, 0

    def buffered(self) -> int:
        held = len(self._buf) - self._pos + self._gathered
        if self._pieces is not None:
            held += self._pieced if self._size is None else self._pieced - self._head
        return held

    def pending(self) -> bytes:
        gathered = b"" if self._gather is None else bytes(self._gather[: self._gathered])
        if self._pieces is not None:
            if self._size is not None:
                self._pieces[0] = self._pieces[0][self._head :]
            gathered = b"".join(self._pieces)
        self._gather, self._gathered, self._pieces, self._pieced, self._head = None, 0, None, 0, 0
        return gathered + super().pending()

    def bytes_wanted(self) -> int:
        """How many more bytes the current message needs (0 if unknown)."""
        if self._size is None:
            return 0
        return max(0, self._size - self.buffered())

    def in_message(self) -> bool:
        return self._size is not None or self.buffered() > 0


class EndTagDecoder(_Buffered):
    """SocketMarqueurFin (``keep_leftover=False``) and SocketMarqueurFinBuffer.

    The message is everything before ``marker``; the marker is removed.
    With ``keep_leftover=False`` (mode 0) the bytes held after a marker are
    dropped, as the WINDEV runtime does, and :attr:`dropped` tells how many,
    so the caller can report ``SOCKET_LIT_MARQUEUR_FIN``.

    With ``keep_leftover=True``, when a read holds several messages they are
    split in one pass (``bytes.split`` runs in C) and handed out one by one
    through an iterator over that list (:attr:`ready`).
    With ``text=True`` too, an ASCII stretch so split is decoded whole first
    and its messages come out as ``str`` (ASCII: one character per byte, the
    same chaîne in every string encoding of :mod:`wlsocket.values`): one
    ``decode`` per chunk instead of one per message.
    """

    def __init__(
        self,
        marker: bytes = DEFAULT_MARKER,
        keep_leftover: bool = True,
        max_size: int = DEFAULT_MAX_MESSAGE_SIZE,
        text: bool = False,
    ) -> None:
        if not marker:
            raise ValueError("empty end marker")
        super().__init__(max_size)
        self.marker = bytes(marker)
        self._text_marker = self.marker.decode("ascii") if text and self.marker.isascii() else None
        self.keep_leftover = keep_leftover
        self.dropped = 0
        self._scanned = 0  # bytes after _pos known not to start a marker
        self._split: list[bytes | str] = []  # what ``ready`` walks (buffered() counts what is left)

    def next_message(self, max_bytes: int = 0) -> bytes | str | None:
        ready = self.ready
        if ready is not None:
            message = next(ready, None)
            if message is not None:
                if len(message) <= self.max_size:
                    return message
                self.unread(message)  # found again, and refused again, by the next call
                raise FramingError("MESSAGE_TROP_GRAND", f"{len(message)} > {self.max_size} bytes")
            self.ready = None
        self.dropped = 0
        marker = self.marker
        start = self._pos + self._scanned
        idx = self._buf.find(marker, start)
        if idx < 0:
            held = self.buffered()
            if held > self.max_size + len(marker):
                raise FramingError("MESSAGE_TROP_GRAND", f"no end tag in {held} bytes")
            self._scanned = max(0, held - len(marker) + 1)
            return None
        if idx - self._pos > self.max_size:
            raise FramingError("MESSAGE_TROP_GRAND", f"{idx - self._pos} > {self.max_size} bytes")
        self._scanned = 0
        if self.keep_leftover and len(self._buf) - idx >= 2 * len(marker):
            # Room for another message: split all that is held at once.
            with memoryview(self._buf) as view:
                whole = bytes(view[self._pos :])
            if self._text_marker is not None and whole.isascii():
                texts = whole.decode("ascii").split(self._text_marker)
                self._buf = bytearray(texts.pop().encode("ascii"))
                split = cast("list[bytes | str]", texts)
            else:
                pieces = whole.split(marker)
                self._buf = bytearray(pieces.pop())
                split = cast("list[bytes | str]", pieces)
            self._pos = 0
            self._split = split
            ready = iter(split)
            message = next(ready)
            self.ready = ready
            return message
        message = self._take(idx, len(marker))
        if not self.keep_leftover and self.buffered():
            self.dropped = self.buffered()
            self.pending()
        return message

    def buffered(self) -> int:
        held = len(self._buf) - self._pos
        left = 0 if self.ready is None else length_hint(self.ready)  # exact for a list's iterator
        if left:
            held += sum(map(len, self._split[-left:])) + len(self.marker) * left
        return held

    def pending(self) -> bytes:
        self._scanned = 0
        ready, self.ready = self.ready, None
        split_ahead = b"".join(
            (message.encode("ascii") if isinstance(message, str) else message) + self.marker
            for message in ([] if ready is None else list(ready))  # list(): the rest, in one call
        )
        return split_ahead + super().pending()

    def unread(self, message: bytes | str) -> None:
        """Put ``message`` back before everything held (bytes again)."""
        held = self.pending()
        self.feed((message.encode("ascii") if isinstance(message, str) else message) + self.marker + held)

    def bytes_wanted(self) -> int:
        return 0

    def in_message(self) -> bool:
        return self.buffered() > 0


class RawDecoder(_Buffered):
    """SocketSansMarqueurFin: a read returns what is held, up to ``max_bytes``."""

    def next_message(self, max_bytes: int = 4096) -> bytes | None:
        if not self.buffered():
            return None
        if max_bytes <= 0:
            max_bytes = self.buffered()
        return self._take(min(len(self._buf), self._pos + max_bytes))

    def bytes_wanted(self) -> int:
        return 0

    def in_message(self) -> bool:
        return False


class Decoder(Protocol):
    """What a transport needs of the decoder of its transmission mode."""

    max_size: int
    #: Bytes dropped after the last message (SocketMarqueurFin only).
    dropped: int
    #: Messages split ahead, in order: see :class:`_Buffered`.
    ready: Iterator[bytes | str] | None

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Add bytes received from the network."""

    def message_in(self, chunk: bytes) -> bytes | bytearray | str | None:
        """Feed ``chunk``; maybe the message it completes (None: ask
        :meth:`next_message`; a ``str`` as for :meth:`next_message`)."""

    def next_message(self, max_bytes: int = ...) -> bytes | bytearray | str | None:
        """The next whole message, None until one is complete; raises
        :class:`FramingError`.  A ``str`` only from a decoder made with
        ``text=True``: ASCII already decoded."""

    def receive_view(self) -> memoryview | None:
        """Where the next bytes may be received in place, None: :meth:`feed`."""

    def received(self, count: int) -> None:
        """``count`` bytes arrived in :meth:`receive_view`."""

    def unread(self, message: bytes | str) -> None:
        """Give back a message taken from :attr:`ready`."""

    def bytes_wanted(self) -> int:
        """How many bytes the current message still needs (0: unknown)."""

    def buffered(self) -> int:
        """Bytes held and not returned yet."""

    def in_message(self) -> bool:
        """A message has begun and is not complete."""

    def pending(self) -> bytes:
        """Take every byte held (the decoder is left empty)."""


def make_decoder(
    mode: int, marker: bytes = DEFAULT_MARKER, max_size: int = DEFAULT_MAX_MESSAGE_SIZE, text: bool = False
) -> Decoder:
    """The decoder of a transmission mode.  ``text``: messages that are
    ASCII may come out as ``str`` (SocketMarqueurFinBuffer, see
    :class:`EndTagDecoder`; SocketTailleDébut, a frame of 2 KiB or more
    that one chunk holds whole, see :meth:`SizePrefixDecoder.message_in`)."""
    if mode == SIZE_PREFIX:
        return SizePrefixDecoder(max_size, text=text)
    if mode == END_TAG:
        return EndTagDecoder(marker, keep_leftover=False, max_size=max_size)
    if mode == END_TAG_BUFFER:
        return EndTagDecoder(marker, keep_leftover=True, max_size=max_size, text=text)
    if mode == NO_END_TAG:
        return RawDecoder(max_size)
    raise ValueError(f"unknown transmission mode {mode!r}")


def frame(mode: int, payload: bytes, marker: bytes = DEFAULT_MARKER) -> bytes:
    """The bytes SocketEcrit puts on the wire for ``payload`` in ``mode``."""
    if mode == SIZE_PREFIX:
        return b"%d\r\n%b" % (len(payload), payload)
    if mode in (END_TAG, END_TAG_BUFFER):
        return payload + marker
    if mode == NO_END_TAG:
        return payload
    raise ValueError(f"unknown transmission mode {mode!r}")

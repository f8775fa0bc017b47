"""The WebSocket connection state machine (RFC 6455 after the opening
handshake), sans-I/O, for the client and the server.

Bytes received go in with :meth:`Protocol.receive_data` (or straight into
:meth:`Protocol.receive_buffer` for a large payload: no copy); events come
out of :meth:`Protocol.next_event`: a whole data message as the value
SocketLit returns (``str`` for text, :class:`~wlsocket.values.Buffer` for
binary), :class:`Ping`, :class:`Pong`, :class:`CloseReceived`.  The frames
the protocol owes the peer (pongs, the close reply, the close that fails
the connection) wait in :meth:`Protocol.data_to_send`; the frames of a
message are returned by :meth:`Protocol.send_message` for the caller to
write at once.

Threads: one reader (``receive_*``, ``next_event``) and writers holding
the caller's write lock (``send_*``, ``data_to_send``) may use one
protocol at the same time; the two sides share only the state and two
deques.

Anything the peer may not send raises :class:`~.frames.ProtocolError`
(the only exception raised for received bytes), after the close frame
with its code has been queued and the state set to CLOSED.
"""

from __future__ import annotations

import codecs
import collections
import enum
import os
import zlib
from dataclasses import dataclass

from ..codecs import DEFAULT_MAX_MESSAGE_SIZE  # the socket's default limit, as for every framing
from ..values import Buffer
from . import frames
from .deflate import PerMessageDeflate
from .frames import MAX_CONTROL_PAYLOAD, CloseCode, Opcode, ProtocolError, close_payload, frame_header, parse_header

__all__ = [
    "Side",
    "State",
    "Ping",
    "Pong",
    "CloseReceived",
    "Event",
    "Protocol",
    "DEFAULT_CLOSE_TIMEOUT_MS",
    "DEFAULT_MAX_MESSAGE_SIZE",
]

#: How long a closing endpoint (client or server) waits for the peer's side
#: of the close handshake and the end of the TCP connection.
DEFAULT_CLOSE_TIMEOUT_MS = 2000

#: Payloads at least this large are received straight into their own buffer.
BIG_FRAME = 64 * 1024
#: Pongs kept while the peer does not read (RFC 6455 5.5.3 allows answering
#: only the latest ping: a ping flood costs no memory).
MAX_PENDING_PONGS = 16
BytesLike = bytes | bytearray | memoryview


class Side(enum.Enum):
    CLIENT = "client"
    SERVER = "server"


class State(enum.Enum):
    """OPEN: messages flow both ways.  CLOSING: this side sent a close frame
    and waits for the peer's.  CLOSED: both close frames are done, or the
    connection failed: nothing more is received or sent."""

    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


@dataclass(frozen=True)
class Ping:
    payload: bytes


@dataclass(frozen=True)
class Pong:
    payload: bytes


@dataclass(frozen=True)
class CloseReceived:
    """The peer's close frame (code NO_STATUS when it carried none)."""

    code: int
    reason: str


Event = str | Buffer | Ping | Pong | CloseReceived

# Looked up on every frame: module constants cost less than enum attributes.
_OPEN, _CLOSED = State.OPEN, State.CLOSED
_TEXT, _BINARY = int(Opcode.TEXT), int(Opcode.BINARY)
#: The first byte of a whole (FIN, no RSV) text or binary frame.
_WHOLE_TEXT, _WHOLE_BINARY = 0x80 | _TEXT, 0x80 | _BINARY
_WHOLE_DATA = (_WHOLE_TEXT, _WHOLE_BINARY)
#: Mask keys of data frames are taken from this many random bytes at a time.
MASK_KEY_POOL = 4096
#: The header of a whole text or binary frame of each length under 126,
#: made by frame_header (the masked ones without their key: 2 bytes).
_TEXT_HEADS = [frame_header(_TEXT, length) for length in range(126)]
_BINARY_HEADS = [frame_header(_BINARY, length) for length in range(126)]
_MASKED_TEXT_HEADS = [frame_header(_TEXT, length, mask_key=b"\0" * 4)[:2] for length in range(126)]
_MASKED_BINARY_HEADS = [frame_header(_BINARY, length, mask_key=b"\0" * 4)[:2] for length in range(126)]
#: A Buffer made straight from the payload: one copy (Buffer(x) goes through
#: to_bytes, a second copy of every binary message).
_new_buffer = bytes.__new__


def _violation(detail: str) -> ProtocolError:
    return ProtocolError(CloseCode.PROTOCOL_ERROR, detail)


def _invalid_utf8(where: str, exc: UnicodeDecodeError) -> ProtocolError:
    return ProtocolError(CloseCode.INVALID_DATA, f"invalid UTF-8 in a {where}: {exc.reason} at byte {exc.start}")


class Protocol:
    """One WebSocket connection, after the opening handshake."""

    def __init__(
        self, side: Side, max_size: int = DEFAULT_MAX_MESSAGE_SIZE, deflate: PerMessageDeflate | None = None
    ) -> None:
        self.side = side
        self.max_size = max_size
        self.deflate = deflate
        self.state = State.OPEN
        #: The peer's close frame, once received.
        self.close_received: CloseReceived | None = None
        #: The code and reason of the close frame this side sent.
        self.close_sent: tuple[int, str] | None = None
        #: The side whose close frame came first (None while OPEN).
        self.closing_side: Side | None = None
        self._masked_in = side is Side.SERVER  # client frames are masked, server frames not
        self._masked_out = side is Side.CLIENT
        self._buf = bytearray()
        self._big: bytearray | None = None  # payload of a large frame being received in place
        self._big_filled = 0
        self._big_header: frames.Header | None = None
        self._message_opcode = 0  # opcode of the fragmented message in progress
        self._compressed = False  # the message in progress is compressed (RSV1 on its first frame)
        self._text_parts: list[str] = []
        self._binary_parts: list[bytes | bytearray] = []
        self._size = 0  # bytes of the message in progress (decompressed)
        self._wire_size = 0  # bytes of the message in progress as received
        self._utf8: codecs.IncrementalDecoder | None = None
        self._pongs: collections.deque[bytes] = collections.deque(maxlen=MAX_PENDING_PONGS)
        self._control: collections.deque[bytes] = collections.deque()
        self._mask_keys = b""  # random bytes for the keys of small data frames (message_frame)
        self._mask_key_at = 0

    # -- receiving ---------------------------------------------------------------------------

    def receive_data(self, data: BytesLike) -> None:
        """Bytes received from the peer."""
        if self.state is not _CLOSED:
            self._buf += data

    def receive_message(self, data: bytearray, count: int) -> str | Buffer | None:
        """``receive_data(data[:count])``, cheaper for the common case: when
        nothing is in progress (no bytes buffered, no fragmented message) and
        the bytes are exactly one whole text or binary frame, unfragmented
        and within the limit, its message is returned at once, as
        :meth:`next_event` would return it.  Anything else (several frames,
        part of one, a control frame, invalid UTF-8...) is buffered as by
        :meth:`receive_data` and None is returned: :meth:`next_event` then
        gives what the bytes hold, errors included.  Never raises, never
        changes the state (a reader may call it without the lock that
        guards the state)."""
        if count > 1 and not self._buf and self._big is None and not self._message_opcode and self.state is _OPEN:
            first, second = data[0], data[1]
            masked = second > 0x7F
            length = second & 0x7F
            # every index read below is < count: end == count is checked last
            if (
                first in _WHOLE_DATA
                and masked is self._masked_in
                and (length < 126 or (length == 126 and count > 3))
            ):
                start = 2
                if length == 126:
                    length, start = (data[2] << 8) | data[3], 4
                key = None
                if masked:
                    key, start = bytes(data[start : start + 4]), start + 4
                if start + length == count and length <= self.max_size:
                    payload: bytes | bytearray = data[start:count]
                    if key is not None:
                        payload = frames.apply_mask(payload, key)
                    if first == _WHOLE_BINARY:
                        return _new_buffer(Buffer, payload)
                    try:
                        return payload.decode()
                    except UnicodeDecodeError:
                        pass  # next_event fails the connection with 1007
        self.receive_data(memoryview(data)[:count])
        return None

    def receive_buffer(self) -> memoryview | None:
        """Where the rest of a large frame's payload may be received in place
        (then report the count with :meth:`received_into`); None when the
        next bytes must go through :meth:`receive_data`."""
        big = self._big
        return None if big is None else memoryview(big)[self._big_filled :]

    def received_into(self, count: int) -> None:
        self._big_filled += count

    @property
    def in_message(self) -> bool:
        """Part of a message (a frame, or fragments) has come, not its end."""
        return bool(self._message_opcode) or bool(self._buf) or self._big is not None

    def next_event(self) -> Event | None:
        """The next whole event, None until one is; raises ProtocolError."""
        try:
            return self._next_event()
        except ProtocolError as error:
            self._fail(error)
            raise
        except zlib.error as exc:
            bad_data = ProtocolError(CloseCode.INVALID_DATA, f"invalid compressed data ({exc})")
            self._fail(bad_data)
            raise bad_data from None

    def _next_event(self) -> Event | None:
        while self.state is not _CLOSED:
            payload: bytes | bytearray
            big = self._big
            if big is not None:
                if self._big_filled < len(big):
                    return None
                header = self._big_header
                assert header is not None
                payload, self._big, self._big_header = big, None, None
            else:
                buf = self._buf
                header = parse_header(buf)
                if header is None:
                    return None
                fin, rsv, opcode, key, length, start = header
                # the common frame, a whole message, skips the full checks
                if not (
                    fin
                    and not rsv
                    and opcode in (_TEXT, _BINARY)
                    and not self._message_opcode
                    and (key is not None) is self._masked_in
                    and length <= self.max_size
                ):
                    self._check(header)
                end = start + length
                have = len(buf)
                if have >= end:
                    payload = buf[start:end]
                    del buf[:end]
                elif length >= BIG_FRAME:
                    big = bytearray(length)
                    big[: have - start] = memoryview(buf)[start:]
                    buf.clear()
                    self._big, self._big_filled, self._big_header = big, have - start, header
                    return None
                else:
                    return None
            fin, rsv, opcode, key = header[0], header[1], header[2], header[3]
            if key is not None:
                payload = frames.apply_mask(payload, key)
            if fin and not rsv:
                if opcode == _TEXT:
                    try:
                        return payload.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        raise _invalid_utf8("text message", exc) from None
                if opcode == _BINARY:
                    return _new_buffer(Buffer, payload)
            event = self._frame(header, payload)
            if event is not None:
                return event
        return None

    def _check(self, header: frames.Header) -> None:
        """Everything knowable before the payload arrives."""
        opcode, length = header.opcode, header.length
        rsv = header.rsv
        if rsv and not (
            rsv == 0b100 and self.deflate is not None and opcode in (Opcode.TEXT, Opcode.BINARY)
        ):
            raise _violation(f"reserved bits {rsv:03b} set without a negotiated extension")
        if (header.mask_key is not None) is not self._masked_in:
            raise _violation(
                "an unmasked frame from the client" if self._masked_in else "a frame from the server is masked"
            )
        if opcode >= 0x8:
            if opcode > Opcode.PONG:
                raise _violation(f"reserved control opcode {opcode}")
            if not header.fin:
                raise _violation("a fragmented control frame")
            if length > MAX_CONTROL_PAYLOAD:
                raise _violation(f"a control frame of {length} bytes ({MAX_CONTROL_PAYLOAD} at most)")
            return
        if opcode > Opcode.BINARY:
            raise _violation(f"reserved data opcode {opcode}")
        if opcode == Opcode.CONTINUATION and not self._message_opcode:
            raise _violation("a continuation frame with no message to continue")
        if opcode != Opcode.CONTINUATION and self._message_opcode:
            raise _violation("a new message before the end of the fragmented one")
        if length >> 63:
            raise _violation("a 64-bit length with its most significant bit set")
        if rsv or (self._compressed and opcode == Opcode.CONTINUATION):
            # compressed: the limit is on the inflated size (checked while
            # inflating); on the wire, what deflate may add to stored data
            bound = self.max_size + (self.max_size >> 8) + 1024
            if self._wire_size + length > bound:
                raise self._too_big(self._wire_size + length)
        elif self._size + length > self.max_size:
            raise self._too_big(self._size + length)

    def _too_big(self, size: int) -> ProtocolError:
        return ProtocolError(CloseCode.MESSAGE_TOO_BIG, f"{size} bytes or more, limit {self.max_size}")

    def _frame(self, header: frames.Header, payload: bytes | bytearray) -> Event | None:
        """A control frame, or a frame of a fragmented or compressed message."""
        opcode = header.opcode
        if opcode == Opcode.PING:
            data = bytes(payload)
            if self.state is State.OPEN:
                self._pongs.append(self._control_frame(Opcode.PONG, data))
            return Ping(data)
        if opcode == Opcode.PONG:
            return Pong(bytes(payload))
        if opcode == Opcode.CLOSE:
            return self._close_frame(payload)
        return self._fragment(header, payload)

    def _fragment(self, header: frames.Header, payload: bytes | bytearray) -> Event | None:
        """A frame of a fragmented or compressed message."""
        fin = header.fin
        if header.opcode != Opcode.CONTINUATION:
            self._message_opcode = header.opcode
            self._compressed = bool(header.rsv)
            self._utf8 = codecs.getincrementaldecoder("utf-8")("strict") if header.opcode == Opcode.TEXT else None
        self._wire_size += len(payload)
        if self._compressed:
            deflate = self.deflate
            assert deflate is not None
            payload, within = deflate.decompress(payload, self.max_size - self._size, fin)
            if not within:
                raise self._too_big(self._size + len(payload))
        self._size += len(payload)
        utf8 = self._utf8
        if utf8 is not None:
            try:
                self._text_parts.append(utf8.decode(payload, fin))
            except UnicodeDecodeError as exc:
                raise _invalid_utf8("fragmented text message", exc) from None
        else:
            self._binary_parts.append(payload)  # a fresh object (slice, mask result): no copy needed
        if not fin:
            return None
        text, binary = self._text_parts, self._binary_parts
        self._text_parts, self._binary_parts, self._utf8 = [], [], None
        self._size, self._wire_size, self._message_opcode, self._compressed = 0, 0, 0, False
        if utf8 is not None:
            return text[0] if len(text) == 1 else "".join(text)
        return _new_buffer(Buffer, binary[0] if len(binary) == 1 else b"".join(binary))  # joined once, copied once

    def _close_frame(self, payload: bytes | bytearray) -> CloseReceived:
        if not payload:
            code, reason = int(CloseCode.NO_STATUS), ""
        elif len(payload) == 1:
            raise _violation("a close frame with a 1-byte payload")
        else:
            code = (payload[0] << 8) | payload[1]
            if not frames.is_valid_close_code(code):
                raise _violation(f"invalid close code {code}")
            try:
                reason = bytes(payload[2:]).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _invalid_utf8("close reason", exc) from None
        event = CloseReceived(code, reason)
        self.close_received = event
        if self.state is State.OPEN:  # answer with the same code (RFC 6455 5.5.1)
            self.closing_side = Side.SERVER if self.side is Side.CLIENT else Side.CLIENT
            self.close_sent = (code, "")
            self._control.append(self._control_frame(Opcode.CLOSE, close_payload(code)))
        self.state = State.CLOSED
        self._buf.clear()
        return event

    def _fail(self, error: ProtocolError) -> None:
        """Fail the connection (RFC 6455 7.1.7): our close frame, then nothing."""
        if self.state is State.OPEN:
            self.closing_side = self.side
            self.close_sent = (int(error.close_code), "")
            self._control.append(self._control_frame(Opcode.CLOSE, close_payload(error.close_code)))
        self.state = State.CLOSED
        self._buf.clear()
        self._big = self._big_header = None
        self._text_parts, self._binary_parts, self._utf8 = [], [], None

    def receive_eof(self) -> None:
        """The peer ended the connection: nothing more will come."""
        self.state = State.CLOSED

    # -- sending -----------------------------------------------------------------------------

    def send_message(self, data: BytesLike, text: bool) -> tuple[bytes, BytesLike]:
        """The frame of one whole message as (header, payload), to be written
        in that order (a large payload is not copied behind its header).
        ``data`` is the UTF-8 of a text message.  The caller checks that the
        state is OPEN and holds its write lock."""
        opcode = _TEXT if text else _BINARY
        deflate = self.deflate
        compressed = deflate is not None
        if deflate is not None:
            data = deflate.compress(data)
        if self._masked_out:
            key = frames.new_mask_key()
            return frame_header(opcode, len(data), True, compressed, key), frames.apply_mask(data, key)
        return frame_header(opcode, len(data), True, compressed), data

    def message_frame(self, data: BytesLike, text: bool) -> bytes:
        """:meth:`send_message`'s frame as one bytes object, built in fewer
        steps for a small message (the same bytes, a fresh mask key)."""
        count = len(data)
        if count < 126 and self.deflate is None:
            if not self._masked_out:
                return (_TEXT_HEADS if text else _BINARY_HEADS)[count] + data
            # 4 bytes never used before, from the OS's CSPRNG fetched
            # MASK_KEY_POOL bytes at a time (a getrandom call per frame costs
            # more than the rest of a small frame); the caller's write lock
            # guards the pool
            keys, at = self._mask_keys, self._mask_key_at
            if at >= len(keys):
                keys = self._mask_keys = os.urandom(MASK_KEY_POOL)
                at = 0
            self._mask_key_at = at + 4
            key = keys[at : at + 4]
            return (_MASKED_TEXT_HEADS if text else _MASKED_BINARY_HEADS)[count] + key + frames.apply_mask(data, key)
        header, body = self.send_message(data, text)
        return header + body

    def _control_frame(self, opcode: Opcode, payload: bytes) -> bytes:
        payload = payload[:MAX_CONTROL_PAYLOAD]
        if self.side is Side.CLIENT:
            key = frames.new_mask_key()
            return frame_header(opcode, len(payload), mask_key=key) + bytes(frames.apply_mask(payload, key))
        return frame_header(opcode, len(payload)) + payload

    def send_ping(self, payload: bytes) -> None:
        if self.state is State.OPEN:
            self._control.append(self._control_frame(Opcode.PING, payload))

    def send_close(self, code: int = CloseCode.NORMAL, reason: str = "") -> bool:
        """Start the close handshake; False when a close frame was already
        sent (or the connection is over)."""
        if self.state is not State.OPEN:
            return False
        self.closing_side = self.side
        self.close_sent = (code, reason)
        self._control.append(self._control_frame(Opcode.CLOSE, close_payload(code, reason)))
        self.state = State.CLOSING
        return True

    def has_data_to_send(self) -> bool:
        return bool(self._pongs) or bool(self._control)

    def next_data_to_send(self) -> bytes | None:
        """The next control frame owed to the peer (pongs first), None when
        none is: a caller that must not block sends one frame at a time,
        the rest staying here (the pongs bounded)."""
        if self._pongs:
            return self._pongs.popleft()
        if self._control:
            return self._control.popleft()
        return None

    def data_to_send(self) -> bytes:
        """Every control frame owed to the peer, in order, as one write."""
        out = b""
        while (frame := self.next_data_to_send()) is not None:
            out += frame
        return out

    def forget_data_to_send(self) -> None:
        """The socket failed: what was owed can no longer be sent."""
        self._pongs.clear()
        self._control.clear()

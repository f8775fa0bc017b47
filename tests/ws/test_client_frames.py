"""The client's frame layer without sockets: the protocol core
(wlsocket.ws.protocol, sans-I/O) on the client side, fed any way the network
may cut the bytes, the masking, and every rule of RFC 6455 that a server can
break.  (These tests once drove the client's own FrameReader; the same
behaviour is now the shared core's, read here through a small adapter that
gives its events the old tuple form.)"""

from __future__ import annotations

import os
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket import Buffer
from wlsocket.transports.wscommon import protocol_failure
from wlsocket.ws import frames
from wlsocket.ws.frames import ProtocolError
from wlsocket.ws.protocol import CloseReceived, Ping, Pong, Protocol, Side

TEXT, BINARY, PING, PONG, CLOSE = "text", "binary", "ping", "pong", "close"


def mask(key: bytes, data: bytes) -> bytes | bytearray:
    return frames.apply_mask(data, key)


def encode_frame(opcode: int, payload: bytes) -> tuple[bytes, bytes | bytearray | memoryview]:
    return Protocol(Side.CLIENT).send_message(payload, text=opcode == 1)


def as_tuple(event: object) -> tuple:
    if isinstance(event, str):
        return (TEXT, event)
    if isinstance(event, Buffer):
        return (BINARY, event)
    if isinstance(event, Ping):
        return (PING, event.payload)
    if isinstance(event, Pong):
        return (PONG, event.payload)
    assert isinstance(event, CloseReceived)
    return (CLOSE, event.code, event.reason)


class ProtocolViolation(Exception):
    """A ProtocolError with the WLangage code the transport reports."""

    def __init__(self, error: ProtocolError) -> None:
        super().__init__(error)
        self.close_code = error.close_code
        self.code, self.detail = protocol_failure(error)


class FrameReader:
    """The old reader's interface over the client-side protocol."""

    def __init__(self, max_size: int = 64 * 1024 * 1024) -> None:
        self.protocol = Protocol(Side.CLIENT, max_size)
        self.feed = self.protocol.receive_data
        self.fill_target = self.protocol.receive_buffer
        self.filled = self.protocol.received_into

    def next_event(self) -> tuple | None:
        try:
            event = self.protocol.next_event()
        except ProtocolError as error:
            raise ProtocolViolation(error) from None
        return None if event is None else as_tuple(event)


def frame(opcode: int, payload: bytes = b"", fin: bool = True, rsv: int = 0, masked: bool = False,
          length: int | None = None) -> bytes:
    """A frame as a server writes it (unmasked unless asked)."""
    size = len(payload) if length is None else length
    first = (0x80 if fin else 0) | rsv << 4 | opcode
    mask_bit = 0x80 if masked else 0
    if size < 126:
        header = struct.pack("!BB", first, mask_bit | size)
    elif size < 65536:
        header = struct.pack("!BBH", first, mask_bit | 126, size)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, size)
    if masked:
        return header + b"abcd" + mask(b"abcd", payload)
    return header + payload


def read_all(data: bytes, cuts: list[int] | None = None, max_size: int = 1 << 24) -> list[tuple]:
    """Feed ``data`` cut at ``cuts`` (using the direct-receive path when offered)."""
    reader = FrameReader(max_size)
    events: list[tuple] = []
    pieces, start = [], 0
    for cut in sorted(set(cuts or [])):
        if 0 < cut < len(data):
            pieces.append(data[start:cut])
            start = cut
    pieces.append(data[start:])
    for piece in pieces:
        view = memoryview(piece)
        while view:
            target = reader.fill_target()
            if target is not None:
                count = min(len(target), len(view))
                target[:count] = view[:count]
                reader.filled(count)
                view = view[count:]
            else:
                reader.feed(view)
                view = view[len(view):]
            while (event := reader.next_event()) is not None:
                events.append(event)
    while (event := reader.next_event()) is not None:
        events.append(event)
    return events


def violation(data: bytes, max_size: int = 1 << 24) -> ProtocolViolation:
    with pytest.raises(ProtocolViolation) as info:
        read_all(data, max_size=max_size)
    return info.value


# --- messages come out whole, whatever the cuts -----------------------------------------------------

messages = st.lists(
    st.one_of(st.text(max_size=300).map(lambda t: (TEXT, t)), st.binary(max_size=300).map(lambda b: (BINARY, b))),
    max_size=8,
)


def encode_fragmented(kind: str, value, pieces: int) -> bytes:
    """One message as ``pieces`` fragments cut anywhere (inside UTF-8
    sequences too), with a ping between fragments."""
    data = value.encode() if kind == TEXT else value
    opcode = 1 if kind == TEXT else 2
    step = -(-len(data) // pieces) if data else 1
    chunks = [data[i : i + step] for i in range(0, len(data), step)]
    if len(chunks) < 2:
        return frame(opcode, data)
    out = [frame(opcode, chunks[0], fin=False)]
    for chunk in chunks[1:-1]:
        out += [frame(9, b"ping between fragments"), frame(0, chunk, fin=False)]
    out.append(frame(0, chunks[-1]))
    return b"".join(out)


@settings(max_examples=150, deadline=None)
@given(messages, st.lists(st.integers(0, 4000), max_size=12), st.integers(1, 5))
def test_any_messages_any_cuts_come_out_whole(batch, cuts, pieces):
    stream = b"".join(encode_fragmented(kind, value, pieces) for kind, value in batch)
    got = [event for event in read_all(stream, cuts) if event[0] in (TEXT, BINARY)]
    assert [(kind, bytes(value) if kind == BINARY else value) for kind, value in got] == batch
    assert all(type(value) is (str if kind == TEXT else Buffer) for kind, value in got)


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 70000, 1 << 20])
def test_lengths_at_every_encoding_boundary(size):
    payload = os.urandom(size)
    events = read_all(frame(2, payload) + frame(1, b"after"), cuts=[1, 2, 5, 9, 11, size // 2])
    assert events == [(BINARY, payload), (TEXT, "after")]


def test_control_frames_interleaved_with_a_fragmented_message():
    stream = frame(1, b"he", fin=False) + frame(9, b"p") + frame(0, b"ll", fin=False) + frame(10, b"q") + frame(0, b"o")
    assert read_all(stream) == [(PING, b"p"), (PONG, b"q"), (TEXT, "hello")]


@pytest.mark.parametrize(
    "payload, expected",
    [(b"", (CLOSE, 1005, "")), (struct.pack("!H", 1000), (CLOSE, 1000, "")),
     (struct.pack("!H", 4999) + "réason".encode(), (CLOSE, 4999, "réason")),
     (struct.pack("!H", 1014), (CLOSE, 1014, ""))],
)
def test_close_frames(payload, expected):
    assert read_all(frame(8, payload)) == [expected]


# --- what a server may not send ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, words",
    [
        (frame(1, b"x", rsv=4), "reserved bits"),
        (frame(1, b"x", rsv=1), "reserved bits"),
        (frame(3, b"x"), "reserved data opcode"),
        (frame(11, b""), "reserved control opcode"),
        (frame(1, b"x", masked=True), "masked"),
        (frame(9, b"x", fin=False), "fragmented control"),
        (frame(10, b"y" * 126), "125 at most"),
        (frame(0, b"x"), "no message to continue"),
        (frame(1, b"a", fin=False) + frame(2, b"b"), "before the end"),
        (frame(8, b"\x03"), "1-byte"),
        (frame(8, struct.pack("!H", 1005)), "invalid close code 1005"),
        (frame(8, struct.pack("!H", 999)), "invalid close code"),
        (frame(8, struct.pack("!H", 1016)), "invalid close code"),
        (frame(8, struct.pack("!H", 5000)), "invalid close code"),
        (b"\x82\x7f" + struct.pack("!Q", 1 << 63), "most significant bit"),
    ],
)
def test_protocol_errors_close_with_1002(data, words):
    error = violation(data)
    assert (error.close_code, error.code) == (1002, "TRAME_INVALIDE")
    assert words in error.detail


@pytest.mark.parametrize(
    "data",
    [
        frame(1, b"\xff"),
        frame(1, b"truncated \xe2\x82"),
        frame(1, b"\xed\xa0\x80"),  # a UTF-16 surrogate
        frame(1, b"\xf4\x90\x80\x80"),  # above U+10FFFF
        frame(1, b"\xc0\xaf"),  # overlong
        frame(1, b"ok", fin=False) + frame(0, b" then \xc3"),  # truncated at the end of the fragments
        frame(8, struct.pack("!H", 1000) + b"\xff"),  # in a close reason
    ],
)
def test_invalid_utf8_closes_with_1007(data):
    error = violation(data)
    assert (error.close_code, error.code) == (1007, "TRAME_INVALIDE")
    assert "UTF-8" in error.detail


def test_invalid_utf8_fails_on_the_fragment_that_carries_it():
    reader = FrameReader()
    reader.feed(frame(1, b"valid ", fin=False))
    assert reader.next_event() is None
    reader.feed(frame(0, b"\xf4\x90", fin=False))  # cannot start a valid sequence: fail now
    with pytest.raises(ProtocolViolation) as info:
        reader.next_event()
    assert info.value.close_code == 1007


def test_size_limit_is_checked_on_the_header_before_any_payload():
    reader = FrameReader(max_size=1000)
    reader.feed(b"\x82\x7f" + struct.pack("!Q", (1 << 62)))  # announces 4 EiB, sends nothing more
    with pytest.raises(ProtocolViolation) as info:
        reader.next_event()
    assert (info.value.close_code, info.value.code) == (1009, "MESSAGE_TROP_GRAND")


def test_size_limit_counts_every_fragment_of_a_message():
    stream = frame(1, b"a" * 600, fin=False) + frame(9, b"") + frame(0, b"b" * 600)
    assert violation(stream, max_size=1000).close_code == 1009
    assert read_all(stream, max_size=1200)[-1] == (TEXT, "a" * 600 + "b" * 600)
    assert read_all(frame(2, b"z" * 1000), max_size=1000) == [(BINARY, b"z" * 1000)]


def test_large_frames_are_received_into_their_own_buffer():
    reader = FrameReader()
    payload = os.urandom(200_000)
    data = frame(2, payload)
    reader.feed(data[:1000])
    assert reader.next_event() is None
    target = reader.fill_target()
    assert target is not None and len(target) == len(data) - 1000
    target[:] = data[1000:]
    reader.filled(len(target))
    assert reader.next_event() == (BINARY, payload)
    assert reader.fill_target() is None


# --- what the client sends -------------------------------------------------------------------


@given(st.binary(max_size=2000), st.binary(min_size=4, max_size=4))
def test_mask_is_the_rfc_xor(data, key):
    expected = bytes(byte ^ key[index % 4] for index, byte in enumerate(data))
    assert mask(key, data) == expected
    assert bytes(mask(key, mask(key, data))) == data


@pytest.mark.parametrize("size", [1, 3, 1023, 1024, 1025, 4099, 1 << 20])
def test_both_masking_methods_agree_with_the_definition(size):
    data, key = os.urandom(size), os.urandom(4)
    repeated = (key * (size // 4 + 1))[:size]
    assert bytes(mask(key, data)) == bytes(x ^ y for x, y in zip(data, repeated, strict=True))


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_client_frames_are_masked_with_a_fresh_key(size):
    payload = os.urandom(size)
    first_header, first_body = encode_frame(2, payload)
    second_header, _ = encode_frame(2, payload)
    assert first_header[0] == 0x82 and first_header[1] & 0x80
    key = first_header[-4:]
    assert key != second_header[-4:]
    assert bytes(mask(key, first_body)) == payload
    length_code = first_header[1] & 0x7F
    assert length_code == (size if size < 126 else 126 if size < 65536 else 127)

"""The WebSocket protocol core (wlsocket.ws.protocol) without sockets:
messages survive any cut of the byte stream between a client and a server
core, with and without permessage-deflate; random bytes never raise
anything but ProtocolError, and a failure always leaves a close frame to
send; the close handshake ends in CLOSED on both sides."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket.values import Buffer
from wlsocket.ws import deflate
from wlsocket.ws.frames import CloseCode, Opcode, ProtocolError, apply_mask, frame_header, parse_header
from wlsocket.ws.protocol import CloseReceived, Ping, Pong, Protocol, Side, State

messages = st.lists(st.one_of(st.text(max_size=400), st.binary(max_size=400)), max_size=8)
cuts = st.lists(st.integers(0, 6000), max_size=10)


def negotiated() -> tuple[deflate.PerMessageDeflate, deflate.PerMessageDeflate]:
    """A matching pair of codecs, as after a server accepted the offer."""
    agreed = deflate.negotiate(["permessage-deflate; client_max_window_bits"])
    assert agreed is not None
    return deflate.PerMessageDeflate(15, False, False), agreed[1]


def transfer(sender: Protocol, receiver: Protocol, batch: list, at: list[int]) -> list:
    wire = b"".join(
        header + bytes(body)
        for header, body in (
            sender.send_message(item.encode() if isinstance(item, str) else item, isinstance(item, str))
            for item in batch
        )
    )
    events, start = [], 0
    for cut in [*sorted({c for c in at if 0 < c < len(wire)}), len(wire)]:
        piece, start = wire[start:cut], cut
        while piece:
            target = receiver.receive_buffer()
            if target is not None:
                count = min(len(target), len(piece))
                target[:count] = piece[:count]
                receiver.received_into(count)
            else:
                count = len(piece)
                receiver.receive_data(piece)
            piece = piece[count:]
            while (event := receiver.next_event()) is not None:
                events.append(event)
    return events


@settings(max_examples=150, deadline=None)
@given(messages, cuts, st.booleans())
def test_messages_round_trip_client_to_server_and_back(batch, at, compressed):
    client_codec, server_codec = negotiated() if compressed else (None, None)
    client = Protocol(Side.CLIENT, deflate=client_codec)
    server = Protocol(Side.SERVER, deflate=server_codec)
    for sender, receiver in ((client, server), (server, client)):
        got = transfer(sender, receiver, batch, at)
        assert got == batch
        assert [type(item) for item in got] == [str if isinstance(item, str) else Buffer for item in batch]


def test_large_compressed_message_round_trip():
    client_codec, server_codec = negotiated()
    payload = bytes(range(256)) * 8192  # 2 MiB, received in place
    server = Protocol(Side.SERVER, deflate=server_codec)
    assert transfer(Protocol(Side.CLIENT, deflate=client_codec), server, [payload], [7, 70_000]) == [payload]


def test_a_compressed_bomb_fails_with_1009_without_inflating_it():
    server = Protocol(Side.SERVER, max_size=1 << 20, deflate=negotiated()[1])
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = compressor.compress(bytes(64 << 20)) + compressor.flush(zlib.Z_SYNC_FLUSH)[:-4]  # 64 MiB of zeros
    key = b"\x00\x00\x00\x00"
    server.receive_data(frame_header(Opcode.BINARY, len(bomb), rsv1=True, mask_key=key) + bomb)
    with pytest.raises(ProtocolError) as info:
        server.next_event()
    assert info.value.close_code is CloseCode.MESSAGE_TOO_BIG
    assert server.state is State.CLOSED


@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("compressed", [False, True])
@settings(max_examples=400, deadline=None)
@given(data=st.binary(max_size=600), max_size=st.integers(1, 300))
def test_random_bytes_raise_only_protocol_error_and_leave_a_close_frame(side, compressed, data, max_size):
    protocol = Protocol(side, max_size=max_size, deflate=negotiated()[side is Side.SERVER] if compressed else None)
    protocol.receive_data(data)
    try:
        for _ in range(len(data) + 1):
            if protocol.next_event() is None:
                break
    except ProtocolError as error:
        assert protocol.state is State.CLOSED
        assert int(error.close_code) in (1002, 1007, 1009)
        wire = protocol.data_to_send()
        # the last frame owed is the close frame carrying the failure's code
        while (header := parse_header(wire)) is not None and header.size + header.length < len(wire):
            wire = wire[header.size + header.length :]
        assert header is not None and header.opcode == Opcode.CLOSE
        payload = wire[header.size :]
        if header.mask_key is not None:
            payload = bytes(b ^ header.mask_key[i % 4] for i, b in enumerate(payload))
        assert int.from_bytes(payload[:2], "big") == error.close_code
        assert protocol.next_event() is None  # nothing more once failed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 1, 2, 3, 8, 9, 10, 11]), st.booleans(), st.binary(max_size=130)),
                max_size=6))
def test_random_frame_sequences_from_a_client(frames_):
    """Well-formed headers, random opcodes, fin bits and payloads: events or ProtocolError, nothing else."""
    server = Protocol(Side.SERVER, max_size=200)
    key = b"\x01\x02\x03\x04"
    for opcode, fin, payload in frames_:
        masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        server.receive_data(frame_header(opcode, len(payload), fin=fin, mask_key=key) + masked)
    try:
        while server.next_event() is not None:
            pass
    except ProtocolError:
        assert server.state is State.CLOSED


def test_ping_is_answered_and_pongs_are_bounded():
    server = Protocol(Side.SERVER)
    key = b"abcd"
    for number in range(40):
        payload = b"p%d" % number
        server.receive_data(frame_header(Opcode.PING, len(payload), mask_key=key)
                            + bytes(b ^ key[i % 4] for i, b in enumerate(payload)))
        assert server.next_event() == Ping(payload)
    pongs = []
    while (frame := server.next_data_to_send()) is not None:
        pongs.append(frame)
    assert len(pongs) == 16 and pongs[-1] == frame_header(Opcode.PONG, 3) + b"p39"


def test_close_handshake_started_by_the_client():
    client, server = Protocol(Side.CLIENT), Protocol(Side.SERVER)
    assert client.send_close(CloseCode.NORMAL, "au revoir")
    assert client.state is State.CLOSING and not client.send_close()
    server.receive_data(client.data_to_send())
    assert server.next_event() == CloseReceived(1000, "au revoir")
    assert server.state is State.CLOSED and server.closing_side is Side.CLIENT
    client.receive_data(server.data_to_send())  # the reply, same code
    assert client.next_event() == CloseReceived(1000, "")
    assert client.state is State.CLOSED and client.closing_side is Side.CLIENT


def test_close_without_code_is_answered_without_code():
    client = Protocol(Side.CLIENT)
    client.receive_data(frame_header(Opcode.CLOSE, 0))
    assert client.next_event() == CloseReceived(1005, "")
    reply = client.data_to_send()
    assert parse_header(reply).length == 0  # type: ignore[union-attr]


def test_pong_and_messages_after_our_close_still_come_out():
    client = Protocol(Side.CLIENT)
    client.send_close()
    client.receive_data(frame_header(Opcode.TEXT, 2) + b"hi" + frame_header(Opcode.PONG, 1) + b"x")
    assert client.next_event() == "hi"
    assert client.next_event() == Pong(b"x")
    assert client.state is State.CLOSING


def test_a_limit_lowered_below_the_message_in_progress_still_bounds_inflation():
    """SocketTailleMaxMessage during a compressed message: the rest is refused, not inflated unbounded."""
    client_codec, server_codec = negotiated()
    server = Protocol(Side.SERVER, max_size=1 << 20, deflate=server_codec)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(1000)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    rest = compressor.compress(bytes(512 << 10)) + compressor.flush(zlib.Z_SYNC_FLUSH)[:-4]  # small on the wire
    key = b"\x00\x00\x00\x00"
    server.receive_data(frame_header(Opcode.BINARY, len(first), fin=False, rsv1=True, mask_key=key) + first)
    assert server.next_event() is None
    server.max_size = 10  # below the 1000 bytes already inflated
    server.receive_data(frame_header(Opcode.CONTINUATION, len(rest), mask_key=key) + rest)
    with pytest.raises(ProtocolError) as info:
        server.next_event()
    assert info.value.close_code is CloseCode.MESSAGE_TOO_BIG


# --- the fast paths: receive_message and message_frame give what the general path gives ----------

frames_on_the_wire = st.lists(
    st.one_of(
        st.text(max_size=300).map(lambda text: (Opcode.TEXT, text.encode())),
        st.binary(max_size=70_000).map(lambda data: (Opcode.BINARY, data)),
        st.binary(max_size=300).map(lambda data: (Opcode.TEXT, data)),  # often invalid UTF-8
        st.binary(max_size=125).map(lambda data: (Opcode.PING, data)),
    ),
    min_size=1,
    max_size=3,
)


def events_of(protocol: Protocol) -> list:
    events = []
    try:
        while (event := protocol.next_event()) is not None:
            events.append(event)
    except ProtocolError as error:
        events.append(error.close_code)
    return events


@settings(max_examples=200, deadline=None)
@given(frames_on_the_wire, st.booleans(), st.integers(1, 100), st.sampled_from([Side.CLIENT, Side.SERVER]))
def test_receive_message_gives_what_next_event_gives(items, whole_only, max_size, side):
    """A whole data frame comes back from receive_message itself; anything
    else (several frames, a ping, invalid UTF-8, a frame above the limit,
    part of a frame) is buffered and next_event gives exactly what the
    general path gives, errors included."""
    key = b"\x01\x02\x03\x04" if side is Side.SERVER else None  # client frames are masked
    wire = b"".join(
        frame_header(opcode, len(data), mask_key=key) + (data if key is None else bytes(apply_mask(data, key)))
        for opcode, data in (items[:1] if whole_only else items)
    )
    limit = max_size * 1000
    general, fast = Protocol(side, limit), Protocol(side, limit)
    general.receive_data(wire)
    expected = events_of(general)
    scratch = bytearray(wire) + b"\xff" * 16  # stale bytes after the count must not be read
    returned = fast.receive_message(scratch, len(wire))
    got = ([] if returned is None else [returned]) + events_of(fast)
    assert got == expected and [type(event) for event in got] == [type(event) for event in expected]
    assert fast.state is general.state and len(fast.data_to_send()) == len(general.data_to_send())  # keys differ
    if returned is not None:
        assert len(items) == 1 or whole_only


def test_receive_message_of_part_of_a_frame_waits_for_the_rest():
    wire = frame_header(Opcode.TEXT, 300) + b"x" * 300
    assert Protocol(Side.CLIENT).receive_message(bytearray(wire), len(wire)) == "x" * 300  # whole: at once
    for cut in (1, 2, 3, 100):
        protocol = Protocol(Side.CLIENT)
        assert protocol.receive_message(bytearray(wire), cut) is None
        assert protocol.next_event() is None
        protocol.receive_data(wire[cut:])
        assert protocol.next_event() == "x" * 300


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536])
@pytest.mark.parametrize("text", [True, False])
def test_message_frame_is_send_message_in_one_piece_with_a_fresh_key(size, text):
    client, server = Protocol(Side.CLIENT), Protocol(Side.SERVER)
    data = (b"a\xc3\xa9" * size)[:size] if text else bytes(range(256)) * (size // 256) + bytes(size % 256)
    if text:
        data = data.decode("utf-8", "ignore").encode()
    keys = set()
    for _ in range(3):
        frame = client.message_frame(data, text)
        header = parse_header(frame)
        assert header is not None and header.fin and header.opcode == (Opcode.TEXT if text else Opcode.BINARY)
        assert header.length == len(data) and header.size + len(data) == len(frame)
        keys.add(header.mask_key)
        server.receive_data(frame)
        assert server.next_event() == (data.decode() if text else Buffer(data))
    assert len(keys) == 3  # a fresh key per frame
    server_frame = Protocol(Side.SERVER).message_frame(data, text)
    header = parse_header(server_frame)
    assert header is not None and header.mask_key is None and server_frame[header.size :] == data

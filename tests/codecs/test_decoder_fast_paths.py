"""The decoders' fast paths (messages split ahead in one pass, large payloads
received in place) behave exactly as the plain algorithm they replace.

Each decoder is run side by side with a model written the obvious way
(``bytes`` buffer, one ``find`` per message) through random sequences of
feeds, in-place receives, reads, limit changes and queries; every answer,
error code and error detail must agree.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket import codecs
from wlsocket.codecs import FramingError, frame, make_decoder

_MAX_SIZE_LINE = 24


class SizePrefixModel:
    def __init__(self, max_size: int) -> None:
        self.max_size, self.buf, self.size = max_size, b"", None

    def feed(self, data: bytes) -> None:
        self.buf += data

    def next_message(self) -> bytes | None:
        if self.size is None:
            nl = self.buf.find(b"\n", 0, _MAX_SIZE_LINE)
            if nl < 0:
                if len(self.buf) >= _MAX_SIZE_LINE:
                    raise FramingError("TRAME_INVALIDE", "size line too long")
                return None
            line = self.buf[:nl].strip()
            if not line.isdigit():
                raise FramingError("TRAME_INVALIDE", f"size line {line[:_MAX_SIZE_LINE]!r}")
            if int(line) > self.max_size:
                raise FramingError("MESSAGE_TROP_GRAND", f"{int(line)} > {self.max_size} bytes")
            self.size, self.buf = int(line), self.buf[nl + 1 :]
        if len(self.buf) < self.size:
            return None
        message, self.buf, self.size = self.buf[: self.size], self.buf[self.size :], None
        return message

    def buffered(self) -> int:
        return len(self.buf)

    def bytes_wanted(self) -> int:
        return 0 if self.size is None else max(0, self.size - len(self.buf))

    def in_message(self) -> bool:
        return self.size is not None or bool(self.buf)

    def pending(self) -> bytes:
        data, self.buf = self.buf, b""
        return data


class EndTagModel:
    def __init__(self, marker: bytes, keep_leftover: bool, max_size: int) -> None:
        self.marker, self.keep, self.max_size, self.buf, self.dropped = marker, keep_leftover, max_size, b"", 0

    def feed(self, data: bytes) -> None:
        self.buf += data

    def next_message(self) -> bytes | None:
        self.dropped = 0
        idx = self.buf.find(self.marker)
        if idx < 0:
            if len(self.buf) > self.max_size + len(self.marker):
                raise FramingError("MESSAGE_TROP_GRAND", f"no end tag in {len(self.buf)} bytes")
            return None
        if idx > self.max_size:
            raise FramingError("MESSAGE_TROP_GRAND", f"{idx} > {self.max_size} bytes")
        message, self.buf = self.buf[:idx], self.buf[idx + len(self.marker) :]
        if not self.keep and self.buf:
            self.dropped, self.buf = len(self.buf), b""
        return message

    def buffered(self) -> int:
        return len(self.buf)

    def bytes_wanted(self) -> int:
        return 0

    def in_message(self) -> bool:
        return bool(self.buf)

    def pending(self) -> bytes:
        data, self.buf = self.buf, b""
        return data


def _outcome(call):
    try:
        result = call()
    except FramingError as exc:
        return ("error", exc.code, exc.detail)
    if isinstance(result, str):  # a text=True decoder's message: must be ASCII, the same bytes
        return ("ok", result.encode("ascii"))
    return ("ok", None if result is None else bytes(result))


def _payload(seed: int, size: int) -> bytes:
    return (bytes(range(seed % 256, 256)) + bytes(range(256)) * (size // 256 + 2))[:size]


sizes = st.one_of(st.integers(0, 40), st.integers(15_000, 90_000))
payload_specs = st.lists(st.tuples(st.integers(0, 255), sizes), min_size=1, max_size=12)
operations = st.lists(
    st.tuples(
        st.sampled_from(["feed", "receive", "chunk", "read", "read", "read", "limit", "query"]),
        st.one_of(st.integers(1, 120), st.integers(1_000, 70_000)),
    ),
    min_size=4,
    max_size=80,
)


def _run_side_by_side(real, model, stream: bytes, ops, limits) -> None:
    pos = 0
    for op, amount in ops:
        if op == "feed" and pos < len(stream):
            piece = stream[pos : pos + amount]
            pos += len(piece)
            real.feed(piece)
            model.feed(piece)
        elif op == "receive" and pos < len(stream):
            # What the transport does with recv_into when the decoder offers a view.
            view = real.receive_view()
            piece = stream[pos : pos + min(amount, len(view) if view is not None else amount)]
            pos += len(piece)
            if view is None:
                real.feed(piece)
            else:
                with view:
                    view[: len(piece)] = piece
                real.received(len(piece))
            model.feed(piece)
        elif op == "chunk" and pos < len(stream):
            # What the transport does with a recv() chunk: message_in, a feed that may
            # hand back the message it completes (a whole frame in one chunk).
            piece = stream[pos : pos + amount]
            pos += len(piece)
            message = real.message_in(piece)
            model.feed(piece)
            if message is not None:
                assert _outcome(model.next_message) == _outcome(lambda message=message: message)
        elif op == "read":
            assert _outcome(real.next_message) == _outcome(model.next_message)
            assert real.dropped == getattr(model, "dropped", 0)
        elif op == "limit":
            real.max_size = model.max_size = limits[amount % len(limits)]
        assert real.buffered() == model.buffered()
        assert real.in_message() == model.in_message()
        assert real.bytes_wanted() == model.bytes_wanted()
    while True:  # drain what is left, then compare what is still held
        real_out, model_out = _outcome(real.next_message), _outcome(model.next_message)
        assert real_out == model_out
        if real_out[0] == "error" or real_out[1] is None:
            break
    assert real.pending() == model.pending()
    assert real.buffered() == model.buffered() == 0


@settings(deadline=None)
@given(payload_specs, operations, st.sampled_from([100_000, 50_000, 30, 0]), st.booleans(), st.booleans())
def test_size_prefix_decoder_matches_the_plain_algorithm(specs, ops, second_limit, text, ascii_only):
    """text=True: a message may come out as str, only when it is ASCII and then
    the same bytes (_outcome checks both)."""
    payloads = [_payload(seed, size) for seed, size in specs]
    if ascii_only:
        payloads = [bytes(b & 0x7F for b in p) for p in payloads]
    stream = b"".join(frame(codecs.SIZE_PREFIX, p) for p in payloads)
    limits = [codecs.DEFAULT_MAX_MESSAGE_SIZE, second_limit]
    real = make_decoder(codecs.SIZE_PREFIX, text=text)
    _run_side_by_side(real, SizePrefixModel(limits[0]), stream, ops, limits)


@settings(deadline=None)
@given(
    payload_specs,
    operations,
    st.sampled_from([b"\r\n", b"<EOF>", b"\x00", b"ab"]),
    st.booleans(),
    st.sampled_from([100_000, 50_000, 30, 0]),
)
def test_end_tag_decoders_match_the_plain_algorithm(specs, ops, marker, keep, second_limit):
    payloads = [_payload(seed, size).replace(marker[:1], b"") for seed, size in specs]
    stream = b"".join(frame(codecs.END_TAG_BUFFER, p, marker) for p in payloads)
    limits = [codecs.DEFAULT_MAX_MESSAGE_SIZE, second_limit]
    real = make_decoder(codecs.END_TAG_BUFFER if keep else codecs.END_TAG, marker)
    _run_side_by_side(real, EndTagModel(marker, keep, limits[0]), stream, ops, limits)


@settings(deadline=None)
@given(
    payload_specs,
    operations,
    st.sampled_from([b"\r\n", b"<EOF>", b"\x00", b"ab", b"\xe9"]),
    st.booleans(),
    st.sampled_from([100_000, 50_000, 30, 0]),
)
def test_text_end_tag_decoder_matches_the_plain_algorithm(specs, ops, marker, ascii_only, second_limit):
    """text=True: ASCII stretches come out as str, the rest as bytes, the
    messages and errors those of the plain algorithm."""
    payloads = [_payload(seed, size).replace(marker[:1], b"") for seed, size in specs]
    if ascii_only:
        payloads = [bytes(b & 0x7F for b in p).replace(marker[:1], b"") for p in payloads]
    stream = b"".join(frame(codecs.END_TAG_BUFFER, p, marker) for p in payloads)
    limits = [codecs.DEFAULT_MAX_MESSAGE_SIZE, second_limit]
    real = make_decoder(codecs.END_TAG_BUFFER, marker, text=True)
    _run_side_by_side(real, EndTagModel(marker, True, limits[0]), stream, ops, limits)


def test_text_end_tag_decoder_gives_str_for_ascii_lines_and_bytes_otherwise():
    decoder = make_decoder(codecs.END_TAG_BUFFER, b"\r\n", text=True)
    decoder.feed(b"one\r\ntwo\r\nthr")
    assert decoder.next_message() == "one" and decoder.next_message() == "two"
    assert decoder.buffered() == 3
    decoder.feed(b"ee\r\n\xe9t\xe9\r\nlast\r\n")
    assert decoder.next_message() == b"three"  # split together with a non-ASCII line: bytes
    assert decoder.next_message() == b"\xe9t\xe9"
    decoder.feed(b"x\r\ny\r\n")
    assert decoder.pending() == b"last\r\nx\r\ny\r\n"
    assert make_decoder(codecs.END_TAG, b"\r\n", text=True).keep_leftover is False


def test_many_messages_in_one_read_come_out_one_by_one_and_pending_keeps_the_rest():
    decoder = make_decoder(codecs.END_TAG_BUFFER, b"\r\n")
    decoder.feed(b"one\r\ntwo\r\nthree\r\nfour")
    assert decoder.next_message() == b"one"
    assert decoder.buffered() == len(b"two\r\nthree\r\nfour")
    assert decoder.next_message() == b"two"
    assert decoder.pending() == b"three\r\nfour"
    assert decoder.next_message() is None


def test_a_large_payload_is_received_in_place_and_returned_whole():
    decoder = make_decoder(codecs.SIZE_PREFIX)
    payload = _payload(7, 100_000)
    decoder.feed(b"100000\r\n" + payload[:1000])
    assert decoder.next_message() is None
    view = decoder.receive_view()
    assert view is not None and len(view) == 99_000
    with view:
        view[:] = payload[1000:]
    decoder.received(99_000)
    assert decoder.next_message() == payload
    assert decoder.receive_view() is None and decoder.buffered() == 0


def test_a_text_decoder_gives_a_large_whole_ascii_frame_as_str_and_the_rest_as_bytes():
    decoder = make_decoder(codecs.SIZE_PREFIX, text=True)
    ascii_payload = b"x" * 65536
    assert decoder.message_in(b"65536\r\n" + ascii_payload) == ascii_payload.decode("ascii")
    assert decoder.message_in(b"65536\r\n" + b"\xe9" * 65536) == b"\xe9" * 65536  # the chaîne's encoding decides
    assert decoder.message_in(b"5\r\nHello") == b"Hello"  # small: the facade's own ASCII check is cheaper
    assert make_decoder(codecs.SIZE_PREFIX).message_in(b"65536\r\n" + ascii_payload) == ascii_payload
    assert decoder.buffered() == 0


def test_a_whole_frame_in_one_chunk_is_returned_at_once_and_anything_else_is_fed():
    decoder = make_decoder(codecs.SIZE_PREFIX, max_size=10)
    assert decoder.message_in(b"5\r\nHello") == b"Hello"
    assert decoder.buffered() == 0
    assert decoder.message_in(b" 0 \n") == b""
    for chunk in (b"5\r\nHel", b"2\r\nab2\r\ncd", b"+5\r\nHello", b"11\r\nHello world"):
        assert decoder.message_in(chunk) is None  # fed: next_message answers as for any feed
        assert decoder.buffered() == len(chunk)
        decoder.pending()
    decoder.message_in(b"11\r\nHello world")
    with pytest.raises(FramingError) as too_large:
        decoder.next_message()
    assert too_large.value.code == "MESSAGE_TROP_GRAND"
    decoder = make_decoder(codecs.SIZE_PREFIX)
    decoder.feed(b"3\r\nab")
    assert decoder.message_in(b"c") is None  # something held: the chunk joins it
    assert decoder.next_message() == b"abc"

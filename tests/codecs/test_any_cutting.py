"""The framing codecs alone: any payloads, any cutting of the stream."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket import codecs
from wlsocket.codecs import FramingError, frame, make_decoder

payloads = st.lists(st.binary(max_size=300), max_size=8)
markers = st.binary(min_size=1, max_size=6)
cuts = st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=20)


def decode_in_pieces(decoder, stream: bytes, pieces: list[int]) -> list[bytes]:
    out, pos, i = [], 0, 0
    while pos < len(stream):
        size = pieces[i % len(pieces)]
        decoder.feed(stream[pos : pos + size])
        pos += size
        i += 1
        while (message := decoder.next_message()) is not None:
            out.append(message)
    return out


@settings(max_examples=300, deadline=None)
@given(payloads, cuts)
def test_size_prefix_gives_back_every_message(messages, pieces):
    stream = b"".join(frame(codecs.SIZE_PREFIX, m) for m in messages)
    assert decode_in_pieces(make_decoder(codecs.SIZE_PREFIX), stream, pieces) == messages


@settings(max_examples=300, deadline=None)
@given(payloads, markers, cuts)
def test_end_tag_buffer_gives_back_every_message(messages, marker, pieces):
    # A payload cannot contain its own marker (nor end with a prefix of it that
    # would complete one): the mode has no escaping, as in WINDEV.
    messages = [m for m in messages if (m + marker).find(marker) == len(m)]
    stream = b"".join(frame(codecs.END_TAG_BUFFER, m, marker) for m in messages)
    decoder = make_decoder(codecs.END_TAG_BUFFER, marker)
    assert decode_in_pieces(decoder, stream, pieces) == messages


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), cuts)
def test_raw_mode_gives_back_every_byte(data, pieces):
    decoder = make_decoder(codecs.NO_END_TAG)
    assert b"".join(decode_in_pieces(decoder, data, pieces)) == data


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(codecs.MODES))
def test_arbitrary_bytes_raise_only_framing_errors(data, mode):
    decoder = make_decoder(mode, b"<EOF>", max_size=1000)
    try:
        decoder.feed(data)
        while decoder.next_message() is not None:
            pass
    except FramingError as exc:
        assert exc.code in ("TRAME_INVALIDE", "MESSAGE_TROP_GRAND")


@pytest.mark.parametrize("line", [b"abc\r\n", b"-5\r\n", b"1" * 10_000 + b"\r\n", b"+5\r\n", b"5 5\r\n"])
def test_garbage_size_lines_are_invalid_frames(line):
    decoder = make_decoder(codecs.SIZE_PREFIX)
    decoder.feed(line)
    with pytest.raises(FramingError) as info:
        decoder.next_message()
    assert info.value.code == "TRAME_INVALIDE"


def test_announced_size_above_the_limit_is_refused_before_allocation():
    decoder = make_decoder(codecs.SIZE_PREFIX, max_size=1024)
    decoder.feed(b"9999999999\r\n")
    with pytest.raises(FramingError) as info:
        decoder.next_message()
    assert info.value.code == "MESSAGE_TROP_GRAND"


def test_end_tag_that_never_comes_is_bounded():
    decoder = make_decoder(codecs.END_TAG_BUFFER, b"<EOF>", max_size=1000)
    for _ in range(5):
        decoder.feed(b"x" * 300)
        try:
            assert decoder.next_message() is None
        except FramingError as exc:
            assert exc.code == "MESSAGE_TROP_GRAND"
            assert decoder.buffered() <= 1500
            return
    pytest.fail("an end tag that never comes was buffered without limit")


def test_marker_split_across_reads_is_found():
    decoder = make_decoder(codecs.END_TAG_BUFFER, b"\r\n")
    decoder.feed(b"line\r")
    assert decoder.next_message() is None
    decoder.feed(b"\nnext")
    assert decoder.next_message() == b"line"
    assert decoder.pending() == b"next"


def test_end_tag_mode_drops_bytes_after_the_marker_and_says_how_many():
    decoder = make_decoder(codecs.END_TAG, b"<EOF>")
    decoder.feed(b"a<EOF>bc<EOF>")
    assert decoder.next_message() == b"a"
    assert decoder.dropped == 7
    assert decoder.next_message() is None

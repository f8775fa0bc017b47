"""Property tests beyond tests/codecs/test_any_cutting.py: the size limit at its exact
boundary, mode changes in the middle of a stream, and arbitrary bytes sent
by a real peer through the facade.

Example counts come from the hypothesis profile chosen in tests/conftest.py
(``WLSOCKET_HYPOTHESIS_PROFILE=long`` for a long run), so none is fixed here.
"""

from __future__ import annotations

import socket

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import LOOPBACK, free_port
from wlsocket import *  # noqa: F403
from wlsocket import codecs
from wlsocket.codecs import FramingError, frame, make_decoder

cuts = st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=16)
markers = st.binary(min_size=1, max_size=6)


def feed_in_pieces(decoder, stream: bytes, pieces: list[int]) -> list[bytes]:
    """Decode ``stream`` cut as ``pieces`` says; FramingError propagates."""
    out, pos, i = [], 0, 0
    while pos < len(stream):
        size = pieces[i % len(pieces)]
        decoder.feed(stream[pos : pos + size])
        pos, i = pos + size, i + 1
        while (message := decoder.next_message(0)) is not None:
            out.append(message)
    return out


def without_marker(payload: bytes, marker: bytes) -> bytes:
    """A payload the end-tag modes can carry (no escaping exists)."""
    while (payload + marker).find(marker) != len(payload):
        payload = payload.replace(marker[:1], b"")
        if not payload:
            break
    return payload


def accepted_iff_within_limit(decoder, stream: bytes, payload: bytes, limit: int, pieces: list[int]) -> bool:
    """The one message comes back when it fits ``limit``, else the decoder
    raises MESSAGE_TROP_GRAND; returns whether it was accepted."""
    if len(payload) <= limit:
        assert feed_in_pieces(decoder, stream, pieces) == [payload]
        return True
    try:
        feed_in_pieces(decoder, stream, pieces)
    except FramingError as exc:
        assert exc.code == "MESSAGE_TROP_GRAND"
        return False
    raise AssertionError("a message above the limit was accepted")


@given(st.binary(max_size=400), st.integers(min_value=1, max_value=400), cuts)
def test_size_prefix_limit_is_exact_whatever_the_cutting(payload, limit, pieces):
    decoder = make_decoder(codecs.SIZE_PREFIX, max_size=limit)
    stream = frame(codecs.SIZE_PREFIX, payload)
    if accepted_iff_within_limit(decoder, stream, payload, limit, pieces) is False:
        # Refused on the header: at most one read beyond it was ever held.
        header = len(stream) - len(payload)
        assert decoder.buffered() <= header + max(pieces)


@given(st.binary(max_size=400), markers, st.integers(min_value=1, max_value=400), cuts, st.booleans())
def test_end_tag_limit_is_exact_whatever_the_cutting(payload, marker, limit, pieces, keep):
    payload = without_marker(payload, marker)
    decoder = codecs.EndTagDecoder(marker, keep_leftover=keep, max_size=limit)
    stream = frame(codecs.END_TAG_BUFFER, payload, marker)
    accepted_iff_within_limit(decoder, stream, payload, limit, pieces)


@given(st.binary(max_size=5000), markers, st.integers(min_value=1, max_value=500), cuts)
def test_a_stream_without_marker_is_never_held_beyond_the_limit(noise, marker, limit, pieces):
    noise = noise.replace(marker[:1], b"")  # no marker can start in the noise
    decoder = codecs.EndTagDecoder(marker, keep_leftover=True, max_size=limit)
    biggest_piece = max(pieces)
    try:
        feed_in_pieces(decoder, noise + marker[:-1], pieces)
    except FramingError as exc:
        assert exc.code == "MESSAGE_TROP_GRAND"
    # Whether it raised or not, what is held stays within one read of the limit.
    assert decoder.buffered() <= limit + len(marker) + biggest_piece


@given(
    st.lists(st.binary(max_size=60), min_size=1, max_size=6),
    st.lists(st.binary(max_size=60), max_size=6),
    st.sampled_from([codecs.SIZE_PREFIX, codecs.END_TAG_BUFFER]),
    st.sampled_from([codecs.SIZE_PREFIX, codecs.END_TAG_BUFFER, codecs.NO_END_TAG]),
    cuts,
)
def test_mode_change_between_messages_loses_nothing(before, after, first_mode, second_mode, pieces):
    """What SocketChangeModeTransmission does: the bytes held are handed to
    the new mode's decoder, which decodes them in the new framing."""
    marker = codecs.DEFAULT_MARKER
    before = [without_marker(m, marker) for m in before]
    after = [without_marker(m, marker) for m in after]
    head = b"".join(frame(first_mode, m, marker) for m in before)
    tail = b"".join(frame(second_mode, m, marker) for m in after)
    stream = head + tail
    decoder = make_decoder(first_mode, marker)
    got: list[bytes] = []
    pos, i = 0, 0
    # Read the first mode's messages, with whatever extra bytes came along.
    while len(got) < len(before):
        size = pieces[i % len(pieces)]
        decoder.feed(stream[pos : pos + size])
        pos, i = pos + size, i + 1
        while len(got) < len(before) and (message := decoder.next_message(0)) is not None:
            got.append(message)
    assert got == before
    second = make_decoder(second_mode, marker)
    second.feed(decoder.pending())
    second.feed(stream[pos:])
    rest = []
    while (message := second.next_message(0)) is not None:
        rest.append(message)
    if second_mode == codecs.NO_END_TAG:
        assert b"".join(rest) == b"".join(after)
    else:
        assert rest == after


DOCUMENTED_READ_ERRORS = {"SOCKET_FERMEE", "TRAME_INVALIDE", "MESSAGE_TROP_GRAND", "ECHEC_LECTURE_SOCKET"}


@given(st.binary(max_size=3000), st.sampled_from(codecs.MODES))
def test_arbitrary_bytes_from_a_real_peer_give_only_documented_outcomes(data, mode):
    """Through the facade: every SocketLit returns a message or "" with a
    documented code, never raises, and the stream ends in a bounded number
    of reads once the peer stops."""
    port = free_port()
    assert SocketCrée("fuzz-srv", port, LOOPBACK)
    try:
        assert SocketChangeModeTransmission("fuzz-srv", mode)
        assert SocketTailleMaxMessage("fuzz-srv", 1000)
        with socket.create_connection((LOOPBACK, port), timeout=15) as peer:
            assert SocketAttendConnexion("fuzz-srv", 15_000)
            channel = SocketAccepte("fuzz-srv")
            try:
                peer.sendall(data)
                peer.shutdown(socket.SHUT_WR)
                received = 0
                for _ in range(len(data) + 2):
                    message = SocketLit(channel, False, 15_000, 4096)
                    code = ErreurInfo(errCode)
                    if message == "" and code:
                        assert code in DOCUMENTED_READ_ERRORS, ErreurInfo()
                        break
                    assert code in ("", "SOCKET_LIT_MARQUEUR_FIN"), ErreurInfo()
                    assert message != "" or mode != codecs.NO_END_TAG
                    received += len(message)
                else:
                    raise AssertionError("reads never ended after the peer stopped")
                assert received <= len(data)
            finally:
                SocketFerme(channel)
    finally:
        SocketFerme("fuzz-srv")

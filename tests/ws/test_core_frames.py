"""The frame layer of the WebSocket core (wlsocket.ws.frames): the one
header writer and the one header parser agree on every header, masking is
the RFC's XOR whatever the size, and the mask function is replaceable."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket.ws import frames
from wlsocket.ws.frames import CloseCode, Opcode, close_payload, frame_header, is_valid_close_code, parse_header
from wlsocket.ws.protocol import Protocol, Side

lengths = st.one_of(st.integers(0, 200), st.integers(120, 70_000), st.integers(65_530, 1 << 40))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(Opcode)), lengths, st.booleans(), st.booleans(),
       st.none() | st.binary(min_size=4, max_size=4))
def test_header_round_trip(opcode, length, fin, rsv1, key):
    header = frame_header(opcode, length, fin=fin, rsv1=rsv1, mask_key=key)
    parsed = parse_header(header + b"payload")
    assert parsed == frames.Header(fin, 0b100 if rsv1 else 0, opcode, key, length, len(header))
    # cut anywhere inside the header: not whole yet
    for cut in range(len(header)):
        assert parse_header(header[:cut]) is None


@given(st.binary(max_size=3000), st.binary(min_size=4, max_size=4))
def test_mask_is_the_rfc_xor(data, key):
    expected = bytes(byte ^ key[index % 4] for index, byte in enumerate(data))
    assert bytes(frames.python_apply_mask(data, key)) == expected
    assert bytes(frames.python_apply_mask(frames.python_apply_mask(data, key), key)) == data


@pytest.mark.parametrize("size", [0, 1, 3, 383, 384, 385, 4099, 1 << 20])
def test_both_masking_methods_agree_at_their_boundary(size):
    data, key = os.urandom(size), os.urandom(4)
    repeated = (key * (size // 4 + 1))[:size]
    assert bytes(frames.python_apply_mask(data, key)) == bytes(x ^ y for x, y in zip(data, repeated, strict=True))


def test_the_mask_function_is_replaceable_for_both_directions(monkeypatch):
    """Issue 16 plugs a C implementation behind frames.apply_mask: every
    masked frame, sent by a client or received by a server, must use it."""
    calls = []

    def recording(data, key):
        calls.append(len(data))
        return frames.python_apply_mask(data, key)

    monkeypatch.setattr(frames, "apply_mask", recording)
    header, body = Protocol(Side.CLIENT).send_message(b"x" * 10, text=False)
    server = Protocol(Side.SERVER)
    server.receive_data(header + bytes(body))
    assert server.next_event() == b"x" * 10
    assert calls == [10, 10]


def _without_speedups(monkeypatch) -> None:
    """As on a machine where the websockets package (or its compiled part) is absent."""
    monkeypatch.setitem(sys.modules, "websockets.speedups", None)  # the import now raises ImportError


@pytest.mark.parametrize("implementation", ["C (websockets.speedups)", "pure Python"])
def test_masking_is_chosen_at_the_first_frame_and_both_choices_carry_every_message(monkeypatch, implementation):
    if implementation == "pure Python":
        _without_speedups(monkeypatch)
        assert frames.c_apply_mask() is None
    elif frames.c_apply_mask() is None and not os.environ.get("CI"):
        pytest.skip("websockets' compiled speedups are not installed (pip install '.[speedups]')")
    monkeypatch.setattr(frames, "apply_mask", frames._first_apply_mask)  # as at import: nothing chosen yet
    client, server = Protocol(Side.CLIENT), Protocol(Side.SERVER)
    sizes = [0, 1, 3, 125, 126, 383, 384, 65_535, 65_536, 1 << 20]
    for size in sizes:
        data = os.urandom(size)
        header, body = client.send_message(data, text=False)
        server.receive_data(header + bytes(body))
        assert server.next_event() == data
    chosen = frames.apply_mask
    assert chosen is not frames._first_apply_mask
    assert (chosen is frames.python_apply_mask) is (implementation == "pure Python")
    for size in sizes:  # the chosen function is the RFC's XOR, from any bytes-like input
        data, key = os.urandom(size), os.urandom(4)
        expected = bytes(frames.python_apply_mask(data, key))
        for given_as in (data, bytearray(data), memoryview(data)):
            assert bytes(chosen(given_as, key)) == expected


def test_close_codes_and_payloads():
    assert [code for code in range(999, 5001) if is_valid_close_code(code)] == (
        [1000, 1001, 1002, 1003] + list(range(1007, 1015)) + list(range(3000, 5000))
    )
    assert close_payload(CloseCode.NO_STATUS) == b""
    assert close_payload(CloseCode.NORMAL, "bye") == b"\x03\xe8bye"
    long_reason = close_payload(CloseCode.NORMAL, "é" * 100)  # cut to 125 bytes, never inside a character
    assert len(long_reason) <= 125 and long_reason[2:].decode("utf-8") == "é" * 61

"""Hex dumps, hex/integer conversions, bitwise operators, Encode/Décode."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wlsocket
from wlsocket import WLangageError
from wlsocket.errors import ERR_CODE, error_detected, error_info
from wlsocket.values import Buffer
from wlsocket.wlangage import buffers as b

# "Plétopabo" as UTF-16LE: the bytes of PC SOFT's BufferVersHexa examples.
PLETOPABO = "Plétopabo".encode("utf-16-le")


def fatal(code: str, func, *args) -> None:
    with pytest.raises(WLangageError) as caught:
        func(*args)
    assert caught.value.code == code


def test_names():
    assert wlsocket.BufferVersHexa is wlsocket.BufferToHexa is b.buffer_to_hexa
    assert wlsocket.HexaVersEntier is wlsocket.HexaToInt is b.hexa_to_int
    assert wlsocket.EntierVersHexa is wlsocket.IntToHexa is b.int_to_hexa
    assert wlsocket.OUExclusifBinaire is wlsocket.BinaryXOR is b.binary_xor
    assert wlsocket.OUBinaire is wlsocket.BinaryOR and wlsocket.ETBinaire is wlsocket.BinaryAND
    assert wlsocket.Décode is wlsocket.Decode is b.decode and wlsocket.Encode is b.encode
    assert wlsocket.SansRegroupement is wlsocket.NoGrouping == b.NO_GROUPING
    assert wlsocket.encodeBASE64URL == b.ENCODE_BASE64_URL


# --- BufferVersHexa ------------------------------------------------------------------


def test_buffer_to_hexa_matches_the_pc_soft_examples():
    assert b.buffer_to_hexa(PLETOPABO) == "50 00 6C 00 E9 00 74 00 6F 00 70 00 61 00 62 00\r\n6F 00"
    assert b.buffer_to_hexa(PLETOPABO, 2) == "0050 006C 00E9 0074 006F 0070 0061 0062\r\n006F"
    assert b.buffer_to_hexa(PLETOPABO, 2, b.BIG_ENDIAN) == "5000 6C00 E900 7400 6F00 7000 6100 6200\r\n6F00"
    assert b.buffer_to_hexa(PLETOPABO, 4) == "006C0050 007400E9 0070006F 00620061\r\n6F 00"
    assert b.buffer_to_hexa(PLETOPABO, 4 + b.BIG_ENDIAN) == "50006C00 E9007400 6F007000 61006200\r\n6F 00"


def test_buffer_to_hexa_grouping_and_lines():
    data = Buffer(b"\x4a\x5b\x00")
    assert b.buffer_to_hexa(data) == "4A 5B 00"
    assert b.buffer_to_hexa(data, b.NO_GROUPING) == "4A5B00"
    assert b.buffer_to_hexa(bytes(range(20)), b.NO_GROUPING) == bytes(range(20)).hex().upper()  # one line
    assert b.buffer_to_hexa(bytes(range(4)), b.NO_GROUPING, 2) == "0001\r\n0203"
    assert b.buffer_to_hexa(bytes(range(4)), 1, 2) == "00 01\r\n02 03"
    assert b.buffer_to_hexa(bytes(range(20)), 1, b.NO_LINE).count("\r\n") == 0
    assert b.buffer_to_hexa(bytes(range(4)), 2, 1) == "0100\r\n0302"  # fewer per line than per word
    assert b.buffer_to_hexa(b"") == ""
    assert b.buffer_to_hexa("é") == "E9"  # a chaîne: its ANSI bytes


def test_buffer_to_hexa_misuse():
    fatal("PARAMETRE_INVALIDE", b.buffer_to_hexa, b"a", 3)
    fatal("TYPE_PARAMETRE_INVALIDE", b.buffer_to_hexa, None)
    fatal("TYPE_PARAMETRE_INVALIDE", b.buffer_to_hexa, b"a", "1")


# --- HexaVersBuffer, HexaVersEntier, EntierVersHexa ------------------------------------


def test_hexa_to_buffer():
    assert b.hexa_to_buffer("4A 5B 00") == Buffer(b"\x4a\x5b\x00")
    assert b.hexa_to_buffer("4a5b\r\n00") == Buffer(b"\x4a\x5b\x00")
    assert b.hexa_to_buffer("007E") == Buffer(b"\x00\x7e")
    assert b.hexa_to_buffer("") == Buffer()


def test_hexa_to_buffer_bad_input_is_non_fatal():
    assert b.hexa_to_buffer("4G") == Buffer() and error_detected
    assert error_info(ERR_CODE) == "HEXA_INVALIDE"
    assert b.hexa_to_buffer("ABC") == Buffer() and error_info(ERR_CODE) == "HEXA_INVALIDE"
    assert b.hexa_to_buffer("AB") == Buffer(b"\xab") and not error_detected


def test_hexa_to_int():
    assert b.hexa_to_int("FF") == 255
    assert b.hexa_to_int("ff") == 255
    assert b.hexa_to_int("0x1F") == 31
    assert b.hexa_to_int("00 7E") == 126  # what BufferVersHexa gives for 2 bytes
    assert b.hexa_to_int("FFFFFFFFFFFFFFFF") == 2**64 - 1
    assert b.hexa_to_int("") == 0
    assert b.hexa_to_int("12Z") == 0 and error_info(ERR_CODE) == "HEXA_INVALIDE"


def test_int_to_hexa():
    assert b.int_to_hexa(255) == "000000FF"
    assert b.int_to_hexa(255, 2) == "FF"
    assert b.int_to_hexa(255, 1) == "FF"  # never cut
    assert b.int_to_hexa(300, 4) == "012C"
    assert b.int_to_hexa(-1) == "FFFFFFFF"
    assert b.int_to_hexa(2**32) == "0000000100000000"
    assert b.int_to_hexa(-(2**40)) == "FFFFFF0000000000"
    fatal("TYPE_PARAMETRE_INVALIDE", b.int_to_hexa, "12")
    fatal("PARAMETRE_INVALIDE", b.int_to_hexa, 1, -2)


def test_the_websocket_example_length_fields():
    # Droite(EntierVersHexa(n), 4) then HexaVersBuffer: the 16-bit length of a frame
    assert b.hexa_to_buffer(wlsocket.Droite(b.int_to_hexa(300), 4)) == Buffer(b"\x01\x2c")
    # and the 127 case of the original writes 4 bytes where RFC 6455 wants 8
    assert len(b.hexa_to_buffer(b.int_to_hexa(70000))) == 4
    assert b.hexa_to_int(b.buffer_to_hexa(Buffer(b"\x01\x2c"))) == 300


@given(st.binary(max_size=64), st.sampled_from([1, 2, 4]), st.integers(1, 40))
def test_hexa_round_trip_with_byte_groups(data, size, per_line):
    dump = b.buffer_to_hexa(data, 1, per_line)
    assert b.hexa_to_buffer(dump) == data
    assert b.hexa_to_buffer(b.buffer_to_hexa(data, b.NO_GROUPING)) == data
    assert b.hexa_to_buffer(b.buffer_to_hexa(data, size + b.BIG_ENDIAN, b.NO_LINE)) == data


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_int_hexa_round_trip(value):
    assert b.hexa_to_int(b.int_to_hexa(value)) == value
    assert int.from_bytes(b.hexa_to_buffer(b.int_to_hexa(value)), "big") == value


@given(st.binary(min_size=1, max_size=16))
def test_hexa_to_int_reads_buffer_to_hexa_big_endian(data):
    assert b.hexa_to_int(b.buffer_to_hexa(data)) == int.from_bytes(data, "big")


# --- bitwise -----------------------------------------------------------------------------


def test_bitwise_on_integers():
    assert b.binary_xor(0x55, 0xFF) == 0xAA
    assert b.binary_or(0x80, b.binary_and(0x1, 0xF)) == 0x81
    assert b.binary_and(0b1100, 0b1010) == 0b1000
    assert b.binary_or(True, 2) == 3


def test_bitwise_on_buffers():
    assert b.binary_xor(Buffer(b"\x0f\xf0"), Buffer(b"\xff\xff")) == Buffer(b"\xf0\x0f")
    assert b.binary_and(b"\xff\xff\xff", b"\x0f") == Buffer(b"\x0f\x00\x00")
    assert isinstance(b.binary_or(b"\x01", b"\x02"), Buffer)


def test_bitwise_misuse_is_fatal():
    fatal("TYPE_PARAMETRE_INVALIDE", b.binary_xor, "a", 1)
    fatal("TYPE_PARAMETRE_INVALIDE", b.binary_xor, 1, b"\x01")
    fatal("TYPE_PARAMETRE_INVALIDE", b.binary_and, 1, None)


@given(st.binary(max_size=40), st.binary(min_size=4, max_size=4))
def test_xor_unmasking_twice_gives_the_payload_back(payload, mask):
    repeated = (mask * (len(payload) // 4 + 1))[: len(payload)]
    assert b.binary_xor(b.binary_xor(payload, repeated), repeated) == payload


# --- Encode / Décode -----------------------------------------------------------------------


def test_encode_formats():
    assert b.encode("hello") == "aGVsbG8="
    assert b.encode(Buffer(b"\xfb\xff"), b.ENCODE_BASE64_URL) == "-_8"
    assert b.encode(Buffer(b"\xfb\xff"), b.ENCODE_BASE64) == "+/8="
    long = bytes(range(100))
    wrapped = b.encode(long, b.ENCODE_BASE64)
    assert wrapped.split("\r\n")[0] == base64.b64encode(long).decode()[:76]
    assert b.encode(long, b.ENCODE_BASE64_NO_CR) == base64.b64encode(long).decode()


def test_decode_formats():
    assert b.decode("aGVsbG8=") == Buffer(b"hello")
    assert b.decode("aGVsbG8") == Buffer(b"hello")  # padding optional
    assert b.decode("-_8", b.ENCODE_BASE64_URL) == Buffer(b"\xfb\xff")
    assert b.decode("-_8=", b.ENCODE_BASE64_URL) == Buffer(b"\xfb\xff")
    assert not error_detected


def test_decode_bad_input_is_non_fatal():
    assert b.decode("a$b=") == Buffer() and error_info(ERR_CODE) == "DECODAGE_INVALIDE"
    assert b.decode("+/8=", b.ENCODE_BASE64_URL) == Buffer() and error_detected


def test_unsupported_formats_are_fatal():
    fatal("ALGORITHME_NON_SUPPORTE", b.encode, "x", 99)
    fatal("ALGORITHME_NON_SUPPORTE", b.encode, "x", b.ENCODE_NONE)
    fatal("ALGORITHME_NON_SUPPORTE", b.decode, "x", 99)
    fatal("TYPE_PARAMETRE_INVALIDE", b.encode, None)


@given(st.binary(max_size=200), st.sampled_from([b.ENCODE_BASE64, b.ENCODE_BASE64_NO_CR, b.ENCODE_BASE64_URL]))
def test_base64_round_trips(data, fmt):
    text = b.encode(data, fmt)
    assert b.decode(text, fmt) == data
    assert all(len(line) <= 76 for line in text.split("\r\n"))

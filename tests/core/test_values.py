"""wlsocket.values: the chaîne <-> bytes codecs, the Buffer and durations.

The ANSI codec is checked byte by byte against Windows-1252 (the five
bytes it leaves undefined become the C1 controls of the same value), both
sizes of its decoder are exercised (the small-input path and the one used
from 16 KiB on), and UTF-8 keeps undecodable bytes with surrogateescape.
"""

from __future__ import annotations

import datetime
import math
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wlsocket
from wlsocket import WLangageError
from wlsocket.values import (
    MAX_DURATION_MS,
    Buffer,
    ansi_decode,
    ansi_encode,
    duration_ms,
    get_string_encoding,
    set_string_encoding,
    to_bytes,
    to_text,
)

UNDEFINED_IN_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
ALL_BYTES = bytes(range(256))
#: The largest input the decoder's small path sees, and the first of its large path.
SMALL, LARGE = 16 * 1024 - 1, 16 * 1024


def fatal_code(call, *args) -> str:
    with pytest.raises(WLangageError) as raised:
        call(*args)
    return raised.value.code


@pytest.fixture
def utf8():
    set_string_encoding("utf-8")
    yield
    set_string_encoding("ansi")


# --- the bijective ANSI codec -----------------------------------------------------


def test_every_byte_decodes_to_one_distinct_character():
    text = ansi_decode(ALL_BYTES)
    assert len(text) == 256 and len(set(text)) == 256
    assert [ansi_decode(bytes([b])) for b in range(256)] == list(text)


def test_the_table_is_windows_1252_with_c1_controls_in_its_holes():
    for byte in range(256):
        char = ansi_decode(bytes([byte]))
        if byte in UNDEFINED_IN_CP1252:
            assert char == chr(byte)
        else:
            assert char == bytes([byte]).decode("cp1252"), hex(byte)
    assert ansi_decode(b"\x80\x9f\xe9\xff") == "€Ÿéÿ"


def test_all_256_bytes_round_trip_both_ways():
    assert ansi_encode(ansi_decode(ALL_BYTES)) == ALL_BYTES
    text = ansi_decode(ALL_BYTES)
    assert ansi_decode(ansi_encode(text)) == text


@pytest.mark.parametrize("size", [SMALL, LARGE, 3 * LARGE + 7])
@pytest.mark.parametrize("kind", ["ascii", "all bytes", "non-ascii at the end"])
def test_both_decoder_paths_give_the_same_characters(size, kind):
    if kind == "ascii":
        data = (b"abcdefgh" * size)[:size]
    elif kind == "all bytes":
        data = (ALL_BYTES * (size // 256 + 1))[:size]
    else:
        data = b"a" * (size - 1) + b"\x80"
    text = ansi_decode(data)
    assert text == "".join(ansi_decode(bytes([b])) for b in data[:512]) + ansi_decode(data[512:])
    assert len(text) == size and ansi_encode(text) == data


@given(st.binary(max_size=40_000))
def test_any_bytes_round_trip(data):
    assert ansi_encode(ansi_decode(data)) == data


@given(st.text(alphabet=st.sampled_from(ansi_decode(ALL_BYTES)), max_size=300))
def test_any_ansi_chaine_round_trips(text):
    assert ansi_decode(ansi_encode(text)) == text


@pytest.mark.parametrize("char", ["Ā", "中", "😀", "\u0100", "\ud800", "\U0010ffff"])
def test_a_character_without_an_ansi_byte_is_refused(char):
    with pytest.raises(UnicodeEncodeError):
        ansi_encode("ok" + char)
    # Through the facade's conversion: the fatal CHAINE_NON_ANSI naming it, never a '?'.
    with pytest.raises(WLangageError) as raised:
        to_bytes("ok" + char + "ok")
    assert raised.value.code == "CHAINE_NON_ANSI"
    assert repr(char) in str(raised.value.detail)


# --- UTF-8 with surrogateescape ------------------------------------------------------


def test_string_encoding_names(utf8):
    assert get_string_encoding() == "utf-8"
    for spelling in ("ANSI", "ansi"):
        set_string_encoding(spelling)
        assert get_string_encoding() == "ansi"
    for spelling in ("UTF-8", "utf8", "UTF_8"):
        set_string_encoding(spelling)
        assert get_string_encoding() == "utf-8"
    for unknown in ("latin-1", "cp1252", "", "utf-16"):
        assert fatal_code(set_string_encoding, unknown) == "ENCODAGE_INCONNU"
        assert get_string_encoding() == "utf-8"  # a refused name changes nothing


def test_utf8_keeps_undecodable_bytes(utf8):
    data = b"caf\xc3\xa9 \xff\xfe \xc3"
    text = to_text(data)
    assert text == "café \udcff\udcfe \udcc3"
    assert to_bytes(text) == data
    assert to_bytes("😀") == "😀".encode()


@given(st.binary(max_size=2000))
def test_utf8_any_bytes_round_trip(data):
    set_string_encoding("utf-8")
    try:
        assert to_bytes(to_text(data)) == data
    finally:
        set_string_encoding("ansi")


def test_utf8_refuses_a_lone_surrogate_that_no_byte_made(utf8):
    assert fatal_code(to_bytes, "a\ud800b") == "CHAINE_NON_ANSI"


def test_the_string_encoding_decides_both_directions():
    assert to_bytes("é") == b"\xe9" and to_text(b"\xe9") == "é"
    set_string_encoding("utf-8")
    try:
        assert to_bytes("é") == b"\xc3\xa9" and to_text(b"\xc3\xa9") == "é"
        assert to_text(b"\xe9") == "\udce9"
    finally:
        set_string_encoding("ansi")
    assert wlsocket.get_string_encoding() == "ansi"


# --- to_bytes of the other WLangage types -----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"raw\x00", b"raw\x00"),
        (bytearray(b"ba"), b"ba"),
        (memoryview(b"mv"), b"mv"),
        (Buffer(b"\xff"), b"\xff"),
        (True, b"1"),
        (False, b"0"),
        (0, b"0"),
        (-42, b"-42"),
        (1.5, b"1.5"),
        ("", b""),
    ],
)
def test_to_bytes_of_each_type(value, expected):
    result = to_bytes(value)
    assert result == expected and type(result) is bytes


@pytest.mark.parametrize("value", [None, [1], {"a": 1}, object(), 1j])
def test_to_bytes_refuses_what_cannot_be_a_message(value):
    assert fatal_code(to_bytes, value) == "TYPE_MESSAGE_INVALIDE"


# --- Buffer ----------------------------------------------------------------------------


def test_buffer_construction():
    assert Buffer() == b"" and type(Buffer()) is Buffer
    assert Buffer("abé") == b"ab\xe9"
    assert Buffer(b"\x00\xff") == b"\x00\xff"
    assert Buffer(5) == b"5"  # a number becomes its digits, not five zero bytes
    assert Buffer(True) == b"1"
    assert fatal_code(Buffer, "中") == "CHAINE_NON_ANSI"
    assert fatal_code(Buffer, None) == "TYPE_MESSAGE_INVALIDE"


def test_buffer_concatenates_with_a_chaine_on_either_side():
    left = Buffer(b"\x01") + "é"
    right = "é" + Buffer(b"\x01")
    assert type(left) is Buffer and left == b"\x01\xe9"
    assert type(right) is Buffer and right == b"\xe9\x01"
    total = ""
    for piece in (Buffer(b"GET "), Buffer(b"/ HTTP")):
        total += piece  # sRequete += bufMorceau
    assert type(total) is Buffer and total == b"GET / HTTP"
    assert Buffer(b"a") + b"b" + bytearray(b"c") == b"abc"


def test_buffer_compares_with_a_chaine_through_the_string_encoding():
    # == and != separately: Buffer defines both.
    assert Buffer(b"") == "" and (Buffer(b"x") == "") is False
    assert Buffer(b"\xe9t\xe9") == "été" and operator.eq("été", Buffer(b"\xe9t\xe9"))  # the chaîne on the left too
    assert Buffer(b"a") != "b" and (Buffer(b"a") != "a") is False
    assert Buffer("中".encode()) != "中"  # no ANSI byte: unequal, no exception
    assert Buffer(b"ab") == b"ab" and (Buffer(b"\x00") == 0) is False
    set_string_encoding("utf-8")
    try:
        assert Buffer(b"\xc3\xa9t\xc3\xa9") == "été" and Buffer(b"\xe9") != "é"
    finally:
        set_string_encoding("ansi")


@pytest.mark.filterwarnings("ignore:NotImplemented should not be used in a boolean context:DeprecationWarning")
@pytest.mark.parametrize("other", [0, None, 1.5, [0]])
def test_buffer_differs_from_what_is_neither_bytes_nor_chaine(other):
    assert Buffer(b"0") != other


def test_buffer_hashes_as_its_bytes():
    assert hash(Buffer(b"key")) == hash(b"key")
    assert {b"key": 1}[Buffer(b"key")] == 1


def test_buffer_slices_are_buffers_and_indexes_are_integers():
    buffer = Buffer(b"\x10\x20\x30")
    assert buffer[0] == 0x10 and buffer[-1] == 0x30
    assert type(buffer[0:1]) is Buffer and buffer[0:1] == b"\x10"
    assert type(buffer[::-1]) is Buffer and buffer[::-1] == b"\x30\x20\x10"
    with pytest.raises(IndexError):
        buffer[3]


def test_buffer_as_text_and_repr():
    assert str(Buffer(b"\xe9\x80")) == "é€"
    assert repr(Buffer(b"a\x00")) == "Buffer(b'a\\x00')"
    set_string_encoding("utf-8")
    try:
        assert str(Buffer(b"\xc3\xa9\xff")) == "é\udcff"
    finally:
        set_string_encoding("ansi")


@given(st.binary(max_size=300))
def test_any_buffer_survives_chaine_and_back(data):
    assert Buffer(str(Buffer(data))) == data


# --- durations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        (0, 0),
        (250, 250),
        (-1, -1),
        (MAX_DURATION_MS, MAX_DURATION_MS),
        (-MAX_DURATION_MS, -MAX_DURATION_MS),
        (1.9, 1),
        (datetime.timedelta(seconds=1.5), 1500),
        (datetime.timedelta(minutes=2), 120_000),
        ("250", 250),
        (" 250 ", 250),
        ("-5", -5),
        ("250 ms", 250),
        ("250ms", 250),
        ("3 cs", 30),
        ("1 s", 1000),
        ("2 sec", 2000),
        ("1,5 s", 1500),
        ("1.5 s", 1500),
        ("1 min 30 s", 90_000),
        ("1 mn", 60_000),
        ("2 h", 7_200_000),
        ("1 j", 86_400_000),
        ("1 d", 86_400_000),
        ("5 S", 5000),
        ("1 H 1 MIN", 3_660_000),
        (str(MAX_DURATION_MS), MAX_DURATION_MS),
    ],
)
def test_durations_in_every_accepted_form(value, ms):
    assert duration_ms(value) == ms


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        [1000],
        b"1000",
        math.nan,
        math.inf,
        -math.inf,
        MAX_DURATION_MS + 1,
        -MAX_DURATION_MS - 1,
        2**63,
        float(2**40),
        datetime.timedelta(days=25),
        "",
        "   ",
        "s",
        "abc",
        "1 parsec",
        "1 s 1",
        "s 1",
        "1 s,",
        "-1 s",
        "1e3",
        "1e3 ms",
        "0x10",
        "1_000",
        str(MAX_DURATION_MS + 1),
        "9" * 21,
        "9" * 5000,
        "9" * 400 + " h",
        "25 j",
        "-",
    ],
)
def test_bad_durations_are_fatal(value):
    with pytest.raises(WLangageError) as raised:
        duration_ms(value, "delai")
    assert raised.value.code == "DUREE_INVALIDE"
    assert "delai=" in str(raised.value.detail)


def test_a_duration_beyond_the_limit_names_the_limit():
    with pytest.raises(WLangageError) as raised:
        duration_ms(MAX_DURATION_MS + 1)
    assert f"{MAX_DURATION_MS} ms at most" in str(raised.value.detail)


@pytest.mark.parametrize("value", ["--5", "-" * 3 + "1"])
def test_repeated_minus_signs_are_a_bad_duration(value):
    assert fatal_code(duration_ms, value) == "DUREE_INVALIDE"


@given(st.integers(min_value=-MAX_DURATION_MS, max_value=MAX_DURATION_MS))
def test_any_integer_in_range_is_its_own_duration_in_every_spelling(ms):
    assert duration_ms(ms) == duration_ms(str(ms)) == ms
    if ms >= 0:
        assert duration_ms(f"{ms} ms") == ms

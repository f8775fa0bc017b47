"""WLangage string helpers: concrete values, the [[ ]] operator, EOT, ANSI/UTF-8."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wlsocket
from wlsocket import WLangageError
from wlsocket.values import Buffer, set_string_encoding
from wlsocket.wlangage import EOT, SC, affecte_sous_chaine, sous_chaine, utf8
from wlsocket.wlangage import strings as s
from wlsocket.wlangage.buffers import binary_and, binary_or


def fatal(code: str, func, *args, **kwargs) -> WLangageError:
    with pytest.raises(WLangageError) as caught:
        func(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


# --- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("ChaîneConstruit", "ChaineConstruit", "StringBuild"),
        ("ExtraitChaîne", "ExtraitChaine", "ExtractString"),
        ("ChaîneOccurrence", "ChaineOccurrence", "StringCount"),
        ("ChaîneVersTableau", "ChaineVersTableau", "StringToArray"),
        ("ChaîneVersUTF8", "ChaineVersUTF8", "StringToUTF8"),
        ("Majuscule", "Upper"),
        ("SansEspace", "NoSpace"),
        ("Caract", "Charact"),
        ("Taille", "Length"),
    ],
)
def test_every_spelling_is_the_same_function(spellings):
    objects = {id(getattr(wlsocket, name)) for name in spellings}
    assert len(objects) == 1
    assert wlsocket.extraitchaîne is wlsocket.EXTRAITCHAINE is s.extract_string


def test_constants():
    assert wlsocket.RC == "\r\n" and wlsocket.CR == "\r\n"
    assert wlsocket.TAB == "\t" and wlsocket.CRLF == "\r\n"
    assert wlsocket.Vrai is True and wlsocket.Faux is False
    assert wlsocket.EOT is EOT


# --- ChaîneConstruit -------------------------------------------------------------


def test_string_build_replaces_numbered_parameters():
    assert s.string_build("Sec-WebSocket-Accept: %1", "abc=") == "Sec-WebSocket-Accept: abc="
    assert s.string_build("%2-%1-%2", "a", "b") == "b-a-b"
    assert s.string_build("%1 %2 %3", 12, True, 1.5) == "12 1 1.5"
    assert s.string_build("100%% sur %1", "x") == "100% sur x"


def test_string_build_with_ten_parameters_and_missing_ones():
    params = [str(i) for i in range(1, 11)]
    assert s.string_build("%10|%1", *params) == "10|1"
    assert s.string_build("%10", "a") == "a0"  # %1 then "0"
    assert s.string_build("%3 stays", "a") == "%3 stays"


def test_string_build_on_a_buffer_inserts_bytes():
    body = utf8.string_to_utf8('{ "reponse": "%1" }')
    result = s.string_build(body, "été")
    assert isinstance(result, Buffer)
    assert bytes(result) == b'{ "reponse": "\xe9t\xe9" }'  # the chaîne's ANSI bytes


def test_string_build_rejects_a_list():
    fatal("TYPE_PARAMETRE_INVALIDE", s.string_build, ["%1"], "x")
    fatal("TYPE_PARAMETRE_INVALIDE", s.string_build, "%1", None)


# --- ChaîneOccurrence -----------------------------------------------------------


def test_string_count():
    request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    assert s.string_count(request, s.RC + s.RC) == 1
    assert s.string_count("GET / HTTP/1.1\r\nHost: x\r\n", s.RC + s.RC) == 0
    assert s.string_count("aaaa", "aa") == 2  # not overlapping
    assert s.string_count("abc", "") == 0
    assert s.string_count("Json JSON json", "json", s.IGNORE_CASE) == 3
    assert s.string_count("json jsonp json_x json", "json", s.WHOLE_WORD) == 2
    assert s.string_count(Buffer(b"\x00\r\n\r\n\x00"), "\r\n\r\n") == 1


def test_string_count_bad_option():
    fatal("PARAMETRE_INVALIDE", s.string_count, "a", "a", 64)


# --- ExtraitChaîne, EOT ----------------------------------------------------------


def test_extract_string_is_one_based_with_eot_past_the_end():
    line = "Sec-WebSocket-Protocol: json, chat"
    assert s.extract_string(line, 1, ":") == "Sec-WebSocket-Protocol"
    assert s.extract_string(line, 2, ":") == " json, chat"
    assert s.extract_string(line, 3, ":") is EOT
    assert s.extract_string("a\tb\tc", 2) == "b"  # TAB by default
    assert s.extract_string("a\tb\tc", 1, s.TAB, s.FROM_END) == "c"
    assert s.extract_string("a;b,c", 3, [";", ","]) == "c"
    assert s.extract_string("a::b", 2, ":") == ""
    assert s.extract_string("", 1) == ""
    assert s.extract_string("", 2) is EOT


def test_extract_string_on_a_buffer_gives_buffers():
    field = s.extract_string(Buffer(b"k:\xff\x00"), 2, ":")
    assert isinstance(field, Buffer) and bytes(field) == b"\xff\x00"


def test_extract_string_misuse_is_fatal():
    fatal("PARAMETRE_INVALIDE", s.extract_string, "a", 0)
    fatal("PARAMETRE_INVALIDE", s.extract_string, "a", 1, "")
    fatal("PARAMETRE_INVALIDE", s.extract_string, "a", 1, ",", 7)
    fatal("TYPE_PARAMETRE_INVALIDE", s.extract_string, None, 1)
    fatal("TYPE_PARAMETRE_INVALIDE", s.extract_string, "a", "1")


@given(
    st.lists(st.text(alphabet="abc é€\x81", max_size=5), min_size=1, max_size=6),
    st.sampled_from([",", "\t", "::", "\r\n"]),
)
def test_extract_string_agrees_with_split(fields, separator):
    text = separator.join(fields)
    expected = text.split(separator)
    for rank in range(1, len(expected) + 1):
        assert s.extract_string(text, rank, separator) == expected[rank - 1]
        assert s.extract_string(text, rank, separator, s.FROM_END) == expected[-rank]
    assert s.extract_string(text, len(expected) + 1, separator) is EOT


def test_eot_is_a_distinct_falsy_singleton():
    assert EOT != "" and not EOT and repr(EOT) == "EOT"
    assert copy.deepcopy(EOT) is EOT and pickle.loads(pickle.dumps(EOT)) is EOT
    assert type(EOT)() is EOT
    fatal("TYPE_PARAMETRE_INVALIDE", lambda: "a" + EOT)
    fatal("TYPE_PARAMETRE_INVALIDE", lambda: EOT + "a")
    fatal("TYPE_PARAMETRE_INVALIDE", s.length, EOT)


# --- ChaîneVersTableau ------------------------------------------------------------


def test_string_to_array_fills_the_list():
    protocols = ["old"]
    s.string_to_array(" json, chat", protocols, ",")
    assert protocols == [" json", " chat"]
    lines: list = []
    s.string_to_array("a\r\nb\r\n", lines)  # RC by default
    assert lines == ["a", "b", ""]
    s.string_to_array("", lines, ",")
    assert lines == []


def test_string_to_array_needs_a_list():
    fatal("TYPE_PARAMETRE_INVALIDE", s.string_to_array, "a,b", (), ",")
    fatal("TYPE_PARAMETRE_INVALIDE", s.string_to_array, EOT, [], ",")


# --- Majuscule, SansEspace, Droite, Gauche, Milieu, Taille ---------------------------


def test_upper():
    assert s.upper("json") == "JSON"
    assert s.upper("été") == "ÉTÉ"
    assert s.upper("straße") == "STRAßE"  # same length, as WINDEV
    assert s.upper(Buffer(b"ab\xe9")) == Buffer(b"AB\xe9")
    fatal("TYPE_PARAMETRE_INVALIDE", s.upper, None)


def test_no_space():
    assert s.no_space("  json \t") == "json"
    assert s.no_space("\r\n x \r\n") == "x"
    assert s.no_space("  a  ", s.NS_BEGINNING) == "a  "
    assert s.no_space("  a  ", s.NS_END) == "  a"
    assert s.no_space("  a   b  ", s.NS_EXTERNAL + s.NS_INTERNAL) == "a b"
    assert s.no_space("--a--", s.NS_EXTERNAL, "-") == "a"
    assert s.no_space(Buffer(b" \x00 ")) == Buffer(b"\x00")
    assert isinstance(s.no_space(Buffer(b" a ")), Buffer)
    fatal("PARAMETRE_INVALIDE", s.no_space, "a", 0)


def test_right_left_middle():
    assert s.right("000000FF", 4) == "00FF"
    assert s.right("ab", 5) == "ab"
    assert s.right("ab", 0) == ""
    assert s.left("abcdef", 2) == "ab"
    assert s.left("ab", -1) == ""
    assert s.middle("San Francisco", 5, 6) == "Franci"
    assert s.middle("San Francisco", 5) == "Francisco"
    assert s.middle("abc", 10) == ""
    assert s.right(Buffer(b"\x01\x02\x03"), 2) == Buffer(b"\x02\x03")
    assert isinstance(s.left(Buffer(b"\x01\x02"), 1), Buffer)
    fatal("PARAMETRE_INVALIDE", s.middle, "abc", 0)
    fatal("PARAMETRE_INVALIDE", s.middle, "abc", 1, -1)


def test_length_counts_characters_of_a_string_and_bytes_of_a_buffer():
    assert s.length("été") == 3
    assert s.length(utf8.string_to_utf8("été")) == 5
    assert s.length(Buffer()) == 0
    assert s.length(123) == 3
    fatal("TYPE_PARAMETRE_INVALIDE", s.length, [1, 2])


# --- Asc, Caract --------------------------------------------------------------------


def test_asc_and_charact_follow_the_ansi_codec():
    assert s.asc("€") == 128 and s.charact(128) == "€"
    assert s.asc("A") == 65 and s.charact(65) == "A"
    assert s.asc("") == 0
    assert s.asc(Buffer(b"\x81\x00")) == 0x81
    assert s.charact(0x81) == "\x81"  # undefined in cp1252, kept as its C1 control
    fatal("CHAINE_NON_ANSI", s.charact, 300)
    fatal("CHAINE_NON_ANSI", s.asc, "ą")
    fatal("PARAMETRE_INVALIDE", s.charact, -1)


@given(st.integers(min_value=0, max_value=255))
def test_asc_charact_round_trip_every_byte(code):
    assert s.asc(s.charact(code)) == code
    assert s.asc(Buffer(bytes([code]))) == code


def test_asc_and_charact_in_utf8_mode():
    set_string_encoding("utf-8")
    assert s.asc("€") == 0x20AC and s.charact(0x20AC) == "€"
    assert s.charact(300) == "Ĭ"
    assert s.asc(Buffer(b"\xff")) == 255
    assert s.asc(b"\xff".decode("utf-8", "surrogateescape")) == 255  # a byte kept undecoded


# --- [[ ]] ------------------------------------------------------------------------------


def test_sub_string_operator_forms():
    text = "San Francisco"
    assert sous_chaine(text, 5) == "F"
    assert sous_chaine(text, 5, 10) == "Franci"
    assert sous_chaine(text, 5, None) == "Francisco"
    assert sous_chaine(text, None, 10) == "San Franci"
    assert sous_chaine(text, 10, sur=4) == "isco"
    assert sous_chaine(text, 40) == ""
    assert sous_chaine(text, 8, 3) == ""
    assert sous_chaine(text, 12, sur=10) == "co"


def test_sub_string_object_form():
    text = SC("San Francisco")
    assert text[5] == "F" and text[5:10] == "Franci" and text[5:] == "Francisco"
    assert text[:10] == "San Franci" and text.sur(10, 4) == "isco"


def test_sub_string_of_a_websocket_frame():
    frame = Buffer(bytes([0x81, 0x85, 1, 2, 3, 4]) + b"hello")
    assert isinstance(sous_chaine(frame, 2), Buffer)
    assert s.asc(sous_chaine(frame, 2)) & 127 == 5
    assert sous_chaine(frame, 3, 6) == Buffer(b"\x01\x02\x03\x04")
    assert sous_chaine(frame, 7, None) == Buffer(b"hello")
    assert sous_chaine(frame, 3, sur=2) == Buffer(b"\x01\x02")


def test_assigning_through_the_operator_grows_a_buffer():
    reply = Buffer()
    reply = affecte_sous_chaine(reply, 1, s.charact(binary_or(0x80, binary_and(0x1, 0xF))))
    reply = affecte_sous_chaine(reply, 2, s.charact(126))
    assert reply == Buffer(b"\x81~")
    assert affecte_sous_chaine(Buffer(b"\x01"), 3, "\x02") == Buffer(b"\x01\x00\x02")
    assert affecte_sous_chaine("abc", 5, "x") == "abc x"
    assert affecte_sous_chaine("abcdef", 2, "XY", 4) == "aXYef"
    assert affecte_sous_chaine("abcdef", 2, "-", sur=2) == "a-def"
    held = SC(Buffer())
    held[1] = s.charact(0x81)
    held[2] = s.charact(5)
    assert held.valeur == Buffer(b"\x81\x05")


def test_sub_string_misuse_is_fatal():
    fatal("PARAMETRE_INVALIDE", sous_chaine, "abc", 0)
    fatal("PARAMETRE_INVALIDE", sous_chaine, "abc", 1, 2, sur=1)
    fatal("PARAMETRE_INVALIDE", sous_chaine, "abc", None)
    fatal("PARAMETRE_INVALIDE", lambda: SC("abc")[1:3:2])
    fatal("TYPE_PARAMETRE_INVALIDE", sous_chaine, None, 1)
    fatal("TYPE_PARAMETRE_INVALIDE", sous_chaine, "abc", "1")


@given(st.binary(max_size=30), st.integers(1, 35), st.integers(0, 35))
def test_sub_string_matches_python_slicing(data, start, end):
    buf = Buffer(data)
    assert sous_chaine(buf, start, end) == data[start - 1:max(end, start - 1)]
    assert sous_chaine(buf, start, sur=end) == data[start - 1:start - 1 + end]


# --- UTF-8 / ANSI ------------------------------------------------------------------------


def test_utf8_to_ansi_reads_bytes_held_in_an_ansi_string():
    received = "".join(s.charact(b) for b in "Réponse €".encode())
    assert utf8.utf8_to_ansi(received) == "Réponse €"
    assert utf8.utf8_to_ansi(Buffer("日本é".encode())) == "??é"  # not in ANSI
    assert utf8.utf8_to_ansi(Buffer(b"caf\xe9")) == "café"  # not UTF-8: kept as ANSI
    assert utf8.utf8_to_string(Buffer("日本".encode())) == "日本"


def test_ansi_and_string_to_utf8_give_buffers():
    assert utf8.ansi_to_utf8("é€") == Buffer(b"\xc3\xa9\xe2\x82\xac")
    assert utf8.ansi_to_utf8(Buffer(b"\xe9")) == Buffer(b"\xc3\xa9")
    assert utf8.string_to_utf8("Format non supporté !") == Buffer("Format non supporté !".encode())
    assert isinstance(utf8.string_to_utf8("x"), Buffer)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))
def test_utf8_round_trip(text):
    assert utf8.utf8_to_string(utf8.string_to_utf8(text)) == text

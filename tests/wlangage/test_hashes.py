"""HashChaîne and Crypte: the RFC 6455 accept key computed the WLangage way."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wlsocket
from wlsocket import WLangageError
from wlsocket.errors import ERR_CODE, error_info
from wlsocket.values import Buffer, set_string_encoding
from wlsocket.wlangage import hashes as h
from wlsocket.wlangage.buffers import ENCODE_BASE64, ENCODE_BASE64_URL, ENCODE_NONE, NO_GROUPING, buffer_to_hexa

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def fatal(code: str, func, *args) -> None:
    with pytest.raises(WLangageError) as caught:
        func(*args)
    assert caught.value.code == code


def accept_key_the_wlangage_way(key: str) -> str:
    # Crypte(HashChaîne(HA_SHA_160, sClé + "258EAF..."), "", compresseAucun, encodeBASE64)
    return wlsocket.Crypte(wlsocket.HashChaîne(wlsocket.HA_SHA_160, key + GUID), "", wlsocket.compresseAucun,
                           wlsocket.encodeBASE64)


def test_rfc6455_example_accept_key():
    assert accept_key_the_wlangage_way("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@given(st.binary(min_size=16, max_size=16))
def test_accept_key_equals_base64_of_sha1(nonce):
    key = base64.b64encode(nonce).decode()
    expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    assert accept_key_the_wlangage_way(key) == expected


def test_hash_string_returns_a_buffer():
    digest = h.hash_string(h.HashAlgorithm.HA_SHA_160, "abc")
    assert isinstance(digest, Buffer) and len(digest) == 20
    assert buffer_to_hexa(digest, NO_GROUPING) == "A9993E364706816ABA3E25717850C26C9CD0D89D"
    assert bytes(h.hash_string(h.HashAlgorithm.HA_SHA_256, "abc")) == hashlib.sha256(b"abc").digest()
    assert bytes(h.hash_string(h.HashAlgorithm.HA_MD5_128, "")) == bytes.fromhex("d41d8cd98f00b204e9800998ecf8427e")
    assert bytes(h.hash_string(h.HashAlgorithm.HA_SHA3_256, Buffer(b"\x00"))) == hashlib.sha3_256(b"\x00").digest()


@pytest.mark.parametrize("algorithm", list(h.HashAlgorithm))
def test_every_algorithm_is_the_standard_one(algorithm):
    if algorithm.name.startswith("HA_HMAC_"):
        name = {"MD5_128": "md5", "SHA_160": "sha1"}.get(algorithm.name[8:], "sha" + algorithm.name[-3:])
        expected = hmac.new(b"key", b"message", name).digest()
        assert bytes(h.hash_string(algorithm, "message", "key")) == expected
    else:
        name = {"HA_MD5_128": "md5", "HA_SHA_160": "sha1"}.get(algorithm.name)
        name = name or algorithm.name[3:].lower().replace("sha_", "sha")
        assert bytes(h.hash_string(algorithm, "message")) == hashlib.new(name, b"message").digest()
    assert getattr(wlsocket, algorithm.name) is algorithm


def test_the_chaine_is_hashed_in_the_current_encoding():
    ansi = h.hash_string(h.HashAlgorithm.HA_SHA_160, "é")
    assert bytes(ansi) == hashlib.sha1(b"\xe9").digest()
    set_string_encoding("utf-8")
    assert bytes(h.hash_string(h.HashAlgorithm.HA_SHA_160, "é")) == hashlib.sha1("é".encode()).digest()


def test_hash_misuse_is_fatal():
    fatal("ALGORITHME_NON_SUPPORTE", h.hash_string, 999, "x")
    fatal("PARAMETRE_INVALIDE", h.hash_string, h.HashAlgorithm.HA_HMAC_SHA_256, "x")
    fatal("PARAMETRE_INVALIDE", h.hash_string, h.HashAlgorithm.HA_SHA_256, "x", "key")
    fatal("TYPE_PARAMETRE_INVALIDE", h.hash_string, h.HashAlgorithm.HA_SHA_256, None)
    fatal("TYPE_PARAMETRE_INVALIDE", h.hash_string, "HA_SHA_256", "x")


def test_crypt_supported_combinations():
    data = Buffer(b"\x00\xff")
    for kind in (h.COMPRESS_NONE, h.CRYPT_NONE, h.COMPRESS_NONE + h.CRYPT_NONE):
        assert h.crypt(data, "", kind, ENCODE_BASE64) == "AP8="
        assert h.crypt(data, "ignored", kind, ENCODE_BASE64_URL) == "AP8"
        assert h.crypt(data, "", kind, ENCODE_NONE) == data
        assert h.decrypt("AP8=", "", kind, ENCODE_BASE64) == data
    assert wlsocket.Crypte is wlsocket.Crypt and wlsocket.Décrypte is wlsocket.Decrypt


def test_crypt_with_encryption_is_refused_clearly():
    for kind in (h.CRYPT_SECURE, h.CRYPT_FAST, h.COMPRESS_NONE + h.CRYPT_SECURE, 0x800):
        fatal("ALGORITHME_NON_SUPPORTE", h.crypt, "x", "pwd", kind, ENCODE_BASE64)
    fatal("ALGORITHME_NON_SUPPORTE", h.crypt, "x", "pwd")  # the default is crypteSécurisé
    fatal("ALGORITHME_NON_SUPPORTE", h.crypt, "x", "", h.CRYPT_NONE, 42)
    fatal("ALGORITHME_NON_SUPPORTE", h.decrypt, "x", "", h.CRYPT_SECURE, ENCODE_BASE64)
    fatal("TYPE_PARAMETRE_INVALIDE", h.crypt, "x", None, h.CRYPT_NONE, ENCODE_BASE64)


def test_decrypt_of_bad_base64_is_non_fatal():
    assert h.decrypt("%%%", "", h.CRYPT_NONE, ENCODE_BASE64) == Buffer()
    assert error_info(ERR_CODE) == "DECODAGE_INVALIDE"

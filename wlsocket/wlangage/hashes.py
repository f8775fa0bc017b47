"""HashChaîne and Crypte/Décrypte without encryption.

The WebSocket handshake written in WLangage computes
``Crypte(HashChaîne(HA_SHA_160, sClé + GUID), "", compresseAucun, encodeBASE64)``:
a SHA-1 digest, then Base64.  That is what this module guarantees, byte for
byte; real encryption (crypteRapide, crypteSécurisé...) is PC SOFT's own
format and is refused with a clear fatal error rather than imitated.
"""

from __future__ import annotations

import enum
import hashlib
import hmac

from ..errors import raise_error, wlangage_function
from ..values import Buffer
from ._types import need_int, raw_bytes
from .buffers import ENCODE_NONE, decode_bytes, encode_bytes

__all__ = [
    "HashAlgorithm", "hash_string",
    "CRYPT_NONE", "CRYPT_FAST", "CRYPT_SECURE", "COMPRESS_NONE",
    "crypt", "decrypt",
]


class HashAlgorithm(enum.IntEnum):
    """The HA_* constants HashChaîne accepts (values are wlsocket's own)."""

    HA_MD5_128 = 1
    HA_SHA_160 = 2
    HA_SHA_256 = 3
    HA_SHA_384 = 4
    HA_SHA_512 = 5
    HA_SHA3_224 = 6
    HA_SHA3_256 = 7
    HA_SHA3_384 = 8
    HA_SHA3_512 = 9
    HA_HMAC_MD5_128 = 101
    HA_HMAC_SHA_160 = 102
    HA_HMAC_SHA_256 = 103
    HA_HMAC_SHA_384 = 104
    HA_HMAC_SHA_512 = 105

    def __repr__(self) -> str:
        return self.name


_DIGESTS = {
    HashAlgorithm.HA_MD5_128: "md5",
    HashAlgorithm.HA_SHA_160: "sha1",
    HashAlgorithm.HA_SHA_256: "sha256",
    HashAlgorithm.HA_SHA_384: "sha384",
    HashAlgorithm.HA_SHA_512: "sha512",
    HashAlgorithm.HA_SHA3_224: "sha3_224",
    HashAlgorithm.HA_SHA3_256: "sha3_256",
    HashAlgorithm.HA_SHA3_384: "sha3_384",
    HashAlgorithm.HA_SHA3_512: "sha3_512",
}
_HMACS = {
    HashAlgorithm.HA_HMAC_MD5_128: "md5",
    HashAlgorithm.HA_HMAC_SHA_160: "sha1",
    HashAlgorithm.HA_HMAC_SHA_256: "sha256",
    HashAlgorithm.HA_HMAC_SHA_384: "sha384",
    HashAlgorithm.HA_HMAC_SHA_512: "sha512",
}


def hash_string(algorithm: object, text: object, key: object = None) -> Buffer:
    """HashChaîne / HashString(<Algorithme>, <Chaîne> [, <Clé>]): the digest, as a Buffer.

    ``HashChaîne(HA_SHA_160, "abc")`` is the 20 bytes of SHA-1 (show them
    with ``BufferVersHexa(..., SansRegroupement)``).  The chaîne is hashed
    from its bytes in the current string encoding (``"ansi"``: one byte per
    character; ``"utf-8"``: its UTF-8 bytes), a Buffer from its bytes.
    ``HA_HMAC_*`` algorithms need the key (third argument); the others
    refuse one.  Algorithms: HA_MD5_128, HA_SHA_160, HA_SHA_256, HA_SHA_384,
    HA_SHA_512, HA_SHA3_224/256/384/512 and HA_HMAC_MD5_128,
    HA_HMAC_SHA_160/256/384/512.

    Differs: other algorithms (HA_MD4, HA_CRC..., PBKDF2) are the fatal
    error ALGORITHME_NON_SUPPORTE; a chaîne is hashed in the current string
    encoding, never as UTF-16.
    """
    code = need_int(algorithm, "HashChaîne #1")
    data = raw_bytes(text, "HashChaîne #2")
    if code in _HMACS:
        if key is None:
            raise_error("PARAMETRE_INVALIDE", f"HashChaîne({HashAlgorithm(code).name}) needs a key")
        return Buffer(hmac.new(raw_bytes(key, "HashChaîne #3"), data, _HMACS[HashAlgorithm(code)]).digest())
    if code in _DIGESTS:
        if key is not None:
            raise_error("PARAMETRE_INVALIDE", f"HashChaîne({HashAlgorithm(code).name}) takes no key")
        return Buffer(hashlib.new(_DIGESTS[HashAlgorithm(code)], data).digest())
    raise_error("ALGORITHME_NON_SUPPORTE", f"HashChaîne algorithm {algorithm!r}")


# Crypte's third argument: an encryption kind plus a compression kind.
CRYPT_NONE = 0x01  # crypteAucun
CRYPT_FAST = 0x02  # crypteRapide (refused)
CRYPT_SECURE = 0x03  # crypteSécurisé (refused; WLangage's default)
COMPRESS_NONE = 0x100  # compresseAucun
_CRYPT_MASK = 0xFF
_KNOWN_BITS = _CRYPT_MASK | COMPRESS_NONE


def _check_no_encryption(kind: object, where: str) -> None:
    flags = need_int(kind, f"{where} #3")
    crypt_part = flags & _CRYPT_MASK
    if flags & ~_KNOWN_BITS or crypt_part not in (0, CRYPT_NONE):
        raise_error(
            "ALGORITHME_NON_SUPPORTE",
            f"{where}: only crypteAucun / compresseAucun (no encryption, no compression), got {flags:#x}",
        )


def crypt(source: object, password: object, kind: object = CRYPT_SECURE, fmt: object = ENCODE_NONE) -> object:
    """Crypte / Crypt(<Source>, <Mot de passe> [, <Type de cryptage> [, <Format>]]).

    Supported: no encryption and no compression, that is ``crypteAucun``,
    ``compresseAucun`` or ``compresseAucun + crypteAucun`` (``compresseAucun``
    alone means no encryption, as the WebSocket example relies on).  The
    password is then ignored and the result is the source's bytes in
    ``fmt``: ``encodeBASE64`` (a chaîne, CR LF every 76 characters),
    ``encodeBASE64SansRC``, ``encodeBASE64URL`` or ``encodeAucun`` (a
    Buffer).

    Differs: no encryption: every other combination, including the default
    crypteSécurisé, is the fatal error ALGORITHME_NON_SUPPORTE.
    """
    _check_no_encryption(kind, "Crypte")
    raw_bytes(password, "Crypte #2")  # checked for its type, unused without encryption
    return encode_bytes(raw_bytes(source, "Crypte #1"), fmt, "Crypte")


@wlangage_function("Décrypte", failure=Buffer())
def decrypt(source: object, password: object, kind: object = CRYPT_SECURE, fmt: object = ENCODE_NONE) -> Buffer:
    """Décrypte / Decrypt(<Source>, <Mot de passe> [, <Type de cryptage> [, <Format>]]).

    The inverse of :func:`crypt` for the same supported combinations: the
    decoded bytes, as a Buffer.  Malformed Base64 is the non-fatal error
    DECODAGE_INVALIDE (empty Buffer + ErreurInfo).

    Differs: no decryption: only the combinations :func:`crypt` accepts.
    """
    _check_no_encryption(kind, "Décrypte")
    raw_bytes(password, "Décrypte #2")
    return decode_bytes(source, fmt, "Décrypte")


"""WLangage string helpers: ChaîneConstruit, ExtraitChaîne, Taille, Asc, Caract,
the sub-string operator ``[[ ]]`` and the UTF-8/ANSI conversions.

Every function takes a chaîne (``str``) or a :class:`~wlsocket.values.Buffer`
and gives back the same kind: a Buffer in, a Buffer out.  Positions are
1-based as in WLangage.  Numbers are accepted where WLangage would convert
them to a chaîne; any other type is the fatal error ``TYPE_PARAMETRE_INVALIDE``.

Characters and codes follow the string encoding of :mod:`wlsocket.values`:
with ``"ansi"`` (the default) ``Asc("€") == 128`` and ``Caract(128) == "€"``,
exactly the byte that crosses the wire; with ``"utf-8"`` they are Unicode
code points.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import raise_error
from ..values import Buffer, ansi_decode, ansi_encode, get_string_encoding, to_bytes, to_text
from ._types import Text, bad_type, common_kind, need_int, raw_bytes, same_kind, text_or_buffer, wl_str

__all__ = [
    "RC", "TAB", "CRLF", "Vrai", "Faux", "EOT",
    "IGNORE_CASE", "WHOLE_WORD", "FROM_BEGINNING", "FROM_END",
    "NS_BEGINNING", "NS_END", "NS_EXTERNAL", "NS_INTERNAL",
    "string_build", "string_count", "extract_string", "string_to_array",
    "upper", "no_space", "right", "left", "middle", "length", "asc", "charact",
    "utf8_to_ansi", "ansi_to_utf8", "string_to_utf8", "utf8_to_string",
    "sous_chaine", "affecte_sous_chaine", "SC", "substring", "set_substring",
]

# --- constants ---------------------------------------------------------------

#: ``RC`` (English ``CR``): WLangage's line break is CR LF.
RC = "\r\n"
TAB = "\t"
CRLF = "\r\n"
Vrai = True
Faux = False

# Options of ChaîneOccurrence (combinable with +).
IGNORE_CASE = 1  # SansCasse
WHOLE_WORD = 2  # MotComplet
# Direction of ExtraitChaîne.
FROM_BEGINNING = 1  # DepuisDébut
FROM_END = 2  # DepuisFin
# Options of SansEspace (sscExtérieur = sscDébut + sscFin).
NS_BEGINNING = 1  # sscDébut
NS_END = 2  # sscFin
NS_EXTERNAL = NS_BEGINNING | NS_END  # sscExtérieur
NS_INTERNAL = 4  # sscIntérieur


class _EndOfText:
    """``EOT``: what ExtraitChaîne returns past the last field.

    A value of its own, distinct from ``""`` (an empty field is ``""``), so a
    port compares with ``champ == EOT`` or ``champ is EOT``.  It is falsy, so
    ``if not champ`` catches both; concatenating it is the fatal error
    ``TYPE_PARAMETRE_INVALIDE`` (the ported loop forgot to test for EOT).
    """

    __slots__ = ()
    _instance: _EndOfText | None = None

    def __new__(cls) -> _EndOfText:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EOT"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return False

    def __add__(self, other: object) -> Any:
        bad_type("EOT +", other)

    def __radd__(self, other: object) -> Any:
        bad_type("+ EOT", other)

    def __reduce__(self) -> str:
        return "EOT"  # copies and pickles stay the singleton


EOT = _EndOfText()


def _text(value: object, where: str) -> Text:
    if value is EOT:
        bad_type(where, value)
    return text_or_buffer(value, where)


def _empty(model: Text) -> Text:
    return Buffer() if isinstance(model, Buffer) else ""


# --- ChaîneConstruit ---------------------------------------------------------

_BUILD_STR = re.compile(r"%(\d+)|%%")
_BUILD_BYTES = re.compile(rb"%(\d+)|%%")


def string_build(template: object, *params: object) -> Text:
    """ChaîneConstruit / StringBuild(<Chaîne initiale>, <Paramètre 1> [, ... <Paramètre N>]).

    ``%1`` … ``%N`` are replaced by the parameters (converted to chaînes:
    ``Vrai`` gives ``"1"``), ``%%`` gives ``%``.  ``%12`` with fewer than 12
    parameters is ``%1`` followed by ``"2"``; a ``%n`` with no parameter n
    stays as it is.

    Differs: a Buffer template gives a Buffer, the parameters inserted as
    bytes (a chaîne in the current string encoding), so a UTF-8 body built
    this way keeps its bytes.
    """
    fmt = _text(template, "ChaîneConstruit #1")
    count = len(params)
    if isinstance(fmt, Buffer):
        raw = [raw_bytes(p, f"ChaîneConstruit #{i + 2}") for i, p in enumerate(params)]

        def substitute_bytes(match: re.Match[bytes]) -> bytes:
            found = _build_index(match.group(1), count)
            if found is None:
                return b"%" if match.group(1) is None else match.group(0)
            return raw[found[0] - 1] + found[1].encode("ascii")

        return Buffer(_BUILD_BYTES.sub(substitute_bytes, bytes(fmt)))
    texts = [wl_str(_text(p, f"ChaîneConstruit #{i + 2}")) for i, p in enumerate(params)]

    def substitute(match: re.Match[str]) -> str:
        found = _build_index(match.group(1), count)
        if found is None:
            return "%" if match.group(1) is None else match.group(0)
        return texts[found[0] - 1] + found[1]

    return _BUILD_STR.sub(substitute, fmt)


def _build_index(digits: str | bytes | None, count: int) -> tuple[int, str] | None:
    """The parameter a ``%<digits>`` names (the longest prefix that is one)
    and the digits left after it; None for ``%%`` or no such parameter."""
    if digits is None:
        return None
    text = digits.decode("ascii") if isinstance(digits, bytes) else digits
    for cut in range(len(text), 0, -1):
        index = int(text[:cut])
        if 1 <= index <= count:
            return index, text[cut:]
    return None


def _as_bytes(value: Text) -> bytes:
    return bytes(value) if isinstance(value, Buffer) else to_bytes(value)


def _as_str(value: Text) -> str:
    return value if isinstance(value, str) else to_text(bytes(value))


# --- ChaîneOccurrence --------------------------------------------------------


def string_count(text: object, searched: object, options: int = 0) -> int:
    """ChaîneOccurrence / StringCount(<Chaîne initiale>, <Chaîne recherchée> [, <Options>]).

    Number of non-overlapping occurrences.  Options: ``SansCasse``
    (IgnoreCase), ``MotComplet`` (WholeWord: letters, digits and ``_``
    must not touch the occurrence).  An empty searched string occurs 0 times.
    A Buffer on either side compares bytes.
    """
    haystack, needle = common_kind(_text(text, "ChaîneOccurrence #1"), _text(searched, "ChaîneOccurrence #2"))
    flags = need_int(options, "ChaîneOccurrence #3")
    if flags & ~(IGNORE_CASE | WHOLE_WORD):
        raise_error("PARAMETRE_INVALIDE", f"ChaîneOccurrence options={flags}")
    if not needle:
        return 0
    case = re.IGNORECASE if flags & IGNORE_CASE else 0
    if isinstance(haystack, Buffer):  # then both are (common_kind)
        raw, raw_needle = bytes(haystack), _as_bytes(needle)
        if flags == 0:
            return raw.count(raw_needle)
        pattern_bytes = re.escape(raw_needle)
        if flags & WHOLE_WORD:
            pattern_bytes = rb"(?<!\w)" + pattern_bytes + rb"(?!\w)"
        return len(re.compile(pattern_bytes, case).findall(raw))
    chars = _as_str(needle)
    if flags == 0:
        return haystack.count(chars)
    pattern = re.escape(chars)
    if flags & WHOLE_WORD:
        pattern = r"(?<!\w)" + pattern + r"(?!\w)"
    return len(re.compile(pattern, case).findall(haystack))


# --- ExtraitChaîne, ChaîneVersTableau ----------------------------------------


def _separators(model: Text, separator: object, where: str) -> list[Text]:
    items = list(separator) if isinstance(separator, (list, tuple)) else [separator]
    seps = [same_kind(model, item, where) for item in items]
    if not seps or any(len(sep) == 0 for sep in seps):
        raise_error("PARAMETRE_INVALIDE", f"{where}: empty separator")
    return seps


def _split(value: Text, seps: list[Text]) -> list[Text]:
    # Several separators: any of them cuts; the longest wins where they overlap.
    if isinstance(value, Buffer):
        raw = sorted((_as_bytes(s) for s in seps), key=len, reverse=True)
        parts = bytes(value).split(raw[0]) if len(raw) == 1 else re.split(b"|".join(map(re.escape, raw)), bytes(value))
        return [Buffer(part) for part in parts]
    texts = sorted((_as_str(s) for s in seps), key=len, reverse=True)
    pieces = value.split(texts[0]) if len(texts) == 1 else re.split("|".join(map(re.escape, texts)), value)
    return list[Text](pieces)


def extract_string(text: object, rank: object, separator: object = TAB, direction: int = FROM_BEGINNING) -> Any:
    """ExtraitChaîne / ExtractString(<Chaîne initiale>, <Rang> [, <Séparateur> [, <Sens>]]).

    The field number ``rank`` (1 = the first) of the chaîne cut at each
    ``separator`` (default TAB; a list of separators cuts at any of them).
    ``DepuisFin`` (FromEnd) counts from the end.  Past the last field the
    result is :data:`EOT`, a value of its own (test ``champ == EOT``).

    Differs: wlsocket's choices where WLangage is not documented: ``""``
    holds one empty field (rank 1 gives ``""``, rank 2 gives EOT), like
    ``str.split``; a rank below 1 or an empty separator is the fatal error
    PARAMETRE_INVALIDE.
    """
    value = _text(text, "ExtraitChaîne #1")
    position = need_int(rank, "ExtraitChaîne #2")
    if position < 1:
        raise_error("PARAMETRE_INVALIDE", f"ExtraitChaîne rank={position}")
    if direction not in (FROM_BEGINNING, FROM_END):
        raise_error("PARAMETRE_INVALIDE", f"ExtraitChaîne direction={direction!r}")
    fields = _split(value, _separators(value, separator, "ExtraitChaîne #3"))
    if position > len(fields):
        return EOT
    return fields[position - 1] if direction == FROM_BEGINNING else fields[-position]


def string_to_array(text: object, array: list[Any], separator: object = RC) -> None:
    """ChaîneVersTableau / StringToArray(<Chaîne>, <Tableau> [, <Séparateur>]).

    Fills the one-dimension array ``array`` (a Python ``list``, emptied
    first) with the pieces of the chaîne cut at ``separator``; as in
    WLangage the array is 1-based for the reader (``tab[1]`` is
    ``array[0]`` in Python).

    Differs: the array is a Python list (0-based); two-dimension arrays are
    not supported.  wlsocket's choices: the default separator is RC (CR
    LF); ``""`` gives an empty array; a trailing separator gives a last
    empty element.
    """
    if not isinstance(array, list):
        bad_type("ChaîneVersTableau #2", array)
    value = _text(text, "ChaîneVersTableau #1")
    seps = _separators(value, separator, "ChaîneVersTableau #3")
    array[:] = _split(value, seps) if len(value) else []


# --- case, spaces, left/right/middle, length ---------------------------------


def upper(text: object) -> Text:
    """Majuscule / Upper(<Chaîne>): the chaîne in capitals, same length.

    Differs: a character whose capital is several characters (``ß``) is
    kept; on a Buffer only the ASCII letters change (its bytes are not text).
    """
    value = _text(text, "Majuscule #1")
    if isinstance(value, Buffer):
        return Buffer(bytes(value).upper())
    result = value.upper()
    if len(result) == len(value):
        return result
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in value)


#: Characters SansEspace removes by default (space, TAB, CR, LF).
SPACES = " \t\r\n"


def no_space(text: object, options: int = NS_EXTERNAL, characters: object = SPACES) -> Text:
    """SansEspace / NoSpace(<Chaîne> [, <Options> [, <Caractères à supprimer>]]).

    Options: ``sscExtérieur`` (default: both ends), ``sscDébut``,
    ``sscFin``, ``sscIntérieur`` (each run of removable characters inside
    becomes its first character), combinable with +.

    Differs: wlsocket's choice: the removable characters default to space,
    TAB, CR and LF.
    """
    value = _text(text, "SansEspace #1")
    flags = need_int(options, "SansEspace #2")
    if flags & ~(NS_EXTERNAL | NS_INTERNAL) or flags == 0:
        raise_error("PARAMETRE_INVALIDE", f"SansEspace options={flags}")
    chars = same_kind(value, characters, "SansEspace #3")
    if isinstance(value, Buffer):
        raw, removable = bytes(value), _as_bytes(chars)
        if flags & NS_BEGINNING:
            raw = raw.lstrip(removable)
        if flags & NS_END:
            raw = raw.rstrip(removable)
        if flags & NS_INTERNAL and removable:
            run = re.compile(b"([" + re.escape(removable) + b"])[" + re.escape(removable) + b"]+")
            raw = run.sub(rb"\1", raw)
        return Buffer(raw)
    text, spaces = value, _as_str(chars)
    if flags & NS_BEGINNING:
        text = text.lstrip(spaces)
    if flags & NS_END:
        text = text.rstrip(spaces)
    if flags & NS_INTERNAL and spaces:
        run_s = re.compile("([" + re.escape(spaces) + "])[" + re.escape(spaces) + "]+")
        text = run_s.sub(r"\1", text)
    return text


def right(text: object, count: object) -> Text:
    """Droite / Right(<Chaîne>, <Nb caractères>): the last characters (bytes of a Buffer).

    More than the length gives the whole chaîne; 0 or less gives "".
    """
    value = _text(text, "Droite #1")
    n = need_int(count, "Droite #2")
    return value[max(len(value) - n, 0):] if n > 0 else _empty(value)


def left(text: object, count: object) -> Text:
    """Gauche / Left(<Chaîne>, <Nb caractères>): the first characters (bytes of a Buffer)."""
    value = _text(text, "Gauche #1")
    n = need_int(count, "Gauche #2")
    return value[:n] if n > 0 else _empty(value)


def middle(text: object, start: object, count: object = None) -> Text:
    """Milieu / Middle(<Chaîne>, <Position> [, <Nb caractères>]).

    From the 1-based ``start``, ``count`` characters (all the rest when
    omitted).  Past the end gives "".

    Differs: wlsocket's choice: a start below 1 or a negative count is the
    fatal error PARAMETRE_INVALIDE.
    """
    value = _text(text, "Milieu #1")
    first = need_int(start, "Milieu #2")
    if first < 1:
        raise_error("PARAMETRE_INVALIDE", f"Milieu position={first}")
    if count is None:
        return value[first - 1:]
    n = need_int(count, "Milieu #3")
    if n < 0:
        raise_error("PARAMETRE_INVALIDE", f"Milieu length={n}")
    return value[first - 1:first - 1 + n]


def length(value: object) -> int:
    """Taille / Length(<Chaîne ou Buffer>): characters of a chaîne, bytes of a Buffer.

    A number counts the characters of its chaîne (``Taille(123) == 3``).
    """
    return len(_text(value, "Taille #1"))


# --- Asc, Caract -------------------------------------------------------------


def asc(character: object) -> int:
    """Asc(<Caractère>): the code of the first character; 0 for "".

    A Buffer gives its first byte.  A chaîne gives, with the ``"ansi"``
    encoding, its Windows-1252 byte (``Asc("€") == 128``); with ``"utf-8"``,
    its Unicode code point (a byte kept undecoded gives its own value).
    """
    value = _text(character, "Asc #1")
    if not value:
        return 0
    if isinstance(value, Buffer):
        return bytes(value)[0]
    first = value[0]
    if get_string_encoding() == "ansi":
        return to_bytes(first)[0]
    code = ord(first)
    return code - 0xDC00 if 0xDC80 <= code <= 0xDCFF else code


def charact(code: object) -> str:
    """Caract / Charact(<Code>): the character of that code, the inverse of :func:`asc`.

    With ``"ansi"`` the code is a byte 0-255 (``Caract(128) == "€"``); with
    ``"utf-8"`` a Unicode code point.

    Differs: wlsocket's choice: with ``"ansi"`` a code above 255 is the
    fatal error CHAINE_NON_ANSI; a negative code is PARAMETRE_INVALIDE.
    """
    n = need_int(code, "Caract #1")
    if n < 0:
        raise_error("PARAMETRE_INVALIDE", f"Caract code={n}")
    if get_string_encoding() == "ansi":
        if n > 255:
            raise_error("CHAINE_NON_ANSI", f"Caract({n})")
        return ansi_decode(bytes([n]))
    if n > 0x10FFFF:
        raise_error("PARAMETRE_INVALIDE", f"Caract code={n}")
    return chr(n)


# --- UTF-8 / ANSI -------------------------------------------------------------


def _ansi_fallback(error: UnicodeError) -> tuple[str, int]:
    # Bytes that are not UTF-8 are read as ANSI characters instead of lost.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return ansi_decode(error.object[error.start:error.end]), error.end


codecs.register_error("wlsocket.ansi_fallback", _ansi_fallback)


def _decode_utf8(data: bytes) -> str:
    return data.decode("utf-8", "wlsocket.ansi_fallback")


def _only_ansi(text: str) -> str:
    try:
        ansi_encode(text)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            ansi_encode(char)
            out.append(char)
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def utf8_to_ansi(text: object) -> str:
    """UTF8VersAnsi / UTF8ToAnsi(<Chaîne UTF-8>): UTF-8 bytes back to an ANSI chaîne.

    Takes a Buffer, or a chaîne whose characters are the UTF-8 bytes (an
    ANSI chaîne filled with ``Caract`` or read from a socket).  Characters
    that do not exist in ANSI become ``?`` as in WINDEV; bytes that are not
    valid UTF-8 are kept as the ANSI character of the same code.
    """
    return _only_ansi(_decode_utf8(raw_bytes(_text(text, "UTF8VersAnsi #1"), "UTF8VersAnsi #1")))


def utf8_to_string(text: object) -> str:
    """UTF8VersChaîne / UTF8ToString(<Buffer UTF-8>): the text of UTF-8 bytes (any character)."""
    return _decode_utf8(raw_bytes(_text(text, "UTF8VersChaîne #1"), "UTF8VersChaîne #1"))


def ansi_to_utf8(text: object) -> Buffer:
    """AnsiVersUTF8 / AnsiToUTF8(<Chaîne ANSI>): the UTF-8 bytes of an ANSI chaîne.

    A Buffer argument is read as ANSI bytes.

    Differs: returns a Buffer (WLangage returns a chaîne holding the bytes;
    a Buffer mixes with chaînes and cannot be encoded twice by mistake).
    """
    value = _text(text, "AnsiVersUTF8 #1")
    chars = ansi_decode(bytes(value)) if isinstance(value, Buffer) else value
    return _utf8_buffer(chars, "AnsiVersUTF8 #1")


def string_to_utf8(text: object) -> Buffer:
    """ChaîneVersUTF8 / StringToUTF8(<Chaîne>): the UTF-8 bytes of a chaîne, as a Buffer.

    A Buffer argument is read in the current string encoding first.
    """
    value = _text(text, "ChaîneVersUTF8 #1")
    chars = to_text(bytes(value)) if isinstance(value, Buffer) else value
    return _utf8_buffer(chars, "ChaîneVersUTF8 #1")


def _utf8_buffer(chars: str, where: str) -> Buffer:
    """UTF-8 bytes; undecodable bytes kept by surrogateescape go back as
    they came, any other lone surrogate has no UTF-8 form (fatal)."""
    try:
        return Buffer(chars.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError as exc:
        detail = f"{where}: {chars[exc.start:exc.end]!r} (a lone surrogate) has no UTF-8 form"
    raise_error("PARAMETRE_INVALIDE", detail)


# --- the sub-string operator [[ ]] --------------------------------------------

_ONE: Any = object()  # "no end given": s[[i]] is one character


def _bounds(size: int, start: object, end: object, on: object, where: str) -> tuple[int, int]:
    """0-based [first, stop) of a 1-based WLangage range, not clipped to ``size``."""
    if start is None:
        if end is _ONE or on is not None:
            raise_error("PARAMETRE_INVALIDE", f"{where}: a start position is needed")
        first = 0
    else:
        first = need_int(start, where) - 1
        if first < 0:
            raise_error("PARAMETRE_INVALIDE", f"{where}: position {first + 1} (the first is 1)")
    if on is not None:
        if end is not _ONE:
            raise_error("PARAMETRE_INVALIDE", f"{where}: A and SUR together")
        n = need_int(on, where)
        if n < 0:
            raise_error("PARAMETRE_INVALIDE", f"{where}: SUR {n}")
        return first, first + n
    if end is _ONE:
        return first, first + 1
    if end is None:
        return first, max(size, first)
    return first, max(need_int(end, where), first)


def sous_chaine(text: object, start: object, end: object = _ONE, *, sur: object = None) -> Text:
    """The WLangage sub-string operator, 1-based, on a chaîne or a Buffer.

    ==========================  ======================================
    WLangage                    Python
    ==========================  ======================================
    ``s[[i]]``                  ``sous_chaine(s, i)``
    ``s[[i A j]]``              ``sous_chaine(s, i, j)``  (j included)
    ``s[[i A]]``                ``sous_chaine(s, i, None)``
    ``s[[A j]]``                ``sous_chaine(s, None, j)``
    ``s[[i SUR n]]``            ``sous_chaine(s, i, sur=n)``
    ==========================  ======================================

    Or with the object form :class:`SC`: ``SC(s)[i]``, ``SC(s)[i:j]``
    (inclusive, unlike Python slices), ``SC(s)[i:]``, ``SC(s)[:j]``,
    ``SC(s).sur(i, n)``.  A Buffer gives a Buffer (``buf[[2]]`` is a
    one-byte Buffer, ready for ``Asc``).  Past the end gives ""; an end
    before the start gives "".  wlsocket's choice: a position below 1 is
    the fatal error PARAMETRE_INVALIDE rather than a silent empty result.
    """
    value = _text(text, "[[ ]]")
    first, stop = _bounds(len(value), start, end, sur, "[[ ]]")
    return value[first:stop]


def affecte_sous_chaine(text: object, start: object, value: object, end: object = _ONE, *, sur: object = None) -> Text:
    """Assignment through the operator: ``s[[i]] = v`` is ``s = affecte_sous_chaine(s, i, v)``.

    ``end``/``sur`` select the range as in :func:`sous_chaine`
    (``s[[i A j]] = v`` is ``affecte_sous_chaine(s, i, v, j)``).  The range
    is replaced by ``v`` (converted to the kind of ``s``: a chaîne put into
    a Buffer is encoded), so lengths may differ.  wlsocket's choice, needed
    by ``bufRéponse[[2]] = Caract(126)`` on a one-byte Buffer: a position
    past the end grows the value, with zero bytes for a Buffer and spaces
    for a chaîne.  Returns the new value (Python strings are immutable).
    """
    current = _text(text, "[[ ]] =")
    piece = same_kind(current, value, "[[ ]] =")
    first, stop = _bounds(len(current), start, end, sur, "[[ ]] =")
    if first > len(current):
        filler = Buffer(b"\0" * (first - len(current))) if isinstance(current, Buffer) else " " * (first - len(current))
        current = current + filler
    return current[:first] + piece + current[stop:]


class SC:
    """Object form of ``[[ ]]`` (1-based, ends included): ``SC(s)[5:10]`` is ``s[[5 A 10]]``.

    ``SC(s)[i]``, ``SC(s)[i:j]``, ``SC(s)[i:]``, ``SC(s)[:j]``,
    ``SC(s).sur(i, n)``.  Assigning (``v = SC(buf); v[2] = Caract(126)``)
    changes the held value, read back as ``v.valeur``.
    """

    __slots__ = ("valeur",)

    def __init__(self, value: object) -> None:
        self.valeur: Text = _text(value, "[[ ]]")

    @staticmethod
    def _range(key: object) -> tuple[object, object]:
        if isinstance(key, slice):
            if key.step is not None:
                raise_error("PARAMETRE_INVALIDE", "[[ ]]: no step")
            return key.start, key.stop
        return key, _ONE

    def __getitem__(self, key: object) -> Text:
        start, end = self._range(key)
        return sous_chaine(self.valeur, start, end)

    def __setitem__(self, key: object, value: object) -> None:
        start, end = self._range(key)
        self.valeur = affecte_sous_chaine(self.valeur, 1 if start is None else start, value, end)

    def sur(self, start: object, count: object) -> Text:
        return sous_chaine(self.valeur, start, sur=count)

    def __repr__(self) -> str:
        return f"SC({self.valeur!r})"


substring = sous_chaine
set_substring = affecte_sous_chaine

"""WLangage string helpers: ChaîneConstruit, ChaîneOccurrence, ExtraitChaîne,
Majuscule, SansEspace, Droite / Gauche / Milieu, Taille, Asc, Caract.

The sub-string operator ``[[ ]]`` is in :mod:`.substrings`, the UTF-8 / ANSI
conversions in :mod:`.utf8`; ``EOT`` is defined in :mod:`._types` (the other
string functions refuse it as an argument) and exported from here.

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

import re
from typing import Any

from ..errors import raise_error
from ..values import Buffer, ansi_decode, get_string_encoding, to_bytes, to_text
from ._types import EOT, Text, bad_type, common_kind, need_int, raw_bytes, same_kind, string_arg, wl_str

__all__ = [
    "RC", "TAB", "CRLF", "Vrai", "Faux", "EOT",
    "IGNORE_CASE", "WHOLE_WORD", "FROM_BEGINNING", "FROM_END",
    "NS_BEGINNING", "NS_END", "NS_EXTERNAL", "NS_INTERNAL",
    "string_build", "string_count", "extract_string", "string_to_array",
    "upper", "no_space", "right", "left", "middle", "length", "asc", "charact",
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
    fmt = string_arg(template, "ChaîneConstruit #1")
    count = len(params)
    if isinstance(fmt, Buffer):
        raw = [raw_bytes(p, f"ChaîneConstruit #{i + 2}") for i, p in enumerate(params)]

        def substitute_bytes(match: re.Match[bytes]) -> bytes:
            found = _build_index(match.group(1), count)
            if found is None:
                return b"%" if match.group(1) is None else match.group(0)
            return raw[found[0] - 1] + found[1].encode("ascii")

        return Buffer(_BUILD_BYTES.sub(substitute_bytes, bytes(fmt)))
    texts = [wl_str(string_arg(p, f"ChaîneConstruit #{i + 2}")) for i, p in enumerate(params)]

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
    haystack, needle = common_kind(string_arg(text, "ChaîneOccurrence #1"), string_arg(searched, "ChaîneOccurrence #2"))
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
    value = string_arg(text, "ExtraitChaîne #1")
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
    value = string_arg(text, "ChaîneVersTableau #1")
    seps = _separators(value, separator, "ChaîneVersTableau #3")
    array[:] = _split(value, seps) if len(value) else []


# --- case, spaces, left/right/middle, length ---------------------------------


def upper(text: object) -> Text:
    """Majuscule / Upper(<Chaîne>): the chaîne in capitals, same length.

    Differs: a character whose capital is several characters (``ß``) is
    kept; on a Buffer only the ASCII letters change (its bytes are not text).
    """
    value = string_arg(text, "Majuscule #1")
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
    value = string_arg(text, "SansEspace #1")
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
    value = string_arg(text, "Droite #1")
    n = need_int(count, "Droite #2")
    return value[max(len(value) - n, 0):] if n > 0 else _empty(value)


def left(text: object, count: object) -> Text:
    """Gauche / Left(<Chaîne>, <Nb caractères>): the first characters (bytes of a Buffer)."""
    value = string_arg(text, "Gauche #1")
    n = need_int(count, "Gauche #2")
    return value[:n] if n > 0 else _empty(value)


def middle(text: object, start: object, count: object = None) -> Text:
    """Milieu / Middle(<Chaîne>, <Position> [, <Nb caractères>]).

    From the 1-based ``start``, ``count`` characters (all the rest when
    omitted).  Past the end gives "".

    Differs: wlsocket's choice: a start below 1 or a negative count is the
    fatal error PARAMETRE_INVALIDE.
    """
    value = string_arg(text, "Milieu #1")
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
    return len(string_arg(value, "Taille #1"))


# --- Asc, Caract -------------------------------------------------------------


def asc(character: object) -> int:
    """Asc(<Caractère>): the code of the first character; 0 for "".

    A Buffer gives its first byte.  A chaîne gives, with the ``"ansi"``
    encoding, its Windows-1252 byte (``Asc("€") == 128``); with ``"utf-8"``,
    its Unicode code point (a byte kept undecoded gives its own value).
    """
    value = string_arg(character, "Asc #1")
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

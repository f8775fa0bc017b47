"""More chaîne functions real socket programs call: Position, Remplace,
ChaîneFormate, RépèteChaîne, AnsiVersUnicode / UnicodeVersAnsi,
VérifieExpressionRégulière, Compresse / Décompresse.

Positions are 1-based and 0 means "not found", as in WLangage.  A Buffer
given as the chaîne is searched as bytes.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from ..errors import raise_error
from ..values import Buffer, ansi_decode, ansi_encode, to_text
from ._types import Text, bad_type, need_int, raw_bytes, text_or_buffer, wl_str
from .strings import FROM_END as _FROM_END
from .strings import IGNORE_CASE as _IGNORE_CASE

__all__ = [
    "position", "replace", "string_format", "repeat_string", "ansi_to_unicode", "unicode_to_ansi",
    "match_regular_expression", "compress", "uncompress",
    "CC_UPPER", "CC_LOWER", "CC_IGNORE_ACCENT", "CC_IGNORE_SPACE", "CC_IGNORE_PUNCTUATION_AND_SPACE",
    "CC_IGNORE_CASE",
]

# ChaîneFormate options (values are wlsocket's own), combinable with +.
CC_UPPER = 1  # ccMajuscule
CC_LOWER = 2  # ccMinuscule
CC_IGNORE_ACCENT = 4  # ccSansAccent
CC_IGNORE_SPACE = 8  # ccSansEspace
CC_IGNORE_PUNCTUATION_AND_SPACE = 16  # ccSansPonctuationEtEspace
CC_IGNORE_CASE = CC_LOWER  # ccSansCasse: compare-ready, lower case
_CC_ALL = CC_UPPER | CC_LOWER | CC_IGNORE_ACCENT | CC_IGNORE_SPACE | CC_IGNORE_PUNCTUATION_AND_SPACE



def _chaine(value: object, where: str) -> str:
    found = text_or_buffer(value, where)
    return found if isinstance(found, str) else to_text(bytes(found))


def position(text: object, searched: object, start: object = None, options: object = 0) -> int:
    """Position(<Chaîne initiale>, <Chaîne recherchée> [, <Position de départ> [, <Options>]]) -> entier.

    The 1-based position of the first occurrence from ``<Position de
    départ>`` (default 1), 0 when absent.  Options: ``SansCasse``;
    ``DepuisFin`` searches backwards from the start position (default: the end).

    Differs: ``MotComplet`` and a list of searched chaînes are not offered."""
    haystack, needle = _chaine(text, "Position #1"), _chaine(searched, "Position #2")
    flags = need_int(options, "Position #4")
    if flags & _IGNORE_CASE:
        haystack, needle = haystack.casefold(), needle.casefold()
    if not needle:
        return 0
    if flags & _FROM_END:
        end = len(haystack) if start is None else need_int(start, "Position #3") + len(needle) - 1
        return haystack.rfind(needle, 0, max(0, end)) + 1
    first = 1 if start is None else max(1, need_int(start, "Position #3"))
    return haystack.find(needle, first - 1) + 1


def replace(text: object, searched: object, replacement: object, options: object = 0) -> Text:
    """Remplace / Replace(<Chaîne initiale>, <Chaîne à remplacer>, <Nouvelle chaîne> [, <Options>]).

    Every occurrence; ``SansCasse`` ignores case.  A Buffer gives a Buffer."""
    value = text_or_buffer(text, "Remplace #1")
    flags = need_int(options, "Remplace #4")
    if isinstance(value, Buffer):
        old, new = raw_bytes(searched, "Remplace #2"), raw_bytes(replacement, "Remplace #3")
        if not old:
            return value
        if flags & _IGNORE_CASE:
            return Buffer(re.sub(re.escape(old), lambda _: new, bytes(value), flags=re.IGNORECASE))
        return Buffer(bytes(value).replace(old, new))
    old_s, new_s = _chaine(searched, "Remplace #2"), _chaine(replacement, "Remplace #3")
    if not old_s:
        return value
    if flags & _IGNORE_CASE:
        return re.sub(re.escape(old_s), lambda _: new_s, value, flags=re.IGNORECASE)
    return value.replace(old_s, new_s)


def string_format(text: object, options: object) -> str:
    """ChaîneFormate / StringFormat(<Chaîne>, <Options>): the chaîne made
    ready for comparing: ``ccMajuscule`` / ``ccMinuscule``, ``ccSansAccent``,
    ``ccSansEspace`` (spaces around removed), ``ccSansPonctuationEtEspace``
    (every space and punctuation character removed), combined with +."""
    value = _chaine(text, "ChaîneFormate #1")
    flags = need_int(options, "ChaîneFormate #2")
    if flags & ~_CC_ALL:
        raise_error("PARAMETRE_INVALIDE", f"ChaîneFormate options={flags}")
    if flags & CC_IGNORE_ACCENT:
        value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    if flags & CC_IGNORE_PUNCTUATION_AND_SPACE:
        value = "".join(c for c in value if not (c.isspace() or unicodedata.category(c).startswith("P")))
    elif flags & CC_IGNORE_SPACE:
        value = value.strip()
    if flags & CC_UPPER:
        value = value.upper()
    elif flags & CC_LOWER:
        value = value.lower()
    return value


def repeat_string(text: object, count: object) -> Text:
    """RépèteChaîne / RepeatString(<Chaîne>, <Nombre>): the chaîne ``<Nombre>``
    times ("" for 0 or less).  More than 64 MiB is the fatal PARAMETRE_INVALIDE."""
    value = text_or_buffer(text, "RépèteChaîne #1")
    times = max(0, need_int(count, "RépèteChaîne #2"))
    if len(value) * times > 64 * 1024 * 1024:
        raise_error("PARAMETRE_INVALIDE", f"RépèteChaîne: {len(value)} x {times} is over 64 MiB")
    return Buffer(bytes(value) * times) if isinstance(value, Buffer) else value * times


def ansi_to_unicode(text: object) -> str:
    """AnsiVersUnicode / AnsiToUnicode(<Chaîne>): a Python ``str`` is already
    Unicode, so a chaîne is returned as it is and a Buffer is decoded as
    ANSI (Windows-1252, every byte kept)."""
    value = text_or_buffer(text, "AnsiVersUnicode #1")
    if isinstance(value, Buffer):
        return ansi_decode(bytes(value))
    return value


def unicode_to_ansi(text: object) -> Text:
    """UnicodeVersAnsi / UnicodeToAnsi(<Chaîne>): the chaîne with every
    character that has no ANSI code replaced by "?" (as Windows does)."""
    value = text_or_buffer(text, "UnicodeVersAnsi #1")
    if isinstance(value, Buffer):
        return value
    return "".join(c if _has_ansi(c) else "?" for c in value)


def _has_ansi(char: str) -> bool:
    try:
        ansi_encode(char)
    except UnicodeEncodeError:
        return False
    return True


def match_regular_expression(text: object, expression: object, *variables: object) -> object:
    """VérifieExpressionRégulière / MatchRegularExpression(<Chaîne>, <Expression> [, <Variables>...]).

    True when the whole chaîne matches the expression.

    Differs: WLangage fills the variables with the groups; Python cannot
    assign its caller's variables, so with variables given the function
    returns ``(booléen, [groupe1, groupe2...])`` and the variables are
    ignored.  A bad expression is the fatal PARAMETRE_INVALIDE."""
    value = _chaine(text, "VérifieExpressionRégulière #1")
    if not isinstance(expression, str):
        bad_type("VérifieExpressionRégulière #2", expression)
    try:
        match = re.fullmatch(expression, value, re.DOTALL)
    except re.error as exc:
        raise_error("PARAMETRE_INVALIDE", f"VérifieExpressionRégulière: {exc}")
    if not variables:
        return match is not None
    groups = [wl_str(group) for group in match.groups()] if match else ["" for _ in variables]
    return match is not None, groups


def compress(data: object, *options: object) -> Buffer:
    """Compresse / Compress(<Chaîne ou Buffer>): a Buffer compressed with zlib.

    Differs: WINDEV's own compressed format is not documented; wlsocket's
    is zlib (RFC 1950), so only Décompresse (or zlib) reads it back."""
    return Buffer(zlib.compress(raw_bytes(data, "Compresse #1")))


def uncompress(data: object, *options: object) -> Buffer:
    """Décompresse / Uncompress(<Buffer>): the bytes Compresse compressed;
    anything else is "" with no exception (WLangage's failure value)."""
    try:
        return Buffer(zlib.decompress(raw_bytes(data, "Décompresse #1")))
    except zlib.error:
        return Buffer()

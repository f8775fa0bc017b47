"""The WLangage sub-string operator ``[[ ]]``: :func:`sous_chaine`, :func:`affecte_sous_chaine`, :class:`SC`.

Positions are 1-based and the end is included, as in WLangage; a chaîne gives
a chaîne and a :class:`~wlsocket.values.Buffer` a Buffer.
"""

from __future__ import annotations

from typing import Any

from ..errors import raise_error
from ..values import Buffer
from ._types import Text, need_int, same_kind, string_arg

__all__ = ["sous_chaine", "affecte_sous_chaine", "SC", "substring", "set_substring"]


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
    value = string_arg(text, "[[ ]]")
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
    current = string_arg(text, "[[ ]] =")
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
        self.valeur: Text = string_arg(value, "[[ ]]")

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

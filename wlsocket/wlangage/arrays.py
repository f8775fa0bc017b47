"""Arrays, queues and stacks, 1-based as in WLangage.

``Tableau`` is a Python ``list`` whose ``[]`` counts from 1:
``t[1]`` is the first element, ``t[t.Occurrence_]`` the last; index 0, a
negative index or one past the end is the fatal error ``INDICE_INVALIDE``
(a Python list would answer ``t[-1]`` silently).  Slices are refused for
the same reason.  Everything else is a list's: ``len(t)``, ``for x in t``,
``x in t``, ``t == [1, 2]``.

The functions (TableauAjoute, TableauCherche...) take a ``Tableau`` or any
plain Python ``list``; the indices they take and return are 1-based either
way, and "not found" is -1.  Queues and stacks (Enfile / Défile,
Empile / Dépile) work on the same lists.

Property (see :mod:`.properties`): ``t.Occurrence_`` / ``t.Count_``,
``t.Vide_`` / ``t.Empty_``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, SupportsIndex, TypeVar, overload

from ..errors import raise_error
from ._types import bad_type, need_int

__all__ = [
    "Tableau", "array_add", "array_insert", "array_delete", "array_delete_all", "array_seek",
    "array_sort", "array_count", "dimension", "enqueue", "dequeue", "push", "pop",
    "AS_LINEAR", "AS_LINEAR_FIRST", "AS_LINEAR_LAST", "AS_LINEAR_NEXT", "AS_LINEAR_PREVIOUS", "AS_BINARY",
    "AS_ASCENDING", "AS_DESCENDING", "AS_RANDOM",
]

T = TypeVar("T")

# TableauCherche modes (values are wlsocket's own).
AS_LINEAR = 1  # tcLinéaire: the first match from the start (or from <indice de début>)
AS_LINEAR_FIRST = 2  # tcLinéairePremier
AS_LINEAR_LAST = 3  # tcLinéaireDernier
AS_LINEAR_NEXT = 4  # tcLinéaireSuivant: after <indice de début>
AS_LINEAR_PREVIOUS = 5  # tcLinéairePrécédent: before <indice de début>
AS_BINARY = 6  # tcDichotomique: the array is sorted
# TableauTrie modes.
AS_ASCENDING = 1  # ttCroissant
AS_DESCENDING = 2  # ttDécroissant
AS_RANDOM = 3  # ttAléatoire


def _position(index: object, size: int, where: str, extra: int = 0) -> int:
    """A 1-based WLangage index as a 0-based Python one; ``extra`` allows
    the position just past the end (TableauInsère)."""
    if isinstance(index, slice):
        raise_error("INDICE_INVALIDE", f"{where}: a slice (write a POUR loop or use list(t))")
    number = need_int(index, where)
    if not 1 <= number <= size + extra:
        raise_error("INDICE_INVALIDE", f"{where}: {number} (valid: 1 to {size + extra})")
    return number - 1


class Tableau(list[T]):
    """WLangage ``tableau``: a list indexed from 1.

    ``Tableau()`` is empty, ``Tableau([1, 2])`` holds the items of an
    iterable, ``Tableau(size=5, fill=0)`` is ``t est un tableau de 5
    entiers``.  See the module documentation for what differs from a list.
    """

    def __init__(self, items: Iterable[T] = (), *, size: int = 0, fill: Any = None) -> None:
        if not isinstance(items, Iterable) or isinstance(items, (str, bytes)):
            bad_type("Tableau #1", items)
        super().__init__(items)
        if size:
            self.extend([fill] * need_int(size, "Tableau size"))

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> T | list[T]:
        return super().__getitem__(_position(index, len(self), "Tableau[]"))

    @overload
    def __setitem__(self, index: SupportsIndex, value: T) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[T]) -> None: ...

    def __setitem__(self, index: SupportsIndex | slice, value: Any) -> None:
        super().__setitem__(_position(index, len(self), "Tableau[]"), value)

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        super().__delitem__(_position(index, len(self), "Tableau[]"))

    def __repr__(self) -> str:
        return f"Tableau({list.__repr__(self)})"

    def _count(self) -> int:
        return len(self)

    def _empty(self) -> bool:
        return not self

    Occurrence_ = Count_ = property(_count, doc="WLangage ..Occurrence / ..Count")
    Vide_ = Empty_ = property(_empty, doc="WLangage ..Vide / ..Empty")


def _need_list(value: object, where: str) -> list[Any]:
    if isinstance(value, list):
        return value
    bad_type(where, value)


def _plain(array: list[Any]) -> list[Any]:
    """The list with 0-based indexing (a Tableau's own list methods)."""
    return list.__getitem__(array, slice(None))


def array_add(array: object, value: object = None) -> int:
    """TableauAjoute / ArrayAdd(<Tableau> [, <Valeur>]) and Ajoute / Add.

    Appends ``value`` and returns the new element's index (1-based)."""
    items = _need_list(array, "TableauAjoute #1")
    list.append(items, value)
    return len(items)


def array_insert(array: object, index: object, value: object = None) -> int:
    """TableauInsère / ArrayInsert(<Tableau>, <Indice>, <Valeur>) and Insère / Insert.

    ``index`` from 1 to Occurrence + 1 (the end); returns ``index``."""
    items = _need_list(array, "TableauInsère #1")
    position = _position(index, len(items), "TableauInsère #2", extra=1)
    list.insert(items, position, value)
    return position + 1


def array_delete(array: object, index: object) -> None:
    """TableauSupprime / ArrayDelete(<Tableau>, <Indice>) and Supprime / Delete.

    Removes the element at ``index`` (1-based); a bad index is fatal."""
    items = _need_list(array, "TableauSupprime #1")
    list.__delitem__(items, _position(index, len(items), "TableauSupprime #2"))


def array_delete_all(array: object) -> None:
    """TableauSupprimeTout / ArrayDeleteAll(<Tableau>) and SupprimeTout / DeleteAll."""
    list.clear(_need_list(array, "TableauSupprimeTout #1"))


def array_count(array: object) -> int:
    """TableauOccurrence / ArrayCount(<Tableau>): the number of elements."""
    return len(_need_list(array, "TableauOccurrence #1"))


def dimension(array: object, new_size: object = None) -> int:
    """Dimension(<Tableau> [, <Nouvelle dimension>]): the number of elements;
    with a size, the array is cut or grown (with ``None``) to that size.

    Differs: multi-dimensional forms are not offered."""
    items = _need_list(array, "Dimension #1")
    if new_size is not None:
        size = need_int(new_size, "Dimension #2")
        if size < 0:
            raise_error("PARAMETRE_INVALIDE", f"Dimension #2: {size}")
        if size < len(items):
            list.__delitem__(items, slice(size, None))
        else:
            list.extend(items, [None] * (size - len(items)))
    return len(items)


def _member(item: Any, member: str) -> Any:
    if isinstance(item, dict):
        return item.get(member)
    return getattr(item, member, None)


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # an element that cannot compare is simply not equal
        return False


def array_seek(array: object, mode: object, *args: object) -> int:
    """TableauCherche / ArraySeek(<Tableau>, <Type de recherche>, <Valeur cherchée> [, <Indice de début>])
    or (<Tableau>, <Type>, <Membre>, <Valeur> [, <Indice de début>]) for an array of structures.

    Returns the 1-based index of the element equal to the value, -1 when
    there is none.  Modes: ``tcLinéaire`` / ``tcLinéairePremier`` (first
    match, from ``<Indice de début>`` when given), ``tcLinéaireDernier``
    (last match), ``tcLinéaireSuivant`` (first after ``<Indice de début>``),
    ``tcLinéairePrécédent`` (last before it), ``tcDichotomique`` (binary
    search: the array must be sorted).  The structure form looks up
    ``element.<Membre>`` (or ``element[<Membre>]`` for a dict).

    Differs: the form with several members is not offered.
    """
    items = _plain(_need_list(array, "TableauCherche #1"))
    flags = need_int(mode, "TableauCherche #2")
    if not args:
        raise_error("PARAMETRE_INVALIDE", "TableauCherche: the value sought is missing")
    member: str | None = None
    rest = list(args)
    if len(rest) >= 2 and isinstance(rest[0], str) and items and not isinstance(items[0], (str, int, float, bytes)):
        member = rest.pop(0)  # type: ignore[assignment]
    value = rest.pop(0)
    start = need_int(rest[0], "TableauCherche #4") if rest else None
    keys = [_member(item, member) for item in items] if member is not None else items
    return _seek(keys, flags, value, start)


def _seek(keys: list[Any], flags: int, value: Any, start: int | None) -> int:
    size = len(keys)
    if flags == AS_BINARY:
        low, high = 0, size - 1
        while low <= high:
            middle = (low + high) // 2
            if _equal(keys[middle], value):
                while middle > 0 and _equal(keys[middle - 1], value):
                    middle -= 1
                return middle + 1
            try:
                smaller = keys[middle] < value
            except TypeError:
                raise_error("PARAMETRE_INVALIDE", "TableauCherche tcDichotomique: elements cannot be ordered")
            low, high = (middle + 1, high) if smaller else (low, middle - 1)
        return -1
    if flags in (AS_LINEAR, AS_LINEAR_FIRST, AS_LINEAR_NEXT):
        first = 1 if start is None else start + (1 if flags == AS_LINEAR_NEXT else 0)
        order: Iterable[int] = range(max(first, 1) - 1, size)
    elif flags in (AS_LINEAR_LAST, AS_LINEAR_PREVIOUS):
        last = size if start is None else start - (1 if flags == AS_LINEAR_PREVIOUS else 0)
        order = range(min(last, size) - 1, -1, -1)
    else:
        raise_error("PARAMETRE_INVALIDE", f"TableauCherche mode={flags}")
    for position in order:
        if _equal(keys[position], value):
            return position + 1
    return -1


def array_sort(array: object, mode: object = AS_ASCENDING, member: object = None) -> None:
    """TableauTrie / ArraySort(<Tableau> [, <Options> [, <Membre>]]).

    ``ttCroissant`` (default), ``ttDécroissant``, ``ttAléatoire``; an
    array of structures sorts on ``<Membre>`` (a name; ``"-nom"`` sorts
    that member descending).  The sort is stable.

    Differs: several members ("+nom;-age") are not offered.
    """
    items = _need_list(array, "TableauTrie #1")
    flags = need_int(mode, "TableauTrie #2")
    plain = _plain(items)
    if flags == AS_RANDOM:
        import random

        random.shuffle(plain)
    elif flags in (AS_ASCENDING, AS_DESCENDING):
        descending = flags == AS_DESCENDING
        key: Callable[[Any], Any] | None = None
        if member is not None:
            if not isinstance(member, str):
                bad_type("TableauTrie #3", member)
            name = member.lstrip("+-")
            descending = descending != member.startswith("-")
            key = functools.partial(_member_of, name)
        try:
            plain.sort(key=key, reverse=descending)
        except TypeError:
            raise_error("PARAMETRE_INVALIDE", "TableauTrie: elements cannot be ordered")
    else:
        raise_error("PARAMETRE_INVALIDE", f"TableauTrie mode={flags}")
    list.__setitem__(items, slice(None), plain)


def _member_of(name: str, item: Any) -> Any:
    return _member(item, name)


# --- queues and stacks ---------------------------------------------------------------


def enqueue(queue: object, value: object) -> None:
    """Enfile / Enqueue(<File>, <Valeur>): adds at the end of the queue."""
    list.append(_need_list(queue, "Enfile #1"), value)


def dequeue(queue: object) -> Any:
    """Défile / Dequeue(<File> [, <Variable>]): takes the first element.

    Differs: WLangage returns Vrai/Faux and fills a variable; Python has
    no out-parameter, so the element is returned, and ``None`` when the
    queue is empty (test ``Occurrence_`` first when ``None`` is a value)."""
    items = _need_list(queue, "Défile #1")
    return list.pop(items, 0) if items else None


def push(stack: object, value: object) -> None:
    """Empile / Push(<Pile>, <Valeur>): puts ``value`` on top of the stack."""
    list.append(_need_list(stack, "Empile #1"), value)


def pop(stack: object) -> Any:
    """Dépile / Pop(<Pile> [, <Variable>]): takes the top element.

    Differs: as Défile, returns it (``None`` when the stack is empty)."""
    items = _need_list(stack, "Dépile #1")
    return list.pop(items) if items else None

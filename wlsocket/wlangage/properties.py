"""The one rule for WLangage properties in Python.

WLangage reads a property with ``..``: ``t..Occurrence``, ``j..Existe``,
``j..FormatJSON``.  Python has one dot only, and on a ``JSON`` or
``Variant`` a plain attribute is a *member* (``j.nom``), so:

    ``x..Propriété`` is written ``x.Propriété_``: the property's name, in
    any of its three spellings (French with accents, French without,
    English), followed by one underscore.

``t.Occurrence_`` and ``t.Count_``, ``j.Existe_`` and ``j.Exist_``,
``j.FormatJSON_`` and ``j.JSONFormat_`` are the same property.  A JSON
member whose name ends with an underscore is still reached with
``j["nom_"]``.  The names are exact (Python attributes are case
sensitive), unlike WLangage's.

:data:`PROPERTIES` lists them; a test checks that each type has every spelling.
"""

from __future__ import annotations

import unicodedata

__all__ = ["PROPERTIES", "property_names"]


def _unaccented(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def property_names(french: str, english: str | None = None) -> list[str]:
    """The Python attribute names of one WLangage property."""
    names = [french + "_", _unaccented(french) + "_"]
    if english:
        names.append(english + "_")
    return list(dict.fromkeys(names))


#: The properties wlsocket offers: (French, English) -> the types that have them.
PROPERTIES: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("Occurrence", "Count"): ("Tableau", "JSON", "Variant"),
    ("Existe", "Exist"): ("JSON", "Variant"),
    ("FormatJSON", "JSONFormat"): ("JSON", "Variant"),
    ("Type", None): ("JSON", "Variant"),
    ("Valeur", "Value"): ("JSON", "Variant"),
    ("Nom", "Name"): ("JSON", "Variant"),
    ("Vide", "Empty"): ("Tableau",),
    ("Nul", "Null"): ("Variant",),
}

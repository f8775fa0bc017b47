"""XMLOuvre / XMLSauve and the ``xmlDocument`` type, as programs that edit a
settings file use them:

    doc = XMLOuvre(sFichier, depuisFichier)     # InfoCompte = XMLOuvre(..., depuisFichier)
    sPOP = doc.MessageAccount.POP3_Server        # the element's text, a chaîne
    doc.MessageAccount.POP3_Server = "127.0.0.1" # changes (or creates) it
    XMLSauve(doc)                                # back to the file it came from

An element that has child elements reads as a node (whose attributes are
its children); one that has none reads as its text, a ``str`` that also has
the properties ``Existe_`` and ``Nom_``.  A child that does not exist reads
as a node whose ``Existe_`` is False.  Names are the elements' own (case
sensitive); a name that is not a Python identifier is reached with
``node["nom-avec-tiret"]``.  XMLSauve writes the file in the encoding it was
read in (its declaration or byte order mark; UTF-8 by default).

Differs: only the member syntax is offered (no XMLPremier / XMLSuivant
navigation, no XPath, no attributes of elements: ``node.attributs_`` gives
them as a dict).  A file that is not XML is the non-fatal XML_INVALIDE:
XMLOuvre returns None and ErreurDétectée is Vrai, as the programs test.
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from ..errors import raise_error, wlangage_function
from ._types import bad_type, need_int, wl_str

__all__ = ["XMLDocument", "XMLNode", "xml_open", "xml_save", "FROM_FILE", "FROM_STRING"]

FROM_FILE = 1  # depuisFichier
FROM_STRING = 2  # depuisChaîne

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class XMLText(str):
    """The text of an element without children."""

    Existe_ = Exist_ = property(lambda self: True, doc="WLangage ..Existe")
    Nom_ = Name_ = property(lambda self: self._wl_name, doc="WLangage ..Nom")
    _wl_name = ""


class XMLNode:
    """An element (or an absent one, ``Existe_`` False, created on assignment)."""

    __slots__ = ("_wl_element", "_wl_parent", "_wl_name")

    def __init__(self, element: ElementTree.Element | None, parent: XMLNode | None, name: str) -> None:
        object.__setattr__(self, "_wl_element", element)
        object.__setattr__(self, "_wl_parent", parent)
        object.__setattr__(self, "_wl_name", name)

    def _made(self) -> ElementTree.Element:
        """The element, created (with its absent parents) if it does not exist yet."""
        element: ElementTree.Element | None = self._wl_element
        if element is None:
            if self._wl_parent is None:
                raise_error("PARAMETRE_INVALIDE", f"xmlDocument: no root element {self._wl_name!r} to add to")
            element = ElementTree.SubElement(self._wl_parent._made(), self._wl_name)
            object.__setattr__(self, "_wl_element", element)
        return element

    def _child(self, name: str) -> Any:
        element = self._wl_element
        found = element.find(name) if element is not None else None
        if found is not None and len(found) == 0:
            text = XMLText(found.text or "")
            text._wl_name = name
            return text
        return XMLNode(found, self, name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._child(name)

    def __getitem__(self, name: str) -> Any:
        if not isinstance(name, str):
            bad_type("xmlDocument[]", name)
        return self._child(name)

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)
            return
        self[name] = value

    def __setitem__(self, name: str, value: object) -> None:
        parent = self._made()
        child = parent.find(name)
        if child is None:
            child = ElementTree.SubElement(parent, name)
        child.text = wl_str(value)

    def __str__(self) -> str:
        element = self._wl_element
        return "" if element is None else "".join(element.itertext())

    def __eq__(self, other: object) -> bool:
        return str(self) == other if isinstance(other, str) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<xml {self._wl_name}{'' if self._wl_element is not None else ' (absent)'}>"

    Existe_ = Exist_ = property(lambda self: self._wl_element is not None, doc="WLangage ..Existe")
    Nom_ = Name_ = property(lambda self: self._wl_name, doc="WLangage ..Nom")
    attributs_ = property(lambda self: dict(self._wl_element.attrib) if self._wl_element is not None else {},
                          doc="the element's attributes (wlsocket)")


class XMLDocument(XMLNode):
    """``xmlDocument``: the root element is its one member (``doc.Racine``)."""

    __slots__ = ("_wl_tree", "_wl_path", "_wl_encoding")

    def __init__(self, tree: ElementTree.ElementTree | None = None, path: str = "", encoding: str = "utf-8") -> None:
        """``doc est un xmlDocument`` is ``XMLDocument()``: empty (XMLOuvre fills one)."""
        if tree is None:
            tree = ElementTree.ElementTree()
        if not isinstance(tree, ElementTree.ElementTree) or not isinstance(path, str) or not isinstance(encoding, str):
            bad_type("xmlDocument", tree)
        super().__init__(None, None, "")
        object.__setattr__(self, "_wl_tree", tree)
        object.__setattr__(self, "_wl_path", path)
        object.__setattr__(self, "_wl_encoding", encoding)

    def _child(self, name: str) -> Any:
        root = self._wl_tree.getroot()
        if root is not None and root.tag == name:
            return XMLNode(root, None, name)
        return XMLNode(None, None, name)

    def __setitem__(self, name: str, value: object) -> None:
        raise_error("PARAMETRE_INVALIDE", "xmlDocument: the root element cannot be replaced")

    def __str__(self) -> str:
        root = self._wl_tree.getroot()
        return "" if root is None else ElementTree.tostring(root, encoding="unicode")


def _encoding_of(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    declared = _DECLARED.match(raw)
    return declared.group(1).decode("ascii").lower() if declared else "utf-8"


@wlangage_function("XMLOuvre", failure=None)
def xml_open(source: object, origin: object = FROM_STRING) -> XMLDocument:
    """XMLOuvre / XMLOpen(<Fichier ou chaîne>, depuisFichier|depuisChaîne) -> xmlDocument.

    None + ErreurInfo XML_INVALIDE (non-fatal) when the file cannot be read
    or is not XML."""
    kind = need_int(origin, "XMLOuvre #2")
    if not isinstance(source, str):
        bad_type("XMLOuvre #1", source)
    path = ""
    if kind == FROM_FILE:
        path = source
        try:
            raw = Path(path).read_bytes()
        except (OSError, ValueError) as exc:
            raise_error("XML_INVALIDE", f"{path}: {exc}")
    elif kind == FROM_STRING:
        try:
            raw = source.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate cannot be XML text
            raise_error("XML_INVALIDE", f"chaîne: {exc.reason}")
        raw = re.sub(rb"""(^\s*<\?xml[^>]*encoding\s*=\s*["'])[A-Za-z0-9._-]+""", rb"\1utf-8", raw)
    else:
        raise_error("PARAMETRE_INVALIDE", f"XMLOuvre origin={kind}")
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, ValueError) as exc:
        raise_error("XML_INVALIDE", f"{path or 'chaîne'}: {exc}")
    return XMLDocument(ElementTree.ElementTree(root), path, _encoding_of(raw))


@wlangage_function("XMLSauve", failure=False)
def xml_save(document: object, path: object = None) -> bool:
    """XMLSauve / XMLSave(<xmlDocument> [, <Fichier>]) -> booléen: writes
    the document to ``<Fichier>`` or to the file XMLOuvre read."""
    if not isinstance(document, XMLDocument):
        bad_type("XMLSauve #1", document)
    target = document._wl_path if path is None else path
    if not isinstance(target, str) or not target:
        raise_error("PARAMETRE_INVALIDE", "XMLSauve: no file (the document came from a chaîne)")
    try:
        document._wl_tree.write(target, encoding=document._wl_encoding, xml_declaration=True)
    except (OSError, LookupError, ValueError) as exc:
        raise_error("XML_INVALIDE", f"{target}: {exc}")
    return True

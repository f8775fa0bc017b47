"""The project: the module holding the event procedures, and which is which.

A WEBDEV "WebSocket server" project is a set of project events; its
Python form is one module (a ``.py`` file or an importable module name)
defining them under the names of PC SOFT's example, or their English form:

=================  ======================  ==============================
event              procedure (French)      English
=================  ======================  ==============================
a client connects  ``Connexion(Client)``   ``Connection(Client)``
a message arrives  ``ReceptionMessage(Client, vMessage)``  ``MessageReception(Client, vMessage)``
a client leaves    ``Deconnexion(Client)`` ``Disconnection(Client)``
the server stops   ``ArretServeur()``      ``ServerStop()``
=================  ======================  ==============================

Names compare as WLangage identifiers (no case, no accents:
``RéceptionMessage`` and ``Déconnexion`` are found too).  A module with
other names says which is which in a global ``EVENEMENTS_WEBSOCKET``
(English ``WEBSOCKET_EVENTS``), e.g. ``{"Connexion": "Arrivée"}``, or the
runner gets ``--event Connexion=Arrivée``.  Every event is optional.

The module's code is compiled once and run again for every execution
context (:meth:`Project.instantiate`), which gives each context its own
copy of the module's global variables, as WEBDEV gives each client its own
copy of the project's globals.
"""

from __future__ import annotations

import importlib.util
import os
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import raise_error

__all__ = ["Project", "EVENTS", "load_project"]

#: event key -> the procedure names looked for, French first.
EVENTS: dict[str, tuple[str, ...]] = {
    "connexion": ("Connexion", "Connection"),
    "message": ("ReceptionMessage", "MessageReception"),
    "deconnexion": ("Deconnexion", "Disconnection"),
    "arret": ("ArretServeur", "ServerStop"),
}


def lookup_key(name: str) -> str:
    from ..names import lookup_key as wlangage_key  # late: names imports this package

    return wlangage_key(name)


def _event_of(name: str) -> str | None:
    for event, names in EVENTS.items():
        if lookup_key(name) in {lookup_key(candidate) for candidate in names}:
            return event
    return None


_MAPPING_NAMES = ("EVENEMENTS_WEBSOCKET", "WEBSOCKET_EVENTS")


@dataclass
class Project:
    """A compiled module and the names of its event procedures."""

    name: str
    filename: str
    code: types.CodeType
    #: event key -> the procedure's name in the module (absent: no procedure)
    procedures: dict[str, str] = field(default_factory=dict)
    _instances: int = 0

    def instantiate(self, label: str) -> types.ModuleType:
        """A fresh copy of the module: its code run again, its own globals."""
        module = types.ModuleType(self.name)
        module.__file__ = self.filename
        module.__dict__["__wlsocket_context__"] = label
        exec(self.code, module.__dict__)
        self._instances += 1
        return module

    def procedure(self, module: types.ModuleType, event: str) -> Callable[..., Any] | None:
        name = self.procedures.get(event)
        return None if name is None else getattr(module, name, None)


def _module_file(module: str) -> tuple[str, str]:
    """(module name, source file) of a .py path or an importable name."""
    if module.endswith(".py") or os.sep in module:
        if not os.path.isfile(module):
            raise_error("PARAMETRE_INVALIDE", f"no such file {module!r}")
        return os.path.splitext(os.path.basename(module))[0], os.path.abspath(module)
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError) as exc:
        raise_error("PARAMETRE_INVALIDE", f"module {module!r}: {exc}")
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise_error("PARAMETRE_INVALIDE", f"{module!r} is not a module with Python source")
    return module, spec.origin


def _resolve_events(found: types.ModuleType, explicit: Mapping[str, str]) -> dict[str, str]:
    """event key -> procedure name, from the default names then the mappings."""
    procedures: dict[str, str] = {}
    for attribute, value in vars(found).items():
        event = _event_of(attribute)
        if event is not None and callable(value):
            procedures[event] = attribute
    mapping: dict[str, str] = {}
    for mapping_name in _MAPPING_NAMES:
        declared = getattr(found, mapping_name, None)
        if declared is not None:
            if not isinstance(declared, Mapping):
                raise_error("PARAMETRE_INVALIDE", f"{mapping_name} must be a dict, got {type(declared).__name__}")
            mapping.update(declared)
    mapping.update(explicit)
    for event_name, procedure_name in mapping.items():
        event = _event_of(str(event_name))
        if event is None:
            known = ", ".join(names[0] for names in EVENTS.values())
            raise_error("PARAMETRE_INVALIDE", f"unknown WebSocket server event {event_name!r} (known: {known})")
        if not isinstance(procedure_name, str) or not callable(getattr(found, procedure_name, None)):
            raise_error("PROCEDURE_INVALIDE",
                        f"{procedure_name!r} for the event {event_name} is not a procedure of the module")
        procedures[event] = procedure_name
    return procedures


def load_project(module: str, events: Mapping[str, str] | None = None) -> Project:
    """Compile ``module`` (a .py path or an importable name) and find its events.

    The module runs once here (as the server's global service will); a
    syntax error or an exception at import is reported with its file and
    line, as Python reports it.
    """
    name, filename = _module_file(module)
    with open(filename, "rb") as source:
        code = compile(source.read(), filename, "exec")
    project = Project(name=name, filename=filename, code=code)
    probe = project.instantiate("load")
    project.procedures = _resolve_events(probe, events or {})
    return project

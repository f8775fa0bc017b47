"""The Windows registry functions (RegistreLit, RegistreEcrit...) for programs
that keep their settings there.

There is no registry outside Windows, so wlsocket keeps one per user in a
JSON file: ``$WLSOCKET_REGISTRY`` when set, else
``~/.config/wlsocket/registre.json``.  Keys are paths as in WINDEV
(``HKEY_CURRENT_USER\\Software\\MonAppli``); case is ignored, as Windows
does; values are chaînes.  The file is written at each change.

Differs: on Windows too this store is used (not the real registry), so a
ported program and its WINDEV original do not share their settings.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import raise_error, wlangage_function
from ._types import bad_type, wl_str

__all__ = [
    "registry_query_value", "registry_set_value", "registry_create_key", "registry_delete_key",
    "registry_exist", "registry_first_sub_key", "registry_next_key",
]

_lock = threading.Lock()


def _store_path() -> Path:
    return Path(os.environ.get("WLSOCKET_REGISTRY") or Path.home() / ".config" / "wlsocket" / "registre.json")


def _load() -> dict[str, dict[str, Any]]:
    path = _store_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(keys: dict[str, dict[str, Any]]) -> None:
    path = _store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys, ensure_ascii=False, indent=1), encoding="utf-8")


def _key(key: object, where: str) -> str:
    if not isinstance(key, str) or not key.strip("\\"):
        bad_type(where, key)
    return "\\".join(part for part in key.split("\\") if part)


def _find(keys: dict[str, dict[str, Any]], key: str) -> str | None:
    folded = key.casefold()
    return next((name for name in keys if name.casefold() == folded), None)


@wlangage_function("RegistreLit", failure="")
def registry_query_value(key: object, value: object) -> str:
    """RegistreLit / RegistryQueryValue(<Clé>, <Nom de la valeur>) -> chaîne,
    "" + ErreurInfo REGISTRE_INEXISTANT when the key or value does not exist."""
    path = _key(key, "RegistreLit #1")
    name = wl_str(value)
    with _lock:
        keys = _load()
        found = _find(keys, path)
        values = keys.get(found, {}) if found else {}
        match = next((v for n, v in values.items() if n.casefold() == name.casefold()), None)
    if match is None:
        raise_error("REGISTRE_INEXISTANT", f"{path}\\{name}")
    return wl_str(match)


@wlangage_function("RegistreEcrit", failure=False)
def registry_set_value(key: object, value: object, data: object) -> bool:
    """RegistreEcrit / RegistrySetValue(<Clé>, <Nom de la valeur>, <Valeur>) -> booléen (the key is created)."""
    path = _key(key, "RegistreEcrit #1")
    with _lock:
        keys = _load()
        found = _find(keys, path) or path
        values = keys.setdefault(found, {})
        name = wl_str(value)
        for existing in [n for n in values if n.casefold() == name.casefold()]:
            del values[existing]
        values[name] = wl_str(data)
        _save(keys)
    return True


def registry_create_key(key: object) -> bool:
    """RegistreCréeClé / RegistryCreateKey(<Clé>) -> booléen."""
    path = _key(key, "RegistreCréeClé #1")
    with _lock:
        keys = _load()
        if _find(keys, path) is None:
            keys[path] = {}
            _save(keys)
    return True


def registry_delete_key(key: object) -> bool:
    """RegistreSupprimeClé / RegistryDeleteKey(<Clé>) -> booléen: the key and its sub-keys."""
    path = _key(key, "RegistreSupprimeClé #1").casefold()
    with _lock:
        keys = _load()
        doomed = [name for name in keys if name.casefold() == path or name.casefold().startswith(path + "\\")]
        for name in doomed:
            del keys[name]
        _save(keys)
    return bool(doomed)


def registry_exist(key: object, value: object = None) -> bool:
    """RegistreExiste / RegistryExist(<Clé> [, <Nom de la valeur>]) -> booléen."""
    path = _key(key, "RegistreExiste #1")
    with _lock:
        keys = _load()
    found = _find(keys, path)
    if found is None:
        return any(name.casefold().startswith(path.casefold() + "\\") for name in keys)
    return value is None or any(n.casefold() == wl_str(value).casefold() for n in keys[found])


def _children(keys: dict[str, dict[str, Any]], parent: str) -> list[str]:
    prefix = parent.casefold() + "\\"
    names = {parent + "\\" + name[len(prefix):].split("\\")[0] for name in keys if name.casefold().startswith(prefix)}
    return sorted(names, key=str.casefold)


def registry_first_sub_key(key: object) -> str:
    """RegistrePremièreSousClé / RegistryFirstSubKey(<Clé>) -> the full path of its first sub-key, or ""."""
    path = _key(key, "RegistrePremièreSousClé #1")
    with _lock:
        children = _children(_load(), path)
    return children[0] if children else ""


def registry_next_key(key: object) -> str:
    """RegistreCléSuivante / RegistryNextKey(<Clé>) -> the full path of the next key beside it, or ""."""
    path = _key(key, "RegistreCléSuivante #1")
    parent = path.rsplit("\\", 1)[0] if "\\" in path else ""
    with _lock:
        siblings = _children(_load(), parent) if parent else []
    folded = [name.casefold() for name in siblings]
    if path.casefold() not in folded:
        return ""
    index = folded.index(path.casefold()) + 1
    return siblings[index] if index < len(siblings) else ""

"""Tests of wlsocket.translate (the WLangage -> Python translator)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: What the page's browser client sends, and what its client prints once the server answered.
MESSAGE = "Texte du message envoyé depuis le navigateur."
CLIENT_OUTPUT = [
    "fermeture socket...",
    "Réception du message : " + '{ "status" : "ok",',
    '"reponse": "' + MESSAGE + '" }',
    "Fermeture de la socket",
]


def load(path: Path, name: str) -> ModuleType:
    """Import the Python file ``path`` as module ``name`` (registered in sys.modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def shared(*parts: str) -> Path:
    """A path under ../shared (beside the checkout), or under $WLSOCKET_SHARED when set.

    Skips the test where it is absent, except under CI where it must exist.
    """
    base = Path(os.environ["WLSOCKET_SHARED"]) if os.environ.get("WLSOCKET_SHARED") else ROOT.parent / "shared"
    path = base.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is required in CI but missing")
        pytest.skip(f"{path} is absent (a checkout outside this workspace; set WLSOCKET_SHARED)")
    return path


def script_env() -> dict[str, str]:
    """The environment to run a translated module as a script: this checkout's package first."""
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONIOENCODING": "utf-8"}


def wl2py(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m wlsocket.translate ARGS`` and return what it did."""
    return subprocess.run([sys.executable, "-m", "wlsocket.translate", *args], capture_output=True, text=True,
                          env=script_env(), timeout=timeout, cwd=ROOT)

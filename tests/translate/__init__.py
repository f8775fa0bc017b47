"""Tests of wlsocket.translate (the WLangage -> Python translator)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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

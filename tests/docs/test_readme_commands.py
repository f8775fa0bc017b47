"""README's two commands do what they say.

The demo command is taken from README.md itself (so the two cannot drift)
and run in a fresh clone with a fresh virtual environment: only in CI, as
it installs the package from scratch (a couple of minutes).  The test
command is not run here (the suite would run itself); .ci/run must contain
it word for word.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    """The indented command lines at the top of README.md, in order."""
    commands = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("---"):
            break
        if line.startswith("    ") and line.strip():
            commands.append(line.strip())
    return commands


def demo_command() -> str:
    found = [c for c in readme_commands() if "examples/demo.py" in c]
    assert len(found) == 1, f"README must give exactly one demo command, found {found}"
    return found[0]


def test_command() -> str:
    found = [c for c in readme_commands() if "pytest" in c]
    assert len(found) == 1, f"README must give exactly one test command, found {found}"
    return found[0]


test_command.__test__ = False  # a helper, not a test


def test_readme_has_its_two_commands_first():
    commands = readme_commands()
    assert commands == [demo_command(), test_command()]
    assert commands[0].startswith("python3 -m venv .venv && ")


def test_ci_runs_readme_test_command_verbatim():
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command() in ci_script.splitlines()


@pytest.mark.timeout(900)
@pytest.mark.skipif(not os.environ.get("CI"), reason="installs the package in a fresh clone: CI only (set CI to run)")
def test_demo_command_in_a_fresh_clone(tmp_path):
    git = shutil.which("git")
    assert git, "git is needed to clone the repository"
    clone = tmp_path / "clone"
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    # A fresh environment: no virtualenv or PYTHONPATH of the test run leaks in.
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    result = subprocess.run(
        ["bash", "-c", demo_command()],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert result.returncode == 0, f"demo failed:\n{result.stdout}\n{result.stderr}"
    assert "Texte du message envoyé depuis le navigateur." in result.stdout
    assert '{ "status" : "ok",' in result.stdout
    assert '"reponse": "Texte du message envoyé depuis le navigateur." }' in result.stdout

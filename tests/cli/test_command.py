"""The command itself: both spellings of every subcommand, the console
script, and the translator aliases."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from .tool import ROOT, run

SPELLINGS = [("ecoute", "listen"), ("envoie", "send"), ("trace", "trace"), ("rejoue", "replay"),
             ("traduire", "translate"), ("rapport", "report")]


def test_help_names_every_subcommand_in_french_and_english():
    done = run("--help")
    assert done.returncode == 0
    for french, english in SPELLINGS:
        assert french in done.stdout and english in done.stdout


@pytest.mark.parametrize(("french", "english"), SPELLINGS[:4])
def test_both_spellings_reach_the_same_subcommand(french, english):
    helps = [run(name, "--help").stdout for name in (french, english)]
    assert helps[0].startswith(f"usage: wlsocket {french}") and helps[0] == helps[1]


def test_no_subcommand_prints_the_usage_and_fails():
    done = run()
    assert done.returncode == 2 and "usage: wlsocket" in done.stderr


def test_bad_mode_is_a_usage_error_naming_the_choices():
    done = run("ecoute", "5000", "--mode", "morse")
    assert done.returncode == 2
    assert "unknown mode 'morse'" in done.stderr and "marqueur-buffer" in done.stderr
    assert "Traceback" not in done.stderr


def test_console_script_is_installed_beside_python():
    script = Path(shutil.which("wlsocket") or ROOT / ".venv" / "bin" / "wlsocket")
    if not script.exists():
        pytest.skip("the package is not installed with its console script here")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.startswith("wlsocket ")


@pytest.mark.parametrize("name", ["traduire", "translate", "rapport", "report"])
def test_translator_aliases(name):
    done = run(name, "--help")
    if importlib.util.find_spec("wlsocket.translate") is None:
        assert done.returncode == 2
        assert "the translator (wlsocket.translate) is not installed" in done.stderr
    else:  # handed over to the translator's own command line
        assert "not installed" not in done.stderr
        assert done.returncode == 0, done.stderr

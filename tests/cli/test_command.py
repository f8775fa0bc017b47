"""The command itself: both spellings of every subcommand, the console
script, and the translator aliases."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wlsocket.cli import main, translate

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


TRANSLATOR_PRESENT = importlib.util.find_spec("wlsocket.translate") is not None
# Our own fixture: a client in WLangage, four lines.
CLIENT_WL = """SocketConnecte("c", 5001, "127.0.0.1")
SocketEcrit("c", "Bonjour")
sReponse est une chaîne = SocketLit("c")
SocketFerme("c")
"""


def _translator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wlsocket.translate", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("name", ["traduire", "translate", "rapport", "report"])
def test_translator_aliases_without_the_translator(name, monkeypatch, capsys):
    if TRANSLATOR_PRESENT:  # a wlsocket without it: look for a module that is not there
        monkeypatch.setattr(translate, "TRANSLATOR", "wlsocket.no_translator_here")
    assert main([name, "--help"]) == 2
    assert "is not installed in this version of wlsocket" in capsys.readouterr().err


@pytest.mark.skipif(not TRANSLATOR_PRESENT, reason="wlsocket.translate is not in this version")
@pytest.mark.parametrize("name", ["traduire", "translate"])
def test_traduire_is_the_translators_command_line(tmp_path, name):
    source = tmp_path / "client.wl"
    source.write_text(CLIENT_WL, encoding="utf-8")
    ours, theirs = run(name, str(source)), _translator(str(source))
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout
    assert 'sReponse = SocketLit("c")' in ours.stdout


@pytest.mark.skipif(not TRANSLATOR_PRESENT, reason="wlsocket.translate is not in this version")
@pytest.mark.parametrize("name", ["rapport", "report"])
def test_rapport_is_the_translators_report(tmp_path, name):
    (tmp_path / "client.wl").write_text(CLIENT_WL, encoding="utf-8")
    ours, theirs = run(name, str(tmp_path)), _translator("--report", str(tmp_path))
    assert ours.returncode == theirs.returncode
    assert ours.stdout == theirs.stdout and "client.wl" in ours.stdout


@pytest.mark.skipif(not TRANSLATOR_PRESENT, reason="wlsocket.translate is not in this version")
def test_translator_errors_keep_the_translators_status_and_message(tmp_path):
    missing = tmp_path / "absent.wl"
    ours, theirs = run("traduire", str(missing)), _translator(str(missing))
    assert ours.returncode == theirs.returncode == 2
    assert ours.stderr == theirs.stderr and "absent.wl" in ours.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["ecoute", "70000"], "invalid port '70000'"),
        (["envoie", "127.0.0.1", "0", "x"], "invalid port '0'"),
        (["trace", "5000", "127.0.0.1", "99999"], "invalid port '99999'"),
        (["ecoute", "5000", "--apercu", "-5"], "invalid number '-5'"),
        (["envoie", "127.0.0.1", "5000", "x", "--delai", "soon"], "invalid number 'soon'"),
        (["ecoute", "5000", "--marqueur", "中"], "'中' has no byte in ansi"),
        (["ecoute", "5000", "--reponse", "中"], "'中' has no byte in ansi"),
        (["envoie", "127.0.0.1", "5000", "中"], "'中' has no byte in ansi"),
        (["envoie", "127.0.0.1", "5000", "@/no/such/file"], "No such file"),
        (["ecoute", "5000", "--encodage", "ebcdic"], "unknown encoding 'ebcdic'"),
        (["rejoue", "/no/such/journal"], "No such file"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_and_no_traceback(args, said):
    done = run(*args, timeout=30)
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stdout + done.stderr
    assert "Traceback" not in done.stderr

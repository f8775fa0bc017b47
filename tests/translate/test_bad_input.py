"""Bad WLangage input gives ``path:line:col: error: message``, never a traceback, in bounded time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.translate import wl2py

DIAGNOSTIC = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")


def diagnose(tmp_path: Path, name: str, data: bytes, timeout: float = 60) -> tuple[int, list[re.Match[str]], str]:
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / (name + ".py")
    done = wl2py(str(source), "-o", str(out), timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    matches = [DIAGNOSTIC.match(line) for line in done.stderr.splitlines()]
    assert all(matches), done.stderr
    if out.exists():
        compile(out.read_text(encoding="utf-8"), str(out), "exec")  # what is written still compiles
    return done.returncode, [m for m in matches if m], out.read_text(encoding="utf-8") if out.exists() else ""


def test_unclosed_block_names_the_line_where_it_was_opened(tmp_path):
    code, found, python = diagnose(tmp_path, "a.wl", b"x est un entier\nSI x = 1 ALORS\n\tTrace(x)\n")
    assert code == 1
    assert found[0]["message"] == "SI opened at line 2:1 is never closed"
    assert 'raise NotImplementedError' in python and "# SI x = 1 ALORS" in python


def test_unclosed_bracket_names_the_line_where_it_was_opened(tmp_path):
    code, found, _ = diagnose(tmp_path, "a.wl", b"Trace(1,\n2\n")
    assert code == 1
    assert "opened at line 1:6 is never closed" in found[0]["message"]


def test_stray_fin(tmp_path):
    code, found, _ = diagnose(tmp_path, "a.wl", b"Trace(1)\nFIN\n")
    assert code == 1
    assert (found[0]["line"], found[0]["col"]) == ("2", "1")
    assert found[0]["message"] == "FIN closes no block"


def test_unknown_keyword(tmp_path):
    code, found, _ = diagnose(tmp_path, "a.wl", b"BOUCLE\n\tTrace(1)\n\tJUSQUA nCompteur > 10\nFIN\n")
    assert code == 1
    assert (found[0]["line"], found[0]["col"]) == ("3", "2")
    assert found[0]["message"] == "unknown keyword 'JUSQUA' (a statement cannot start with two names)"


def test_binary_input(tmp_path):
    code, found, _ = diagnose(tmp_path, "a.wl", b"PROCEDURE p()\n\x00\x01\x02\xff\xfe")
    assert code == 2
    assert found[0]["line"] == "2" and "binary" in found[0]["message"]


def test_mojibake_input(tmp_path):
    code, found, _ = diagnose(tmp_path, "a.wl", "sClé est une chaîne\nTrace(\ufffd)\n".encode())
    assert code == 2
    assert (found[0]["line"], found[0]["col"]) == ("2", "7") and "mojibake" in found[0]["message"]


def test_windows_1252_input_is_read(tmp_path):
    code, found, python = diagnose(tmp_path, "a.wl", "sClé est une chaîne = \"été\"\nTrace(sCle)\n".encode("cp1252"))
    assert code == 0 and not found
    assert 'sClé = "été"' in python and "Trace(sClé)" in python


def test_empty_file(tmp_path):
    code, found, python = diagnose(tmp_path, "a.wl", b"")
    assert code == 1
    assert found[0]["message"] == "no WLangage code in this file"
    assert "def main():" in python


def test_missing_file(tmp_path):
    done = wl2py(str(tmp_path / "absent.wl"))
    assert done.returncode == 2
    assert DIAGNOSTIC.match(done.stderr.strip()), done.stderr


@pytest.mark.timeout(110)
def test_100000_line_file_in_bounded_time(tmp_path):
    lines = ["SI bFini ALORS"] + [f"Trace{n % 7}" for n in range(100_000)]
    code, found, _ = diagnose(tmp_path, "long.wl", ("\n".join(lines) + "\n").encode(), timeout=100)
    assert code == 1
    assert found[0]["message"] == "SI opened at line 1:1 is never closed"
    assert found[0]["line"] == "100001"


def test_deep_nesting_is_a_diagnostic(tmp_path):
    deep_blocks = "x = 1\n"
    for _ in range(400):
        deep_blocks = "SI a ALORS\n" + deep_blocks + "FIN\n"
    code, found, _ = diagnose(tmp_path, "blocks.wl", deep_blocks.encode())
    assert code == 1 and "nested more than" in found[0]["message"]
    code, found, _ = diagnose(tmp_path, "minus.wl", ("x = " + "-" * 3000 + "1\n").encode())
    assert code == 1 and "nested more than" in found[0]["message"]
    code, found, python = diagnose(tmp_path, "parens.wl", ("x = " + "(" * 3000 + "1" + ")" * 3000 + "\n").encode())
    assert code == 0 and "    x = 1" in python

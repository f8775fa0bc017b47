"""Golden tests: small WLangage fixtures of our own, one per family of constructs, with the expected Python.

tests/translate/golden/NAME.wl is translated and compared with NAME.py (to
update after a deliberate change of the emitter:
``for f in tests/translate/golden/*.wl tests/translate/golden/*.wdc; do wl2py "$f" -o "${f%.*}.py"; done``,
then read the diff).  The translations are also run: what they trace or
return is what the WLangage code means.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import wlsocket
from tests.translate import script_env
from wlsocket.translate import translate_file

GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = sorted([*GOLDEN.glob("*.wl"), *GOLDEN.glob("*.wdc")])


@pytest.mark.parametrize("source", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_translation_is_the_expected_python(source: Path, monkeypatch):
    monkeypatch.chdir(GOLDEN)  # the module docstring names the file as given
    translation = translate_file(source.name)
    assert translation.errors == []
    assert translation.translated == translation.blocks >= 1
    assert translation.python == source.with_suffix(".py").read_text(encoding="utf-8")
    if source.suffix == ".wdc":
        return
    compile(translation.python, source.name, "exec")


def test_no_fixture_shadows_a_standard_module():
    """A golden script runs with its folder first on sys.path: one named like a
    standard module (types.py did) replaces it for the whole interpreter."""
    assert not {f.stem for f in FIXTURES} & set(sys.stdlib_module_names)


def run(name: str) -> list[str]:
    """Run golden/NAME.py as a script: its Trace lines (standard error)."""
    done = subprocess.run([sys.executable, str(GOLDEN / f"{name}.py")], capture_output=True, text=True,
                          env=script_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"golden_{name}", GOLDEN / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loops_run_as_wlangage_counts():
    # POUR 1,4,7,10 = 22; POUR 5,3,1 = 31; BOUCLE(3) = 34; BOUCLE down to 19; TANTQUE up to 25;
    # "a;b;;c" SÉPARÉE PAR ";" has 4 pieces (the empty one included).
    assert run("boucles") == ["25, 4"]


def test_strings_run_as_wlangage_computes_them():
    # sTexte[[1]] = "b" made it "bonjour le monde": it starts with "bon", ends with "monde", holds "le".
    assert run("chaines") == [
        "commence",
        "finit",
        "contient",
        'Bonjour, le monde, jo, bonjour le monde, il a dit "oui", un, deux, 15',
        "première ligne",
        "seconde ligne",
    ]


def test_names_ignore_case_and_accents():
    assert run("noms") == ["ABCD, 4", "pas de socket"]


def test_internal_procedure_is_a_closure_and_globals_are_shared():
    assert run("procedures") == ["tour 3", "3"]
    assert run("globales") == ["2, 5001, Serveur"]


def test_selon_ranges_and_comparisons():
    module = load("si_selon")
    got = {n: module.Classe(n) for n in (-1, 0, 2, 5, 42, 50, 150)}
    assert got == {-1: "négatif", 0: "zéro", 2: "petit", 5: "moyen", 42: "grand (la réponse)", 50: "grand",
                   150: "énorme"}
    assert (module.Signe(3), module.Signe(-3)) == ("+", "-")


def test_english_keywords():
    module = load("english")
    assert [module.Describe(n) for n in (1, 3, 7, 0)] == ["onexy", "nonexy", "manyxy!", "nonexy"]


def test_typed_assignment_converts():
    assert run("typage") == ["3, 12, n=5, 0, 1, 0", "3, 2"]


def test_internal_procedure_in_a_block_reference_assignment_and_ternary():
    module = load("divers")
    assert module.Choisis(1) == "n1 petit"
    assert module.Choisis(5) == "n5 autre"


def test_main_thread_procedure_runs_in_the_main_thread():
    import threading

    module = load("divers")
    ran_in: list[str] = []
    module.Trace = lambda text: ran_in.append(threading.current_thread().name)
    worker = threading.Thread(target=module.MetÀJour, args=("x",), name="worker")
    worker.start()
    deadline_pumps = 0
    while worker.is_alive() and deadline_pumps < 500:
        wlsocket.Multitâche(1)  # the main thread serves the queue while it waits
        deadline_pumps += 1
    worker.join(10)
    assert ran_in == [threading.main_thread().name]


def test_class_export_becomes_a_python_class():
    module = load("compte")
    account = module.CCompte("Ada")
    assert account.Dépose(5) == "Ada : 5"
    assert account.Dépose(7) == "Ada : 12"

"""Any text gives a module that compiles and diagnostics, never an exception (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wlsocket.translate import SourceError, translate_text

WORDS = ["SI", "ALORS", "SINON", "FIN", "SELON", "CAS", "AUTRE CAS", "BOUCLE", "POUR", "TOUT", "DE", "_A_",
         "PAS", "TANTQUE", "PROCEDURE", "INTERNE", "RENVOYER", "RETOUR", "est un", "entier", "chaîne",
         "x", "sClé", "Trace", "(", ")", "[", "]", "[[", "]]", ",", "=", "+", "<>", "[=", ":", "..", ".",
         '"a"', '""', "1", "0x1F", "\n", "\n", "\t", " ", "//c", "GLOBAL", "CONSTANT", "QUAND EXCEPTION DANS",
         "FAIRE", "UTILISER", "DANS", "CAS EXCEPTION:", "<thread principal>", "{", "}", "?", "++", "é", "€"]

sources = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(sources)
def test_translation_never_raises_and_always_compiles(text):
    translation = translate_text("fuzz.wl", text)
    compile(translation.python, "fuzz.py", "exec")
    assert translation.translated + len({e.line for e in translation.errors}) >= translation.blocks


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_characters(text):
    try:
        translation = translate_text("fuzz.wl", text)
    except SourceError as exc:  # binary data or mojibake: the documented diagnostic
        assert str(exc).startswith(f"fuzz.wl:{exc.line}:{exc.col}: error: ")
        return
    compile(translation.python, "fuzz.py", "exec")

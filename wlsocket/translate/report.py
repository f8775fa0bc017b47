"""The migration report: per file and in total, what translated and what the code calls.

``python -m wlsocket.translate --report PATH...`` prints it; ``--json``
writes it as data; ``python -m wlsocket.coverage`` shows the same counts
as the table of WLangage functions (one scanner: the translator's).
A block counts as translated when it parsed, was emitted, and the module
it is in compiles (``compile()``, what ``py_compile`` does).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..names import lookup_key
from . import Translation, translate_file
from .source import EXPORT_SUFFIXES, SourceError

__all__ = ["Report", "collect", "source_files", "SOURCE_SUFFIXES", "category"]

#: What --report and the coverage script read in a folder.
SOURCE_SUFFIXES = frozenset({".wl"}) | EXPORT_SUFFIXES


def source_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: files as given, folders searched for WLangage sources (sorted)."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES))
        else:
            found.append(path)
    return found


@dataclass
class Report:
    translations: list[Translation] = field(default_factory=list)
    compiled: dict[str, bool] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    @property
    def blocks(self) -> int:
        return sum(t.blocks for t in self.translations)

    @property
    def translated(self) -> int:
        return sum(t.translated for t in self.translations if self.compiled.get(t.path))

    @property
    def lines(self) -> int:
        return sum(t.lines for t in self.translations)

    @property
    def all_compile(self) -> bool:
        return all(self.compiled.values())

    def calls(self) -> Counter[str]:
        """Calls per WLangage function, spellings that differ only by case or accents counted as one;
        the procedures and classes that one of the files declares (a project's own) are left out."""
        return self._without_own(_merged(t.calls for t in self.translations))

    def missing(self) -> Counter[str]:
        return self._without_own(_merged(t.missing for t in self.translations))

    def _without_own(self, counts: Counter[str]) -> Counter[str]:
        own = set().union(*(t.declared for t in self.translations)) if self.translations else set()
        return Counter({name: count for name, count in counts.items() if lookup_key(name) not in own})

    def share(self) -> float:
        return self.translated / self.blocks if self.blocks else 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [
                {
                    "path": t.path, "blocks": t.blocks,
                    "translated": t.translated if self.compiled.get(t.path) else 0,
                    "lines": t.lines, "compiles": self.compiled.get(t.path, False),
                    "errors": [{"line": e.line, "col": e.col, "message": e.message} for e in t.errors],
                }
                for t in self.translations
            ],
            "totals": {"blocks": self.blocks, "translated": self.translated, "lines": self.lines},
            "missing_functions": dict(sorted(self.missing().items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def text(self, base: Path | None = None, functions: bool = True) -> str:
        rows = ["| File | Blocks | Translated | Lines | Compiles | Errors |", "|---|---:|---:|---:|---|---:|"]
        for t in self.translations:
            shown = _shown(t.path, base)
            ok = self.compiled.get(t.path, False)
            rows.append(f"| {shown} | {t.blocks} | {t.translated if ok else 0} | {t.lines} | "
                        f"{'yes' if ok else 'NO'} | {len(t.errors)} |")
        rows.append(f"| **total** | {self.blocks} | {self.translated} | {self.lines} | "
                    f"{'all' if self.all_compile else 'NOT ALL'} | {sum(len(t.errors) for t in self.translations)} |")
        share = f"{100 * self.share():.1f} %"
        lines = [f"Code blocks translated: {self.translated} of {self.blocks} ({share}); "
                 f"every output compiles: {'yes' if self.all_compile else 'no'}.", "", *rows]
        errors = [f"- {_shown(t.path, base)}:{e.line}:{e.col}: {e.message}"
                  for t in self.translations for e in t.errors]
        if errors:
            lines += ["", "Not translated:", "", *errors]
        calls = self.calls() if functions else Counter()
        if calls:
            lines += ["", "| WLangage function | Calls | In wlsocket |", "|---|---:|---|"]
            missing = self.missing()
            for name, count in sorted(calls.items(), key=lambda kv: (-kv[1], kv[0].casefold())):
                lines.append(f"| {name} | {count} | {'no' if name in missing else 'yes'} |")
        for path in self.unreadable:
            lines.append(f"unreadable: {path}")
        return "\n".join(lines) + "\n"


def _merged(counts: Iterable[dict[str, int]]) -> Counter[str]:
    by_spelling: Counter[str] = Counter()
    for found in counts:
        by_spelling.update(found)
    spelling: dict[str, str] = {}
    for name, _ in by_spelling.most_common():
        spelling.setdefault(lookup_key(name), name)
    merged: Counter[str] = Counter()
    for name, count in by_spelling.items():
        merged[spelling[lookup_key(name)]] += count
    return merged


def _shown(path: str, base: Path | None) -> str:
    if base is None:
        return path
    try:
        return str(Path(path).resolve().relative_to(base.resolve()))
    except ValueError:
        return path


def collect(paths: Iterable[str | Path], defines: dict[str, str] | None = None) -> Report:
    """Translate every file under ``paths`` and check that each output compiles."""
    report = Report()
    for path in source_files(paths):
        try:
            translation = translate_file(path, defines)
        except SourceError as exc:
            report.unreadable.append(str(exc))
            continue
        report.translations.append(translation)
        try:
            compile(translation.python, str(path) + ".py", "exec")
            report.compiled[translation.path] = True
        except (SyntaxError, ValueError):
            report.compiled[translation.path] = False
    return report


_UI_PREFIXES = ("fen", "win", "ouvre", "open", "ferme", "close", "champ", "control", "table", "liste", "list",
                "combo", "ecran", "screen", "image", "sablier", "hourglass", "barre", "bulle", "menu", "onglet",
                "couleur", "color", "police", "font", "gfen", "ouinon", "yesno", "confirmer", "confirm", "dialogue",
                "dialog", "toast", "animation", "selection", "select", "saisie", "input", "fichier", "file", "fd",
                "nfen", "utilise", "use", "raz", "reset", "systray", "planning", "arbre", "tree", "zone", "looper",
                "fenetat", "ajouteligne", "drag", "souris", "mouse", "clavier", "keyboard", "gen", "dessin", "d")
_DATA_PREFIXES = ("h", "sql", "requete", "query")
_REPORT_PREFIXES = ("imprime", "iimprime", "i", "etat", "report")


def category(name: str, provided: bool) -> str:
    """A rough family for the coverage table: provided, or why it may not need to be."""
    if provided:
        return "provided"
    key = "".join(c for c in lookup_key(name) if c.isalnum())
    if len(name) > 1 and name[0] in "Hh" and name[1].isupper():  # HLitPremier, HErreurInfo...
        return "HFSQL"
    if len(name) > 1 and name[0] == "g" and name[1].isupper():  # gStylo: drawing in a control
        return "UI"
    if key.startswith(("sysicone", "sysicon", "fselecteur", "fselect", "endevent", "event")):
        return "UI"
    if key.startswith(("hlit", "hajoute", "hmodifie", "hsupprime", "hfiltre", "hexecute", "htrouve", "hraz",
                       "hcree", "houvre", "hferme", "hdeclare", "hpasse", "hlibere", "hnbenr", "hread", "hadd",
                       "hmodify", "hdelete", "hfilter", "hfound", "hreset", "hcreate", "hopen", "hclose", "hchange",
                       "hexecutequery", "hrecherche", "hseek", "hpositionne", "henr", "hrec", "hsauve", "hsave",
                       "hnumenr", "hrecnum", "hdesactive", "hdeactivate", "hannule", "hcancel", "hversion",
                       "htransaction", "hlist", "hliste", "hinfo", "hinit", "hstat", "hbloque", "hlock")) \
            or key.startswith(_DATA_PREFIXES[1:]):
        return "HFSQL"
    if key.startswith(_REPORT_PREFIXES[:2]) or key.startswith(("etat", "report")):
        return "reports"
    if key.startswith(_UI_PREFIXES[:-1]) or key.startswith(("gr", "message", "reprisesaisie", "returntocapture",
                                                             "ecran", "rtf")):
        return "UI"
    return "other"


def dumps(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=1)

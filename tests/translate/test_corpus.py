"""On ../shared/wlangage-corpus: the share of blocks translated stays at least what docs/translator.md states,
and every output compiles (the report's "compiles" is compile(), what py_compile does)."""

from __future__ import annotations

import json
import re

from tests.translate import ROOT, shared, wl2py
from wlsocket.translate.report import collect

STATED = re.compile(r"Code blocks translated: (\d+) of (\d+) \(([\d.]+) %\); every output compiles: (yes|no)\.")


def stated() -> tuple[int, int, float]:
    match = STATED.search((ROOT / "docs" / "translator.md").read_text(encoding="utf-8"))
    assert match, "docs/translator.md has no generated report"
    assert match.group(4) == "yes"
    return int(match.group(1)), int(match.group(2)), float(match.group(3))


def test_share_translated_does_not_drop_below_the_docs():
    translated, blocks, share = stated()
    report = collect([shared("wlangage-corpus")])
    assert report.blocks >= blocks
    assert round(100 * report.share(), 1) >= share, report.text()
    assert report.translated >= translated
    assert report.all_compile, [path for path, ok in report.compiled.items() if not ok]


def test_json_report_has_the_documented_shape(tmp_path):
    corpus = shared("wlangage-corpus", "socket")
    out = tmp_path / "report.json"
    done = wl2py("--report", str(corpus), "--json", str(out))
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"files", "totals", "missing_functions"}
    assert set(data["totals"]) == {"blocks", "translated", "lines"}
    first = data["files"][0]
    assert {"path", "blocks", "translated", "lines", "errors"} <= set(first)
    assert data["totals"]["blocks"] == sum(f["blocks"] for f in data["files"])
    assert all(isinstance(count, int) and count > 0 for count in data["missing_functions"].values())

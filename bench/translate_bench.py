"""Workload: how fast wl2py translates real WLangage (lines per second on ../shared/wlangage-corpus).

Every code block of the corpus (sixty files by others) is read once; then,
repetition by repetition, alternating: the translator parses every block
(Lark LALR, contextual lexer, the post-lexer), and parses + emits every
file; the reference is CPython's own ``compile()`` of the Python modules
that the translator wrote, the same work a Python user pays for every
source it runs.  The figure is non-blank WLangage lines per second
(median); the ratio says how the translator compares with compiling its
output.  No target: informative.  Where the corpus is absent (a clone
outside this workspace; set WLSOCKET_SHARED) there are no rows.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from . import interleaved, row, timed, tiny_requested

SIZES = {"full": 7, "quick": 3, "tiny": 1}


def corpus() -> Path | None:
    base = Path(os.environ["WLSOCKET_SHARED"]) if os.environ.get("WLSOCKET_SHARED") else (
        Path(__file__).resolve().parent.parent.parent / "shared")
    path = base / "wlangage-corpus"
    return path if path.is_dir() else None


def run(quick: bool, tiny: bool = False) -> list[dict]:
    folder = corpus()
    if folder is None:
        print("[bench] translate_bench: ../shared/wlangage-corpus is absent: no rows", flush=True)
        return []
    from wlsocket.translate import translate_file
    from wlsocket.translate.parser import ParseError, get_parser, parse
    from wlsocket.translate.report import source_files
    from wlsocket.translate.source import read_blocks

    files = source_files([folder])
    blocks = [block for path in files for block in read_blocks(path)]
    lines = sum(block.line_count for block in blocks)
    outputs = [translate_file(path).python for path in files]
    get_parser()  # built (or loaded from Lark's cache) once, outside the timings

    def parse_all() -> None:
        for block in blocks:
            with contextlib.suppress(ParseError):  # the few blocks that do not parse count as read
                parse(block.text, block.path, block.first_line)

    def translate_all() -> None:
        for path in files:
            translate_file(path)

    def compile_all() -> None:
        for number, text in enumerate(outputs):
            compile(text, f"<corpus {number}>", "exec")

    repetitions = SIZES["tiny" if tiny or tiny_requested() else "quick" if quick else "full"]
    measured = interleaved(
        {name: (lambda action=action: lines / timed(action))
         for name, action in (("parse", parse_all), ("translate", translate_all), ("compile", compile_all))},
        repetitions,
    )
    reference = "CPython compile() of the output"
    return [
        row("wl2py: parse the corpus", measured["parse"], measured["compile"], "lines/s",
            reference_name=reference, higher_is_better=True,
            note=f"{len(blocks)} code blocks, {lines:,} non-blank lines, {len(files)} files"),
        row("wl2py: translate the corpus (parse + emit)", measured["translate"], measured["compile"], "lines/s",
            reference_name=reference, higher_is_better=True),
    ]

"""WLangage to Python: ``python -m wlsocket.translate SOURCE`` (also the ``wl2py`` command).

:func:`translate_file` reads a .wl file, a WINDEV/WEBDEV text export or a
Markdown page, parses each code block (:mod:`.parser`), and emits one
Python module on the public wlsocket API (:mod:`.emit`).  A block that
cannot be translated is kept as comments followed by a function raising
NotImplementedError, so the rest of the module still runs.  See
docs/translator.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .emit import BlockCode, EmitError, ModuleEmitter
from .parser import ParseError, parse
from .source import CodeBlock, SourceError, check_text, read_blocks, split_blocks
from .tree import Node, from_lark

__all__ = ["Diagnostic", "Translation", "translate_file", "translate_text", "SourceError"]


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


@dataclass
class Translation:
    """The translated module of one file and what the report needs about it."""

    path: str
    python: str
    blocks: int = 0
    translated: int = 0
    lines: int = 0
    errors: list[Diagnostic] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    #: Procedures and classes the file declares (other files of a project call them).
    declared: set[str] = field(default_factory=set)


def apply_defines(text: str, defines: dict[str, str]) -> str:
    """Replace the documentation placeholders ``<NAME>`` (``-D NAME=VALUE``)."""
    for name, value in defines.items():
        text = re.sub("<" + re.escape(name) + ">", lambda _m, v=value: v, text)  # type: ignore[misc]
    return text


def translate_file(path: str | Path, defines: dict[str, str] | None = None) -> Translation:
    """Translate one file (raises SourceError when it cannot be read as text)."""
    return _translate(str(path), read_blocks(path), defines or {})


def translate_text(path: str, text: str, defines: dict[str, str] | None = None) -> Translation:
    """Translate source text; ``path`` names it (and its extension says how to read it).

    Raises SourceError for text that holds binary data or mojibake, as translate_file."""
    check_text(path, text)
    return _translate(path, split_blocks(path, text), defines or {})


#: Deeper than this, the emitter (recursive) and Python's own parser would give up: a diagnostic instead.
MAX_DEPTH = 150


def _check_depth(tree: Node) -> None:
    stack: list[tuple[Node, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError("", node.line, node.col, f"nested more than {MAX_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in node.nodes())


def _translate(path: str, blocks: list[CodeBlock], defines: dict[str, str]) -> Translation:
    result = Translation(path, "")
    parsed: list[BlockCode] = []
    failed: list[tuple[str, int, int, str, list[str]]] = []
    for block in blocks:
        text = apply_defines(block.text, defines)
        result.blocks += 1
        result.lines += block.line_count
        source_lines = text.splitlines()
        numbered = {block.first_line + i: line for i, line in enumerate(source_lines)}
        try:
            tree = from_lark(parse(text, path, block.first_line), block.first_line - 1)
            _check_depth(tree)
        except ParseError as exc:
            result.errors.append(Diagnostic(path, exc.line, exc.col, exc.message))
            failed.append((block.name, exc.line, exc.col, exc.message, source_lines))
            continue
        parsed.append(BlockCode(block.name, tree, numbered, block.first_line, block.first_line + len(source_lines) - 1))
    emitter = ModuleEmitter(path)
    while True:
        try:
            result.python = emitter.emit(parsed, failed)
            break
        except EmitError as exc:
            culprit = next((b for b in parsed if b.first_line <= exc.line <= b.last_line),
                           parsed[-1] if parsed else None)
            if culprit is None:
                raise
            result.errors.append(Diagnostic(path, exc.line, exc.col, exc.message))
            parsed.remove(culprit)
            failed.append((culprit.name, exc.line, exc.col, exc.message, list(culprit.lines.values())))
            emitter = ModuleEmitter(path)
    result.translated = result.blocks - len(failed)
    result.calls = dict(emitter.calls)
    result.missing = dict(emitter.missing)
    result.declared = emitter.declared_names()
    if not blocks:
        result.errors.append(Diagnostic(path, 1, 1, "no WLangage code in this file"))
    return result

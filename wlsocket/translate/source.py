"""Reading WLangage source: .wl files, WINDEV text exports, Markdown pages.

A *code block* is one piece of WLangage code with the line of the file
where it starts, so that diagnostics and the comments of the output name
the lines of the original file.

* ``.wl`` (or any unknown extension): the whole file is one block.
* WINDEV 28+ text exports (``.wdw``, ``.wdg``, ``.wdc``, ``.wdp``, ``.wwh``...):
  the code sits in YAML block scalars, a line ``code : |1-`` (or ``|1+``)
  followed by the code lines indented one column deeper than ``code``; the
  block ends at the first non-blank line indented less.  The block is named
  after the nearest ``name :`` above it.  Translated strings appear as
  placeholders ``<§@<identifier><index>§>``: they are replaced by their
  first text from the file's ``string_res`` section (the placeholder stays
  when its text is not found).
* ``.md``: each fenced block opened with ```` ```wl ```` is a block
  (the PC SOFT help pages show their examples that way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CodeBlock", "SourceError", "read_blocks", "split_blocks", "decode", "check_text", "EXPORT_SUFFIXES"]

#: Extensions of the WINDEV / WEBDEV text exports.
EXPORT_SUFFIXES = frozenset({".wdw", ".wdg", ".wdc", ".wdp", ".wwh", ".wdr", ".wde", ".wdt", ".wdi"})

_CODE_START = re.compile(r"^(?P<indent>[ ]*)code\s*:\s*\|(?P<indent_ind>\d*)[+-]?\s*$")
_NAME = re.compile(r"^(?P<indent>[ ]*)(?:-\s+)?name\s*:\s*(?P<name>.*?)\s*$")
_FENCE_OPEN = re.compile(r"^\s*```\s*wl\s*$", re.IGNORECASE)
_FENCE_CLOSE = re.compile(r"^\s*```\s*$")
_RES_ID = re.compile(r"^\s*identifier\s*:\s*0x(?P<id>[0-9a-fA-F]+)\s*$")
_RES_INDEX = re.compile(r"^\s*index\s*:\s*(?P<index>\d+)\s*$")
_RES_TEXT = re.compile(r"^\s*[a-z]{2}-[A-Z]{2}\s*:\s*(?P<text>.*)$")
_PLACEHOLDER = re.compile(r"<§@(?P<id>[0-9a-fA-F]{16})(?P<index>[0-9a-fA-F]{4})§>")


class SourceError(Exception):
    """A file that cannot be read as WLangage text (missing, binary, not text)."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: error: {message}")
        self.path, self.line, self.col, self.message = path, line, col, message


@dataclass(frozen=True)
class CodeBlock:
    """One piece of WLangage code; ``first_line`` is its first line in the file (1-based)."""

    path: str
    name: str
    text: str
    first_line: int

    @property
    def line_count(self) -> int:
        return len([line for line in self.text.splitlines() if line.strip()])


def decode(data: bytes, path: str) -> str:
    """The text of a source file: UTF-8 (with or without BOM), else Windows-1252.

    Binary data (a NUL or another control character) and mojibake (bytes
    that no encoding explains, or U+FFFD left by a lossy conversion) are
    refused with a SourceError naming the first offending line and column.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # the ANSI exports of older WINDEV versions
    check_text(path, text)
    return text


def check_text(path: str, text: str) -> None:
    """SourceError at the first control character (binary data) or U+FFFD (mojibake)."""
    for number, line in enumerate(text.splitlines(), 1):
        for col, char in enumerate(line, 1):
            if char == "\x00" or (ord(char) < 32 and char not in "\t\r\f\v\x1a"):
                raise SourceError(path, number, col, f"binary data (character U+{ord(char):04X}), not WLangage text")
            if char == "\ufffd":
                raise SourceError(path, number, col, "mojibake: a character that is neither UTF-8 nor Windows-1252")


def read_blocks(path: str | Path) -> list[CodeBlock]:
    """The code blocks of one file (see the module docstring)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(name, 1, 1, f"cannot read: {exc.strerror or exc}") from None
    return split_blocks(name, decode(data, name))


def split_blocks(path: str, text: str) -> list[CodeBlock]:
    suffix = Path(path).suffix.lower()
    lines = text.splitlines()
    if suffix in EXPORT_SUFFIXES:
        return _export_blocks(path, lines)
    if suffix == ".md":
        return _markdown_blocks(path, lines)
    if not text.strip():
        return []
    return [CodeBlock(path, Path(path).stem, text, 1)]


def _export_blocks(path: str, lines: list[str]) -> list[CodeBlock]:
    strings = _string_resources(lines)
    blocks: list[CodeBlock] = []
    names: list[tuple[int, str]] = []  # (indent, name), innermost last
    number = 0
    while number < len(lines):
        line = lines[number]
        named = _NAME.match(line)
        if named:
            indent = len(named.group("indent"))
            while names and names[-1][0] >= indent:
                names.pop()
            names.append((indent, named.group("name").strip('"')))
        start = _CODE_START.match(line)
        number += 1
        if not start:
            continue
        code_indent = len(start.group("indent")) + int(start.group("indent_ind") or 1)
        body: list[str] = []
        first = number + 1
        while number < len(lines):
            candidate = lines[number]
            if candidate.strip() and len(candidate) - len(candidate.lstrip(" ")) < code_indent:
                break
            body.append(candidate[code_indent:])
            number += 1
        while body and not body[-1].strip():
            body.pop()
        code = "\n".join(body)
        if strings:
            code = _PLACEHOLDER.sub(lambda m: _resolve(m, strings), code)
        if code.strip():
            block_name = names[-1][1] if names else f"block{len(blocks) + 1}"
            blocks.append(CodeBlock(path, block_name, code + "\n", first))
    return blocks


def _resolve(match: re.Match[str], strings: dict[tuple[str, int], str]) -> str:
    text = strings.get((match.group("id").lower(), int(match.group("index"), 16)))
    if text is None:
        return match.group(0)
    return '"' + text.replace('"', '""') + '"'


def _string_resources(lines: list[str]) -> dict[tuple[str, int], str]:
    """(identifier, index) -> first text of the ``string_res`` sections."""
    found: dict[tuple[str, int], str] = {}
    inside = False
    identifier = ""
    text: str | None = None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("string_res"):
            inside, identifier, text = True, "", None
            continue
        if not inside:
            continue
        if line and not line.startswith(" "):
            inside = False
            continue
        ident = _RES_ID.match(line)
        if ident and not identifier:
            identifier = ident.group("id").lower()
            continue
        said = _RES_TEXT.match(line)
        if said and text is None:
            text = said.group("text").strip()
            if len(text) >= 2 and text[0] == text[-1] == '"':
                text = text[1:-1]
            continue
        index = _RES_INDEX.match(line)
        if index and identifier:
            if text is not None:
                found.setdefault((identifier, int(index.group("index"))), text)
            text = None
    return found


def _markdown_blocks(path: str, lines: list[str]) -> list[CodeBlock]:
    blocks: list[CodeBlock] = []
    number = 0
    while number < len(lines):
        if not _FENCE_OPEN.match(lines[number]):
            number += 1
            continue
        indent = len(lines[number]) - len(lines[number].lstrip())
        first = number + 2
        number += 1
        body: list[str] = []
        while number < len(lines) and not _FENCE_CLOSE.match(lines[number]):
            line = lines[number]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            number += 1
        number += 1
        blocks.append(CodeBlock(path, f"example{len(blocks) + 1}", "\n".join(body) + "\n", first))
    return blocks

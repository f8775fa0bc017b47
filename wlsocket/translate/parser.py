"""The WLangage parser: Lark LALR(1) with its contextual lexer, built once and cached.

``parse(text, path)`` returns a Lark tree whose every node carries its
line and column (``propagate_positions``); :mod:`.tree` turns it into the
translator's own nodes.  A syntax error becomes a :class:`ParseError` with
the file, line and column, and for an unclosed block or bracket the line
where it was opened.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

__all__ = ["ParseError", "BracketPostLexer", "get_parser", "parse"]

GRAMMAR = Path(__file__).with_name("grammar.lark")

_OPENERS = {"LPAR": "RPAR", "LSQB": "RSQB", "LDSQB": "RDSQB"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
#: Terminals that open a block closed by FIN, and their WLangage spelling for messages.
_BLOCK_OPENERS = {
    "SI": "SI", "SELON": "SELON", "BOUCLE": "BOUCLE", "TANTQUE": "TANTQUE", "POUR": "POUR",
    "POUR_TOUT": "POUR TOUT", "QUAND_EXCEPTION": "QUAND EXCEPTION DANS", "UTILISER": "UTILISER",
    "PROC_INTERNE": "PROCEDURE INTERNE", "STRUCT_KW": "the declaration", "CONSTANT": "CONSTANT",
}


class ParseError(Exception):
    """A syntax error at ``line``:``col`` (1-based) of ``path``."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: error: {message}")
        self.path, self.line, self.col, self.message = path, line, col, message


class BracketPostLexer:
    """Drops newlines inside brackets (continuation lines), merges blank lines,
    and splits ``]]`` into two ``]`` when it closes two ``[`` (``t[u[1]]``)."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.open: list[Token] = []

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        self.open = []
        last_was_newline = True
        for token in stream:
            kind = token.type
            if kind == "_NL":
                if self.open or last_was_newline:
                    continue
                last_was_newline = True
                yield token
                continue
            last_was_newline = False
            if kind in _OPENERS:
                self.open.append(token)
            elif kind == "RDSQB" and self.open and self.open[-1].type == "LSQB":
                first = Token.new_borrow_pos("RSQB", "]", token)
                self.open.pop()
                yield first
                if self.open and self.open[-1].type == "LSQB":
                    self.open.pop()
                yield Token("RSQB", "]", token.start_pos, token.line, (token.column or 0) + 1,
                            token.end_line, token.end_column, token.end_pos)
                continue
            elif kind in _CLOSERS and self.open and self.open[-1].type == _CLOSERS[kind]:
                self.open.pop()
            yield token


@functools.lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The parser, built from grammar.lark once per process (and cached on disk by Lark)."""
    return Lark(
        GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        postlex=BracketPostLexer(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


def parse(text: str, path: str = "<source>", first_line: int = 1) -> Tree[Any]:
    """Parse one code block; ``first_line`` is the line of the file where it starts."""
    if not text.endswith("\n"):
        text += "\n"
    try:
        return get_parser().parse(text)
    except UnexpectedInput as exc:
        raise _diagnose(exc, text, path, first_line) from None
    except LarkError as exc:  # anything else Lark raises: still a diagnostic, never a traceback
        raise ParseError(path, first_line, 1, f"cannot parse: {exc}") from None
    except RecursionError:
        raise ParseError(path, first_line, 1, "nesting too deep") from None


def _diagnose(exc: UnexpectedInput, text: str, path: str, first_line: int) -> ParseError:
    line = (exc.line if isinstance(exc.line, int) and exc.line > 0 else text.count("\n")) or 1
    col = exc.column if isinstance(exc.column, int) and exc.column > 0 else 1
    where = first_line + line - 1
    if isinstance(exc, UnexpectedCharacters):
        char = getattr(exc, "char", "") or "?"
        return ParseError(path, where, col, f"unexpected character {char!r}")
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", set()) or getattr(exc, "accepts", set()) or set())
    if isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END"):
        opened = _unclosed(text)
        if opened is not None:
            what, open_line, open_col = opened
            return ParseError(path, where, col,
                              f"{what} opened at line {first_line + open_line - 1}:{open_col} is never closed")
        return ParseError(path, where, col, "unexpected end of the code")
    assert isinstance(exc, UnexpectedToken)
    assert token is not None
    value = str(token)
    if token.type == "FIN":
        return ParseError(path, where, col, f"{value} closes no block")
    if token.type in ("RPAR", "RSQB", "RDSQB") and not any(name in expected for name in (token.type,)):
        return ParseError(path, where, col, f"{value!r} closes no bracket")
    shown = value.strip() or "end of line"
    if "FIN" in expected and token.type == "$END":
        return ParseError(path, where, col, "FIN missing")
    if token.type == "NAME" and not (expected & {"NAME"}):
        return ParseError(path, where, col, f"unexpected {shown!r} (unknown keyword, or no statement starts so)")
    return ParseError(path, where, col, f"unexpected {shown!r}")


def _unclosed(text: str) -> tuple[str, int, int] | None:
    """The innermost block or bracket still open at the end, re-lexing the text."""
    parser = get_parser()
    blocks: list[tuple[str, int, int]] = []
    brackets: list[tuple[str, int, int]] = []
    try:
        tokens = list(parser.lex(text, dont_ignore=False))
    except LarkError:
        return None
    line_start = True
    for token in tokens:
        kind = token.type
        line, col = token.line or 1, token.column or 1
        if kind in _OPENERS:
            brackets.append((str(token), line, col))
        elif kind in _CLOSERS and brackets:
            brackets.pop()
        elif kind == "_NL":
            line_start = True
            continue
        elif line_start and kind in _BLOCK_OPENERS:
            blocks.append((_BLOCK_OPENERS[kind], line, col))
        elif line_start and kind == "FIN" and blocks:
            blocks.pop()
        line_start = False
    if brackets:
        what, line, col = brackets[-1]
        return (f"bracket {what!r}", line, col)
    if blocks:
        return blocks[-1]
    return None

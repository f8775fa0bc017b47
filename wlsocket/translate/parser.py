"""The WLangage parser: Lark LALR(1) with its contextual lexer, built once and cached.

``parse(text, path)`` returns a Lark tree whose every node carries its
line and column (``propagate_positions``); :mod:`.tree` turns it into the
translator's own nodes.  A syntax error becomes a :class:`ParseError` with
the file, line and column, and for an unclosed block or bracket the line
where it was opened.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

__all__ = ["ParseError", "BracketPostLexer", "get_parser", "parse"]

GRAMMAR = Path(__file__).with_name("grammar.lark")
_PARSING = threading.RLock()

_OPENERS = {"LPAR": "RPAR", "LSQB": "RSQB", "LDSQB": "RDSQB"}
_CLOSERS = {closer: opener for opener, closer in _OPENERS.items()}
#: Terminals that open a block closed by FIN, and their WLangage spelling for messages.
_BLOCK_OPENERS = {
    "SI": "SI", "SELON": "SELON", "BOUCLE": "BOUCLE", "TANTQUE": "TANTQUE", "POUR": "POUR",
    "POUR_TOUT": "POUR TOUT", "QUAND_EXCEPTION": "QUAND EXCEPTION DANS", "UTILISER": "UTILISER",
    "PROC_INTERNE": "PROCEDURE INTERNE", "STRUCT_KW": "the declaration", "CONSTANT": "CONSTANT",
}


#: Tokens that may follow a name at the start of a statement (so not "two names").
_PUNCTUATION = {"LPAR", "LSQB", "LDSQB", "DOT", "DOTDOT", "MEMBER_COLON", "EQUAL", "AUG_OP", "INCR", "COMMA",
                "EST", "_NL", "$END", "RPAR", "RSQB", "RDSQB", "__ANON_0"}


class ParseError(Exception):
    """A syntax error at ``line``:``col`` (1-based) of ``path``."""

    def __init__(self, path: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{col}: error: {message}")
        self.path, self.line, self.col, self.message = path, line, col, message


class BracketPostLexer:
    """Drops newlines inside brackets (continuation lines), merges blank lines,
    and splits ``]]`` into two ``]`` when it closes two ``[`` (``t[u[1]]``).

    It also keeps, for diagnostics, the brackets and the blocks still open
    (``open`` and ``blocks``) as the parser consumed the tokens."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.open: list[Token] = []
        self.blocks: list[Token] = []
        self._line: list[Token] = []

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        self.open = []
        self.blocks = []
        self._line = []
        last_was_newline = True
        for token in stream:
            kind = token.type
            if kind == "_NL":
                if self.open or last_was_newline:
                    continue
                last_was_newline = True
                self._end_line()
                yield token
                continue
            last_was_newline = False
            self._line.append(token)
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

    def current_line(self) -> list[Token]:
        """The tokens of the logical line being read (for diagnostics)."""
        return list(self._line)

    def _end_line(self) -> None:
        """A logical line ended: did it open or close a block?"""
        line, self._line = self._line, []
        if not line:
            return
        kinds = [t.type for t in line]
        first = kinds[0]
        if first == "FIN":
            if self.blocks:
                self.blocks.pop()
        elif first == "SI":
            if "ALORS" not in kinds or kinds[-1] == "ALORS":
                self.blocks.append(line[0])
        elif first == "CONSTANT":
            if len(kinds) == 1:
                self.blocks.append(line[0])
        elif first in _BLOCK_OPENERS:
            self.blocks.append(line[0])
        elif "STRUCT_KW" in kinds:
            self.blocks.append(next(t for t in line if t.type == "STRUCT_KW"))


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
    with _PARSING:  # one parse at a time: the post-lexer keeps the state its diagnostics read
        return _parse_locked(text, path, first_line)


def _parse_locked(text: str, path: str, first_line: int) -> Tree[Any]:
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
        opened = _unclosed(text)  # the post-lexer saw every token up to the end
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
    postlex = get_parser().options.postlex
    line_so_far: list[Token] = postlex.current_line() if isinstance(postlex, BracketPostLexer) else []
    second = line_so_far[1] if len(line_so_far) >= 2 else token
    if line_so_far and line_so_far[0].type == "NAME" and second.line == line_so_far[0].line and (
            second.type in ("NAME", "NUMBER", "STRING") or (second is token and token.type not in _PUNCTUATION)):
        word = line_so_far[0]
        return ParseError(path, first_line + (word.line or 1) - 1, word.column or 1,
                          f"unknown keyword {str(word)!r} (a statement cannot start with two names)")
    if "FIN" in expected and token.type == "$END":
        return ParseError(path, where, col, "FIN missing")
    return ParseError(path, where, col, f"unexpected {shown!r}")


def _unclosed(text: str) -> tuple[str, int, int] | None:
    """The innermost bracket, else block, still open when the parser stopped."""
    postlex = get_parser().options.postlex
    if not isinstance(postlex, BracketPostLexer):
        return None
    if postlex.open:
        token = postlex.open[-1]
        return (f"bracket {str(token)!r}", token.line or 1, token.column or 1)
    if postlex.blocks:
        token = postlex.blocks[-1]
        return (_BLOCK_OPENERS.get(token.type, "the declaration"), token.line or 1, token.column or 1)
    return None

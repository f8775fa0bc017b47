"""The grammar builds without any LALR conflict, and the parser is built once."""

from __future__ import annotations

import logging

from lark import Lark, logger

from wlsocket.translate.parser import GRAMMAR, BracketPostLexer, get_parser


def test_grammar_has_no_conflict(caplog):
    logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="lark"):
            Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                 postlex=BracketPostLexer(), debug=True)
    finally:
        logger.setLevel(logging.WARNING)
    conflicts = [r.getMessage() for r in caplog.records if "conflict" in r.getMessage().lower()]
    assert conflicts == []


def test_parser_is_cached():
    assert get_parser() is get_parser()

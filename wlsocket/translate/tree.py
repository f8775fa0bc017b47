"""The translator's own syntax tree: one node type with a kind, children and a position.

Lark's tree is converted once (:func:`from_lark`) so that the rest of the
translator depends on these two small classes only: :class:`Node` (a rule:
``kind`` is the grammar rule or alias, ``children`` its parts) and
:class:`Leaf` (a token: ``kind`` is the terminal, ``text`` as written).
Both carry the 1-based line and column of the file (not of the block).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from lark import Token, Tree

__all__ = ["Leaf", "Node", "Child", "from_lark"]


@dataclass
class Leaf:
    kind: str
    text: str
    line: int
    col: int


@dataclass
class Node:
    kind: str
    children: list[Child] = field(default_factory=list)
    line: int = 0
    col: int = 0
    end_line: int = 0

    def nodes(self, kind: str | None = None) -> list[Node]:
        """The direct children that are nodes (of ``kind`` when given)."""
        return [c for c in self.children if isinstance(c, Node) and (kind is None or c.kind == kind)]

    def leaves(self, kind: str | None = None) -> list[Leaf]:
        return [c for c in self.children if isinstance(c, Leaf) and (kind is None or c.kind == kind)]

    def leaf(self, kind: str) -> Leaf | None:
        found = self.leaves(kind)
        return found[0] if found else None

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.nodes()))


Child = Union[Node, Leaf]  # noqa: UP007 - a runtime alias on Python 3.10


def from_lark(tree: Tree[Any], line_offset: int = 0) -> Node:
    """Convert a Lark tree; ``line_offset`` is added to every line (block -> file).

    Iterative (an explicit stack), so that deeply nested code converts without
    reaching Python's recursion limit."""

    def leaf(token: Token) -> Leaf:
        return Leaf(token.type, str(token), (token.line or 1) + line_offset, token.column or 1)

    def shell(item: Tree[Any]) -> Node:
        meta = item.meta
        line = getattr(meta, "line", 0) if not meta.empty else 0
        return Node(str(item.data), [], line + line_offset if line else 0,
                    getattr(meta, "column", 0) if line else 0,
                    getattr(meta, "end_line", 0) + line_offset if line else 0)

    root = shell(tree)
    stack: list[tuple[Tree[Any], Node, int]] = [(tree, root, 0)]
    while stack:
        item, node, index = stack.pop()
        if index < len(item.children):
            stack.append((item, node, index + 1))
            child = item.children[index]
            if isinstance(child, Token):
                node.children.append(leaf(child))
            else:
                converted = shell(child)
                node.children.append(converted)
                stack.append((child, converted, 0))
        elif not node.line:
            positioned = [c for c in node.children if c.line]
            if positioned:
                node.line, node.col = positioned[0].line, positioned[0].col
    return root

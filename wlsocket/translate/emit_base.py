"""What the parts of the emitter share: its state, its output, its error (see ``emit``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .resolve import Scope
from .tree import Child, Leaf

__all__ = ["EmitError", "EmitterState", "Out", "NUMERIC", "text_of"]

#: The Python types that numeric WLangage values become.
NUMERIC = ("int", "float")


class EmitError(Exception):
    """A construct the emitter cannot translate, at ``line``:``col`` of the file."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


@dataclass
class Out:
    """The translated module, one Python line at a time."""

    lines: list[str] = field(default_factory=list)

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text if text else "")


def text_of(child: Child | None) -> str:
    """The text of a leaf, "" for anything else."""
    return child.text if isinstance(child, Leaf) else ""


class EmitterState:
    """What a module's emission knows while it runs; the other parts of ``ModuleEmitter`` build on it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.module = Scope("")
        self.calls: Counter[str] = Counter()
        self.missing: Counter[str] = Counter()
        self.uses_substring = False
        self.uses_main_thread = False
        self.temp = 0
        self.class_name: str | None = None
        self.class_members: set[str] = set()
        self._assigned: set[str] = set()
        self._commented: set[int] = set()  # each original line is written once
        self._methods: set[str] = set()

    # ------------------------------------------------------------- comments
    def _comments(self, lines: dict[int, str], first: int, last: int, out: Out, indent: int) -> None:
        for number in range(first, last + 1):
            text = lines.get(number)
            if text is None or not text.strip() or number in self._commented:
                continue
            self._commented.add(number)
            out.add(indent, "# " + text.strip())

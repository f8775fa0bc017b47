"""The Python emitter: one translated module per source file.

Each statement is preceded by the WLangage lines it comes from, as
comments, so that the two can be compared line by line.  The rules (see
docs/translator.md): procedures keep their WLangage names; PROCEDURE INTERNE
becomes a nested function defined at the top of its procedure (usable
before its declaration, closures with ``nonlocal``); code outside any
procedure becomes ``main()``; a declaration gives its variable the default
of its type and typed assignments convert as WLangage does; arrays are the
runtime's 1-based ``Tableau``; ``[[ ]]`` is ``sous_chaine``.

This module assembles the translated module (procedures, classes, ``main``);
``ModuleEmitter`` builds on one layer per concept, each importing only the one
below: ``emit_statements`` (statements, control flow), ``emit_declarations``
(declarations, typed assignments), ``emit_expressions`` (expressions, types,
calls), ``emit_base`` (shared state, output, ``EmitError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..names import lookup_key
from .emit_base import EmitError, Out, text_of
from .emit_statements import MODAL_FUNCTIONS, StatementEmitter
from .resolve import Scope, python_name, type_kind
from .source import EXPORT_SUFFIXES
from .tree import Node

__all__ = ["EmitError", "ModuleEmitter", "BlockCode", "MODAL_FUNCTIONS"]


@dataclass
class BlockCode:
    """One parsed code block and where its lines are in the file."""

    name: str
    tree: Node
    lines: dict[int, str]
    first_line: int
    last_line: int


@dataclass
class _Function:
    """A procedure to emit: header node (None for main code), body statements, span of lines."""

    name: str
    header: Node | None
    body: list[Node]
    first_line: int
    last_line: int
    lines: dict[int, str]
    block: str = ""


class ModuleEmitter(StatementEmitter):
    """Translate the blocks of one file into one Python module."""

    def declared_names(self) -> set[str]:
        """The procedures and classes this module defines, as WLangage spells them (lookup keys)."""
        return {key for key, symbol in self.module.symbols.items() if symbol.what in ("proc", "class")} | {
            key for key in self._methods}

    # ---------------------------------------------------------------- module
    def emit(self, blocks: list[BlockCode], failed: list[tuple[str, int, int, str, list[str]]]) -> str:
        """The module's text; ``failed`` are blocks that did not parse: (name, line, col, message, lines)."""
        functions: list[_Function] = []
        globals_: list[tuple[Node, dict[int, str]]] = []
        classes: list[tuple[Node, dict[int, str]]] = []
        main_parts: list[_Function] = []
        for block in blocks:
            free, procs = self._split(block)
            for stmt in list(free.body):
                if stmt.kind == "struct_decl":
                    classes.append((stmt, block.lines))
                    free.body.remove(stmt)
            global_part = self._take_globals(free)
            globals_.extend((stmt, block.lines) for stmt in global_part)
            if free.body:
                main_parts.append(free)
            functions.extend(procs)
        for node, _ in classes:
            self._declare_class(node)
        is_class_file = self.path.lower().endswith(".wdc") and len(classes) == 1
        if is_class_file:
            self.class_name = python_name(text_of(classes[0][0].nodes("name_list")[0].children[0]))
        for function in functions:
            assert function.header is not None
            name = text_of(function.header.leaf("NAME"))
            if not is_class_file:
                self.module.declare(name, "proc")
        for stmt, _ in globals_:
            self._declare_statement(stmt, self.module, global_scope=True)
        # Variables declared by code outside procedures are the program's globals (as the
        # declarations of a project or a window): main() and the procedures share them.
        for part in main_parts:
            for stmt in part.body:
                self._declare_statement(stmt, self.module, global_scope=True)
        out = Out()
        out.add(0, f'"""Translated from {self.path} by wlsocket.translate (wl2py); WLangage lines kept as comments."""')
        out.add(0, "")
        out.add(0, "from wlsocket import *  # noqa: F403")
        header_end = len(out.lines)
        if globals_:
            out.add(0, "")
        for stmt, lines in globals_:
            self._statement(stmt, self.module, out, 0, lines, stmt.line - 1)
        for node, lines in classes:
            self._class(node, lines, out, [f for f in functions if is_class_file])
        for function in functions:
            if is_class_file:
                continue
            out.add(0, "")
            out.add(0, "")
            self._function(function, self.module, out, 0)
        for name, line, col, message, original in failed:
            out.add(0, "")
            out.add(0, "")
            self._untranslated(name, line, col, message, original, out)
        out.add(0, "")
        out.add(0, "")
        self._main(main_parts, out)
        out.add(0, "")
        out.add(0, "")
        out.add(0, 'if __name__ == "__main__":')
        out.add(1, "main()")
        if self.uses_main_thread:
            out.lines.insert(header_end, "from wlsocket.wlangage import thread_principal  # <thread principal>")
        if self.uses_substring:
            out.lines.insert(header_end, "from wlsocket.wlangage import affecte_sous_chaine, sous_chaine  # [[ ]]")
        return "\n".join(out.lines) + "\n"

    def _split(self, block: BlockCode) -> tuple[_Function, list[_Function]]:
        """Code outside procedures, and the procedures (each up to the next PROCEDURE)."""
        stmts = [c for c in block.tree.children if isinstance(c, Node)]
        free = _Function(f"bloc {block.name}", None, [], block.first_line, block.last_line, block.lines, block.name)
        procs: list[_Function] = []
        current = free
        for stmt in stmts:
            if stmt.kind == "proc_header":
                first = stmt.line
                if procs:
                    procs[-1].last_line = stmt.line - 1
                    first = stmt.line
                elif free.body:
                    free.last_line = free.body[-1].end_line or free.body[-1].line
                    first = free.last_line + 1
                else:
                    first = block.first_line
                current = _Function(text_of(stmt.leaf("NAME")), stmt, [], first, block.last_line, block.lines)
                procs.append(current)
            else:
                current.body.append(stmt)
        if procs and not free.body:
            free.last_line = procs[0].first_line - 1
        if free.body and not procs:
            free.last_line = block.last_line
        return free, procs

    def _take_globals(self, free: _Function) -> list[Node]:
        """Declarations after GLOBAL (up to LOCAL), constants and structures of the free code."""
        taken: list[Node] = []
        keep: list[Node] = []
        in_global = False
        for stmt in free.body:
            if stmt.kind == "global_marker":
                in_global = True
                taken.append(stmt)
            elif stmt.kind == "local_marker":
                in_global = False
                taken.append(stmt)
            elif in_global or stmt.kind in ("const_line", "const_block", "extern"):
                taken.append(stmt)
            else:
                keep.append(stmt)
        free.body = keep
        return taken

    def _declare_class(self, node: Node) -> None:
        name = text_of(node.nodes("name_list")[0].children[0])
        self.module.declare(name, "class", "class")

    # ------------------------------------------------------------- functions
    def _params(self, header: Node, scope: Scope) -> list[str]:
        params: list[str] = []
        defaulted = False
        node = header.nodes("params")
        for param in node[0].nodes() if node else []:
            if param.kind == "rest_param":
                params.append("*args")
                continue
            name = text_of(param.leaf("NAME"))
            ptype = text_of(param.leaf("PTYPE"))
            symbol = scope.declare(name, "param", type_kind(ptype).kind if ptype else "unknown", ptype)
            default = [c for c in param.nodes()]
            if default:
                defaulted = True
                params.append(f"{symbol.spelling}={self._expr(default[0], scope)}")
            elif defaulted:
                params.append(f"{symbol.spelling}=None")
            else:
                params.append(symbol.spelling)
        return params

    def _function(self, function: _Function, parent: Scope, out: Out, indent: int, method: bool = False) -> None:
        header = function.header
        assert header is not None
        name = text_of(header.leaf("NAME"))
        scope = Scope(name, parent)
        params = self._params(header, scope)
        if method:
            params.insert(0, "self")
        symbol = parent.find(name)
        spelling = symbol[0].spelling if symbol else python_name(name)
        if method and name.lower() in ("constructeur", "constructor"):
            spelling = "__init__"
        self._comments(function.lines, function.first_line, header.end_line or header.line, out, indent)
        for attr in header.leaves("ATTR"):
            if "principal" in attr.text.lower() or "main thread" in attr.text.lower():
                self.uses_main_thread = True
                out.add(indent, "@thread_principal")
        out.add(indent, f"def {spelling}({', '.join(params)}):")
        self._body(function.body, scope, out, indent + 1, function.lines,
                   (header.end_line or header.line), function.last_line)

    def _body(self, body: list[Node], scope: Scope, out: Out, indent: int, lines: dict[int, str],
              after: int, last: int, declare: bool = True) -> None:
        """A procedure body: declarations found first, INTERNE procedures hoisted, CAS EXCEPTION/FIN: labels."""
        for stmt in body if declare else []:
            self._declare_statement(stmt, scope)
        inner = Out()
        internal = _internal_procedures(body)  # hoisted: usable before their declaration
        for stmt in internal:
            scope.declare(text_of(stmt.leaf("NAME")), "proc")
        for stmt in internal:
            self._iproc(stmt, scope, inner, indent, lines)
        rest = [s for s in body if s.kind != "iproc"]
        label = next((i for i, s in enumerate(rest) if s.kind == "exc_label"), None)
        assigned: set[str] = set()
        self._assigned = assigned
        if label is None:
            self._block(rest, scope, inner, indent, lines, after, last)
        else:
            handler = rest[label]
            is_finally = handler.leaf("FIN_LABEL") is not None
            inner.add(indent, "try:")
            self._block(rest[:label], scope, inner, indent + 1, lines, after, handler.line - 1)
            self._comments(lines, handler.line, handler.line, inner, indent)
            inner.add(indent, "finally:" if is_finally else "except Exception:")
            self._block(rest[label + 1:], scope, inner, indent + 1, lines, handler.line, last)
        outer = self._outer_assigned(scope, assigned)
        if outer[0]:
            out.add(indent, "global " + ", ".join(sorted(outer[0])))
        if outer[1]:
            out.add(indent, "nonlocal " + ", ".join(sorted(outer[1])))
        out.lines.extend(inner.lines)
        if not any(line.strip() and not line.strip().startswith("#") for line in inner.lines):
            out.add(indent, "pass")

    def _outer_assigned(self, scope: Scope, assigned: set[str]) -> tuple[set[str], set[str]]:
        globals_: set[str] = set()
        nonlocals: set[str] = set()
        for name in assigned:
            found = scope.find(name)
            if found is None or found[1] is scope:
                continue
            symbol, owner = found
            if owner.parent is None:
                if symbol.what in ("var", "const", "global"):
                    globals_.add(symbol.spelling)
            elif not owner.is_class:
                nonlocals.add(symbol.spelling)
        return globals_, nonlocals

    def _iproc(self, node: Node, parent: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        saved = self._assigned
        function = _Function(text_of(node.leaf("NAME")), node, node.nodes("block")[0].nodes(), node.line,
                             node.end_line, lines)
        scope = Scope(function.name, parent)
        params = self._params(node, scope)
        symbol = parent.find(function.name)
        spelling = symbol[0].spelling if symbol else python_name(function.name)
        block = node.nodes("block")[0]
        header_end = (block.nodes()[0].line - 1) if block.nodes() else node.line
        self._comments(lines, node.line, node.line, out, indent)
        out.add(indent, f"def {spelling}({', '.join(params)}):")
        self._body(function.body, scope, out, indent + 1, lines, node.line, node.end_line)
        del header_end
        self._assigned = saved

    def _main(self, parts: list[_Function], out: Out) -> None:
        """main(): the code outside procedures.  In a text export each code block is an event
        (window opening, a click...): the first one is main(), each other one a function
        named after its block, for the program to call when the event happens."""
        if self.path.lower().endswith(tuple(EXPORT_SUFFIXES)) and len(parts) > 1:
            for part in parts[1:]:
                self._code_function(python_name(f"evenement_{part.block}_{part.first_line}"), [part], out)
                out.add(0, "")
                out.add(0, "")
            parts = parts[:1]
        self._code_function("main", parts, out)

    def _code_function(self, name: str, parts: list[_Function], out: Out) -> None:
        out.add(0, f"def {name}():")
        if not parts:
            out.add(1, "pass")
            return
        scope = Scope(name, self.module)
        body: list[Node] = []
        for part in parts:
            body.extend(part.body)
        inner = Out()
        lines: dict[int, str] = {}
        for part in parts:
            lines.update(part.lines)
        self._body(body, scope, inner, 1, lines, parts[0].first_line - 1, parts[-1].last_line, declare=False)
        out.lines.extend(inner.lines)

    def _untranslated(self, name: str, line: int, col: int, message: str, lines: list[str], out: Out) -> None:
        match = re.match(r"\s*(proc[eé]dure|procedure|fonction|function)\s+(\w+)", "\n".join(lines), re.IGNORECASE)
        function = python_name(match.group(2)) if match else python_name(f"untranslated_{name}_{line}")
        for text in lines:
            if text.strip():
                out.add(0, "# " + text.strip())
        out.add(0, f"def {function}(*args, **kwargs):")
        detail = f"{self.path}:{line}:{col}: not translated: {message}"
        out.add(1, f"raise NotImplementedError({detail!r})")

    # ---------------------------------------------------------------- classes
    def _class(self, node: Node, lines: dict[int, str], out: Out, methods: list[_Function],
               base: int = 0, parent: Scope | None = None) -> None:
        name = text_of(node.nodes("name_list")[0].children[0])
        symbol = (parent or self.module).declare(name, "class", "class")
        kind = text_of(node.leaf("STRUCT_KW")).split("//")[0].strip().lower()
        block = node.nodes("block")[0]
        scope = Scope(name, parent or self.module, is_class=True)
        bases: list[str] = []
        members: list[Node] = []
        for stmt in block.nodes():
            if stmt.kind == "inherit":
                bases.append(python_name(text_of(stmt.leaf("NAME"))))
            elif stmt.kind == "decl":
                members.append(stmt)
        out.add(base, "")
        out.add(base, "")
        self._comments(lines, node.line, node.line, out, base + 0)
        out.add(base, f"class {symbol.spelling}{'(' + ', '.join(bases) + ')' if bases else ''}:")
        if kind.startswith(("enum", "énum", "combin")):
            value = 0
            for stmt in block.nodes():
                self._comments(lines, stmt.line, stmt.end_line or stmt.line, out, base + 1)
                target = stmt.children[0] if stmt.kind in ("call_stmt", "assign") else None
                if isinstance(target, Node) and target.kind == "name":
                    value += 1
                    text = str(value) if stmt.kind == "call_stmt" else self._expr(stmt.children[1], scope)
                    out.add(base + 1, f"{python_name(text_of(target.children[0]))} = {text}")
            out.add(base + 1, "pass")
            return
        self.class_members = set()
        for stmt in members:
            for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
                scope.declare(leaf.text, "member", type_kind(text_of(stmt.leaf("TYPE_TEXT"))).kind)
                self.class_members.add(leaf.text)
        constructor = next((m for m in methods if m.header is not None and
                            text_of(m.header.leaf("NAME")).lower() in ("constructeur", "constructor")), None)
        out.add(base + 1, "def _wl_members(self):")
        self._comments(lines, node.line + 1, node.end_line, out, base + 2)
        for stmt in members:
            for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
                member = scope.find(leaf.text)
                assert member is not None
                out.add(base + 2, f"self.{member[0].spelling} = {self._initial(stmt, scope)}")
        if not members:
            out.add(base + 2, "pass")
        if constructor is None:
            out.add(base + 1, "")
            out.add(base + 1, "def __init__(self):")
            out.add(base + 2, "self._wl_members()")
        for method in methods:
            if method.header is None:
                continue
            scope.declare(text_of(method.header.leaf("NAME")), "method")
            self._methods.add(lookup_key(text_of(method.header.leaf("NAME"))))
        for method in methods:
            out.add(base + 1, "")
            if method is constructor:
                method.body = [Node("wl_members", [], method.first_line, 0, method.first_line)] + method.body
            self._function(method, scope, out, base + 1, method=True)

    def _struct_decl(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        """A structure declared inside a procedure: a class local to it.

        Here beside ``_class`` rather than in ``emit_statements``: the statement dispatch reaches it by name.
        """
        self._class(stmt, lines, out, [], base=indent, parent=scope)


_NESTED = ("block", "elif", "else_", "case", "other", "if_block", "switch", "loop", "while_", "for_", "foreach",
           "foreach_data", "try_", "using", "if_line")


def _internal_procedures(body: list[Node]) -> list[Node]:
    """The PROCEDURE INTERNE of a body, also those written inside its statements (not inside each other)."""
    found: list[Node] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        if node.kind == "iproc":
            found.append(node)
        elif node.kind in _NESTED:
            stack.extend(reversed(node.nodes()))
    return found

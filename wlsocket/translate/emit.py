"""The Python emitter: one translated module per source file.

Each statement is preceded by the WLangage lines it comes from, as
comments, so that the two can be compared line by line.  The rules (see
docs/translator.md): procedures keep their WLangage names; PROCEDURE INTERNE
becomes a nested function defined at the top of its procedure (usable
before its declaration, closures with ``nonlocal``); code outside any
procedure becomes ``main()``; a declaration gives its variable the default
of its type and typed assignments convert as WLangage does; arrays are the
runtime's 1-based ``Tableau``; ``[[ ]]`` is ``sous_chaine``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..names import lookup_key, strip_accents
from .resolve import PYTHON_CONSTANTS, WLSOCKET, Scope, Symbol, python_name, type_kind
from .source import EXPORT_SUFFIXES
from .tree import Child, Leaf, Node

__all__ = ["EmitError", "ModuleEmitter", "BlockCode", "MODAL_FUNCTIONS"]

#: Modal boxes: in translated code they are followed by AttenteModale() (see docs/translator.md).
MODAL_FUNCTIONS = frozenset({"info", "erreur", "error"})

_COMPARE = {"=": "==", "<>": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_NUMERIC = ("int", "float")
_POSTFIX = frozenset({"name", "call", "index", "member", "prop", "self_member", "substr", "string", "mlstring",
                      "placeholder", "brackets", "tuple", "indirection", "empty_object"})
#: What can be on the left of =, +=, ++ (a name, a member, an element, a sub-string, a property).
_TARGETS = frozenset({"name", "member", "index", "substr", "self_member", "prop", "indirection"})
_VISIBILITY = frozenset({"public", "publique", "prive", "privee", "private", "protege", "protegee", "protected"})


class EmitError(Exception):
    """A construct the emitter cannot translate, at ``line``:``col`` of the file."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


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


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)

    def add(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text if text else "")


def _text(child: Child | None) -> str:
    return child.text if isinstance(child, Leaf) else ""


class ModuleEmitter:
    """Translate the blocks of one file into one Python module."""

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
            self.class_name = python_name(_text(classes[0][0].nodes("name_list")[0].children[0]))
        for function in functions:
            assert function.header is not None
            name = _text(function.header.leaf("NAME"))
            if not is_class_file:
                self.module.declare(name, "proc")
        for stmt, _ in globals_:
            self._declare_statement(stmt, self.module, global_scope=True)
        # Variables declared by code outside procedures are the program's globals (as the
        # declarations of a project or a window): main() and the procedures share them.
        for part in main_parts:
            for stmt in part.body:
                self._declare_statement(stmt, self.module, global_scope=True)
        out = _Out()
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
                current = _Function(_text(stmt.leaf("NAME")), stmt, [], first, block.last_line, block.lines)
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
        name = _text(node.nodes("name_list")[0].children[0])
        self.module.declare(name, "class", "class")

    # ------------------------------------------------------------- comments
    def _comments(self, lines: dict[int, str], first: int, last: int, out: _Out, indent: int) -> None:
        for number in range(first, last + 1):
            text = lines.get(number)
            if text is None or not text.strip() or number in self._commented:
                continue
            self._commented.add(number)
            out.add(indent, "# " + text.strip())

    # ------------------------------------------------------------- functions
    def _params(self, header: Node, scope: Scope) -> list[str]:
        params: list[str] = []
        defaulted = False
        node = header.nodes("params")
        for param in node[0].nodes() if node else []:
            if param.kind == "rest_param":
                params.append("*args")
                continue
            name = _text(param.leaf("NAME"))
            ptype = _text(param.leaf("PTYPE"))
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

    def _function(self, function: _Function, parent: Scope, out: _Out, indent: int, method: bool = False) -> None:
        header = function.header
        assert header is not None
        name = _text(header.leaf("NAME"))
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

    def _body(self, body: list[Node], scope: Scope, out: _Out, indent: int, lines: dict[int, str],
              after: int, last: int, declare: bool = True) -> None:
        """A procedure body: declarations found first, INTERNE procedures hoisted, CAS EXCEPTION/FIN: labels."""
        for stmt in body if declare else []:
            self._declare_statement(stmt, scope)
        inner = _Out()
        internal = _internal_procedures(body)  # hoisted: usable before their declaration
        for stmt in internal:
            scope.declare(_text(stmt.leaf("NAME")), "proc")
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

    def _iproc(self, node: Node, parent: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        saved = self._assigned
        function = _Function(_text(node.leaf("NAME")), node, node.nodes("block")[0].nodes(), node.line,
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

    def _main(self, parts: list[_Function], out: _Out) -> None:
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

    def _code_function(self, name: str, parts: list[_Function], out: _Out) -> None:
        out.add(0, f"def {name}():")
        if not parts:
            out.add(1, "pass")
            return
        scope = Scope(name, self.module)
        body: list[Node] = []
        for part in parts:
            body.extend(part.body)
        inner = _Out()
        lines: dict[int, str] = {}
        for part in parts:
            lines.update(part.lines)
        self._body(body, scope, inner, 1, lines, parts[0].first_line - 1, parts[-1].last_line, declare=False)
        out.lines.extend(inner.lines)

    def _untranslated(self, name: str, line: int, col: int, message: str, lines: list[str], out: _Out) -> None:
        match = re.match(r"\s*(proc[eé]dure|procedure|fonction|function)\s+(\w+)", "\n".join(lines), re.IGNORECASE)
        function = python_name(match.group(2)) if match else python_name(f"untranslated_{name}_{line}")
        for text in lines:
            if text.strip():
                out.add(0, "# " + text.strip())
        out.add(0, f"def {function}(*args, **kwargs):")
        detail = f"{self.path}:{line}:{col}: not translated: {message}"
        out.add(1, f"raise NotImplementedError({detail!r})")

    # ---------------------------------------------------------------- classes
    def _class(self, node: Node, lines: dict[int, str], out: _Out, methods: list[_Function],
               base: int = 0, parent: Scope | None = None) -> None:
        name = _text(node.nodes("name_list")[0].children[0])
        symbol = (parent or self.module).declare(name, "class", "class")
        kind = _text(node.leaf("STRUCT_KW")).split("//")[0].strip().lower()
        block = node.nodes("block")[0]
        scope = Scope(name, parent or self.module, is_class=True)
        bases: list[str] = []
        members: list[Node] = []
        for stmt in block.nodes():
            if stmt.kind == "inherit":
                bases.append(python_name(_text(stmt.leaf("NAME"))))
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
                    out.add(base + 1, f"{python_name(_text(target.children[0]))} = {text}")
            out.add(base + 1, "pass")
            return
        self.class_members = set()
        for stmt in members:
            for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
                scope.declare(leaf.text, "member", type_kind(_text(stmt.leaf("TYPE_TEXT"))).kind)
                self.class_members.add(leaf.text)
        constructor = next((m for m in methods if m.header is not None and
                            _text(m.header.leaf("NAME")).lower() in ("constructeur", "constructor")), None)
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
            scope.declare(_text(method.header.leaf("NAME")), "method")
            self._methods.add(lookup_key(_text(method.header.leaf("NAME"))))
        for method in methods:
            out.add(base + 1, "")
            if method is constructor:
                method.body = [Node("wl_members", [], method.first_line, 0, method.first_line)] + method.body
            self._function(method, scope, out, base + 1, method=True)

    # ------------------------------------------------------------ statements
    def _declare_statement(self, stmt: Node, scope: Scope, global_scope: bool = False) -> None:
        """Record the names a statement declares (before emitting, so uses before see them)."""
        if stmt.kind == "decl":
            type_text = _text(stmt.leaf("TYPE_TEXT"))
            kind = type_kind(type_text)
            for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
                scope.declare(leaf.text, "global" if global_scope else "var", kind.kind, type_text)
        elif stmt.kind == "const_line":
            scope.declare(_text(stmt.leaf("NAME")), "const")
        elif stmt.kind == "const_block":
            for inner in stmt.nodes("block")[0].nodes():
                target = inner.children[0] if inner.kind == "assign" else None
                if isinstance(target, Node) and target.kind == "name":
                    scope.declare(_text(target.children[0]), "const")
        elif stmt.kind in ("for_", "foreach"):
            for leaf in stmt.leaves("NAME"):
                found = scope.find(leaf.text)
                if found is None or found[1] is not scope:
                    scope.declare(leaf.text, "var", "int" if stmt.kind == "for_" else "unknown")
        for child in stmt.nodes("block") + [n for n in stmt.nodes() if n.kind in ("elif", "else_", "case", "other")]:
            for inner in child.nodes("block") if child.kind != "block" else [child]:
                for grandchild in inner.nodes():
                    self._declare_statement(grandchild, scope, global_scope)

    def _block(self, stmts: list[Node], scope: Scope, out: _Out, indent: int, lines: dict[int, str],
               after: int, last: int) -> None:
        previous = after
        start = len(out.lines)
        for stmt in stmts:
            self._comments(lines, previous + 1, stmt.line - 1, out, indent)
            self._statement(stmt, scope, out, indent, lines, max(previous, stmt.line - 1))
            previous = max(previous, stmt.end_line or stmt.line)
        self._comments(lines, previous + 1, last, out, indent)
        if not any(line.strip() and not line.strip().startswith("#") for line in out.lines[start:]):
            out.add(indent, "pass")

    def _sub_block(self, node: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str],
                   header_last: int, last: int, prefix: list[Node] | None = None) -> None:
        stmts = (prefix or []) + node.nodes()
        self._block(stmts, scope, out, indent, lines, header_last, last)

    def _statement(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str], after: int) -> None:
        try:
            self._translate_statement(stmt, scope, out, indent, lines, after)
        except EmitError:
            raise
        except (AssertionError, AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            # a construct the emitter did not foresee: a diagnostic for its block, never a traceback
            raise EmitError(stmt.line, stmt.col, f"cannot translate this {stmt.kind} ({type(exc).__name__})") from None

    def _translate_statement(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str],
                             after: int) -> None:
        kind = stmt.kind
        simple_end = stmt.end_line or stmt.line
        if kind in ("if_block", "switch", "loop", "while_", "for_", "foreach", "foreach_data", "try_", "using",
                    "const_block", "struct_decl"):
            getattr(self, "_" + kind.rstrip("_"))(stmt, scope, out, indent, lines)
            return
        self._comments(lines, after + 1, simple_end, out, indent)
        for text in self._simple(stmt, scope):
            out.add(indent, text)

    def _simple(self, stmt: Node, scope: Scope) -> list[str]:
        kind = stmt.kind
        if kind == "assign":  # = , and <- / <= (by reference, copy: an assignment in Python)
            return [self._assign(stmt.children[0], stmt.children[-1], scope)]
        if kind == "aug_assign":
            target, op, value = stmt.children
            assert isinstance(target, Node) and isinstance(value, Node)
            left = self._expr(target, scope)
            right_type = self._type(value, scope)
            right = self._expr(value, scope, in_sum=True)
            if _text(op) == "+=" and self._type(target, scope) == "str" and right_type in _NUMERIC:
                right = f"str({right})"
            if _text(op) == "+=":
                holder, leftmost = None, value
                while leftmost.kind == "sum" and isinstance(leftmost.children[0], Node):
                    holder, leftmost = leftmost, leftmost.children[0]
                if leftmost.kind == "brackets":
                    optional = Node("optional", [leftmost, Leaf("CODE", left, 0, 0)], leftmost.line, leftmost.col)
                    if holder is None:
                        right = self._expr(optional, scope)
                    else:
                        holder.children[0] = optional
                        right = self._expr(value, scope)
                        holder.children[0] = leftmost
            self._mark_assigned(target)
            if target.kind == "substr":
                return [self._assign(target, Node("sum", [target, Leaf("ADD_OP", _text(op)[0], 0, 0), value]), scope)]
            return [f"{left} {_text(op)} {right}"]
        if kind == "incr":
            target = stmt.children[0]
            assert isinstance(target, Node)
            self._mark_assigned(target)
            return [f"{self._expr(target, scope)} {'+' if _text(stmt.children[1]) == '++' else '-'}= 1"]
        if kind == "call_stmt":
            expr = stmt.children[0]
            assert isinstance(expr, Node)
            if expr.kind == "name" and lookup_key(_text(expr.children[0])) in _VISIBILITY:
                return []  # PUBLIC / PRIVÉ... sections of a class declaration: Python has none
            code = self._expr(expr, scope)
            if expr.kind == "name":
                found = scope.find(_text(expr.children[0]))
                if (found and found[0].what in ("proc", "method")) or not found:
                    code += "()"
                    self._count_call(_text(expr.children[0]), scope)
            result = [code]
            callee = expr.children[0] if expr.kind == "call" else None
            modal = isinstance(callee, Node) and callee.kind == "name" and (
                _text(callee.children[0]).lower() in MODAL_FUNCTIONS)
            if modal:
                result.append("AttenteModale()  # the user reads the box (see docs/translator.md)")
            return result
        if kind == "decl":
            return self._decl(stmt, scope)
        if kind in ("result", "return_"):
            values = stmt.nodes()
            return [f"return {self._expr(values[0], scope)}" if values else "return"]
        if kind == "break_":
            return ["break"]
        if kind == "continue_":
            return ["continue"]
        if kind in ("global_marker", "local_marker", "extern", "inherit", "attr_line", "iproc"):
            return []
        if kind == "const_line":
            symbol = scope.declare(_text(stmt.leaf("NAME")), "const")
            return [f"{symbol.spelling} = {self._expr(stmt.nodes()[0], scope)}"]
        if kind == "free":
            target = stmt.nodes()[0]
            if target.kind == "name":
                self._mark_assigned(target)
                return [f"{self._expr(target, scope)} = None"]
            return []
        if kind == "wl_members":
            return ["self._wl_members()"]
        if kind == "if_line":
            return self._if_line(stmt, scope)
        if kind == "proc_header":
            raise EmitError(stmt.line, stmt.col, "PROCEDURE inside a block")
        if kind == "exc_label":
            raise EmitError(stmt.line, stmt.col, "CAS EXCEPTION inside a block statement")
        raise EmitError(stmt.line, stmt.col, f"statement {kind} is not translated")

    def _if_line(self, stmt: Node, scope: Scope) -> list[str]:
        parts = [c for c in stmt.children if isinstance(c, Node)]
        condition, then = parts[0], parts[1]
        result = [f"if {self._expr(condition, scope)}:"] + ["    " + t for t in (self._simple(then, scope) or ["pass"])]
        if len(parts) > 2:
            result += ["else:"] + ["    " + t for t in (self._simple(parts[2], scope) or ["pass"])]
        return result

    def _decl(self, stmt: Node, scope: Scope) -> list[str]:
        result: list[str] = []
        for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
            found = scope.find(leaf.text)
            symbol = found[0] if found else scope.declare(leaf.text, "var")
            if found and found[1] is not scope and found[1].parent is None:
                self._assigned.add(leaf.text)
            result.append(f"{symbol.spelling} = {self._initial(stmt, scope)}")
        return result

    def _initial(self, stmt: Node, scope: Scope) -> str:
        type_text = " ".join(leaf.text for leaf in stmt.leaves("TYPE_TEXT"))
        kind = type_kind(type_text)
        values = [c for c in stmt.nodes() if c.kind != "name_list"]
        if values:
            return self._convert(kind.kind, values[0], scope)
        return self._default(kind.kind, kind.name, scope)

    def _default(self, kind: str, name: str, scope: Scope) -> str:
        if kind == "str":
            return '""'
        if kind == "buf":
            return "Buffer()"
        if kind == "int":
            return "0"
        if kind == "float":
            return "0.0"
        if kind == "bool":
            return "False"
        if kind == "array":
            return "Tableau()"
        if kind == "assoc":
            return "{}"
        if kind == "json":
            return "JSON()"
        if kind == "variant":
            return "Variant()"
        if kind == "class":
            found = scope.find(name)
            if found and found[0].what == "class":
                return f"{found[0].spelling}()"
            if WLSOCKET().has(name):
                return f"{WLSOCKET().find(name)}()"
        return "None"

    def _convert(self, kind: str, value: Node, scope: Scope) -> str:
        """``value`` given to a variable of type ``kind``, converted as WLangage does."""
        code = self._expr(value, scope)
        actual = self._type(value, scope)
        if value.kind == "brackets" and kind == "array":
            return f"Tableau({code})"
        if kind == "buf" and actual != "buf":
            return f"Buffer({code})"
        if kind == "str" and actual in _NUMERIC:
            return f"str({code})"
        if kind == "int" and actual == "str":
            return f"int(Val({code}))"
        if kind == "int" and actual == "float":
            return f"int({code})"
        if kind == "float" and actual == "str":
            return f"Val({code})"
        if kind == "json" and actual != "json":
            return f"JSON({code})"  # a chaîne (or the one a Variant holds) is parsed; other values copied
        return code

    def _mark_assigned(self, target: Node) -> None:
        if target.kind == "tuple":  # (a, b) = f(): a procedure returning several values
            for element in target.nodes():
                self._mark_assigned(element)
            return
        if target.kind not in _TARGETS:
            raise EmitError(target.line, target.col, f"cannot assign to {target.kind.rstrip('_')}")
        if target.kind == "name":
            self._assigned.add(_text(target.children[0]))
        elif target.kind == "substr":
            inner = target.children[0]
            if isinstance(inner, Node):
                self._mark_assigned(inner)

    def _assign(self, target: Child, value: Child, scope: Scope) -> str:
        assert isinstance(target, Node) and isinstance(value, Node)
        self._mark_assigned(target)
        if target.kind == "substr":
            text, start, end, on = self._range(target, scope)
            holder = self._expr(target.children[0], scope)
            self.uses_substring = True
            extra = f", {end}" if end is not None else ""
            extra += f", sur={on}" if on is not None else ""
            return f"{holder} = affecte_sous_chaine({text}, {start}, {self._expr(value, scope)}{extra})"
        left = self._expr(target, scope)
        if target.kind == "indirection":  # {name} = value: the object the name designates gets the value
            left += ".Valeur_"
        if target.kind in ("call", "indirection") and not left.endswith("_"):
            raise EmitError(target.line, target.col, "assignment to a function call")
        kind = self._type(target, scope)
        return f"{left} = {self._convert(kind, value, scope)}"

    # --------------------------------------------------------- compound statements
    def _header(self, stmt: Node, first_body_line: int | None, lines: dict[int, str], out: _Out, indent: int,
                after: int | None = None) -> int:
        """Comment the header lines (up to the first body statement); the last header line."""
        end = stmt.line
        if first_body_line is not None and first_body_line > end:
            end = first_body_line - 1
            # only the lines of the header expression itself, the rest are leading comments of the body
            last_code = stmt.line
            for number in range(stmt.line, first_body_line):
                text = lines.get(number, "").strip()
                if text and not text.startswith("//"):
                    last_code = number
                else:
                    break
            end = last_code
        self._comments(lines, stmt.line if after is None else after + 1, end, out, indent)
        return end

    def _first_line(self, block: Node | None) -> int | None:
        if block is None:
            return None
        nodes = block.nodes()
        return nodes[0].line if nodes else None

    def _if_block(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        parts = stmt.nodes()
        condition, block = parts[0], parts[1]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        out.add(indent, f"if {self._expr(condition, scope)}:")
        branches = parts[2:]
        ends = [b.line - 1 for b in branches] + [stmt.end_line]
        self._sub_block(block, scope, out, indent + 1, lines, header_end, ends[0] - (0 if branches else 1))
        for number, branch in enumerate(branches):
            inner = branch.nodes("block")[0]
            branch_header = self._header(branch, self._first_line(inner), lines, out, indent)
            if branch.kind == "elif":
                out.add(indent, f"elif {self._expr(branch.nodes()[0], scope)}:")
            else:
                out.add(indent, "else:")
            last = ends[number + 1] - (1 if number + 1 == len(branches) else 0)
            self._sub_block(inner, scope, out, indent + 1, lines, branch_header, last)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _switch(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        subject_node = stmt.children[1]
        assert isinstance(subject_node, Node)
        self._comments(lines, stmt.line, stmt.line, out, indent)
        subject = self._expr(subject_node, scope)
        if subject_node.kind != "name":
            self.temp += 1
            name = f"_selon{self.temp}"
            out.add(indent, f"{name} = {subject}")
            subject = name
        cases = [c for c in stmt.nodes() if c.kind in ("case", "other")]
        ends = [c.line - 1 for c in cases[1:]] + [stmt.end_line - 1]
        for number, case in enumerate(cases):
            nodes = case.nodes()
            inline = [n for n in nodes if n.kind not in ("case_values", "block")]
            block = case.nodes("block")[0]
            self._comments(lines, case.line, case.line, out, indent)
            if case.kind == "other":
                out.add(indent, "else:" if number else "if True:")
            else:
                tests = [self._case_test(subject, value, scope) for value in case.nodes("case_values")[0].nodes()]
                out.add(indent, f"{'elif' if number else 'if'} {' or '.join(tests)}:")
            self._sub_block(block, scope, out, indent + 1, lines, case.line, ends[number], prefix=inline)
        if not cases:
            out.add(indent, "pass")
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _case_test(self, subject: str, value: Node, scope: Scope) -> str:
        if value.kind == "case_range":
            low, high = value.nodes()
            return f"{self._expr(low, scope)} <= {subject} <= {self._expr(high, scope)}"
        if value.kind == "case_compare":
            op_node, operand = value.nodes()
            return self._compare(subject, _text(op_node.children[0]), self._expr(operand, scope))
        return f"{subject} == {self._expr(value, scope)}"

    def _loop(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        count = [n for n in stmt.nodes() if n.kind != "block"]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        if count:
            out.add(indent, f"for _ in range({self._expr(count[0], scope)}):")
        else:
            out.add(indent, "while True:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _while(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        condition, block = stmt.nodes()
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        out.add(indent, f"while {self._expr(condition, scope)}:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _for(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        variable = scope.find(_text(stmt.leaf("NAME")))
        name = variable[0].spelling if variable else python_name(_text(stmt.leaf("NAME")))
        self._assigned.add(_text(stmt.leaf("NAME")))
        exprs = [n for n in stmt.nodes() if n.kind != "block"]
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        start, end = self._expr(exprs[0], scope), self._expr(exprs[1], scope)
        if len(exprs) > 2:
            step = self._expr(exprs[2], scope)
            negative = step.startswith("-")
            out.add(indent, f"for {name} in range({start}, {end} {'-' if negative else '+'} 1, {step}):")
        else:
            out.add(indent, f"for {name} in range({start}, {end} + 1):")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _foreach(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        names = []
        for leaf in stmt.leaves("NAME"):
            found = scope.find(leaf.text)
            self._assigned.add(leaf.text)
            names.append(found[0].spelling if found else python_name(leaf.text))
        exprs = [n for n in stmt.nodes() if n.kind != "block"]
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        source = self._expr(exprs[0], scope)
        if len(exprs) > 1:
            source = f"({source}).split({self._expr(exprs[1], scope)})"
        if len(names) == 2:
            out.add(indent, f"for {names[1]}, {names[0]} in enumerate({source}, 1):")
        else:
            out.add(indent, f"for {names[0]} in {source}:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _foreach_data(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        source = self._name(stmt.leaves("NAME")[0].text, scope)
        out.add(indent, f"for _ in {source}:  # a data file, query or control: not provided by wlsocket")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _try(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        body, handler = stmt.nodes("block")
        header_end = self._header(stmt, self._first_line(body), lines, out, indent)
        out.add(indent, "try:")
        handler_line = stmt.leaf("FAIRE")
        faire = handler_line.line if handler_line else stmt.end_line
        self._sub_block(body, scope, out, indent + 1, lines, header_end, faire - 1)
        self._comments(lines, faire, faire, out, indent)
        out.add(indent, "except Exception:")
        self._sub_block(handler, scope, out, indent + 1, lines, faire, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _using(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        out.add(indent, f"with {self._name(_text(stmt.leaf('NAME')), scope)}:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _const_block(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        self._comments(lines, stmt.line, stmt.line, out, indent)
        for inner in stmt.nodes("block")[0].nodes():
            self._comments(lines, inner.line, inner.end_line or inner.line, out, indent)
            target = inner.children[0] if inner.kind == "assign" else None
            if isinstance(target, Node) and target.kind == "name":
                symbol = scope.declare(_text(target.children[0]), "const")
                out.add(indent, f"{symbol.spelling} = {self._expr(inner.children[1], scope)}")
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _struct_decl(self, stmt: Node, scope: Scope, out: _Out, indent: int, lines: dict[int, str]) -> None:
        """A structure declared inside a procedure: a class local to it."""
        self._class(stmt, lines, out, [], base=indent, parent=scope)

    # ------------------------------------------------------------ expressions
    def _name(self, name: str, scope: Scope) -> str:
        found = scope.find(name)
        if found is not None:
            symbol, owner = found
            if owner.is_class and symbol.what in ("member", "method"):
                return f"self.{symbol.spelling}"
            return symbol.spelling
        constant = PYTHON_CONSTANTS.get(name.lower())
        if constant is not None:
            return constant
        known = WLSOCKET().find(name)
        if known is not None:
            return known
        return python_name(name)

    def _count_call(self, name: str, scope: Scope) -> None:
        found = scope.find(name)
        if found is not None:
            return
        self.calls[name] += 1
        if WLSOCKET().find(name) is None:
            self.missing[name] += 1

    def _type(self, node: Child, scope: Scope) -> str:
        """The static type kind of an expression, when it can be told ("unknown" otherwise)."""
        if isinstance(node, Leaf):
            return "unknown"
        kind = node.kind
        if kind in ("string", "mlstring", "placeholder"):
            return "str"
        if kind in ("number", "hex"):
            return "float" if "." in _text(node.children[0]) else "int"
        if kind == "name":
            found = scope.find(_text(node.children[0]))
            return found[0].kind if found else "unknown"
        if kind == "sum":
            left, right = self._type(node.children[0], scope), self._type(node.children[2], scope)
            if "str" in (left, right):
                return "str"
            if left == right:
                return left
            return "unknown"
        if kind == "substr":
            inner = self._type(node.children[0], scope)
            return inner if inner in ("str", "buf") else "unknown"
        if kind == "call":
            callee = node.children[0]
            if isinstance(callee, Node) and callee.kind == "name":
                name = _text(callee.children[0]).lower()
                if name in ("taille", "length", "asc", "chaineoccurrence", "hexaversentier"):
                    return "int"
                if name in ("caract", "charact", "majuscule", "sansespace", "extraitchaine", "chaineconstruit"):
                    return "str"
        return "unknown"

    def _expr(self, node: Child, scope: Scope, in_sum: bool = False) -> str:
        if isinstance(node, Leaf):
            return node.text
        kind = node.kind
        children = node.children
        if kind == "name":
            return self._name(_text(children[0]), scope)
        if kind in ("number", "hex"):
            return _text(children[0]).lower() if kind == "hex" else _text(children[0])
        if kind == "string":
            return _quote(_unquote(_text(children[0])))
        if kind == "placeholder":
            return _quote(_text(children[0]))
        if kind == "duration":  # 1s, 200 ms: wlsocket takes WLangage durations as readable chaînes
            return _quote(_text(children[0]))
        if kind == "mlstring":
            return _quote(_multiline(_text(children[0])))
        if kind == "or_":
            return f"{self._expr(children[0], scope)} or {self._expr(children[2], scope)}"
        if kind == "and_":
            return f"{self._wrap(children[0], scope, 'or_')} and {self._wrap(children[2], scope, 'or_')}"
        if kind == "not_op":
            return f"not {self._wrap(children[1], scope, 'or_', 'and_')}"
        if kind == "ternary":
            a, b, c = (self._expr(n, scope) for n in node.nodes())
            return f"({b} if {a} else {c})"
        if kind == "comp":
            left_node, op_node, right_node = children
            operator = _text(op_node.children[0]) if isinstance(op_node, Node) else _text(op_node)
            left = self._expr(left_node, scope) if isinstance(left_node, Node) and left_node.kind == "comp" \
                else self._wrap(left_node, scope, "or_", "and_", "not_op", "ternary")
            return self._compare(left, operator,
                                 self._wrap(right_node, scope, "or_", "and_", "not_op", "comp", "ternary"))
        if kind == "sum":
            left_node, sign, right_node = children
            left = self._wrap(left_node, scope, *_LOWER_THAN_SUM)
            if isinstance(right_node, Node) and right_node.kind == "brackets" and _text(sign) == "+":
                return f"{left} + {self._optional(right_node, left, scope)}"
            right = self._wrap(right_node, scope, *_LOWER_THAN_SUM, "sum")
            if _text(sign) == "+":
                left_type, right_type = self._type(left_node, scope), self._type(right_node, scope)
                # chaîne + nombre concatenates: str() on a number, or on an untyped variable
                if left_type == "str" and (right_type in _NUMERIC or self._untyped_name(right_node, scope)):
                    right = f"str({right})"
                elif right_type == "str" and (left_type in _NUMERIC or self._untyped_name(left_node, scope)):
                    left = f"str({left})"
            return f"{left} {_text(sign)} {right}"
        if kind == "prod":
            left_node, times, right_node = children
            text = {"modulo": "%", "^": "**"}.get(_text(times).lower(), _text(times))
            left = self._wrap(left_node, scope, *_LOWER_THAN_SUM, "sum")
            right = self._wrap(right_node, scope, *_LOWER_THAN_SUM, "sum", "prod")
            return f"{left} {text} {right}"
        if kind == "neg":
            return f"-{self._wrap(children[0], scope, *_LOWER_THAN_SUM, 'sum', 'prod')}"
        if kind == "unary":
            return self._expr(node.nodes()[0], scope)
        if kind == "call":
            return self._call(node, scope)
        if kind == "index":
            base = self._base(children[0], scope)
            keys = ", ".join(self._expr(n, scope) for n in node.nodes()[1:])
            return f"{base}[{keys}]"
        if kind == "substr":
            text, start, end, on = self._range(node, scope)
            self.uses_substring = True
            extra = f", {end}" if end is not None else ""
            extra += f", sur={on}" if on is not None else ""
            return f"sous_chaine({text}, {start}{extra})"
        if kind == "member":
            return f"{self._base(children[0], scope)}.{python_name(_text(children[-1]))}"
        if kind == "prop":  # the runtime's rule: x..Propriété is x.Propriété_ (wlsocket.wlangage.properties)
            return f"{self._base(children[0], scope)}.{python_name(strip_accents(_text(children[-1])))}_"
        if kind == "self_member":
            return f"self.{python_name(_text(children[-1]))}"
        if kind == "alloc":
            return f"{self._name(_text(children[-1]), scope)}()"
        if kind == "alloc_array":
            return "Tableau()"
        if kind == "brackets":
            items = ", ".join(self._expr(n, scope) for n in node.nodes())
            if in_sum and len(node.nodes()) == 1:
                return items
            return f"[{items}]"
        if kind == "tuple":
            return "(" + ", ".join(self._expr(n, scope) for n in node.nodes()) + ")"
        if kind == "indirection":
            self.calls["{ } (indirection)"] += 1
            self.missing["{ } (indirection)"] += 1
            return f"Indirection({', '.join(self._expr(n, scope) for n in node.nodes())})"
        if kind == "optional":
            brackets, holder = children
            assert isinstance(brackets, Node)
            return self._optional(brackets, _text(holder), scope)
        if kind == "empty_object":
            return "{}"
        if kind == "named_arg":
            return self._expr(node.nodes()[-1], scope)
        if kind == "empty_arg":
            return "None"
        raise EmitError(node.line, node.col, f"expression {kind} is not translated")

    def _base(self, node: Child, scope: Scope) -> str:
        """The object of ``.member`` or ``[i]``: in parentheses unless it is a name, a call, a member..."""
        code = self._expr(node, scope)
        if isinstance(node, Node) and node.kind not in _POSTFIX:
            return f"({code})"
        return code

    def _untyped_name(self, node: Child, scope: Scope) -> bool:
        """A variable or parameter declared without a type (it may hold a number)."""
        if not isinstance(node, Node) or node.kind != "name":
            return False
        found = scope.find(_text(node.children[0]))
        return found is not None and found[0].what in ("var", "param", "global") and found[0].kind == "unknown"

    def _wrap(self, node: Child, scope: Scope, *lower: str) -> str:
        code = self._expr(node, scope)
        if isinstance(node, Node) and node.kind in lower:
            return f"({code})"
        return code

    def _optional(self, node: Node, left: str, scope: Scope) -> str:
        """``a + [b]``: b only when a is not empty (WLangage's optional concatenation)."""
        inner = ", ".join(self._expr(n, scope) for n in node.nodes())
        return f"({inner} if {left} else \"\")"

    def _compare(self, left: str, op: str, right: str) -> str:
        op = op.lower()
        if op in _COMPARE:
            return f"{left} {_COMPARE[op]} {right}"
        if op in ("dans", "in"):
            return f"{left} in {right}"
        insensitive = "~" in op
        a, b = (f"str({left}).casefold()", f"str({right}).casefold()") if insensitive else (left, right)
        if op in ("~=", "~~"):
            return f"str({left}).strip().casefold() == str({right}).strip().casefold()"
        if op.startswith("[") and op.endswith("]"):
            return f"{b} in {a}"
        if op.startswith("["):
            return f"{a}.startswith({b})"
        return f"{a}.endswith({b})"

    def _call(self, node: Node, scope: Scope) -> str:
        callee = node.children[0]
        args_node = node.nodes("args")
        args = [a for a in (args_node[0].children if args_node else []) if isinstance(a, Node)]
        while args and args[-1].kind == "empty_arg":
            args.pop()
        texts = []
        for arg in args:
            if arg.kind == "named_arg":
                texts.append(f"{python_name(_text(arg.leaf('NAME')))}={self._expr(arg.nodes()[-1], scope)}")
            else:
                texts.append(self._expr(arg, scope))
        assert isinstance(callee, Node)
        if callee.kind == "alloc":
            return f"{self._name(_text(callee.children[-1]), scope)}({', '.join(texts)})"
        if callee.kind == "name":
            self._count_call(_text(callee.children[0]), scope)
        return f"{self._base(callee, scope)}({', '.join(texts)})"

    def _range(self, node: Node, scope: Scope) -> tuple[str, str, str | None, str | None]:
        text = self._expr(node.children[0], scope)
        rng = node.nodes()[-1]
        values = [self._expr(n, scope) for n in rng.nodes()]
        if rng.kind == "range_one":
            return text, values[0], None, None
        if rng.kind == "range_to":
            return text, values[0], values[1], None
        if rng.kind == "range_from":
            return text, values[0], "None", None
        if rng.kind == "range_upto":
            return text, "1", values[0], None
        return text, values[0], None, values[1]


_LOWER_THAN_SUM = ("or_", "and_", "not_op", "comp", "ternary")
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


def _unquote(literal: str) -> str:
    quote = literal[0]
    return literal[1:-1].replace(quote * 2, quote)


def _multiline(token: str) -> str:
    """The text of a ``[ ... ]`` multi-line chaîne: its lines, common indentation removed, joined by RC."""
    lines = token.split("\n")[1:-1]
    lines = [line.rstrip("\r") for line in lines]
    last = token.split("\n")[-1]
    del last
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\r\n".join(line[cut:] for line in lines)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    escaped = "".join(c if c.isprintable() or c in "\\" else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                      for c in escaped)
    if '"' not in escaped:
        return f'"{escaped}"'
    if "'" not in escaped:
        return f"'{escaped}'"
    return '"' + escaped.replace('"', '\\"') + '"'


_ = Symbol  # re-exported type used by callers' annotations

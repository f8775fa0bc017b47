"""Statements and control flow: simple statements, IF, SWITCH, the loops, exceptions, constants."""

from __future__ import annotations

from ..names import lookup_key
from .emit_base import NUMERIC, EmitError, Out, text_of
from .emit_declarations import DeclarationEmitter
from .resolve import Scope, python_name
from .tree import Leaf, Node

__all__ = ["StatementEmitter", "MODAL_FUNCTIONS"]

#: Modal boxes: in translated code they are followed by AttenteModale() (see docs/translator.md).
MODAL_FUNCTIONS = frozenset({"info", "erreur", "error"})
_VISIBILITY = frozenset({"public", "publique", "prive", "privee", "private", "protege", "protegee", "protected"})


class StatementEmitter(DeclarationEmitter):
    """Translate statements; compound ones are dispatched by kind to ``_<kind>`` (``_struct_decl`` is in ``emit``)."""

    def _block(self, stmts: list[Node], scope: Scope, out: Out, indent: int, lines: dict[int, str],
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

    def _sub_block(self, node: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str],
                   header_last: int, last: int, prefix: list[Node] | None = None) -> None:
        stmts = (prefix or []) + node.nodes()
        self._block(stmts, scope, out, indent, lines, header_last, last)

    def _statement(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str], after: int) -> None:
        try:
            self._translate_statement(stmt, scope, out, indent, lines, after)
        except EmitError:
            raise
        except (AssertionError, AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            # a construct the emitter did not foresee: a diagnostic for its block, never a traceback
            raise EmitError(stmt.line, stmt.col, f"cannot translate this {stmt.kind} ({type(exc).__name__})") from None

    def _translate_statement(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str],
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
            if text_of(op) == "+=" and self._type(target, scope) == "str" and right_type in NUMERIC:
                right = f"str({right})"
            if text_of(op) == "+=":
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
                return [self._assign(target, Node("sum", [target, Leaf("ADD_OP", text_of(op)[0], 0, 0), value]), scope)]
            return [f"{left} {text_of(op)} {right}"]
        if kind == "incr":
            target = stmt.children[0]
            assert isinstance(target, Node)
            self._mark_assigned(target)
            return [f"{self._expr(target, scope)} {'+' if text_of(stmt.children[1]) == '++' else '-'}= 1"]
        if kind == "call_stmt":
            expr = stmt.children[0]
            assert isinstance(expr, Node)
            if expr.kind == "name" and lookup_key(text_of(expr.children[0])) in _VISIBILITY:
                return []  # PUBLIC / PRIVÉ... sections of a class declaration: Python has none
            code = self._expr(expr, scope)
            if expr.kind == "name":
                found = scope.find(text_of(expr.children[0]))
                if (found and found[0].what in ("proc", "method")) or not found:
                    code += "()"
                    self._count_call(text_of(expr.children[0]), scope)
            result = [code]
            callee = expr.children[0] if expr.kind == "call" else None
            modal = isinstance(callee, Node) and callee.kind == "name" and (
                text_of(callee.children[0]).lower() in MODAL_FUNCTIONS)
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
            symbol = scope.declare(text_of(stmt.leaf("NAME")), "const")
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

    # --------------------------------------------------------- compound statements
    def _header(self, stmt: Node, first_body_line: int | None, lines: dict[int, str], out: Out, indent: int,
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

    def _if_block(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
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

    def _switch(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
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
            return self._compare(subject, text_of(op_node.children[0]), self._expr(operand, scope))
        return f"{subject} == {self._expr(value, scope)}"

    def _loop(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        count = [n for n in stmt.nodes() if n.kind != "block"]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        if count:
            out.add(indent, f"for _ in range({self._expr(count[0], scope)}):")
        else:
            out.add(indent, "while True:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _while(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        condition, block = stmt.nodes()
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        out.add(indent, f"while {self._expr(condition, scope)}:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _for(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        variable = scope.find(text_of(stmt.leaf("NAME")))
        name = variable[0].spelling if variable else python_name(text_of(stmt.leaf("NAME")))
        self._assigned.add(text_of(stmt.leaf("NAME")))
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

    def _foreach(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
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

    def _foreach_data(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        source = self._name(stmt.leaves("NAME")[0].text, scope)
        out.add(indent, f"for _ in {source}:  # a data file, query or control: not provided by wlsocket")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _try(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
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

    def _using(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        block = stmt.nodes("block")[0]
        header_end = self._header(stmt, self._first_line(block), lines, out, indent)
        out.add(indent, f"with {self._name(text_of(stmt.leaf('NAME')), scope)}:")
        self._sub_block(block, scope, out, indent + 1, lines, header_end, stmt.end_line - 1)
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

    def _const_block(self, stmt: Node, scope: Scope, out: Out, indent: int, lines: dict[int, str]) -> None:
        self._comments(lines, stmt.line, stmt.line, out, indent)
        for inner in stmt.nodes("block")[0].nodes():
            self._comments(lines, inner.line, inner.end_line or inner.line, out, indent)
            target = inner.children[0] if inner.kind == "assign" else None
            if isinstance(target, Node) and target.kind == "name":
                symbol = scope.declare(text_of(target.children[0]), "const")
                out.add(indent, f"{symbol.spelling} = {self._expr(inner.children[1], scope)}")
        self._comments(lines, stmt.end_line, stmt.end_line, out, indent)

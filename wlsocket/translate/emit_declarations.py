"""Declarations and assignments: defaults of WLangage types and the conversions of typed assignments."""

from __future__ import annotations

from .emit_base import NUMERIC, EmitError, text_of
from .emit_expressions import ExpressionEmitter
from .resolve import WLSOCKET, Scope, type_kind
from .tree import Child, Node

__all__ = ["DeclarationEmitter"]

#: What can be on the left of =, +=, ++ (a name, a member, an element, a sub-string, a property).
_TARGETS = frozenset({"name", "member", "index", "substr", "self_member", "prop", "indirection"})


class DeclarationEmitter(ExpressionEmitter):
    """Declare variables with the default of their type; assign with WLangage's conversions."""

    # ------------------------------------------------------------ statements
    def _declare_statement(self, stmt: Node, scope: Scope, global_scope: bool = False) -> None:
        """Record the names a statement declares (before emitting, so uses before see them)."""
        if stmt.kind == "decl":
            type_text = text_of(stmt.leaf("TYPE_TEXT"))
            kind = type_kind(type_text)
            for leaf in stmt.nodes("name_list")[0].leaves("NAME"):
                scope.declare(leaf.text, "global" if global_scope else "var", kind.kind, type_text)
        elif stmt.kind == "const_line":
            scope.declare(text_of(stmt.leaf("NAME")), "const")
        elif stmt.kind == "const_block":
            for inner in stmt.nodes("block")[0].nodes():
                target = inner.children[0] if inner.kind == "assign" else None
                if isinstance(target, Node) and target.kind == "name":
                    scope.declare(text_of(target.children[0]), "const")
        elif stmt.kind in ("for_", "foreach"):
            for leaf in stmt.leaves("NAME"):
                found = scope.find(leaf.text)
                if found is None or found[1] is not scope:
                    scope.declare(leaf.text, "var", "int" if stmt.kind == "for_" else "unknown")
        for child in stmt.nodes("block") + [n for n in stmt.nodes() if n.kind in ("elif", "else_", "case", "other")]:
            for inner in child.nodes("block") if child.kind != "block" else [child]:
                for grandchild in inner.nodes():
                    self._declare_statement(grandchild, scope, global_scope)

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
        if kind == "str" and actual in NUMERIC:
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
            self._assigned.add(text_of(target.children[0]))
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

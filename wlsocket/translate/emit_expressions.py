"""Expressions, names, types and calls: the emitter part that turns a WLangage expression into Python."""

from __future__ import annotations

from ..names import strip_accents
from .emit_base import NUMERIC, EmitError, EmitterState, text_of
from .resolve import PYTHON_CONSTANTS, WLSOCKET, Scope, python_name
from .tree import Child, Leaf, Node

__all__ = ["ExpressionEmitter"]

_COMPARE = {"=": "==", "<>": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_POSTFIX = frozenset({"name", "call", "index", "member", "prop", "self_member", "substr", "string", "mlstring",
                      "placeholder", "brackets", "tuple", "indirection", "empty_object"})
_LOWER_THAN_SUM = ("or_", "and_", "not_op", "comp", "ternary")


class ExpressionEmitter(EmitterState):
    """Translate expressions; the statement parts call ``_expr``."""

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
            return "float" if "." in text_of(node.children[0]) else "int"
        if kind == "name":
            found = scope.find(text_of(node.children[0]))
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
                name = text_of(callee.children[0]).lower()
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
            return self._name(text_of(children[0]), scope)
        if kind in ("number", "hex"):
            return text_of(children[0]).lower() if kind == "hex" else text_of(children[0])
        if kind == "string":
            return _quote(_unquote(text_of(children[0])))
        if kind == "placeholder":
            return _quote(text_of(children[0]))
        if kind == "duration":  # 1s, 200 ms: wlsocket takes WLangage durations as readable chaînes
            return _quote(text_of(children[0]))
        if kind == "mlstring":
            return _quote(_multiline(text_of(children[0])))
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
            operator = text_of(op_node.children[0]) if isinstance(op_node, Node) else text_of(op_node)
            left = self._expr(left_node, scope) if isinstance(left_node, Node) and left_node.kind == "comp" \
                else self._wrap(left_node, scope, "or_", "and_", "not_op", "ternary")
            return self._compare(left, operator,
                                 self._wrap(right_node, scope, "or_", "and_", "not_op", "comp", "ternary"))
        if kind == "sum":
            left_node, sign, right_node = children
            left = self._wrap(left_node, scope, *_LOWER_THAN_SUM)
            if isinstance(right_node, Node) and right_node.kind == "brackets" and text_of(sign) == "+":
                return f"{left} + {self._optional(right_node, left, scope)}"
            right = self._wrap(right_node, scope, *_LOWER_THAN_SUM, "sum")
            if text_of(sign) == "+":
                left_type, right_type = self._type(left_node, scope), self._type(right_node, scope)
                # chaîne + nombre concatenates: str() on a number, or on an untyped variable
                if left_type == "str" and (right_type in NUMERIC or self._untyped_name(right_node, scope)):
                    right = f"str({right})"
                elif right_type == "str" and (left_type in NUMERIC or self._untyped_name(left_node, scope)):
                    left = f"str({left})"
            return f"{left} {text_of(sign)} {right}"
        if kind == "prod":
            left_node, times, right_node = children
            text = {"modulo": "%", "^": "**"}.get(text_of(times).lower(), text_of(times))
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
            return f"{self._base(children[0], scope)}.{python_name(text_of(children[-1]))}"
        if kind == "prop":  # the runtime's rule: x..Propriété is x.Propriété_ (wlsocket.wlangage.properties)
            return f"{self._base(children[0], scope)}.{python_name(strip_accents(text_of(children[-1])))}_"
        if kind == "self_member":
            return f"self.{python_name(text_of(children[-1]))}"
        if kind == "alloc":
            return f"{self._name(text_of(children[-1]), scope)}()"
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
            return self._optional(brackets, text_of(holder), scope)
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
        found = scope.find(text_of(node.children[0]))
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
                texts.append(f"{python_name(text_of(arg.leaf('NAME')))}={self._expr(arg.nodes()[-1], scope)}")
            else:
                texts.append(self._expr(arg, scope))
        assert isinstance(callee, Node)
        if callee.kind == "alloc":
            return f"{self._name(text_of(callee.children[-1]), scope)}({', '.join(texts)})"
        if callee.kind == "name":
            self._count_call(text_of(callee.children[0]), scope)
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

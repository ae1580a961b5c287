"""Rule expressions: parse `05A = 05B + 05C + 05D` into a small tree, evaluate it, never eval().

A reference is `CODE`, `CODE[unit]` for a row with two values, or `table:CODE` across tables.
Values are checked with interval arithmetic: a figure given to two decimals stands for any
number within ±0.005 of it, so an identity of amounts holds when its two sides' intervals meet.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from wenuan.words.messages import t

# Bounds on one rule: a notice's longest sum has some forty items, its deepest brackets two.
# The tree is walked by recursion, so a longer or deeper one is refused when read.
MAX_TOKENS = 500
MAX_NESTING = 30

COMPARATORS = {
    "=": "=",
    "==": "=",
    "<=": "<=",
    ">=": ">=",
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+\.\d+)|(?P<ref>(?:[A-Za-z][\w-]*:)?[0-9A-Za-z_]+(?:\[[^\]\s]+\])?)"
    r"|(?P<op><=|>=|==|[-+*()=<>≤≥]))"
)


class ExprError(ValueError):
    """An expression that cannot be read."""


@dataclass(frozen=True)
class Ref:
    """A reference to one value of one item: `table:CODE[key]`, table and key optional."""

    table: str | None
    code: str
    key: str | None

    def __str__(self) -> str:
        s = f"{self.table}:{self.code}" if self.table else self.code
        return f"{s}[{self.key}]" if self.key else s


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Node"
    right: "Node"


Node = Ref | Num | BinOp


@dataclass(frozen=True)
class Expr:
    """A parsed rule: `left OP right`."""

    left: Node
    op: str
    right: Node

    def refs(self) -> list[Ref]:
        """Every reference, in order of appearance (worked out once: rules are checked often)."""
        known = _REFS.get(id(self))
        if known is None or known[0] is not self:  # the expression is kept with its refs
            known = _REFS[id(self)] = (self, _refs(self.left) + _refs(self.right))
        return known[1]

    @property
    def kind(self) -> str:
        """identity (X = A + B …), inequality (X <= Y) or rule (anything else)."""
        if self.op == "=" and isinstance(self.left, Ref) and _is_sum_of_refs(self.right):
            return "identity" if isinstance(self.right, BinOp) else "rule"
        if self.op != "=" and isinstance(self.left, Ref) and isinstance(self.right, Ref):
            return "inequality"
        return "rule"

    def parts(self) -> list[Ref]:
        """For an identity, the references summed on its right."""
        return _refs(self.right)


def render(node: Node) -> str:
    """A side of a rule as text: `05B + 05C + 05D`, `0.1 * A`."""
    if isinstance(node, Ref):
        return str(node)
    if isinstance(node, Num):
        return f"{node.value:f}"
    right = render(node.right)
    if (
        node.op == "-"
        and isinstance(node.right, BinOp)
        or node.op == "*"
        and isinstance(node.right, BinOp)
        and node.right.op != "*"
    ):
        right = f"({right})"
    left = render(node.left)
    if node.op == "*" and isinstance(node.left, BinOp) and node.left.op != "*":
        left = f"({left})"
    if node.op == "-" and isinstance(node.left, Num) and node.left.value == 0:
        return f"-{right}"
    return f"{left} {node.op} {right}"


_REFS: dict[int, tuple[Expr, list[Ref]]] = {}


def _refs(node: Node) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, BinOp):
        return _refs(node.left) + _refs(node.right)
    return []


def _is_sum_of_refs(node: Node) -> bool:
    if isinstance(node, Ref):
        return True
    return (
        isinstance(node, BinOp)
        and node.op == "+"
        and _is_sum_of_refs(node.left)
        and (_is_sum_of_refs(node.right))
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"“{text[pos:].strip()}”")
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        if len(out) > MAX_TOKENS:
            raise ExprError(t("expr_too_long", limit=MAX_TOKENS))
    return out


@lru_cache(maxsize=1024)  # a finding's words parse its rule again: the same few rules
def parse(text: str) -> Expr:
    """Parse `LEFT OP RIGHT`. A bare whole number is a number: codes of digits only are headings."""
    tokens = _tokens(text)
    pos = depth = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, None)

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def atom() -> Node:
        nonlocal depth
        kind, value = take() if pos < len(tokens) else (None, None)
        if value in ("(", "-"):  # each opens a level of recursion
            depth += 1
            if depth > MAX_NESTING:
                raise ExprError(t("expr_too_deep", limit=MAX_NESTING))
        if kind == "num":
            return Num(Decimal(value))
        if kind == "ref":
            m = re.fullmatch(r"(?:([A-Za-z][\w-]*):)?([0-9A-Za-z_]+)(?:\[(.+)\])?", value)
            table, code, key = m.groups()
            if value.isdigit():
                return Num(Decimal(value))
            return Ref(table, code, key)
        if value == "(":
            node = sum_()
            if peek()[1] != ")":
                raise ExprError("缺少“)”")
            take()
            depth -= 1
            return node
        if value == "-":
            node = BinOp("-", Num(Decimal(0)), atom())
            depth -= 1
            return node
        raise ExprError(f"“{value}”" if value else "表达式不完整")

    def product() -> Node:
        node = atom()
        while peek()[1] == "*":
            take()
            node = BinOp("*", node, atom())
        return node

    def sum_() -> Node:
        node = product()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            node = BinOp(op, node, product())
        return node

    left = sum_()
    kind, op = peek()
    if op not in COMPARATORS:
        raise ExprError("缺少比较符（=、<=、>=）")
    take()
    right = sum_()
    if pos != len(tokens):
        raise ExprError(f"多余的“{tokens[pos][1]}”")
    return Expr(left, COMPARATORS[op], right)


Interval = tuple[Decimal, Decimal]


def interval(node: Node, values: dict[Ref, Interval]) -> Interval:
    """The interval a side can take, given each reference's interval."""
    if isinstance(node, Num):
        return node.value, node.value
    if isinstance(node, Ref):
        return values[node]
    lo1, hi1 = interval(node.left, values)
    lo2, hi2 = interval(node.right, values)
    if node.op == "+":
        return lo1 + lo2, hi1 + hi2
    if node.op == "-":
        return lo1 - hi2, hi1 - lo2
    products = (lo1 * lo2, lo1 * hi2, hi1 * lo2, hi1 * hi2)
    return min(products), max(products)


def holds(expr: Expr, values: dict[Ref, Interval]) -> bool:
    """Whether the rule can hold for some true values within the given intervals."""
    llo, lhi = interval(expr.left, values)
    rlo, rhi = interval(expr.right, values)
    return compares(expr.op, llo - rhi, lhi - rlo)  # the interval of left - right


def compares(op: str, lo: Decimal, hi: Decimal) -> bool:
    """Whether some difference left - right within [lo, hi] satisfies `op` against 0."""
    if op == "=":
        return lo <= 0 <= hi
    if op == "<=":
        return lo <= 0
    if op == "<":
        return lo < 0
    if op == ">=":
        return hi >= 0
    return hi > 0


def value(node: Node, values: dict[Ref, Decimal]) -> Decimal:
    """The exact value of a side, given each reference's value."""
    lo, _ = interval(node, {r: (v, v) for r, v in values.items()})
    return lo

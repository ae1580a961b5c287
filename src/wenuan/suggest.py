"""Which cell is most likely wrong, and the value that makes the return consistent.

Error localization in the spirit of errorlocate: a candidate is one cell whose change satisfies
every failing rule it is in without breaking a rule that holds. When several cells could be
changed, the one whose old value is a typo of the new one (digits swapped, one digit wrong,
added or dropped), a 元-for-万元 slip or a sign slip stands out, as the R package deductive
corrects. When no single candidate stands out, there is no suggestion.
"""

from collections.abc import Callable
from decimal import Decimal

from wenuan.forms import quantize
from wenuan.rules import Expr, holds, value

# A rule in play: its parsed expression, and how its references name cells (keys of `values`).
Bound = tuple[Expr, list[str]]


def solve(expr: Expr, keys: list[str], target: str, values: dict[str, Decimal]) -> Decimal | None:
    """The value of `target` that makes `expr` an equality, if the rule is linear in it."""

    def diff(x: Decimal) -> Decimal:
        vals = {
            r: (x if k == target else values[k]) for r, k in zip(expr.refs(), keys, strict=True)
        }
        return value(expr.left, vals) - value(expr.right, vals)

    f0, f1 = diff(Decimal(0)), diff(Decimal(1))
    slope = f1 - f0
    if slope == 0 or diff(Decimal(2)) - f1 != slope:
        return None
    return -f0 / slope


def kind_of_slip(old: Decimal | None, new: Decimal, decimals: int) -> str | None:
    """How `old` could be a slip for `new`: fill, unit, sign, transposition, digit, extra…"""
    if old is None:
        return "fill"
    if new != 0 and old == new * 10000:
        return "unit"
    if old == -new and old != 0:
        return "sign"
    a = f"{abs(quantize(old, decimals)):f}".replace(".", "")
    b = f"{abs(quantize(new, decimals)):f}".replace(".", "")
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and (a[diffs[1]] == b[diffs[0]])
        ):
            return "transposition"
        if len(diffs) == 1:
            return "digit"
    if len(a) == len(b) + 1 and any(a[:i] + a[i + 1 :] == b for i in range(len(a))):
        return "extra"
    if len(b) == len(a) + 1 and any(b[:i] + b[i + 1 :] == a for i in range(len(b))):
        return "dropped"
    return None


def localize(
    failing: list[Bound],
    passing: list[Bound],
    values: dict[str, Decimal],
    interval: Callable[[str, Decimal], tuple[Decimal, Decimal]],
    decimals: dict[str, int],
) -> tuple[str, Decimal, str | None] | None:
    """(cell key, value, kind of slip) for the one cell that fixes every failing rule, or None."""
    common = set(failing[0][1])
    for _, keys in failing[1:]:
        common &= set(keys)
    # an equality pins the value; an inequality alone gives its boundary
    source = next((b for b in failing if b[0].op == "="), failing[0])
    candidates = []
    for key in sorted(common):
        new = solve(*source, key, values)
        if new is None:
            continue
        new = quantize(new, decimals[key])
        if new < 0:
            continue
        trial = {**values, key: new}
        touched = [b for b in failing + passing if key in b[1]]
        if all(_holds(expr, keys, trial, interval) for expr, keys in touched):
            candidates.append((key, new, kind_of_slip(values[key], new, decimals[key])))
    if len(candidates) == 1:
        return candidates[0]
    slips = [c for c in candidates if c[2]]
    return slips[0] if len(slips) == 1 else None


def _holds(expr: Expr, keys: list[str], values: dict[str, Decimal], interval) -> bool:
    vals = {r: interval(k, values[k]) for r, k in zip(expr.refs(), keys, strict=True)}
    return holds(expr, vals)

"""Which cells are most likely wrong, and the values that make the return consistent.

Fellegi–Holt localization with typo correction first, as R's deductive and errorlocate do. The
rules fall into groups connected through shared cells; only a group where a rule fails is
looked at, each on its own, so two independent slips do not hide each other. In such a group:

1. typo correction (Scholtus): a change of one cell, or failing that of two, whose new value is
   a slip of the typed one (digits swapped, a digit wrong, added or dropped, 元 for 万元, a sign,
   a decimal point, a count's trailing 0 typed twice) and that makes the group's error rules
   hold. Suggested only when it is the only such change: a bound (06C <= 06A) is never a fix,
   but ÷10000 that lands within it is. Two loose slips (a digit anywhere) together explain too
   much to be suggested, and one alone in a failing sum only when two would rarely give the
   same difference. Of two slips, one that every such pair shares and that would stand alone
   (it restores a rule the other is not in) is suggested, and the rest looked at again.
2. otherwise localization: the smallest weighted set of cells whose change can satisfy every
   rule of the group (and leave every value non-negative), a small mixed-integer program
   (scipy's milp, HiGHS). Named only when no other set is as cheap; never given a value, since
   two slips can pass for one. Sets of one cell are found exactly without it when no set of two
   can be as cheap (each cell alone: the rules bound its value to an interval).
3. what may be claimed of either (`_judge`): whether the set is the only one of its size by
   count (weights aside), every smallest set that ties with it, likelier first and why, and
   the values the equalities pin if only the located cells are wrong (said as a condition).

Values are integers of each cell's last decimal (0.01 万元, one person), so counts stay whole.
"""

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import repeat
from math import lcm
from types import MappingProxyType

from wenuan.forms.rules import Expr, Num, Ref, compares, holds, value

# Costs of changing a cell (Fellegi–Holt weights) and of leaving a warning rule failing.
CELL, TOTAL, NEGATIVE, WITH_UNIT = 1.0, 1.5, 0.5, 0.7
WARNING = 0.9  # below a cell: a warning may be true of the return (fewer visited than registered)
MAX_PAIR_CELLS = 30  # two-slip search over more cells than this would be slow and unsure
# Slips with many look-alikes (any digit, anywhere): two of them together explain too much.
LOOSE = {"digit", "dropped", "extra"}
# A loose slip alone in one failing sum is suggested only when one slip explains the difference
# at least this many times more often than two slips in the sum do (a coincidence otherwise).
ONE_OVER_TWO = 4.0
FEW_SUMS = 3  # a difference within fewer sums than this is counted by look-ups, not searches


@dataclass(frozen=True)
class Check:
    """A linear rule in integers: sum(coefs · x) OP const, within ±tol (rounding of amounts)."""

    index: int
    keys: tuple[str, ...]
    coefs: tuple[int, ...]
    op: str
    const: int
    tol: int
    warning: bool

    def excess(self, x: dict[str, int]) -> int:
        """Left minus right of the rule, scaled."""
        return sum(c * x[k] for k, c in zip(self.keys, self.coefs, strict=True)) - self.const

    def holds(self, x: dict[str, int]) -> bool:
        """Whether the rule holds for the values `x`, within rounding."""
        return self.within(self.excess(x))

    def within(self, e: int) -> bool:
        """Whether the rule holds when its left side exceeds the right by `e`."""
        if self.op == "=":
            return -self.tol <= e <= self.tol
        if self.op == "<=":
            return e <= self.tol
        if self.op == "<":
            return e < self.tol
        if self.op == ">=":
            return e >= -self.tol
        return e > -self.tol

    def pinned(self, x: dict[str, int], key: str) -> list[int]:
        """For an equality, the values of `key` that make it hold, nearest the exact one first."""
        c = self.coefs[self.keys.index(key)]
        rest = self.excess(x) - c * x[key]  # c * v + rest must lie within ±tol
        first, last = self.span(c, rest)
        return sorted(range(first, last + 1), key=lambda v: abs(c * v + rest))

    def span(self, a: int, rest: int) -> tuple[float, float]:
        """The first and last v for which the rule holds when its excess is a · v + rest
        (±inf: no limit; first > last: none)."""
        inf = float("inf")
        low = {"=": -self.tol, ">=": -self.tol, ">": 1 - self.tol}.get(self.op, -inf)
        high = {"=": self.tol, "<=": self.tol, "<": self.tol - 1}.get(self.op, inf)
        if a == 0:
            return (-inf, inf) if low <= rest <= high else (inf, -inf)
        if a < 0:
            a, rest, low, high = -a, -rest, -high, -low
        first = -inf if low == -inf else -((rest - low) // a)
        last = inf if high == inf else (high - rest) // a
        return first, last


@dataclass(frozen=True)
class Model:
    """A form's rules as integer checks, and their groups connected through shared cells."""

    checks: tuple[Check, ...]
    groups: tuple[tuple[Check, ...], ...]


def compile_rules(bound: Iterable[tuple[Expr, list[str], bool]], decimals: dict[str, int]) -> Model:
    """The integer form of each linear rule (expr, value keys, is a warning), grouped."""
    checks = []
    for i, (expr, keys, warning) in enumerate(bound):
        check = _linear(i, expr, keys, decimals, warning)
        if check is not None:
            checks.append(check)
    parent = {c.index: c.index for c in checks}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for c in checks:
        for k in c.keys:
            if k in owner:
                parent[root(c.index)] = root(owner[k])
            else:
                owner[k] = c.index
    groups: dict[int, list[Check]] = {}
    for c in checks:
        groups.setdefault(root(c.index), []).append(c)
    return Model(tuple(checks), tuple(tuple(g) for g in groups.values()))


def _linear(index, expr: Expr, keys: list[str], decimals, warning) -> Check | None:
    refs = expr.refs()
    unique = list(dict.fromkeys(keys))

    def f(assign: dict[str, Decimal]) -> Decimal:
        vals = {r: assign[k] for r, k in zip(refs, keys, strict=True)}
        return value(expr.left, vals) - value(expr.right, vals)

    zero = {k: Decimal(0) for k in unique}
    f0 = f(zero)
    coefs = {k: f({**zero, k: Decimal(1)}) - f0 for k in unique}
    if any(f({**zero, k: Decimal(2)}) - f0 != 2 * coefs[k] for k in unique):
        return None
    if f({k: Decimal(1) for k in unique}) - f0 != sum(coefs.values()):
        return None  # a product of two cells: not linear
    scaled = {k: Fraction(coefs[k]) / 10 ** decimals[k] for k in unique}
    tol = sum(
        (abs(Fraction(coefs[k])) * Fraction(1, 2 * 10 ** decimals[k]))
        for k in unique
        if decimals[k]
    )
    const = -Fraction(f0)
    m = lcm(*(q.denominator for q in [*scaled.values(), const, Fraction(tol)]))
    return Check(
        index,
        tuple(unique),
        tuple(int(scaled[k] * m) for k in unique),
        expr.op,
        int(const * m),
        int(tol * m),
        warning,
    )


def holds_within(expr: Expr, keys: list[str], values: dict[str, Decimal], interval) -> bool:
    """Whether a rule holds for values given to their decimals (each an interval)."""
    vals = {r: interval(k, values[k]) for r, k in zip(expr.refs(), keys, strict=True)}
    return holds(expr, vals)


@dataclass(frozen=True)
class Affine:
    """A rule's left − right as a sum over its references' occurrences, the interval
    arithmetic of `holds_within` worked out once: each value ± its half unit gives
    `const + Σ coef · value ± width`."""

    terms: tuple[tuple[str, Decimal], ...]  # (value key, coefficient) an occurrence
    const: Decimal
    width: Decimal
    op: str

    def holds(self, values: dict[str, Decimal]) -> bool:
        """What `holds_within` says of these values."""
        diff = self.const
        for k, c in self.terms:
            diff += c * values[k]
        if not self.width:  # whole counts: the difference is the interval, ± 0
            return compares(self.op, diff, diff)
        return compares(self.op, diff - self.width, diff + self.width)

    def solve(self, values: dict[str, Decimal], target: str) -> Decimal | None:
        """What `solve` gives: the value of `target` that makes the rule an equality."""
        slope, rest = Decimal(0), self.const
        for k, c in self.terms:
            if k == target:
                slope += c
            else:
                rest += c * values[k]
        return -rest / slope if slope else None


def affine(expr: Expr, keys: list[str], half: Mapping[str, Decimal]) -> Affine | None:
    """The rule as an Affine (`half`: each key's half unit); None when it multiplies two
    references, where interval arithmetic is no sum."""
    left, right = _occurrences(expr.left), _occurrences(expr.right)
    if left is None or right is None:
        return None
    coefs = left[0] + [-c for c in right[0]]
    return Affine(
        tuple(zip(keys, coefs, strict=True)),
        left[1] - right[1],
        sum((abs(c) * half[k] for k, c in zip(keys, coefs, strict=True)), Decimal(0)),
        expr.op,
    )


def _occurrences(node) -> tuple[list[Decimal], Decimal] | None:
    """A side as a coefficient per reference occurrence, in the order of `refs()`, and a
    constant; None when two references are multiplied."""
    if isinstance(node, Num):
        return [], node.value
    if isinstance(node, Ref):
        return [Decimal(1)], Decimal(0)
    a, b = _occurrences(node.left), _occurrences(node.right)
    if a is None or b is None:
        return None
    if node.op == "+":
        return a[0] + b[0], a[1] + b[1]
    if node.op == "-":
        return a[0] + [-c for c in b[0]], a[1] - b[1]
    if a[0] and b[0]:
        return None
    coefs, factor = (a[0], b[1]) if a[0] else (b[0], a[1])
    return [c * factor for c in coefs], a[1] * b[1]


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


# ---- typos ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _ordered_slips(old: int, decimals: int) -> list[int]:
    """The values of `slips`, in increasing order (kept as they are)."""
    return sorted(slips(old, decimals))


@lru_cache(maxsize=4096)
def slips(old: int, decimals: int) -> Mapping[int, str]:
    """Every value `old` may be a slip for, with the kind of slip (old and values scaled);
    read-only, as it is kept for the next cell of the same value."""
    out: dict[int, str] = {}

    def add(new: int, kind: str) -> None:
        if new >= 0 and new != old and new not in out:
            out[new] = kind

    if decimals == 2 and abs(old) >= 5000:
        add((old + 5000) // 10000, "unit")  # 元 typed for 万元, rounded half-up
    add(-old, "sign")
    if old < 0:
        return MappingProxyType(out)  # a digit slip keeps the sign: −8 is no slip for 6
    if not decimals and old % 10 == 0:
        add(old // 10, "zero")  # a count with a 0 typed once too often at its end (×10)
    if decimals:
        for new in (old * 10, old * 100):
            add(new, "decimal")
        for d in (10, 100):
            if old % d == 0:
                add(old // d, "decimal")
    text = str(old).zfill(decimals + 1)
    n = len(text)
    for i in range(n - 1):
        if text[i] != text[i + 1]:
            add(int(text[:i] + text[i + 1] + text[i] + text[i + 2 :]), "transposition")
    for i in range(n):
        for d in "0123456789":
            if d != text[i]:
                add(int(text[:i] + d + text[i + 1 :]), "digit")
    for i in range(n):
        add(int(text[:i] + text[i + 1 :] or "0"), "extra")
    for i in range(n + 1):
        for d in "0123456789":
            add(int(text[:i] + d + text[i:]), "dropped")
    return MappingProxyType(out)


def kind_of_slip(old: Decimal | None, new: Decimal, decimals: int) -> str | None:
    """How `old` could be a slip for `new`: fill, unit, sign, transposition, digit, extra…"""
    if old is None:
        return "fill"
    return slips(int(old.scaleb(decimals)), decimals).get(int(new.scaleb(decimals)))


# ---- one group ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fix:
    """A corrected value (scaled) for one cell, and why: the kind of slip."""

    key: str
    value: int
    why: str


@dataclass
class Diagnosis:
    """What a group's failing rules point to: fixes, the unique smallest set, or candidates."""

    fixes: list[Fix] = field(default_factory=list)
    located: list[str] | None = None  # the one smallest set of cells, when it is unique
    candidates: list[str] = field(default_factory=list)  # cells of the tied smallest sets
    partial: bool = False  # the fixes leave rules failing (the rest: located or candidates)
    unique: bool = False  # proved: no other set of cells of the same size makes the rules hold
    ties: list[list[str]] = field(default_factory=list)  # every smallest set, when several tie
    why_first: str | None = None  # why ties[0] is likelier: a slip's kind, total_cell, weight…
    deduced: list[Fix] = field(default_factory=list)  # the values if only the located are wrong


def diagnose(
    group: Iterable[Check],
    x: dict[str, int],
    decimals: dict[str, int],
    weights: dict[str, float],
) -> Diagnosis | None:
    """Fixes or a location for one group of rules over the scaled values `x`; None if it holds.
    Whether its set of cells is the only one of its size, the sets that tie with it and the value
    the rules pin (deduced) are added by `_judge`."""
    checks = [c for c in group if all(k in x for k in c.keys)]
    found = _locate(checks, x, decimals, weights)
    if found is not None:
        _judge(found, checks, x, decimals, weights)
    return found


def _locate(checks, x, decimals, weights) -> Diagnosis | None:
    """`diagnose` by slips first, then by the cheapest sets of cells (weights counted)."""
    failing = [c for c in checks if not c.holds(x)]
    if not failing and all(x[k] >= 0 for c in checks for k in c.keys):
        return None
    fixes, whole = _typos(checks, failing, x, decimals)
    if fixes and whole:
        return Diagnosis(fixes, sorted({f.key for f in fixes}))
    if fixes:  # one of two slips is sure: look again at the rest with it corrected
        rest = _locate(checks, {**x, **{f.key: f.value for f in fixes}}, decimals, weights)
        rest = rest or Diagnosis()
        located = sorted({f.key for f in fixes} | set(rest.located or []))
        return Diagnosis(fixes + rest.fixes, located, rest.candidates, partial=True)
    # no slip explains it: name the cells, never a value (two slips can pass for one)
    sets = smallest_sets(checks, x, weights)
    if len(sets) == 1 or (sets and sets[0][0] < sets[1][0] - 1e-6):
        return Diagnosis(located=sorted(sets[0][1]))
    return Diagnosis(candidates=sorted({k for _, s in sets for k in s}))


def _excesses(checks: list[Check], x: dict[str, int]) -> tuple[dict, dict]:
    """Each check's excess over `x` (by index), and per key the checks with its coefficient:
    a change of one cell then moves only the excesses of its checks (no copy of `x`)."""
    where: dict[str, list[tuple[int, int]]] = {}
    for c in checks:
        for k, a in zip(c.keys, c.coefs, strict=True):
            where.setdefault(k, []).append((c.index, a))
    return {c.index: c.excess(x) for c in checks}, where


def _moved(excess: dict[int, int], where: list[tuple[int, int]], delta: int) -> dict[int, int]:
    """The excesses after the cell of `where` (its checks and coefficients) moves by `delta`."""
    out = dict(excess)
    for i, a in where:
        out[i] += a * delta
    return out


def _consistent(checks: list[Check], trial: dict[int, int], before: dict[int, int]) -> bool:
    """Every error rule holds, and no warning that held before fails now (by excesses)."""
    return all(
        c.within(trial[c.index]) or (c.warning and not c.within(before[c.index])) for c in checks
    )


def _failing(checks: list[Check], excess: dict[int, int]) -> int:
    return sum(not c.within(excess[c.index]) for c in checks)


def _typos(checks, failing, x, decimals) -> tuple[list[Fix], bool]:
    """The only slip (or pair of slips) that makes the group consistent, and whether it does so
    whole (False: one of a pair stands, the other is too loose to name)."""
    negative = {k for c in checks for k in c.keys if x[k] < 0}  # non-negativity fails too
    keys = sorted({k for c in failing for k in c.keys} | negative)
    found: list[tuple[int, tuple[Fix, ...]]] = []
    now = len(failing) + len(negative)
    before, where = _excesses(checks, x)
    checks_of = {c.index: c for c in checks}
    bad = {c.index for c in checks if not c.within(before[c.index])}
    bad_errors = {i for i in bad if not checks_of[i].warning}
    for key in keys:  # a change of `key` moves only its own rules: the rest are counted once
        mine = [(checks_of[i], a) for i, a in where[key]]
        own = {i for i, _ in where[key]}
        if not bad_errors <= own:
            continue  # an error rule without the cell fails whatever its value
        still = len(bad - own) + len(negative - {key})
        lo, hi = _room(mine, before, x[key])  # within it, only warnings failing already may fail
        # the failing warnings the cell is in, by the values that make each hold
        loose = [
            c.span(a, before[c.index] - a * x[key])
            for c, a in mine
            if c.warning and not c.within(before[c.index])
        ]
        if still >= now and not loose:
            continue
        if still + len(loose) >= now:  # a slip must make a failing warning hold: in a span
            lo = max(lo, min(first for first, _ in loose))
            hi = min(hi, max(last for _, last in loose))
        for new, kind in _tries(checks, failing, x, key, decimals):
            if lo <= new <= hi:
                left = still
                for first, last in loose:  # a loop: most slips tried meet one or two
                    left += not first <= new <= last
                if left < now:
                    found.append((left, (Fix(key, new, kind),)))
    if not found and len(keys) <= MAX_PAIR_CELLS:
        found = _pairs(checks, x, keys, decimals)
    if not found:
        return [], True
    best = min(n for n, _ in found)
    top = list(dict.fromkeys(fixes for n, fixes in found if n == best))
    if len(top) == 1 and len(top[0]) == 1:
        fix = top[0][0]
        return ([fix] if likely_one(fix, failing, x, decimals, checks) else []), True
    if len(top) == 1 and not all(f.why in LOOSE for f in top[0]):
        return list(top[0]), True  # a pair with a tight slip in it
    # two loose slips, or several pairs: the slips every pair shares that stand on their own
    shared = set(top[0]).intersection(*top[1:])
    sure = [
        f
        for f in top[0]
        if f in shared
        and all(_stands(f, g, checks, failing, x, decimals) for p in top for g in p if g != f)
    ]
    return sure, len(top) == 1 and len(sure) == 2


def room(checks: Iterable[Check], x: dict[str, int], key: str) -> tuple[float, float]:
    """The values `key` may take, the other cells as in `x`, for the `checks` it is in to stay
    consistent: every error rule and every warning that held, holding."""
    mine = [(c, c.coefs[c.keys.index(key)]) for c in checks if key in c.keys]
    return _room(mine, {c.index: c.excess(x) for c, _ in mine}, x[key])


def _room(mine: list[tuple[Check, int]], before: dict[int, int], old: int) -> tuple[float, float]:
    """The values a cell (now `old`) may take for its rules (check, coefficient) to stay
    consistent, as `_consistent` says: every error rule and every warning that held, holding."""
    lo, hi = -float("inf"), float("inf")
    for c, a in mine:
        if not c.warning or c.within(before[c.index]):
            first, last = c.span(a, before[c.index] - a * old)
            lo, hi = max(lo, first), min(hi, last)
    return lo, hi


def _stands(f: Fix, g: Fix, checks, failing, x, decimals) -> bool:
    """Whether the slip `f` of a pair stands as a single one that happens to share a group of
    rules with the other slip `g`: it restores a failing rule `g` is not in, and passes there
    the test a single slip must (`likely_one`, `g` corrected). Two in one sum do not: the pair
    was chosen to fit it."""
    own = [c for c in failing if not c.warning and f.key in c.keys and g.key not in c.keys]
    fixed = {**x, g.key: g.value}
    still = [c for c in checks if not c.holds(fixed)]
    return bool(own) and likely_one(f, still, fixed, decimals, checks)


def likely_one(
    fix: Fix, failing: list[Check], x: dict[str, int], decimals, checks: Iterable[Check] = ()
) -> bool:
    """Whether a single slip explains the failing rules better than a coincidence would.

    A slip that restores two failing sums at once, or a tight one (a transposition, 元 for 万元,
    a sign, a decimal point), stands. A loose slip (a digit anywhere) alone in one failing sum
    stands only if, among all the slips the sum's cells admit, one of them alone gives its
    difference ONE_OVER_TWO times more often than two of them together do; a slip that would
    break another of the `checks` (the other rules of the group) cannot be the one that happened.
    """
    if fix.why not in LOOSE:
        return True
    sums = [c for c in failing if c.op == "=" and fix.key in c.keys]
    if len(sums) != 1:
        return True
    return one_over_two(sums[0], x, decimals, checks) >= ONE_OVER_TWO


def one_over_two(
    eq: Check, x: dict[str, int], decimals: dict[str, int], checks: Iterable[Check] = ()
) -> float:
    """How much likelier one slip is than two to give the difference of the equality `eq`.

    P(difference | one slip of one cell) over P(difference | one slip in each of two cells),
    every slip `slips` admits equally likely: (matching slips / slips) / (matching pairs / pairs).
    A slip matches only if it also leaves every other rule of `checks` as it stood (it holds,
    or a warning that failed already): the return shows that rule holding.
    """
    from bisect import bisect_right

    e = eq.excess(x)
    lo, hi = -e - eq.tol, -e + eq.tol  # the changes of the left side that make it hold
    moves, singles = [], 0  # per cell: the sorted changes of the left side its matching slips make
    for k, c in zip(eq.keys, eq.coefs, strict=True):
        first, last = room((o for o in checks if o.index != eq.index), x, k)
        singles += len(slips(x[k], decimals[k]))
        ordered = _ordered_slips(x[k], decimals[k])  # c · (new - old) keeps (or reverses) it
        moved = [c * (new - x[k]) for new in ordered if first <= new <= last]
        moves.append(moved if c > 0 else moved[::-1])
    one = sum(bisect_right(m, hi) - bisect_left(m, lo) for m in moves)

    def matching(a: list[int], b: list[int]) -> int:  # (d, e) of a × b with lo <= d + e <= hi
        n = len(a)  # (C functions mapped over the list: no Python frame a d)
        if hi - lo < FEW_SUMS:  # a sum of counts (no rounding): each d meets one e, looked up
            get = Counter(b).get
            return sum(sum(map(get, [s - d for d in a], repeat(0, n))) for s in range(lo, hi + 1))
        below = sum(map(bisect_left, repeat(b, n), [lo - d for d in a]))
        return sum(map(bisect_right, repeat(b, n), [hi - d for d in a])) - below

    # pairs of slips in two different cells: all ordered pairs, less those within one cell
    every = sorted(d for m in moves for d in m)
    two = (matching(every, every) - sum(matching(m, m) for m in moves)) // 2
    sizes = [len(m) for m in moves]
    pairs = (sum(sizes) ** 2 - sum(n * n for n in sizes)) // 2
    if not two:
        return float("inf")
    return (one / singles) / (two / pairs)


def _tries(checks, failing, x, key, decimals) -> list[tuple[int, str]]:
    """Values of `key` worth trying: what an equality pins, if a slip; else every slip."""
    old = x[key]
    options = slips(old, decimals[key])
    eq = next((c for c in failing if c.op == "=" and key in c.keys), None)
    eq = eq or next((c for c in checks if c.op == "=" and key in c.keys), None)
    if eq is None:
        return list(options.items())
    return _nearest(eq, x, key, options)


def _nearest(eq: Check, x: dict[str, int], key: str, options: dict[int, str]):
    """The slips nearest the exact value an equality pins (within rounding a few values fit)."""
    c = eq.coefs[eq.keys.index(key)]
    return _nearest_rest(eq, c, eq.excess(x) - c * x[key], options)


def _seconds(k1: str, still: list[Check], plans: dict, typed: dict) -> list[tuple]:
    """The cells that may be the second slip after `k1` (in every rule still failing), each with
    the first equality that pins it, its coefficient c there and the sorted c · v of its slips v;
    kept in `plans` per rules."""
    sig = (k1, *(c.index for c in still))
    if sig not in plans:
        common = set(still[0].keys).intersection(*(c.keys for c in still[1:])) - {k1}
        plan = []
        for k2 in sorted(common):
            eq = next((c for c in still if c.op == "=" and k2 in c.keys), None)
            if eq is not None:
                c2 = eq.coefs[eq.keys.index(k2)]
                plan.append((k2, eq, c2, sorted(c2 * v for v in typed[k2])))
        plans[sig] = plan
    return plans[sig]


def _nearest_rest(eq: Check, c: int, rest: int, options: dict[int, str]):
    """`_nearest` for the cell of coefficient `c`, the rest of the equality's excess `rest`."""
    best, out = None, []
    first, last = eq.span(c, rest)
    for v in range(first, last + 1):
        if v in options:
            off = abs(c * v + rest)
            if best is None or off < best:
                best, out = off, [v]
            elif off == best:
                out.append(v)
    return [(v, options[v]) for v in out]


def _pinned_seconds(k1, still, trial, plans, typed, x):
    """(cell, value) for the second slip after `k1`: a slip an equality still failing pins."""
    for k2, eq, c2, reach in _seconds(k1, still, plans, typed):
        rest = trial[eq.index] - c2 * x[k2]
        i = bisect_left(reach, -rest - eq.tol)
        if i == len(reach) or reach[i] > eq.tol - rest:
            continue  # no slip of k2 brings the equality within rounding: the common case
        for v2, _ in _nearest_rest(eq, c2, rest, typed[k2]):
            yield k2, v2


def _pairs(checks, x, keys, decimals) -> list[tuple[int, tuple[Fix, ...]]]:
    """Two slips that together make the group consistent, the second pinned by an equality.
    The search stops once the pairs that leave no rule failing share no slip: no fewer can be
    left, so `_typos` would find nothing sure whatever else there is (a failing sum of ten
    parts admits many pairs of digit slips)."""
    found = []
    whole: set | None = None  # the slips shared by every pair found that leaves no rule failing
    seen = set()
    typed = {k: slips(x[k], decimals[k]) for k in {k for c in checks for k in c.keys}}
    before, where = _excesses(checks, x)
    held = {c.index for c in checks if c.within(before[c.index])}
    plans: dict[tuple, list] = {}
    failing = sum(not c.warning and c.index not in held for c in checks)
    for k1 in keys:
        mine = [c for c in checks if k1 in c.keys]
        for v1, kind1 in typed[k1].items():
            trial = _moved(before, where[k1], v1 - x[k1])
            if any(
                not c.warning and c.index in held and not c.within(trial[c.index]) for c in mine
            ):
                continue  # breaks an error rule that held
            still = [c for c in checks if not c.warning and not c.within(trial[c.index])]
            if not still:
                continue
            if any(c.op == "=" for c in still):
                seconds = _pinned_seconds(k1, still, trial, plans, typed, x)
            elif len(still) < failing:  # k1 restored a bound and only bounds are left
                common = set(still[0].keys).intersection(*(c.keys for c in still[1:])) - {k1}
                seconds = ((k2, v2) for k2 in sorted(common) for v2 in typed[k2])
            else:
                continue
            for k2, v2 in seconds:
                pair = tuple(
                    sorted((Fix(k1, v1, kind1), Fix(k2, v2, typed[k2][v2])), key=lambda f: f.key)
                )
                if pair in seen:
                    continue
                both = _moved(trial, where[k2], v2 - x[k2])
                if _consistent(checks, both, before):
                    seen.add(pair)
                    found.append((_failing(checks, both), pair))
                    if found[-1][0] == 0:
                        whole = set(pair) if whole is None else whole & set(pair)
                        if not whole:
                            return found
    return found


# ---- Fellegi–Holt ---------------------------------------------------------------------------


NEAR = TOTAL - CELL  # a set dearer by no more than a total's premium is still a candidate


def smallest_sets(
    checks: list[Check], x: dict[str, int], weights: dict[str, float], most: int = 6
) -> list[tuple[float, set[str]]]:
    """The cheapest sets of cells whose change lets every error rule hold, with their cost.

    Cheapest first: every set as cheap as the first, then those dearer by at most NEAR (a total
    instead of a part); or only the first when it is one cell (or none) and every other set is
    dearer (then the others make no difference to `diagnose`). Sets of one cell are all given
    (a failing sum of ten parts: each of its eleven cells); when the solver is needed, it gives
    `most` sets at most, one run each.
    """
    keys = sorted({k for c in checks for k in c.keys})
    top = 2 * max(sum(abs(x[k]) for k in keys), 1) + 10**4
    sets = _single_sets(checks, x, weights, keys, top)
    if sets is not None:
        return sets
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    warns = [c for c in checks if c.warning]
    n, nw = len(keys), len(warns)
    col = {k: i for i, k in enumerate(keys)}
    # y (the corrected values, 0..top), z (cell changed), w (warning left failing)
    big = top + max(abs(x[k]) for k in keys)
    size = 2 * n + nw
    rows, lo, hi = [], [], []

    def row(entries: dict[int, float], low: float, high: float) -> None:
        r = np.zeros(size)
        for i, v in entries.items():
            r[i] = v
        rows.append(r)
        lo.append(low)
        hi.append(high)

    for k, i in col.items():  # |y - x| <= big * z
        row({i: 1, n + i: -big}, -np.inf, x[k])
        row({i: 1, n + i: big}, x[k], np.inf)
    for c in checks:
        a = {col[k]: v for k, v in zip(c.keys, c.coefs, strict=True)}
        slack = 0.0
        if c.warning:
            slack = sum(abs(v) for v in c.coefs) * top + abs(c.const) + c.tol + 1
        strict = 1 if c.op in ("<", ">") else 0
        if c.op in ("=", "<=", "<"):
            upper = c.const + c.tol - strict
            row({**a, **({2 * n + warns.index(c): -slack} if slack else {})}, -np.inf, upper)
        if c.op in ("=", ">=", ">"):
            lower = c.const - c.tol + strict
            row({**a, **({2 * n + warns.index(c): slack} if slack else {})}, lower, np.inf)
    cost = np.array([0.0] * n + [weights.get(k, CELL) for k in keys] + [WARNING] * nw)
    integrality = np.ones(size)
    bounds = Bounds(np.array([0] * n + [0] * (n + nw)), np.array([top] * n + [1] * (n + nw)))
    sets: list[tuple[float, set[str]]] = []
    while len(sets) < most:
        constraints = LinearConstraint(np.array(rows), np.array(lo), np.array(hi))
        res = milp(
            cost,
            integrality=integrality,
            bounds=bounds,
            constraints=constraints,
            options={"mip_rel_gap": 0},
        )
        if res.x is None or (sets and res.fun > sets[0][0] + NEAR + 1e-6):
            break
        chosen = {keys[i] for i in range(n) if res.x[n + i] > 0.5}
        solved = {**x, **{keys[i]: round(res.x[i]) for i in range(n) if keys[i] in chosen}}
        if not _holds(checks, solved) and not _can_fix(checks, x, chosen):
            break  # a numerical artefact of the solver: say nothing rather than guess
        sets.append((res.fun, chosen))
        if not chosen:
            break
        row({n + col[k]: 1 for k in chosen}, -np.inf, len(chosen) - 1)  # not this set again
    return sets


def _single_sets(checks, x, weights, keys, top) -> list[tuple[float, set[str]]] | None:
    """`smallest_sets` without the solver, when what it finds is sure to be sets of one cell or
    none: each cell alone is tried exactly (the rules bound its value to an interval; the
    warnings it can make hold are counted at the ends of theirs). None: the solver is needed
    (a set of two cells may be as cheap, a tie with leaving every cell)."""
    errors = [c for c in checks if not c.warning]
    before, where = _excesses(checks, x)
    fails = {c.index for c in checks if not c.within(before[c.index])}
    negative = [k for k in keys if x[k] < 0]
    warned = sum(c.warning and c.index in fails for c in checks)
    found: list[tuple[float, set[str]]] = []
    if not negative and not any(c.index in fails for c in errors):
        found.append((WARNING * warned, set()))
    checks_of = {c.index: c for c in checks}
    for k in keys:
        if negative and negative != [k]:
            continue
        lo, hi, spans, left = 0, top, [], warned
        for i, a in where[k]:
            c = checks_of[i]
            span = c.span(a, before[i] - a * x[k])
            if c.warning:
                spans.append(span)
                left -= i in fails
            else:
                lo, hi = max(lo, span[0]), min(hi, span[1])
        mine = {i for i, _ in where[k]}
        if lo > hi or any(c.index in fails and c.index not in mine for c in errors):
            continue
        ends = {lo, hi} | {min(max(v, lo), hi) for span in spans for v in span}
        held = max(sum(a <= y <= b for a, b in spans) for y in ends)
        found.append((weights.get(k, CELL) + WARNING * (left + len(spans) - held), {k}))
    if not found:
        return None
    found.sort(key=lambda s: s[0])
    best = found[0][0]
    cheap = sorted(weights.get(k, CELL) for k in keys)
    pair = cheap[0] + cheap[1] if len(cheap) > 1 else float("inf")  # no set of two is cheaper
    if pair > best + 1e-6 and (len(found) == 1 or found[1][0] > best + 1e-6):
        return found[:1]  # the one cheapest set: all that `diagnose` needs of the rest
    if pair <= best + NEAR + 1e-6:
        return None  # a pair of cells may be within NEAR of the cheapest
    near = [s for s in found if s[0] <= best + NEAR + 1e-6]
    if any(not s for _, s in near):  # the solver stops at leaving every cell as typed
        tie = len(near) > 1 and near[1][0] <= best + 1e-6
        return None if near[0][1] or tie else near[:1]
    return near


def _holds(checks: list[Check], x: dict[str, int]) -> bool:
    """Whether every error rule holds and no value is negative (the solver's values, checked)."""
    keys = {k for c in checks for k in c.keys}
    return all(x[k] >= 0 for k in keys) and all(c.holds(x) for c in checks if not c.warning)


def _can_fix(checks: list[Check], x: dict[str, int], chosen: set[str], rules=None) -> bool:
    """Whether changing only `chosen` can make every error rule (or every one of `rules`) hold
    (an exact re-check)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    errors = [c for c in checks if not c.warning] if rules is None else rules
    if not chosen:
        return all(c.holds(x) for c in errors)
    if len(chosen) == 1:  # one cell: the rules bound it to an interval, no solver needed
        (key,) = chosen
        lo, hi = _alone_span(errors, x, key)
        return lo <= hi and all(c.holds(x) for c in errors if key not in c.keys)
    free = sorted(chosen)
    rows, lo, hi = [], [], []
    for c in errors:
        fixed = sum(v * x[k] for k, v in zip(c.keys, c.coefs, strict=True) if k not in chosen)
        r = [dict(zip(c.keys, c.coefs, strict=True)).get(k, 0) for k in free]
        strict = 1 if c.op in ("<", ">") else 0
        up = c.const + c.tol - strict - fixed if c.op in ("=", "<=", "<") else np.inf
        down = c.const - c.tol + strict - fixed if c.op in ("=", ">=", ">") else -np.inf
        rows.append(r)
        lo.append(down)
        hi.append(up)
    res = milp(
        np.zeros(len(free)),
        integrality=np.ones(len(free)),
        bounds=Bounds(0, np.inf),
        constraints=LinearConstraint(np.array(rows, dtype=float), lo, hi),
    )
    if res.x is None:
        return False
    trial = {**x, **{k: round(v) for k, v in zip(free, res.x, strict=True)}}
    return all(c.holds(trial) for c in errors)


# ---- what a diagnosis may claim ---------------------------------------------------------------


MOST_SOLVED = 40  # pairs sharing a rule checked with the solver at most; beyond, nothing is proved


def smallest_by_count(checks: list[Check], x: dict[str, int]) -> tuple[list[set[str]], bool]:
    """Every smallest set of cells (by count, weights aside) whose change lets every error rule
    hold, breaks no warning that held and leaves no value negative, and whether the list is
    proved complete (a warning that fails as typed may be true of the return: it is left out).

    Sets of one cell are found exactly (each alone: the rules bound it to an interval), pairs of
    cells in no common rule likewise; a pair in a common rule is checked with the solver. Sets of
    three or more are not looked for: an empty list, not complete."""
    errors = _kept(checks, x)
    keys = sorted({k for c in checks for k in c.keys})
    before, where = _excesses(errors, x)
    must = [set(c.keys) for c in errors if not c.within(before[c.index])]
    must += [{k} for k in keys if x[k] < 0]
    if not must:
        return [set()], True
    checks_of = {c.index: c for c in errors}

    def alone(k: str) -> bool:  # the cell alone can make its own rules hold (`_alone_span`)
        lo, hi = 0, float("inf")
        for i, a in where.get(k, []):
            first, last = checks_of[i].span(a, before[i] - a * x[k])
            lo, hi = max(lo, first), min(hi, last)
        return lo <= hi

    singles = [{k} for k in keys if all(k in m for m in must) and alone(k)]
    if singles:
        return singles, True
    ok = {k: alone(k) for k in keys}
    from itertools import combinations

    pairs, solved = [], 0
    rules = {k: {i for i, _ in where.get(k, [])} for k in keys}
    for a, b in combinations(keys, 2):
        if not all(a in m or b in m for m in must):
            continue
        if not rules[a] & rules[b]:  # each alone in its rules: its interval decides
            if ok[a] and ok[b]:
                pairs.append({a, b})
            continue
        solved += 1
        if solved > MOST_SOLVED:
            return pairs, False
        if _can_fix(errors, x, {a, b}, errors):
            pairs.append({a, b})
    return pairs, bool(pairs)


def _kept(checks: list[Check], x: dict[str, int]) -> list[Check]:
    """The rules a change must leave holding: the error rules, and the warnings that hold."""
    return [c for c in checks if not c.warning or c.holds(x)]


def _alone_span(errors: list[Check], x: dict[str, int], key: str) -> tuple[float, float]:
    """The values `key` may take, the other cells as typed, for the rules of `errors` it is in
    to hold (and the value not to be negative): first > last when none."""
    lo, hi = 0, float("inf")
    for c in errors:
        if key not in c.keys:
            continue
        a = c.coefs[c.keys.index(key)]
        first, last = c.span(a, c.excess(x) - a * x[key])
        lo, hi = max(lo, first), min(hi, last)
    return lo, hi


def _judge(d: Diagnosis, checks, x, decimals, weights) -> None:
    """Whether the diagnosis's cells are the only set of their size, the smallest sets that tie
    (most likely first, and why), and the values the equalities pin for the located cells.

    A pinned value is said only as "if only these are wrong": on the bench, two slips in one sum
    often leave its total the only cell that can change alone, and its pinned value is then wrong
    (37 right of 102 on bench/localize.py's returns 0–19 and 1000–1019); `fixes` keep only
    what slips single out."""
    errors = _kept(checks, x)
    own = {f.key for f in d.fixes} | set(d.located or [])
    sets, complete = smallest_by_count(checks, x)
    d.unique = complete and bool(own) and sets == [own]
    if len(sets) > 1 and (not own or len(own) == len(sets[0])):

        def slipped(s: set[str]) -> str | None:  # a slip that alone explains it: fixed, or tight
            if s == own and own == {f.key for f in d.fixes}:
                return d.fixes[0].why
            if len(s) == 1:
                (k,) = s
                lo, hi = _alone_span(errors, x, k)
                options = slips(x[k], decimals[k]).items()
                return next((w for v, w in options if w not in LOOSE and lo <= v <= hi), None)
            return None

        def cost(s: set[str]) -> float:
            return sum(weights.get(k, CELL) for k in s)

        info = {frozenset(s): (slipped(s), cost(s)) for s in sets}
        ordered = sorted(
            sets, key=lambda s: (s != own, info[frozenset(s)][0] is None, cost(s), sorted(s))
        )
        d.ties = [sorted(s) for s in ordered]
        d.why_first = _why_first(ordered, info, own, weights)
    fixed = {f.key: f.value for f in d.fixes}
    rest = [k for k in d.located or [] if k not in fixed]
    if rest:
        d.deduced = _deduced(errors, {**x, **fixed}, rest)


def _why_first(ordered: list[set[str]], info: dict, own: set[str], weights) -> str | None:
    """Why the first of tied sets is likelier than the second: its slip's kind, total_cell (the
    other changes more totals), weight (the first is typed oddly: negative, with a unit), warning
    (the other breaks a warning the first keeps); None: nothing tells them apart."""
    (slip1, cost1), (slip2, cost2) = info[frozenset(ordered[0])], info[frozenset(ordered[1])]
    if slip1 and not slip2:
        return slip1
    if cost1 < cost2 - 1e-6:
        totals = [sum(weights.get(k) == TOTAL for k in s) for s in ordered[:2]]
        return "total_cell" if totals[0] < totals[1] else "weight"
    if own and ordered[0] == own and cost1 <= cost2 + 1e-6 and not slip2:
        return "warning"  # the cheapest by weights only through the warnings it keeps
    return None


def _deduced(errors: list[Check], x: dict[str, int], located: list[str]) -> list[Fix]:
    """The values of the located cells if only they are wrong: each is in an equality whose other
    cells are not located (so it pins the value), and together they make every rule hold."""
    values = {}
    for k in located:
        eq = next(
            (
                c
                for c in errors
                if c.op == "=" and k in c.keys and not set(located) & set(c.keys) - {k}
            ),
            None,
        )
        if eq is None:
            return []
        a = eq.coefs[eq.keys.index(k)]
        rest = eq.excess(x) - a * x[k]
        options = eq.pinned(x, k)
        if not options or (
            len(options) > 1 and abs(a * options[1] + rest) == abs(a * options[0] + rest)
        ):
            return []  # within rounding two values are as near exact: not pinned
        values[k] = options[0]
    trial = {**x, **values}
    if any(v < 0 or v == x[k] for k, v in values.items()):
        return []
    if not all(c.holds(trial) for c in errors):
        return []
    return [Fix(k, v, "deduced") for k, v in sorted(values.items())]

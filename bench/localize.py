"""How often `wenuan validate` finds, locates and corrects injected errors (not a timed test).

    python bench/localize.py [N] [--form ID] [--show] [--from K]

For every form, writes N returns per class of error (template layout, consistent figures from
`samples.consistent`, one error class injected), validates them in one batch through the files
as a user would, and prints per class: detected (any finding), localized (the cells named as
wrong are exactly the injected ones), corrected (every injected cell has the right suggested
value), and suggestions made and wrong. Classes: a typo in a rule's cell, 元 for 万元 (×10000),
a sign, an empty term of a sum, two slips in two rules, two slips in one rule, a random value,
and 元 for 万元 in an item no rule covers (only the batch screen can see that one). `--from K`
starts at return K (default 0): `--from 1000` gives returns the rules were never tuned on.

Beside them, per class, the oracle's ceiling (`oracle`): the injected errors that the rules and
the slip model alone single out — the true values are the only smallest set of slips making
every rule hold — plus those no rule sees that the batch screen corrects; and the undetectable
ones (no rule of the cell's group fails, no batch outlier names it). `--show` lists the errors
the oracle singles out that were not corrected.

The time per return is this process's CPU time (a shared machine's other programs do not count)
of validating and screening the batch, beside python-calamine's bare read of the same files
(`bench.calamine_read`, the median of three passes): the issue's target is 4× at most. scipy
is imported before timing: the first return in a process that needs the solver pays ~0.6 s
once, which would otherwise land on whichever form comes first.

Then, per class of single slip the rules place without the solver (typo, unit, sign, empty),
what a failing return costs over a valid one: the CPU time of validating and screening the
class's N returns alone over that of N valid returns of the same seeds, the medians of three
rounds, each over fresh copies of the files (what the reader keeps of a file by its path, such
as its formulas, is not reused; issue 25's target: 2× at most).
"""

import random
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

from bench import calamine_read, per_return  # bench/bench.py: the floor, in CPU time

from wenuan.checking import samples, screen, suggest, validate
from wenuan.forms import model as forms
from wenuan.forms.model import quantize
from wenuan.outputs import writing

HEADER = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010-01-28"}
CLASSES = ["typo", "unit", "sign", "empty", "two-rules", "one-rule", "random", "uncovered"]
SINGLE = ["typo", "unit", "sign", "empty"]  # single slips the rules place without the solver


def typo(rng: random.Random, value: Decimal, decimals: int) -> Decimal:
    """A keyboard slip: two adjacent digits swapped, a digit wrong, added or dropped."""
    for _ in range(50):
        text = str(int(value.scaleb(decimals))).zfill(decimals + 1)
        i = rng.randrange(len(text))
        kind = rng.choice(["swap", "digit", "extra", "drop"])
        if kind == "swap" and len(text) > 1:
            i = min(i, len(text) - 2)
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif kind == "digit":
            text = text[:i] + rng.choice("0123456789") + text[i + 1 :]
        elif kind == "extra":
            text = text[:i] + rng.choice("0123456789") + text[i:]
        elif kind == "drop" and len(text) > 1:
            text = text[:i] + text[i + 1 :]
        new = Decimal(int(text)).scaleb(-decimals)
        if new != value:
            return quantize(new, decimals)
    return value + 1


def rule_cells(form) -> tuple[list[list[str]], list[list[str]], list[str]]:
    """The keys of every rule, of every equality, and the cells no rule covers."""
    rules, equalities = [], []
    for table in form.tables:
        for rule in table.rules:
            keys = [f"{table.id}:{r}" for r in rule.parsed.refs()]
            rules.append(keys)
            if rule.parsed.op == "=" and len(keys) > 1:
                equalities.append(keys)
    for rule in form.rules:
        keys = [str(r) for r in rule.parsed.refs()]
        rules.append(keys)
        if rule.parsed.op == "=" and len(keys) > 1:
            equalities.append(keys)
    covered = {k for keys in rules for k in keys}
    everything = [f"{tb.id}:{ref}" for tb in form.tables for ref in tb.cells]
    return rules, equalities, [k for k in everything if k not in covered]


def inject(form, kind: str, rng: random.Random, values: dict) -> dict[str, Decimal | None]:
    """The changes for one error of `kind`: cell key -> value typed (None: left empty)."""
    rules, equalities, uncovered = rule_cells(form)
    decimals = {f"{tb.id}:{r}": c.decimals for tb in form.tables for r, c in tb.cells.items()}
    covered = sorted({k for keys in rules for k in keys if values[k] != 0})
    amounts = [k for k in covered if decimals[k] == 2]
    if kind == "typo":
        key = rng.choice(covered)
        return {key: typo(rng, values[key], decimals[key])}
    if kind == "unit":
        key = rng.choice(amounts or covered)
        return {key: values[key] * 10000}
    if kind == "sign":
        key = rng.choice(covered)
        return {key: -values[key]}
    if kind == "empty":
        key = rng.choice(rng.choice(equalities or rules))
        return {key: None}
    if kind == "two-rules":
        first = rng.choice(rules)
        others = [r for r in rules if not set(r) & set(first)]
        second = rng.choice(others or rules)
        a = rng.choice([k for k in first if values[k] != 0] or first)
        b = rng.choice(
            [k for k in second if k != a and values[k] != 0] or [k for k in covered if k != a]
        )
        return {a: typo(rng, values[a], decimals[a]), b: typo(rng, values[b], decimals[b])}
    if kind == "one-rule":

        def live(keys: list[str]) -> list[str]:
            return [k for k in dict.fromkeys(keys) if values[k] != 0]

        pool = [r for r in equalities if len(live(r)) >= 3] or [
            r for r in rules if len(live(r)) > 1
        ]
        a, b = rng.sample(live(rng.choice(pool)), 2)
        return {a: typo(rng, values[a], decimals[a]), b: typo(rng, values[b], decimals[b])}
    if kind == "random":
        key = rng.choice(covered)
        top = max(int(values[key].scaleb(decimals[key])) * 2, 10)
        new = Decimal(rng.randrange(top)).scaleb(-decimals[key])
        return {key: new if new != values[key] else values[key] + 1}
    pool = [k for k in uncovered if decimals[k] == 2] or uncovered
    if not pool:
        return {}
    key = rng.choice(pool)
    return {key: values[key] * 10000 if decimals[key] == 2 else values[key] * 10}


# ---- the oracle ceiling ----------------------------------------------------------------------


def oracle(model, decimals, typed: dict, truth: dict, changed: list[str]) -> dict[str, str]:
    """Per injected cell, what the rules and the slip model alone can tell of it.

    "silent": no rule of its group fails (nor is a value there negative or empty); "unique":
    the true values are the only smallest set of slips (`suggest.slips`, or any fill of an empty
    cell; at most as many cells as were injected, two at most) that makes every rule of the
    group hold — error rules, warnings that hold of the true return (a generous oracle: it
    knows which warnings are true of this unit), and no value negative; "ambiguous":
    otherwise (another set as small also fits, or no set of slips that small does).
    """
    most = min(len(changed), 2)
    held = [c for c in model.checks if not c.warning or c.holds(truth)]
    out = {}
    for group in _groups(held, typed):
        keys = {k for c in group for k in c.keys}
        mine = [k for k in changed if k in keys]
        if not mine:
            continue
        sols = _smallest(group, typed, decimals, most)
        if sols is None:
            out.update(dict.fromkeys(mine, "silent"))
            continue
        truth_here = frozenset((k, truth[k]) for k in mine)
        outcome = "unique" if sols == [truth_here] else "ambiguous"
        out.update(dict.fromkeys(mine, outcome))
    return {k: out.get(k, "silent") for k in changed}


def _groups(checks, typed) -> list[list]:
    """The rules in groups connected through shared cells (a bad cell in no rule, a group of
    its own, holding only non-negativity)."""
    groups: list[tuple[set, list]] = []
    for c in checks:
        joined = [g for g in groups if g[0] & set(c.keys)]
        keys, rules = set(c.keys), [c]
        for g in joined:
            keys |= g[0]
            rules += g[1]
            groups.remove(g)
        groups.append((keys, rules))
    covered = {k for keys, _ in groups for k in keys}
    alone = [k for k, v in typed.items() if k not in covered and (v is None or v < 0)]
    return [rules for _, rules in groups] + [[_Alone(k)] for k in alone]


class _Alone:
    """Non-negativity of one cell no rule covers, as a rule that always holds."""

    def __init__(self, key: str):
        self.keys, self.op, self.warning = (key,), ">=", False

    def holds(self, x) -> bool:
        return True


def _ok(group, x) -> bool:
    keys = {k for c in group for k in c.keys}
    return all(x[k] is not None and x[k] >= 0 for k in keys) and all(c.holds(x) for c in group)


def _fails(c, x) -> bool:
    return any(x[k] is None or x[k] < 0 for k in c.keys) or not c.holds(x)


def _options(group, x, typed, key, decimals) -> list[int] | None:
    """Values `key` may take: a slip of the typed value (any value for an empty cell), and when
    an equality covers the cell, only those it admits. None: too many to tell apart."""
    base = None if typed[key] is None else suggest.slips(typed[key], decimals[key])
    for c in group:
        if c.op == "=" and key in c.keys and all(x[k] is not None for k in c.keys if k != key):
            pinned = c.pinned({**x, key: 0}, key)
            return [v for v in pinned if v >= 0 and (base is None or v in base)]
    return None if base is None else list(base)


def _smallest(group, typed, decimals, most) -> list[frozenset] | None:
    """The smallest sets of slips (up to `most` cells) that make the group hold; rounding
    variants (same cells, an equality left further from exact) dropped. None: nothing fails."""
    failing = [c for c in group if _fails(c, typed)]
    if not failing:
        return None
    cells = sorted({k for c in failing for k in c.keys})
    singles, pairs = set(), set()
    for k1 in cells:
        opts = _options(group, typed, typed, k1, decimals)
        if opts is None:
            return []
        singles |= {frozenset([(k1, v)]) for v in opts if _ok(group, {**typed, k1: v})}
    if singles or most < 2:
        return _exact(group, typed, singles)
    for k1 in cells:  # the first of two: any slip (an equality pins only the second)
        if typed[k1] is None:
            continue  # an empty cell is filled second, from an equality
        for v1 in suggest.slips(typed[k1], decimals[k1]):
            trial = {**typed, k1: v1}
            still = [c for c in group if _fails(c, trial)]
            common = set(still[0].keys).intersection(*(c.keys for c in still[1:])) - {k1}
            for k2 in sorted(common):
                opts2 = _options(group, trial, typed, k2, decimals)
                if opts2 is None:
                    return []
                for v2 in opts2:
                    if _ok(group, {**trial, k2: v2}):
                        pairs.add(frozenset([(k1, v1), (k2, v2)]))
    return _exact(group, typed, singles or pairs)


def _exact(group, typed, sols) -> list[frozenset]:
    """Per set of cells, the solutions nearest exact in every equality (within rounding the
    rules admit a few values of a cell: the same correction)."""

    def off(sol) -> int:
        x = {**typed, **dict(sol)}
        return sum(abs(c.excess(x)) for c in group if c.op == "=")

    best: dict[frozenset, int] = {}
    for sol in sols:
        cells = frozenset(k for k, _ in sol)
        best[cells] = min(best.get(cells, off(sol)), off(sol))
    return sorted((s for s in sols if off(s) == best[frozenset(k for k, _ in s)]), key=sorted)


def score(report, changes, original) -> tuple[int, int, int, int, int, int]:
    """Per injected error: errors, detected, localized, corrected; suggestions, wrong ones."""
    found = [f for f in report.findings if f.kind not in ("header", "deadline")]
    whys = {
        (f"{f.table}:{s.item}", s.value): s.why
        for f in found
        for s in [f.suggestion, *f.also]
        if s is not None and f.table
    }
    sugs = set(whys)
    named = {f"{f.table}:{s}" for f in found for s in f.suspects if f.table}
    named |= {k for k, _ in sugs}
    seen = {f"{f.table}:{i}" for f in found for i in f.items if f.table}
    right = {(k, original[k]) for k in changes}
    n = len(changes)
    detected = sum(k in seen for k in changes)
    localized = sum(k in named for k in changes) if named <= set(changes) else 0
    corrected = sum((k, original[k]) in sugs for k in changes)
    for s in sugs - right:
        WRONG[whys[s]] = WRONG.get(whys[s], 0) + 1
    return n, detected, localized, corrected, len(sugs), sum(s not in right for s in sugs)


def _ceiling(report, changes, values, model, decimals) -> tuple[int, int]:
    """Per injected error: the oracle's ceiling, and those neither a rule nor the batch sees."""

    def scaled(v):
        return None if v is None else int(v.scaleb(decimals[k]))

    typed, truth = {}, {}
    for k, v in values.items():
        typed[k] = scaled(changes.get(k, v))
        truth[k] = scaled(v)
    seen = oracle(model, decimals, typed, truth, list(changes))
    outliers = {f"{f.table}:{i}" for f in report.findings if f.kind == "outlier" for i in f.items}
    fixed = {
        (f"{f.table}:{s.item}", s.value)
        for f in report.findings
        for s in [f.suggestion, *f.also]
        if s is not None and f.table
    }
    ceiling = undetectable = 0
    for k, outcome in seen.items():
        ceiling += outcome == "unique" or (outcome == "silent" and (k, values[k]) in fixed)
        undetectable += outcome == "silent" and k not in outliers
        if outcome == "unique" and (k, values[k]) not in fixed:
            MISSED.append((report.form, k, changes[k], values[k]))
    return ceiling, undetectable


MISSED: list = []  # identifiable by the oracle, not corrected: (form, cell, typed, true)
WRONG: dict[str, int] = {}  # wrong suggestions by why (the kind of slip, or unique)


def run_form(form, n: int, folder: Path, loaded, start: int = 0):
    rows = []
    paths, cases = [], []
    for c, kind in enumerate(CLASSES):
        for i in range(start, start + n):
            rng = random.Random(zlib.crc32(f"{form.id} {kind} {i}".encode()))
            values = samples.consistent(form, seed=i)
            changes = inject(form, kind, rng, values)
            path = folder / f"{form.id}-{c}-{i:04d}.xlsx"
            wb = writing.filled(form, {**values, **changes}, HEADER)
            writing.save_atomically(wb, path, force=True)
            paths.append(path)
            cases.append((kind, changes, values))
    began = time.process_time()
    reports = list(validate.check_all(paths, loaded, validate.Options()))
    screen.screen(reports, loaded)
    per = (time.process_time() - began) / len(paths) * 1000
    calamine_read(paths[0])  # warm the import
    floor = statistics.median(per_return(calamine_read, paths) for _ in range(3))
    costs = _costs(form, n, folder, loaded, start, paths, cases)
    model, _, decimals = validate.rule_model(form)
    by: dict[str, list] = {k: [] for k in CLASSES}
    for report, (kind, changes, values) in zip(reports, cases, strict=True):
        if changes:
            by[kind].append(
                score(report, changes, values) + _ceiling(report, changes, values, model, decimals)
            )
    for kind in CLASSES:
        rows.append((kind, by[kind]))
    return rows, (per, floor, costs), _alone(form, folder, loaded, cases)


def _costs(form, n: int, folder: Path, loaded, start: int, paths, cases) -> dict[str, float]:
    """Per single-slip class, the CPU time of validating and screening its returns alone over
    that of as many valid returns (same layout, same seeds): the medians of three rounds, the
    classes taken in turns so that a machine busy with something else slows all alike."""
    batches = {"valid": []}
    for i in range(start, start + n):
        path = folder / f"{form.id}-valid-{i:04d}.xlsx"
        writing.save_atomically(
            writing.filled(form, samples.consistent(form, seed=i), HEADER), path, force=True
        )
        batches["valid"].append(path)
    for kind in SINGLE:
        batches[kind] = [p for p, case in zip(paths, cases, strict=True) if case[0] == kind]
    times: dict[str, list[float]] = {k: [] for k in batches}
    for r in range(3):
        for kind, batch in batches.items():
            batch = [shutil.copy(p, folder / f"round{r}-{p.name}") for p in batch]  # no cache
            begin = time.process_time()
            screen.screen(list(validate.check_all(batch, loaded, validate.Options())), loaded)
            times[kind].append(time.process_time() - begin)
    valid = statistics.median(times["valid"])
    return {kind: statistics.median(times[kind]) / valid for kind in SINGLE}


def _alone(form, folder: Path, loaded, cases) -> dict[str, list[int]]:
    """Per two-slip class: slips the rules correct when alone, and of those, together."""
    counts = {"two-rules": [0, 0], "one-rule": [0, 0]}
    for j, (kind, changes, values) in enumerate(cases):
        if kind not in ("two-rules", "one-rule") or len(changes) != 2:
            continue
        fixed = {}
        for name, part in [("both", changes), *((k, {k: v}) for k, v in changes.items())]:
            path = folder / f"alone-{j}.xlsx"
            writing.save_atomically(writing.filled(form, {**values, **part}, HEADER), path, True)
            report = validate.validate_file(path, loaded, validate.Options())
            fixed[name] = {
                (f"{f.table}:{s.item}", s.value)
                for f in report.findings
                for s in [f.suggestion, *f.also]
                if s
            }
        for k in changes:
            if (k, values[k]) in fixed[k]:
                counts[kind][0] += 1
                counts[kind][1] += (k, values[k]) in fixed["both"]
    return counts


def main() -> None:
    args = [a for a in sys.argv[1:2] if a.isdigit()]
    n = int(args[0]) if args else 20
    only = sys.argv[sys.argv.index("--form") + 1] if "--form" in sys.argv else None
    start = int(sys.argv[sys.argv.index("--from") + 1]) if "--from" in sys.argv else 0
    loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
    import scipy.optimize  # noqa: F401  imported once a process (~0.6 s), by no return of its own

    with tempfile.TemporaryDirectory() as tmp:
        for fid, form in sorted(loaded.items()):
            if only and fid != only:
                continue
            rows, (per, floor, costs), alone = run_form(form, n, Path(tmp), loaded, start)
            print(
                f"\n{fid}: {n} returns per class, validated at {per:.1f} ms/return (CPU),"
                f" {per / floor:.1f}x calamine's bare read ({floor:.2f} ms)"
            )
            head = f"{'class':<11}{'err':>4}{'detected':>10}{'localized':>11}{'corrected':>11}"
            print(head + f"{'suggested':>11}{'wrong':>7}{'ceiling':>9}{'undetect.':>11}")
            total = [0] * 8
            for kind, scores in rows:
                sums = [sum(s[i] for s in scores) for i in range(8)]
                total = [a + b for a, b in zip(total, sums, strict=True)]
                print(_row(kind, *sums))
            if "--show" in sys.argv:
                for form_id, k, typed, true in MISSED:
                    print(f"  identifiable, not corrected: {form_id} {k} typed {typed} for {true}")
            MISSED.clear()
            wrong = ", ".join(f"{k} {v}" for k, v in sorted(WRONG.items()))
            WRONG.clear()
            print(f"wrong suggestions by why: {wrong or 'none'}")
            for kind, (one, both) in alone.items():
                print(
                    f"{kind}: of {one} slips the rules correct alone, {both} are corrected"
                    " with the other slip present (rules only, no batch screen)"
                )
            print(
                _row("all", *total) + f"   suggestions right: {_pct(total[4] - total[5], total[4])}"
            )
            ratios = ", ".join(f"{k} {costs[k]:.1f}x" for k in SINGLE)
            print(f"  cost of a failing return: {ratios} a valid one (target <= 2x)")


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def _row(kind: str, m, d, loc, c, sug, bad, top, silent) -> str:
    head = f"{kind:<11}{m:>4}{_pct(d, m):>10}{_pct(loc, m):>11}{_pct(c, m):>11}{sug:>11}{bad:>7}"
    return head + f"{_pct(top, m):>9}{_pct(silent, m):>11}"


if __name__ == "__main__":
    main()

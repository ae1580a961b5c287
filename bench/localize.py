"""How often `wenuan validate` finds, locates and corrects injected errors (not a timed test).

    python bench/localize.py [N] [--form ID]

For every form, writes N returns per class of error (template layout, consistent figures from
`samples.consistent`, one error class injected), validates them in one batch through the files
as a user would, and prints per class: detected (any finding), localized (the cells named as
wrong are exactly the injected ones), corrected (every injected cell has the right suggested
value), and suggestions made and wrong. Classes: a typo in a rule's cell, 元 for 万元 (×10000),
a sign, an empty term of a sum, two slips in two rules, two slips in one rule, a random value,
and 元 for 万元 in an item no rule covers (only the batch screen can see that one).
"""

import random
import sys
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

from wenuan import forms, samples, screen, validate, writing
from wenuan.forms import quantize

HEADER = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010-01-28"}
CLASSES = ["typo", "unit", "sign", "empty", "two-rules", "one-rule", "random", "uncovered"]


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


WRONG: dict[str, int] = {}  # wrong suggestions by why (the kind of slip, or unique)


def run_form(form, n: int, folder: Path, loaded):
    rows = []
    paths, cases = [], []
    for c, kind in enumerate(CLASSES):
        for i in range(n):
            rng = random.Random(zlib.crc32(f"{form.id} {kind} {i}".encode()))
            values = samples.consistent(form, seed=i)
            changes = inject(form, kind, rng, values)
            path = folder / f"{form.id}-{c}-{i:04d}.xlsx"
            wb = writing.filled(form, {**values, **changes}, HEADER)
            writing.save_atomically(wb, path, force=True)
            paths.append(path)
            cases.append((kind, changes, values))
    start = time.perf_counter()
    reports = list(validate.check_all(paths, loaded, validate.Options()))
    screen.screen(reports, loaded)
    per = (time.perf_counter() - start) / len(paths) * 1000
    by: dict[str, list] = {k: [] for k in CLASSES}
    for report, (kind, changes, values) in zip(reports, cases, strict=True):
        if changes:
            by[kind].append(score(report, changes, values))
    for kind in CLASSES:
        rows.append((kind, by[kind]))
    return rows, per, _alone(form, folder, loaded, cases)


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
    args = [a for a in sys.argv[1:] if a.isdigit()]
    n = int(args[0]) if args else 20
    only = sys.argv[sys.argv.index("--form") + 1] if "--form" in sys.argv else None
    loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
    with tempfile.TemporaryDirectory() as tmp:
        for fid, form in sorted(loaded.items()):
            if only and fid != only:
                continue
            rows, per, alone = run_form(form, n, Path(tmp), loaded)
            print(f"\n{fid}: {n} returns per class, validated at {per:.1f} ms/return")
            head = f"{'class':<11}{'err':>4}{'detected':>10}{'localized':>11}{'corrected':>11}"
            print(head + f"{'suggested':>11}{'wrong':>7}")
            total = [0] * 6
            for kind, scores in rows:
                sums = [sum(s[i] for s in scores) for i in range(6)]
                total = [a + b for a, b in zip(total, sums, strict=True)]
                print(_row(kind, *sums))
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


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def _row(kind: str, m: int, d: int, loc: int, c: int, sug: int, bad: int) -> str:
    return f"{kind:<11}{m:>4}{_pct(d, m):>10}{_pct(loc, m):>11}{_pct(c, m):>11}{sug:>11}{bad:>7}"


if __name__ == "__main__":
    main()

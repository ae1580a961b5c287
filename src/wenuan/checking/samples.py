"""Figures that satisfy a form's rules: for examples, round-trip tests and benchmarks."""

import random
from decimal import Decimal

from wenuan.checking.suggest import solve
from wenuan.forms.model import Form, quantize
from wenuan.forms.rules import Ref, holds, value

Values = dict[str, Decimal]  # "table:ref" -> value


def consistent(form: Form, seed: int = 0) -> Values:
    """Values for every cell of every table that satisfy every rule of the form."""
    rng = random.Random(seed)
    values: Values = {}
    for table in form.tables:
        for ref, cell in table.cells.items():
            depth = next(d for item, d in table.walk() if item.code == cell.item)
            scale = 1000 // (10 ** min(depth, 2))
            raw = Decimal(rng.randint(scale // 2, scale))
            values[f"{table.id}:{ref}"] = quantize(raw / 7, 2) if cell.decimals else raw
    return repaired(form, values)


def completed(form: Form, figures: Values) -> Values:
    """Given figures (a unit's, as it might report them) with the totals they leave out added
    up; figures that break a rule of the form, a warning's too, are refused with the rule."""
    values = added_up(form, figures)
    cells = [f"{tb.id}:{ref}" for tb in form.tables for ref in tb.cells]
    missing = [k for k in cells if k not in values]
    broken = [" ".join(keys) for expr, keys in _bound(form) if not _ok(expr, keys, values)]
    if missing or broken:
        raise ValueError(f"{form.id}: missing {missing}, breaking {broken}")
    return values


def added_up(form: Form, figures: Values) -> Values:
    """The figures with each total of an identity the figures do not give added up."""
    values = dict(figures)
    identities = [(e, keys) for e, keys in _bound(form) if e.kind == "identity"]
    for _ in range(len(identities)):  # a total of totals is added once its parts are
        for expr, keys in identities:
            if keys[0] not in figures and all(k in values for k in keys[1:]):
                values[keys[0]] = value(expr.right, _vals(expr, keys, values | {keys[0]: 0}))
    return values


def repaired(form: Form, values: Values) -> Values:
    """The values moved, where a rule fails, until every rule of the form holds."""
    bound = _bound(form)
    decimals = {f"{tb.id}:{ref}": c.decimals for tb in form.tables for ref, c in tb.cells.items()}
    for _ in range(50):
        changed = False
        for expr, keys in bound:
            if _ok(expr, keys, values):
                continue
            changed = True
            _repair(expr, keys, values, decimals)
        if not changed:
            return values
    raise AssertionError(f"no consistent sample for {form.id}")  # a form whose rules conflict


def _bound(form: Form):
    out = []
    for table in form.tables:
        for rule in table.rules:
            out.append((rule.parsed, [f"{table.id}:{r}" for r in rule.parsed.refs()]))
    for rule in form.rules:
        out.append((rule.parsed, [str(r) for r in rule.parsed.refs()]))
    # identities last, so totals are recomputed from parts after any part moved
    return sorted(out, key=lambda b: b[0].kind == "identity")


def _vals(expr, keys, values):
    return {r: values[k] for r, k in zip(expr.refs(), keys, strict=True)}


def _ok(expr, keys, values) -> bool:
    return holds(expr, {r: (v, v) for r, v in _vals(expr, keys, values).items()})


def _repair(expr, keys, values, decimals) -> None:
    """Move one reference until the rule holds: the left-hand one; for `parts <= whole`, the
    whole; else the first whose value makes the rule an equality (not negative, still holding
    once rounded); else shrink the left's terms to zero, and the rule reads 0 <= right."""
    vals = _vals(expr, keys, values)
    right = value(expr.right, vals)
    if isinstance(expr.left, Ref):
        if expr.op in ("=", "<=", ">="):
            values[keys[0]] = quantize(right, decimals[keys[0]])
        elif expr.op == "<":
            values[keys[0]] = right - 1 if right >= 1 else Decimal(0)
        else:
            values[keys[0]] = right + 1
        return
    if isinstance(expr.right, Ref) and expr.op in ("=", "<=", ">="):
        values[keys[-1]] = value(expr.left, vals)
        return
    for key in dict.fromkeys(keys):
        new = solve(expr, keys, key, values)
        if new is not None and new >= 0:
            trial = {**values, key: quantize(new, decimals[key])}
            if _ok(expr, keys, trial):
                values[key] = trial[key]
                return
    for k in keys[: len(expr.refs()) - len(_refs(expr.right))]:
        values[k] = Decimal(0)


def _refs(node):
    from wenuan.forms.rules import _refs as refs

    return refs(node)


def own_layout(form: Form, values: Values, header: dict):
    """A return retyped the way a clerk does (an openpyxl workbook): every table on one sheet
    under a title with the county's name, no codes, numbered labels, a unit column and a
    last-year column, a two-figure item on two rows, the header fields at the bottom."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "报表"
    for table in form.tables:
        ws.append([f"{header['unit']}{table.title}"])
        ws.append(["序号", "指标名称", "计量单位", "本期数", "上年同期", "备注"])
        for i, (item, _) in enumerate(table.walk(), 1):
            refs = [(r, c) for r, c in table.cells.items() if c.item == item.code]
            for k, (ref, cell) in enumerate(refs or [(None, None)]):
                value = values.get(f"{table.id}:{ref}") if ref else None
                ws.append(
                    [
                        None if k else i,
                        None if k else f"{i}. {item.label}",
                        cell.unit if cell else None,
                        None if value is None else (float if cell.decimals else int)(value),
                        None if value is None else 0,
                    ]
                )
        ws.append([])
    ws.append([f"填报单位（盖章）：{header['unit']}", None, f"填表人：{header['person']}"])
    ws.append([f"联系电话：{header['phone']}", None, f"填报日期：{header['date']}"])
    for col, width in zip("ABCDEF", (6, 60, 10, 12, 12, 16), strict=True):
        ws.column_dimensions[col].width = width
    return wb

"""Build the example returns in examples/: run `python examples/build.py` after changing a form.

For every form: one valid return, and returns with the typical mistakes, each named for it.
The figures come from wenuan.samples (they satisfy every rule), then one mistake is made.
"""

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from wenuan import forms, samples, writing
from wenuan.validate import returns_deadline

HERE = Path(__file__).parent


def header(form, unit: str, late: bool = False) -> dict:
    due = returns_deadline(form).date
    return {
        "unit": unit,
        "person": "王芳",
        "phone": "0375-2916465",
        "date": due + timedelta(days=3) if late else due - timedelta(days=2),
    }


def first_equality(form, amounts: bool = False):
    """The first identity (else equality rule) of the form: its table, left and first right ref."""
    rules = [(t, r) for t in form.tables for r in t.rules if r.parsed.op == "="]
    rules.sort(key=lambda tr: tr[1].kind != "identity")
    for table, rule in rules:
        refs = [str(r) for r in rule.parsed.refs()]
        if len(refs) > 1 and (not amounts or table.cells[refs[1]].decimals):
            return table, refs[0], refs[1]
    return None


def _swap_last_digits(value: Decimal) -> Decimal:
    """13.14 -> 13.41; 66 -> 76 (a digit mistyped) when the two digits are the same."""
    text = f"{value:f}"
    i, j = [k for k, c in enumerate(text) if c.isdigit()][-2:]
    if text[i] == text[j]:
        return value + 10
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return Decimal("".join(chars))


def build(form, out: Path) -> list[Path]:
    values = samples.consistent(form)
    unit = form.units[0].name if form.units else "示例单位"
    table, total, part = first_equality(form)
    cases = {"valid": ({}, header(form, unit))}
    old = values[f"{table.id}:{part}"]
    swapped = _swap_last_digits(old)
    cases["identity"] = ({f"{table.id}:{part}": swapped}, header(form, unit))
    if found := first_equality(form, amounts=True):  # an amount typed in 元
        t, _, ref = found
        cases["yuan-for-wanyuan"] = (
            {f"{t.id}:{ref}": values[f"{t.id}:{ref}"] * 10000},
            header(form, unit),
        )
    else:
        ref = next(f"{t.id}:{r}" for t in form.tables for r, c in t.cells.items() if c.decimals)
        cases["yuan-for-wanyuan"] = ({ref: f"{values[ref] * 10000:f}元"}, header(form, unit))
    cases["missing"] = ({f"{table.id}:{part}": None}, header(form, unit))
    cases["typed"] = ({f"{table.id}:{total}": "十二"}, header(form, unit))
    cases["late-no-person"] = ({}, {**header(form, unit, late=True), "person": None})
    written = []
    for name, (changes, head) in cases.items():
        path = out / f"{form.id}_{name}.xlsx"
        writing.save_atomically(writing.filled(form, {**values, **changes}, head), path, force=True)
        written.append(path)
    return written


def main() -> None:
    for entry in forms.catalogue().values():
        form = forms.load_entry(entry)
        for path in build(form, HERE):
            print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    sys.exit(main())

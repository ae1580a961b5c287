"""Build the example returns in examples/: run `python examples/build.py` after changing a form.

For every form: one valid return, and returns with the typical mistakes, each named for it.
The figures are a unit's as it might report them (examples/figures.yaml; they keep every rule of
the form, its plausibility warnings too), then one mistake is made.
"""

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from wenuan.checking import samples
from wenuan.checking.validate import returns_deadline
from wenuan.forms import model as forms
from wenuan.outputs import writing

HERE = Path(__file__).parent


def figures(form) -> dict[str, Decimal]:
    """The example unit's figures for the form, its totals added up (examples/figures.yaml)."""
    from wenuan.forms import yamlfile

    data, _ = yamlfile.load(HERE / "figures.yaml")
    return samples.completed(form, {k: Decimal(v) for k, v in data[form.id].items()})


def header(form, unit: str, late: bool = False) -> dict:
    due = returns_deadline(form).date
    return {
        "unit": unit,
        "person": "王芳",
        "phone": "0375-2916465",
        "date": due + timedelta(days=3) if late else due - timedelta(days=2),
    }


def first_equality(form, values, amounts: bool = False):
    """The first identity (else equality rule; errors first) of the form: its table, left and
    first right ref with two digits or more to swap."""
    rules = [(t, r) for t in form.tables for r in t.rules if r.parsed.op == "="]
    rules.sort(key=lambda tr: (tr[1].severity != "error", tr[1].kind != "identity"))
    for table, rule in rules:
        refs = [str(r) for r in rule.parsed.refs()]
        for ref in refs[1:]:
            if values[f"{table.id}:{ref}"] >= 10 and (not amounts or table.cells[ref].decimals):
                return table, refs[0], ref
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
    values = figures(form)
    unit = form.units[0].name if form.units else "示例单位"
    table, total, part = first_equality(form, values)
    cases = {"valid": ({}, header(form, unit))}
    old = values[f"{table.id}:{part}"]
    swapped = _swap_last_digits(old)
    cases["identity"] = ({f"{table.id}:{part}": swapped}, header(form, unit))
    if found := first_equality(form, values, amounts=True):  # an amount typed in 元
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


def own_layouts(out: Path) -> list[Path]:
    """Returns as units retype them (examples/own-layouts/): Pingdingshan's two tables on one
    sheet without codes, valid and with a slip, and Ezhou's table filled in Word."""
    out.mkdir(exist_ok=True)
    form = forms.get_form("pingdingshan-2010")
    values = figures(form)
    written = []
    for name, unit, changes in (
        ("叶县_自制表.xlsx", "叶县总工会", {}),
        (
            "鲁山_自制表_有错.xlsx",
            "鲁山县总工会",
            {"swn:05B": _swap_last_digits(values["swn:05B"])},
        ),
    ):
        head = {**header(form, unit), "date": "2010年1月29日"}
        path = out / name
        writing.save_atomically(samples.own_layout(form, {**values, **changes}, head), path, True)
        written.append(path)
    written.append(word_return(forms.get_form("ezhou-2022"), out / "鄂城区_Word填报.docx"))
    return written


def word_return(form, path: Path) -> Path:
    """The form's table typed into a Word table, the header fields as paragraphs."""
    import docx

    values = figures(form)
    document = docx.Document()
    document.add_paragraph(form.tables[0].title)
    document.add_paragraph("填报单位：鄂城区总工会　　填报人：李明　　联系电话：027-60229321")
    for table in form.tables:
        rows = [("序号", "项目", "单位", "数量")]
        for item, _ in table.walk():
            for k, (ref, cell) in enumerate(
                (r, c) for r, c in table.cells.items() if c.item == item.code
            ):
                label = item.label if not k else ""
                rows.append(
                    (
                        item.seq or "" if not k else "",
                        label,
                        cell.unit,
                        f"{values[f'{table.id}:{ref}']:f}",
                    )
                )
        grid = document.add_table(rows=len(rows), cols=4)
        grid.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                grid.cell(i, j).text = text
    document.add_paragraph("填报日期：2022年1月20日")
    document.save(path)
    return path


def main() -> None:
    for entry in forms.catalogue().values():
        form = forms.load_entry(entry)
        for path in build(form, HERE):
            print(path.relative_to(HERE.parent))
    for path in own_layouts(HERE / "own-layouts"):
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    sys.exit(main())

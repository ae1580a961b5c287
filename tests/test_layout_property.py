"""Property: a return retyped into any layout a clerk might choose reads to the same values.

Each example draws a layout: which columns there are (序号, 代码, 单位, 上年同期, 备注) and in
which order, whether a header row names them, a title as the notice prints it or with the
county's name added, labels re-spaced, numbered or given 其中, two-figure rows on one row or
two, and where the header fields go. A valid return must read clean, every value from its cell.
"""

import os
from datetime import date

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenuan.checking import samples, validate
from wenuan.forms import model as forms

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
HEADER = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465"}
COLUMN_WORDS = {
    "seq": "序号",
    "code": "代码",
    "unit": "计量单位",
    "prior": "上年同期",
    "note": "备注",
    "label": "项目",
    "value": "本期数",
    "value2": "金额",
}


def _label(text: str, depth: int, style: str, n: int) -> str:
    if style == "spaced":
        return " ".join(text)
    if style == "qizhong" and depth and not text.startswith("其中"):
        return "其中：" + text
    if style == "numbered":
        return f"{n}、{text}" if depth == 0 else f"（{n}）{text}"
    if style == "broken" and len(text) > 6:
        return text[:5] + "\n" + text[5:]
    return text


@st.composite
def layouts(draw):
    extra = draw(
        st.lists(st.sampled_from(["seq", "code", "unit", "prior", "note"]), unique=True, max_size=5)
    )
    columns = draw(st.permutations(["label", "value", *[c for c in extra if c != "seq"]]))
    columns = (["seq"] if "seq" in extra else []) + list(columns)
    if columns.index("value") < columns.index("label") or (
        "code" in columns and "label" in columns and "code" not in extra
    ):
        columns.remove("value")
        columns.insert(columns.index("label") + 1, "value")
    two_rows = draw(st.booleans()) or "unit" in columns
    if not two_rows:  # two figures on one row: a second value column beside the first
        columns.insert(columns.index("value") + 1, "value2")
    return {
        "columns": columns,
        "header_row": draw(st.booleans()) or "prior" in columns,
        "title": draw(st.sampled_from(["plain", "county", "attachment", "none", "own"])),
        "labels": draw(st.sampled_from(["same", "spaced", "qizhong", "numbered", "broken"])),
        "two_rows": two_rows,
        "one_sheet": draw(st.booleans()),
        "header_at_bottom": draw(st.booleans()),
    }


def _write(form, values, layout, path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    row = 1
    for i, table in enumerate(form.tables):
        if i and not layout["one_sheet"]:
            ws, row = wb.create_sheet(f"表{i + 1}"), 1
        elif i:
            row += 2
        title = {
            "plain": table.title,
            "county": f"叶县总工会{table.title}",
            "attachment": f"附件{i + 1}：{table.title}",
            "none": None,
            "own": f"叶县总工会报表{i + 1}",
        }[layout["title"]]
        if title:
            ws.cell(row, 1, title)
            row += 1
        if not layout["header_at_bottom"] and i == 0:
            ws.cell(row, 1, f"填报单位：{HEADER['unit']}")
            ws.cell(row, 3, f"填报人：{HEADER['person']}  联系电话：{HEADER['phone']}")
            row += 1
        cols = layout["columns"]
        if layout["header_row"]:
            for c, role in enumerate(cols, 1):
                ws.cell(row, c, COLUMN_WORDS[role])
            row += 1
        counters = [0] * 8
        for item, depth in table.walk():
            counters[depth] += 1
            counters[depth + 1 :] = [0] * (len(counters) - depth - 1)
            label = _label(item.label, depth, layout["labels"], counters[depth])
            refs = [(r, c) for r, c in table.cells.items() if c.item == item.code]
            if not refs:
                ws.cell(row, cols.index("label") + 1, label)
                row += 1
                continue
            if len(refs) > 1 and not layout["two_rows"]:
                groups = [refs]  # both figures on one row, in the form's order
            else:
                groups = [[ref] for ref in refs]
            for k, group in enumerate(groups):
                for c, role in enumerate(cols, 1):
                    cell = None
                    if role == "label":
                        unit = f"（{group[0][1].unit}）" if len(groups) > 1 else ""
                        cell = label + unit if k == 0 or "unit" not in cols else None
                    elif role == "seq":
                        cell = item.seq if k == 0 else None
                    elif role == "code":
                        cell = group[0][0] if "[" not in group[0][0] else item.code
                    elif role == "unit":
                        cell = group[0][1].unit
                    elif role == "prior":
                        cell = 999
                    elif role == "note":
                        cell = "已核实，同比增长5%" if counters[depth] % 3 == 0 else None
                    if cell is not None:
                        ws.cell(row, c, cell)
                for j, (ref, _) in enumerate(group):
                    v = values[f"{table.id}:{ref}"]
                    at = cols.index("value2" if j else "value") + 1
                    ws.cell(row, at, float(v) if v != v.to_integral_value() else int(v))
                row += 1
    if layout["header_at_bottom"]:
        ws.cell(row + 1, 1, f"填报单位（盖章）：{HEADER['unit']}")
        ws.cell(row + 2, 1, f"填表人：{HEADER['person']}")
        ws.cell(row + 2, 3, f"联系电话：{HEADER['phone']}")
        ws.cell(row + 3, 1, "填报日期：2010年1月28日")
    wb.save(path)


@settings(
    max_examples=int(os.environ.get("WENUAN_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(form_id=st.sampled_from(sorted(ALL)), layout=layouts())
def test_any_clerk_layout_reads_clean(tmp_path_factory, form_id, layout):
    form = ALL[form_id]
    values = samples.consistent(form)
    path = tmp_path_factory.mktemp("layout") / "return.xlsx"
    _write(form, values, layout, path)
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 1)))
    errors = [(f.kind, f.cell, f.message) for f in report.findings if f.severity == "error"]
    assert (report.form, errors) == (form_id, [])
    assert report.values == values
    assert report.unit == HEADER["unit"]

"""Tables with the items across the columns: a unit copying its line of the city's 各单位 sheet
(a row of codes and a row of labels, or a two-row header and a 栏次 row, then its own row)."""

from datetime import date

import openpyxl

from wenuan.checking import samples, validate
from wenuan.forms import model as forms
from wenuan.reading.model import a1

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
JZ23 = ALL["jiaozuo-2023"]
TABLE = JZ23.tables[0]
VALUES = samples.consistent(JZ23)
UNIT = "中站区总工会"


def figure(ref, values=VALUES):
    v = values[f"dryx:{ref}"]
    return float(v) if TABLE.cells[ref].decimals else int(v)


def check(path):
    return validate.validate_file(path, ALL, validate.Options(received=date(2024, 2, 5)))


def test_a_line_copied_from_the_citys_sheet_reads_across(tmp_path):
    """单位 | 文件 | codes; then the labels with units; then the unit's line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "各单位"
    refs = list(TABLE.cells)
    ws.append(["单位", "文件", *refs])
    ws.append([None, None, *(f"{c.label}（{c.unit}）" for c in TABLE.cells.values())])
    ws.append([UNIT, "中站区.xlsx", *map(figure, refs)])
    ws.append(["填报人：赵磊　联系电话：0391-2925512　填报日期：2024年2月5日"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    report = check(path)
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.values == VALUES
    assert report.unit == UNIT
    assert report.places["dryx:A"] == "各单位!C3"
    assert report.places["dryx:G1"] == f"各单位!{a1(2, 2 + refs.index('G1'))}"


def two_row_header(path, values=VALUES, units=1) -> list[str]:
    """A title, a header of two rows (a total's label over its 合计 and parts, merged), a 栏次
    row and the unit's line (or several units' lines); the figures' refs in column order."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws.append([TABLE.title])
    ws.append(["单位"])
    ws.append([None])
    refs, col = [], 2
    for item, depth in TABLE.walk():
        if depth:
            continue
        parts = [item, *item.items]
        if len(parts) == 1:
            ws.cell(2, col, f"{item.label}（{TABLE.cells[item.code].unit}）")
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        else:
            ws.cell(2, col, f"{item.label}（{TABLE.cells[item.code].unit}）")
            ws.merge_cells(
                start_row=2, start_column=col, end_row=2, end_column=col + len(parts) - 1
            )
            for i, part in enumerate(parts):
                ws.cell(3, col + i, "合计" if i == 0 else part.label.removeprefix("其中"))
        refs += [p.code for p in parts]
        col += len(parts)
    ws.merge_cells("A2:A3")
    ws.append(["栏次", *range(1, len(refs) + 1)])
    for n in range(units):
        ws.append([UNIT if n == 0 else f"第{n}单位", *(figure(r, values) for r in refs)])
    ws.append(["填报人：赵磊　联系电话：0391-2925512　填报日期：2024年2月5日"])
    wb.save(path)
    return refs


def test_a_two_row_header_and_a_numbering_row_read_across(tmp_path):
    path = tmp_path / "r.xlsx"
    refs = two_row_header(path)
    report = check(path)
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.values == VALUES
    assert report.unit == UNIT
    assert report.places["dryx:A1"] == f"表!{a1(4, 1 + refs.index('A1'))}"


def test_a_slip_on_the_line_is_found_at_its_cell(tmp_path):
    path = tmp_path / "r.xlsx"
    refs = two_row_header(path, VALUES | {"dryx:A2": VALUES["dryx:A2"] + 100})
    report = check(path)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.suspects) for f in errors] == [("dryx-A", ["A2"])]
    assert f"相对困难（A2，{a1(4, 1 + refs.index('A2'))}）填错" in errors[0].message


def test_several_units_lines_are_no_ones_return(tmp_path):
    """A city's whole sheet: reading one line as the return would be a silent wrong figure."""
    path = tmp_path / "r.xlsx"
    two_row_header(path, units=3)
    report = check(path)
    assert [(f.severity, f.kind) for f in report.findings] == [
        ("error", "header"),  # no 填报单位: no line is taken as the sender's
        ("error", "table"),
    ]
    assert report.values == {}
